package io.kubesim.controlplane.http.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}),
 * which kubectl 1.32+ sends for typed creates ({@code create deployment|namespace|configmap|...})
 * and drain's fallback DELETE: the magic {@code k8s\0}, then a {@code runtime.Unknown} whose
 * typeMeta names the kind and whose raw bytes are the object's generated message
 * (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). The message is decoded with the
 * generated descriptors of {@code io.kubernetes:client-java-proto} and turned into the JSON the
 * same object has, so the fabric8 model reads it as it reads any JSON body. The generated field
 * names are the JSON names (go-to-protobuf takes them from the json tags); the few wrapper types
 * (IntOrString, Quantity, Time, MicroTime, Duration, RawExtension, FieldsV1) get their JSON forms.
 */
public final class ProtobufBodies {

  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, Descriptor> MESSAGES = new HashMap<>();
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";

  static {
    List<FileDescriptor> files = List.of(io.kubernetes.client.proto.V1.getDescriptor(),
        io.kubernetes.client.proto.V1Apps.getDescriptor(), io.kubernetes.client.proto.V1Batch.getDescriptor(),
        io.kubernetes.client.proto.V1Policy.getDescriptor(), io.kubernetes.client.proto.V1Networking.getDescriptor(),
        io.kubernetes.client.proto.V1Scheduling.getDescriptor(), io.kubernetes.client.proto.V1Storage.getDescriptor(),
        io.kubernetes.client.proto.V1Autoscaling.getDescriptor(), io.kubernetes.client.proto.V1Rbac.getDescriptor(),
        io.kubernetes.client.proto.V1Authentication.getDescriptor(),
        io.kubernetes.client.proto.V1Authorization.getDescriptor(),
        io.kubernetes.client.proto.V1Certificates.getDescriptor(), io.kubernetes.client.proto.Meta.getDescriptor(),
        io.kubernetes.client.proto.Runtime.getDescriptor());
    for (FileDescriptor f : files) {
      for (Descriptor d : f.getMessageTypes()) {
        MESSAGES.put(d.getFullName(), d);
      }
    }
  }

  private ProtobufBodies() {}

  /** True when the body starts with the protobuf envelope's magic bytes. */
  public static boolean isProtobuf(byte[] body) {
    if (body.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The JSON form of a protobuf-encoded object, with its apiVersion and kind.
   *
   * @throws IllegalArgumentException when the body is not a Kubernetes protobuf object kubesim knows
   */
  public static ObjectNode toJson(byte[] body) {
    if (!isProtobuf(body)) {
      throw new IllegalArgumentException("protobuf body does not start with the k8s\\0 magic");
    }
    io.kubernetes.client.proto.Runtime.Unknown unknown;
    try {
      unknown = io.kubernetes.client.proto.Runtime.Unknown.parseFrom(
          com.google.protobuf.ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("invalid protobuf envelope: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("protobuf envelope names no kind");
    }
    Descriptor d = descriptor(apiVersion, kind);
    if (d == null) {
      throw new IllegalArgumentException("no kind \"" + kind + "\" is registered for version \"" + apiVersion
          + "\" in kubesim's protobuf decoder");
    }
    DynamicMessage msg;
    try {
      msg = DynamicMessage.parseFrom(d, unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("invalid protobuf " + kind + ": " + e.getMessage());
    }
    ObjectNode out = NODES.objectNode();
    out.put("apiVersion", apiVersion);
    out.put("kind", kind);
    out.setAll(object(msg));
    return out;
  }

  static Descriptor descriptor(String apiVersion, String kind) {
    String group;
    String version;
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      group = "core";
      version = apiVersion;
    } else {
      String g = apiVersion.substring(0, slash);
      int dot = g.indexOf('.');
      group = dot < 0 ? g : g.substring(0, dot);
      version = apiVersion.substring(slash + 1);
    }
    Descriptor d = MESSAGES.get("k8s.io.api." + group + "." + version + "." + kind);
    if (d == null) {
      // Options types (DeleteOptions, ...) are meta.k8s.io's, whichever group they are sent to.
      d = MESSAGES.get(META + "." + kind);
    }
    return d;
  }

  private static ObjectNode object(Message msg) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : msg.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      JsonNode v;
      if (f.isMapField()) {
        ObjectNode map = NODES.objectNode();
        for (Object entry : (List<?>) e.getValue()) {
          Message m = (Message) entry;
          FieldDescriptor kf = m.getDescriptorForType().findFieldByName("key");
          FieldDescriptor vf = m.getDescriptorForType().findFieldByName("value");
          JsonNode value = m.hasField(vf) || vf.getJavaType() != FieldDescriptor.JavaType.MESSAGE
              ? value(vf, m.getField(vf)) : NODES.nullNode();
          map.set(String.valueOf(m.getField(kf)), value);
        }
        v = map;
      } else if (f.isRepeated()) {
        ArrayNode arr = NODES.arrayNode();
        for (Object item : (List<?>) e.getValue()) {
          arr.add(value(f, item));
        }
        v = arr;
      } else {
        v = value(f, e.getValue());
      }
      if (v != null && !v.isNull()) {
        out.set(f.getName(), v);
      }
    }
    return out;
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    switch (f.getJavaType()) {
      case STRING:
        return NODES.stringNode((String) v);
      case INT:
        return NODES.numberNode((Integer) v);
      case LONG:
        return NODES.numberNode((Long) v);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) v);
      case DOUBLE:
        return NODES.numberNode((Double) v);
      case FLOAT:
        return NODES.numberNode((Float) v);
      case BYTE_STRING:
        return NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case MESSAGE:
        return message((Message) v);
      default:
        return NODES.stringNode(String.valueOf(v));
    }
  }

  private static JsonNode message(Message m) {
    Descriptor d = m.getDescriptorForType();
    switch (d.getFullName()) {
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
        long type = (Long) m.getField(d.findFieldByName("type"));
        return type == 1 ? NODES.stringNode((String) m.getField(d.findFieldByName("strVal")))
            : NODES.numberNode((Integer) m.getField(d.findFieldByName("intVal")));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return NODES.stringNode((String) m.getField(d.findFieldByName("string")));
      case META + ".Time": {
        long s = (Long) m.getField(d.findFieldByName("seconds"));
        int n = (Integer) m.getField(d.findFieldByName("nanos"));
        return s == 0 && n == 0 ? NODES.nullNode() : NODES.stringNode(Times.rfc3339(Instant.ofEpochSecond(s, n)));
      }
      case META + ".MicroTime": {
        long s = (Long) m.getField(d.findFieldByName("seconds"));
        int n = (Integer) m.getField(d.findFieldByName("nanos"));
        return s == 0 && n == 0 ? NODES.nullNode() : NODES.stringNode(Times.micro(Instant.ofEpochSecond(s, n)));
      }
      case META + ".Duration":
        return NODES.stringNode(io.kubesim.shared.time.GoDuration.format(
            Duration.ofNanos((Long) m.getField(d.findFieldByName("duration")))));
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      case META + ".FieldsV1": {
        ByteString raw = (ByteString) m.getField(d.findFieldByName("raw"));
        if (raw.isEmpty()) {
          return NODES.nullNode();
        }
        try {
          return Json.MAPPER.readTree(raw.toByteArray());
        } catch (JacksonException e) {
          throw new IllegalArgumentException("embedded object is not JSON: " + e.getOriginalMessage());
        }
      }
      default:
        return object(m);
    }
  }
}
