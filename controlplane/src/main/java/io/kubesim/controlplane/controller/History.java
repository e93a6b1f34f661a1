package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.kubesim.controlplane.controller.deployment.PodTemplateHash;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ControllerRevisions as the DaemonSet and StatefulSet controllers keep them (pkg/controller/history
 * and the controllers' getPatch): a revision's data is a strategic merge patch that replaces
 * {@code spec.template}, written as Go's encoding/json writes a map (keys sorted, no spaces, HTML
 * characters escaped), so that two revisions are equal when their bytes are.
 */
public final class History {

  /** ControllerRevisionHashLabel: the hash a StatefulSet's revisions carry. */
  public static final String CONTROLLER_REVISION_HASH = "controller.kubernetes.io/hash";

  private History() {}

  /**
   * getPatch: {@code {"spec":{"template":{...,"$patch":"replace"}}}} of the owner's template, the
   * template as Go encodes the stored object (an unset template creationTimestamp is {@code null}).
   */
  public static String templatePatch(PodTemplateSpec template) {
    JsonNode t = Json.tree(template == null ? new PodTemplateSpec() : template);
    ObjectNode tmpl = t.isObject() ? (ObjectNode) t : Json.MAPPER.createObjectNode();
    ObjectNode meta = tmpl.has("metadata") && tmpl.get("metadata").isObject() ? (ObjectNode) tmpl.get("metadata")
        : tmpl.putObject("metadata");
    if (!meta.has("creationTimestamp")) {
      meta.putNull("creationTimestamp");
    }
    if (!tmpl.has("spec")) {
      tmpl.putObject("spec");
    }
    tmpl.put("$patch", "replace");
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.putObject("spec").set("template", tmpl);
    return goJson(root);
  }

  /** The revision's data as Go would marshal it, for byte comparison. */
  public static String rawData(ControllerRevision cr) {
    return cr.getData() == null ? "" : goJson(Json.tree(cr.getData()));
  }

  /** The data object to store for a patch written by {@link #templatePatch}. */
  public static Object dataOf(String patch) {
    return Json.read(patch, Object.class);
  }

  /** HashControllerRevision: FNV-1 (32-bit) of the data, then the collision count in decimal, safe-encoded. */
  public static String hash(String rawData, Integer collisionCount) {
    int h = 0x811c9dc5;
    for (byte b : rawData.getBytes(StandardCharsets.UTF_8)) {
      h *= 0x01000193;
      h ^= b & 0xff;
    }
    if (collisionCount != null) {
      for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8)) {
        h *= 0x01000193;
        h ^= b & 0xff;
      }
    }
    return PodTemplateHash.safeEncode(Integer.toUnsignedString(h));
  }

  /** ControllerRevisionName: the prefix cut to 223 characters, a dash, the hash. */
  public static String revisionName(String prefix, String hash) {
    String p = prefix.length() > 223 ? prefix.substring(0, 223) : prefix;
    return p + "-" + hash;
  }

  public static long revision(ControllerRevision cr) {
    return cr.getRevision() == null ? 0 : cr.getRevision();
  }

  /** SortControllerRevisions: by revision, then creation time, then name. */
  public static final Comparator<ControllerRevision> BY_REVISION = Comparator
      .comparingLong(History::revision)
      .thenComparing(cr -> cr.getMetadata().getCreationTimestamp() == null ? ""
          : cr.getMetadata().getCreationTimestamp())
      .thenComparing(cr -> cr.getMetadata().getName());

  public static long maxRevision(List<ControllerRevision> revisions) {
    long max = 0;
    for (ControllerRevision cr : revisions) {
      max = Math.max(max, revision(cr));
    }
    return max;
  }

  /** The revisions with the same data as {@code needle} (FindEqualRevisions), in the given order. */
  public static List<ControllerRevision> equalRevisions(List<ControllerRevision> revisions, String rawData) {
    List<ControllerRevision> out = new ArrayList<>();
    for (ControllerRevision cr : revisions) {
      if (rawData.equals(rawData(cr))) {
        out.add(cr);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Go's encoding/json

  /**
   * Go's json.Marshal of the value decoded into interface{}: object keys sorted, no whitespace,
   * numbers as float64 prints them, strings with &lt;, &gt;, &amp;, U+2028 and U+2029 escaped.
   */
  public static String goJson(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(sb, n);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      sb.append("null");
    } else if (n.isObject()) {
      List<String> names = new ArrayList<>();
      for (String name : n.propertyNames()) {
        names.add(name);
      }
      names.sort(Comparator.naturalOrder());
      sb.append('{');
      boolean first = true;
      for (String name : names) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, name);
        sb.append(':');
        write(sb, n.get(name));
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, n.get(i));
      }
      sb.append(']');
    } else if (n.isBoolean()) {
      sb.append(n.booleanValue());
    } else if (n.isNumber()) {
      BigDecimal d = n.decimalValue().stripTrailingZeros();
      sb.append(d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString());
    } else {
      string(sb, n.asString());
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            if (c == '\u2028' || c == '\u2029') {
              sb.setLength(sb.length() - 6);
              sb.append(c == '\u2028' ? "\\u2028" : "\\u2029");
            }
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---------------------------------------------------------------- creating revisions

  /**
   * NewControllerRevision: the owner's template patch as revision {@code revision}, named
   * {@code name}, labelled with the template's labels plus {@code hashLabel}, annotated with the
   * owner's annotations, controlled by the owner.
   */
  public static ControllerRevision newRevision(HasMetadata owner, PodTemplateSpec template, String name,
      String hashLabel, String hash, String patch, long revision) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (template != null && template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(hashLabel, hash);
    ControllerRevision cr = new ControllerRevisionBuilder().withNewMetadata().withName(name)
        .withNamespace(owner.getMetadata().getNamespace()).withLabels(labels)
        .withAnnotations(owner.getMetadata().getAnnotations() == null ? null
            : new LinkedHashMap<>(owner.getMetadata().getAnnotations()))
        .withOwnerReferences(Owners.controllerRef(owner)).endMetadata()
        .withData(dataOf(patch)).withRevision(revision).build();
    cr.setApiVersion("apps/v1");
    cr.setKind("ControllerRevision");
    return cr;
  }

  /**
   * Creates the revision; when its name is taken, the existing revision stands in for it if its
   * data is the same, else it is a hash collision: {@code onCollision} runs (the owner bumps
   * status.collisionCount) and {@code then} gets null, as it does on any other failure.
   */
  public static void create(ApiClient client, Klog log, ControllerRevision cr, String patch, Runnable onCollision,
      Consumer<ControllerRevision> then) {
    client.create(cr, r -> {
      if (r instanceof Api.Ok ok) {
        log.v(1, "Created ControllerRevision", "controllerRevision", Informer.key(ok.object()), "revision",
            cr.getRevision());
        then.accept((ControllerRevision) ok.object());
        return;
      }
      if (((Api.Failed) r).code() != 409) {
        then.accept(null);
        return;
      }
      client.get(Resources.CONTROLLERREVISIONS, cr.getMetadata().getNamespace(), cr.getMetadata().getName(), g -> {
        if (g instanceof Api.Ok existing && patch.equals(rawData((ControllerRevision) existing.object()))) {
          then.accept((ControllerRevision) existing.object());
          return;
        }
        onCollision.run();
        then.accept(null);
      });
    });
  }

  /** Whether the map has every entry of {@code subset}. */
  public static boolean containsAll(Map<String, String> map, Map<String, String> subset) {
    if (subset == null) {
      return true;
    }
    for (Map.Entry<String, String> e : subset.entrySet()) {
      if (map == null || !e.getValue().equals(map.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
