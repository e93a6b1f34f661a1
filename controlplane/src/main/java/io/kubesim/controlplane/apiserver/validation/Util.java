package io.kubesim.controlplane.apiserver.validation;

import io.kubesim.shared.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Null-safe accessors for the fabric8 model, whose absent fields are null. */
final class Util {

  private Util() {}

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  static <V> Map<String, V> map(Map<String, V> m) {
    return m == null ? Map.of() : m;
  }

  static <V> TreeMap<String, V> sorted(Map<String, V> m) {
    return m == null ? new TreeMap<>() : new TreeMap<>(m);
  }

  static String str(String s) {
    return s == null ? "" : s;
  }

  static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  static long num(Number n) {
    return n == null ? 0 : n.longValue();
  }

  static boolean bool(Boolean b) {
    return b != null && b;
  }

  /** Deep equality through the JSON form, the way Go's semantic DeepEqual compares API structs. */
  static boolean jsonEqual(Object a, Object b) {
    if (a == null || b == null) {
      return a == b || Objects.equals(normalise(a), normalise(b));
    }
    return Json.tree(a).equals(Json.tree(b));
  }

  private static Object normalise(Object o) {
    if (o == null) {
      return null;
    }
    var t = Json.tree(o);
    return t.isContainer() && t.isEmpty() ? null : t;
  }
}
