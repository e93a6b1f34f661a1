package io.kubesim.controlplane.scenario;

import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.manifest.Manifests;
import io.kubesim.shared.time.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of one mapping of a scenario document, keeping the path so that every error
 * names the file, the document and the field ("spec.timeline[2].node: Required value"), and
 * reporting fields nobody read as unknown, so a typo is an error rather than a silent no-op.
 */
final class FieldReader {
  private final Manifests.Document doc;
  private final ObjectNode node;
  private final String path;
  private final Set<String> read = new LinkedHashSet<>();

  FieldReader(Manifests.Document doc, JsonNode node, String path) {
    this.doc = doc;
    this.path = path;
    if (node == null || node.isNull() || node.isMissingNode()) {
      this.node = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (!node.isObject()) {
      throw error(path, "expected a mapping");
    } else {
      this.node = (ObjectNode) node;
    }
  }

  Manifests.Document doc() {
    return doc;
  }

  String path() {
    return path;
  }

  String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  ManifestException error(String field, String message) {
    return new ManifestException(doc.where(field) + ": " + field + ": " + message);
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  JsonNode raw(String field) {
    read.add(field);
    return node.get(field);
  }

  String string(String field) {
    String v = optionalString(field);
    if (v == null || v.isEmpty()) {
      throw error(at(field), "Required value");
    }
    return v;
  }

  String optionalString(String field) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isArray()) {
      throw error(at(field), "expected a string");
    }
    return v.asString();
  }

  /** A condition status: True, False or Unknown (YAML's unquoted true/false are taken as True/False). */
  String conditionStatus(String field) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isBoolean() ? (v.asBoolean() ? "True" : "False") : v.asString();
    if (!java.util.List.of("True", "False", "Unknown").contains(s)) {
      throw error(at(field), "Unsupported value: \"" + s + "\": supported values: \"False\", \"True\", \"Unknown\"");
    }
    return s;
  }

  String string(String field, String fallback) {
    String v = optionalString(field);
    return v == null ? fallback : v;
  }

  Long optionalLong(String field) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isString()) {
      try {
        return Long.parseLong(v.asString().trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw error(at(field), "expected an integer, got " + v);
  }

  long longValue(String field) {
    Long v = optionalLong(field);
    if (v == null) {
      throw error(at(field), "Required value");
    }
    return v;
  }

  Boolean optionalBool(String field) {
    JsonNode v = raw(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isString() && (v.asString().equals("true") || v.asString().equals("false"))) {
      return Boolean.parseBoolean(v.asString());
    }
    throw error(at(field), "expected true or false, got " + v);
  }

  boolean bool(String field, boolean fallback) {
    Boolean v = optionalBool(field);
    return v == null ? fallback : v;
  }

  Duration optionalDuration(String field) {
    String v = optionalString(field);
    if (v == null) {
      return null;
    }
    try {
      return GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw error(at(field), e.getMessage());
    }
  }

  Duration duration(String field) {
    Duration d = optionalDuration(field);
    if (d == null) {
      throw error(at(field), "Required value");
    }
    return d;
  }

  /** A list of strings; a single string is accepted as a one-element list. */
  List<String> strings(String field) {
    JsonNode v = raw(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      out.add(v.asString());
      return out;
    }
    if (!v.isArray()) {
      throw error(at(field), "expected a list of strings");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode()) {
        throw error(at(field) + "[" + i + "]", "expected a string");
      }
      out.add(v.get(i).asString());
    }
    return out;
  }

  FieldReader object(String field) {
    return new FieldReader(doc, raw(field), at(field));
  }

  List<FieldReader> objects(String field) {
    JsonNode v = raw(field);
    List<FieldReader> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw error(at(field), "expected a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new FieldReader(doc, v.get(i), at(field) + "[" + i + "]"));
    }
    return out;
  }

  /** Fails on the first field that was never read. */
  void done() {
    for (String name : node.propertyNames()) {
      if (!read.contains(name)) {
        throw error(at(name), "unknown field");
      }
    }
  }
}
