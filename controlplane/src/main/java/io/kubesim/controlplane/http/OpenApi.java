package io.kubesim.controlplane.http;

import io.kubesim.controlplane.launcher.Version;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal OpenAPI v3: the root ({@code /openapi/v3}) lists one document per group version with
 * a content hash, and each document has, per kind, the object path with a PATCH operation that
 * carries {@code x-kubernetes-group-version-kind} and the {@code fieldValidation} parameter. That
 * is what kubectl's {@code create -f}, {@code apply} and {@code apply --server-side} look for to
 * hand validation to the server (fieldValidation=Strict) instead of failing. The PATCH operations
 * deliberately have no requestBody: with one, client-side apply would try to build its patch from
 * these (schema-less) documents. kubectl explain is therefore not served.
 */
final class OpenApi {

  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final Map<String, byte[]> DOCS = new LinkedHashMap<>();
  private static final Map<String, String> HASHES = new LinkedHashMap<>();
  private static final byte[] ROOT;

  static {
    ObjectNode root = N.objectNode();
    ObjectNode paths = root.putObject("paths");
    for (Map.Entry<String, List<ResourceType>> e : Resources.byGroup().entrySet()) {
      ResourceType first = e.getValue().get(0);
      String key = e.getKey().isEmpty() ? "api/" + first.version() : "apis/" + e.getKey() + "/" + first.version();
      byte[] doc = Json.writeBytes(document(e.getValue()));
      String hash = sha512(doc);
      DOCS.put(key, doc);
      HASHES.put(key, hash);
      paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash);
    }
    ROOT = Json.writeBytes(root);
  }

  private OpenApi() {}

  static byte[] root() {
    return ROOT;
  }

  /** The document of "api/v1" or "apis/apps/v1", or null. */
  static byte[] document(String key) {
    return DOCS.get(key);
  }

  static String hash(String key) {
    return HASHES.get(key);
  }

  private static ObjectNode document(List<ResourceType> types) {
    ObjectNode doc = N.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Version.KUBERNETES_GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : types) {
      String base = (t.group().isEmpty() ? "/api/" + t.version() : "/apis/" + t.group() + "/" + t.version())
          + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("patch", operation(t, "patch", "patch"));
      item.set("put", operation(t, "replace", "put"));
      item.set("get", operation(t, "read", "get"));
      item.set("delete", operation(t, "delete", "delete"));
      ObjectNode collection = paths.putObject(base);
      collection.set("post", operation(t, "create", "post"));
      collection.set("get", operation(t, "list", "list"));
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static ObjectNode operation(ResourceType t, String verb, String action) {
    ObjectNode op = N.objectNode();
    String group = t.group().isEmpty() ? "Core" : capitalize(t.group().split("\\.")[0]);
    op.put("operationId", verb + group + capitalize(t.version()) + (t.namespaced() ? "Namespaced" : "") + t.kind());
    ArrayNode params = op.putArray("parameters");
    if (action.equals("patch") || action.equals("put") || action.equals("post")) {
      params.addObject().put("name", "fieldValidation").put("in", "query").putObject("schema").put("type", "string");
      params.addObject().put("name", "fieldManager").put("in", "query").putObject("schema").put("type", "string");
      params.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
    }
    if (action.equals("patch")) {
      params.addObject().put("name", "force").put("in", "query").putObject("schema").put("type", "boolean");
    }
    op.putObject("responses").putObject("200").put("description", "OK");
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version())
        .put("kind", t.kind());
    return op;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String sha512(byte[] b) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String etag(String key) {
    return "\"" + HASHES.get(key) + "\"";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
