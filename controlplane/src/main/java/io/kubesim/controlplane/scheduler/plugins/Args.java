package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Reading plugin args from their YAML tree, with errors that name the field, as the scheduler's strict decoding does. */
final class Args {

  private Args() {}

  static String path(String prefix, String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  /** Rejects fields the args type does not have. */
  static void known(JsonNode node, String prefix, Set<String> fields) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new PluginArgsException(prefix.isEmpty() ? "args" : prefix, "must be an object");
    }
    for (String f : node.propertyNames()) {
      if (!fields.contains(f)) {
        throw new PluginArgsException(path(prefix, f), "unknown field \"" + f + "\"");
      }
    }
  }

  static JsonNode get(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  static String string(JsonNode node, String field, String prefix, String dflt) {
    JsonNode v = get(node, field);
    if (v == null) {
      return dflt;
    }
    if (!v.isString()) {
      throw new PluginArgsException(path(prefix, field), "must be a string");
    }
    return v.stringValue();
  }

  static Integer integer(JsonNode node, String field, String prefix, Integer dflt) {
    JsonNode v = get(node, field);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new PluginArgsException(path(prefix, field), "must be an integer");
    }
    return v.intValue();
  }

  static Boolean bool(JsonNode node, String field, String prefix, Boolean dflt) {
    JsonNode v = get(node, field);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new PluginArgsException(path(prefix, field), "must be a boolean");
    }
    return v.asBoolean();
  }

  static List<JsonNode> array(JsonNode node, String field, String prefix) {
    JsonNode v = get(node, field);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw new PluginArgsException(path(prefix, field), "must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(v.get(i));
    }
    return out;
  }

  static List<String> strings(JsonNode node, String field, String prefix) {
    List<JsonNode> arr = array(node, field, prefix);
    if (arr == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!arr.get(i).isString()) {
        throw new PluginArgsException(path(prefix, field) + "[" + i + "]", "must be a string");
      }
      out.add(arr.get(i).stringValue());
    }
    return out;
  }
}
