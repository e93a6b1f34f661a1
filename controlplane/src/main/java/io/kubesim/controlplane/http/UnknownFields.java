package io.kubesim.controlplane.http;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields of a decoded fabric8 object that its kind does not define: the model keeps them in
 * additionalProperties, and fieldValidation=Strict turns them into an error. Only used when a
 * client asks for field validation, so the common path does no reflection.
 */
final class UnknownFields {

  private static final int MAX = 20;

  private record Getter(String field, Method method, boolean extra) {}

  private static final ClassValue<List<Getter>> GETTERS = new ClassValue<>() {
    @Override
    protected List<Getter> computeValue(Class<?> c) {
      List<Getter> out = new ArrayList<>();
      for (Method m : c.getMethods()) {
        if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
          continue;
        }
        Class<?> r = m.getReturnType();
        boolean extra = m.getName().equals("getAdditionalProperties");
        if (!extra && (r.isPrimitive() || r == String.class || Number.class.isAssignableFrom(r) || r == Boolean.class)) {
          continue;
        }
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        out.add(new Getter(field, m, extra));
      }
      return List.copyOf(out);
    }
  };

  private UnknownFields() {}

  static List<String> of(Object o) {
    List<String> out = new ArrayList<>();
    collect(o, "", out);
    return out;
  }

  private static void collect(Object o, String path, List<String> out) {
    if (o == null || out.size() >= MAX) {
      return;
    }
    if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        collect(l.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        collect(e.getValue(), path + "[" + e.getKey() + "]", out);
      }
      return;
    }
    Class<?> c = o.getClass();
    if (!c.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Getter g : GETTERS.get(c)) {
      Object v;
      try {
        v = g.method().invoke(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (v == null) {
        continue;
      }
      if (g.extra()) {
        if (v instanceof Map<?, ?> extra) {
          for (Object k : extra.keySet()) {
            out.add(path.isEmpty() ? k.toString() : path + "." + k);
          }
        }
      } else {
        collect(v, path.isEmpty() ? g.field() : path + "." + g.field(), out);
      }
    }
  }
}
