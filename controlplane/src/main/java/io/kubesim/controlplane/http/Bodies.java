package io.kubesim.controlplane.http;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.controlplane.http.proto.ProtobufBodies;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies as kube-apiserver decodes them: JSON, YAML or Kubernetes protobuf by
 * Content-Type (none means JSON, as kubectl's scale PUT sends none), a missing kind and
 * apiVersion taken from the URL, and errors worded as the apiserver words them
 * (k8s.io/apiserver/pkg/endpoints/handlers/create.go, rest.go transformDecodeError).
 */
final class Bodies {

  private Bodies() {}

  enum Media { JSON, YAML, PROTOBUF, UNSUPPORTED }

  static final String ACCEPTED = "application/json, application/yaml, application/vnd.kubernetes.protobuf";

  static Media media(String contentType) {
    if (contentType == null) {
      return Media.JSON;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase();
    return switch (base) {
      case "", "application/json", "application/octet-stream", "none/none" -> Media.JSON;
      case "application/yaml", "application/x-yaml", "text/yaml" -> Media.YAML;
      case "application/vnd.kubernetes.protobuf" -> Media.PROTOBUF;
      default -> Media.UNSUPPORTED;
    };
  }

  static StatusException unsupportedMediaType(String accepted) {
    return new StatusException(ApiErrors.unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: " + accepted));
  }

  /** The body as a JSON tree (an object), whatever it came as. */
  static ObjectNode tree(String contentType, byte[] body, String expectedKind) {
    Media m = media(contentType);
    if (m == Media.UNSUPPORTED) {
      throw unsupportedMediaType(ACCEPTED);
    }
    if (m == Media.PROTOBUF) {
      try {
        return ProtobufBodies.toJson(body);
      } catch (IllegalArgumentException e) {
        throw new StatusException(ApiErrors.badRequest("the object provided is unrecognized (must be of type "
            + expectedKind + "): " + e.getMessage()));
      }
    }
    if (body.length == 0) {
      throw new StatusException(ApiErrors.badRequest("the object provided is unrecognized (must be of type "
          + expectedKind + "): couldn't get version/kind; json parse error: unexpected end of JSON input"));
    }
    JsonNode node;
    try {
      node = m == Media.YAML ? Json.YAML.readTree(body) : Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new StatusException(ApiErrors.badRequest("the object provided is unrecognized (must be of type "
          + expectedKind + "): couldn't get version/kind; " + (m == Media.YAML ? "yaml" : "json") + " parse error: "
          + firstLine(e.getOriginalMessage()) + " (" + summarize(body) + ")"));
    }
    if (node == null || !node.isObject()) {
      throw new StatusException(ApiErrors.badRequest("the object provided is unrecognized (must be of type "
          + expectedKind + "): couldn't get version/kind; json parse error: json: cannot unmarshal "
          + (node == null ? "null" : goType(node)) + " into Go value of type struct { APIVersion string "
          + "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" } ("
          + summarize(body) + ")"));
    }
    return (ObjectNode) node;
  }

  /**
   * The object a create or update carries, checked against the kind of the URL. A missing kind
   * or apiVersion defaults to the URL's, as the apiserver's decoder defaults them.
   */
  static HasMetadata object(ResourceType type, String contentType, byte[] body, String fieldValidation,
      List<String> warnings) {
    HasMetadata direct = media(contentType) == Media.JSON ? direct(type, body) : null;
    if (direct != null) {
      checkUnknownFields(direct, fieldValidation, warnings);
      return direct;
    }
    ObjectNode tree = tree(contentType, body, type.kind());
    JsonNode kind = tree.get("kind");
    JsonNode apiVersion = tree.get("apiVersion");
    if (kind != null && !kind.isString() || apiVersion != null && !apiVersion.isString()) {
      throw new StatusException(ApiErrors.badRequest("the object provided is unrecognized (must be of type "
          + type.kind() + "): couldn't get version/kind; json parse error: json: cannot unmarshal "
          + goType(kind != null && !kind.isString() ? kind : apiVersion) + " into Go struct field .kind of type string"));
    }
    String k = kind == null || kind.asString().isEmpty() ? type.kind() : kind.asString();
    String v = apiVersion == null || apiVersion.asString().isEmpty() ? type.apiVersion() : apiVersion.asString();
    if (!v.equals(type.apiVersion())) {
      throw new StatusException(ApiErrors.badRequest("the API version in the data (" + v
          + ") does not match the expected API version (" + type.apiVersion() + ")"));
    }
    if (!k.equals(type.kind())) {
      throw new StatusException(ApiErrors.badRequest(k + " in version \"" + type.version()
          + "\" cannot be handled as a " + type.kind() + ": converting (" + v + "." + k + ") to (" + type.apiVersion()
          + "." + type.kind() + "): unknown conversion"));
    }
    tree.put("kind", k);
    tree.put("apiVersion", v);
    HasMetadata obj = convert(tree, type.type(), type.kind(), type.version());
    checkUnknownFields(obj, fieldValidation, warnings);
    return obj;
  }

  /**
   * A JSON body read straight into the kind's class, without a tree in between, when it is a
   * well-formed object of the URL's kind; null for anything else, which the tree path then reads
   * again to word the error as kube-apiserver does.
   */
  private static HasMetadata direct(ResourceType type, byte[] body) {
    HasMetadata obj;
    try {
      obj = Json.MAPPER.readValue(body, type.type());
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
    if (obj == null) {
      return null;
    }
    // Without kind or apiVersion (fabric8's classes mostly default them) the tree path defaults them.
    return type.kind().equals(obj.getKind()) && type.apiVersion().equals(obj.getApiVersion()) ? obj : null;
  }

  /** An auxiliary body (DeleteOptions, Eviction, Binding, Scale) of a fixed type. */
  static <T> T auxiliary(String contentType, byte[] body, Class<T> cls, String kind, String version) {
    ObjectNode tree = tree(contentType, body, kind);
    return convert(tree, cls, kind, version);
  }

  static <T> T convert(JsonNode tree, Class<T> cls, String kind, String version) {
    try {
      return Json.convert(tree, cls);
    } catch (DatabindException e) {
      throw new StatusException(ApiErrors.badRequest(kind + " in version \"" + version + "\" cannot be handled as a "
          + kind + ": " + describe(e)));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new StatusException(ApiErrors.badRequest(kind + " in version \"" + version + "\" cannot be handled as a "
          + kind + ": " + firstLine(e.getMessage())));
    }
  }

  /** fieldValidation=Strict refuses fields the kind does not have; Warn reports them in Warning headers. */
  static void checkUnknownFields(Object obj, String fieldValidation, List<String> warnings) {
    if (fieldValidation == null || fieldValidation.equalsIgnoreCase("Ignore") || fieldValidation.isEmpty()) {
      return;
    }
    List<String> unknown = UnknownFields.of(obj);
    if (unknown.isEmpty()) {
      return;
    }
    if (fieldValidation.equals("Strict")) {
      StringBuilder sb = new StringBuilder("strict decoding error: ");
      for (int i = 0; i < unknown.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append("unknown field \"").append(unknown.get(i)).append('"');
      }
      throw new StatusException(ApiErrors.badRequest(sb.toString()));
    }
    for (String u : unknown) {
      warnings.add("unknown field \"" + u + "\"");
    }
  }

  /** "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type ...", approximately. */
  private static String describe(DatabindException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    String m = firstLine(e.getOriginalMessage());
    String want;
    if (m.contains("Integer") || m.contains("`int`") || m.contains("Long") || m.contains("`long`")) {
      want = "an integer";
    } else if (m.contains("Boolean") || m.contains("`boolean`")) {
      want = "a boolean";
    } else if (m.contains("from Array value") || m.contains("START_ARRAY")) {
      want = "a single value, not a list";
    } else if (m.contains("List") || m.contains("ArrayList")) {
      want = "a list";
    } else if (m.contains("from String value") || m.contains("from Number") || m.contains("from Boolean")) {
      want = "an object";
    } else if (m.contains("START_OBJECT") || m.contains("from Object value")) {
      want = "a scalar value, not an object";
    } else {
      return "json: " + (path.length() > 0 ? path + ": " : "") + m;
    }
    return "json: cannot unmarshal into field \"" + path + "\": expected " + want;
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "invalid input";
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private static String goType(JsonNode n) {
    if (n.isString()) {
      return "string";
    }
    if (n.isNumber()) {
      return "number";
    }
    if (n.isBoolean()) {
      return "bool";
    }
    if (n.isArray()) {
      return "array";
    }
    if (n.isNull()) {
      return "null";
    }
    return "object";
  }

  /** The first bytes of a body, hex-escaped where not printable, as transformDecodeError summarises it. */
  private static String summarize(byte[] body) {
    int n = Math.min(body.length, 30);
    String s = new String(body, 0, n, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", "?");
    return body.length > n ? s + "..." : s;
  }
}
