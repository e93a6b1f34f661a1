package io.kubesim.controlplane.apiserver.validation;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A short line diff of two JSON trees, standing in for the go-cmp diff that Go appends to
 * "may not change" messages: one "-" line per old leaf and one "+" line per new leaf that differ.
 */
final class SpecDiff {

  private SpecDiff() {}

  static String diff(JsonNode oldTree, JsonNode newTree) {
    Map<String, String> a = new TreeMap<>();
    Map<String, String> b = new TreeMap<>();
    flatten("", oldTree, a);
    flatten("", newTree, b);
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      String ov = a.get(k);
      String nv = b.get(k);
      if (ov != null && ov.equals(nv)) {
        continue;
      }
      if (ov != null) {
        sb.append("- ").append(k).append(": ").append(ov).append('\n');
      }
      if (nv != null) {
        sb.append("+ ").append(k).append(": ").append(nv).append('\n');
      }
    }
    return sb.toString();
  }

  private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
    if (n == null || n.isNull()) {
      return;
    }
    if (n.isObject()) {
      for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
        String f = it.next();
        flatten(prefix.isEmpty() ? f : prefix + "." + f, n.get(f), out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        flatten(prefix + "[" + i + "]", n.get(i), out);
      }
    } else {
      out.put(prefix, n.toString());
    }
  }
}
