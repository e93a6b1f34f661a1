package io.kubesim.shared.util;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every fabric8 model object carries its own {@code additionalProperties} map, almost always empty:
 * a pod is some thirty such objects, so in a large cluster these empty maps are a tenth of the heap.
 * Before an object is stored (and from then on shared, read-only, by the store, the watch caches and
 * every informer), {@link #share} points each empty one at a single immutable empty map.
 *
 * <p>A subtree whose root already holds the shared map was stored before and is left as it is:
 * stored objects are never changed in place, so its descendants were shared then too. Copies made
 * with {@link ShallowCopy} or the builders get a fresh mutable map again.
 */
public final class EmptyMaps {

  private static final Map<String, Object> SHARED = Collections.emptyMap();
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** additionalProperties and the fields that may hold model objects; null for a class that is no model. */
  private record Plan(Field additional, Field[] children) {}

  private static final ClassValue<Plan> PLANS = new ClassValue<>() {
    @Override
    protected Plan computeValue(Class<?> type) {
      if (!type.getName().startsWith(MODEL_PACKAGE)) {
        return null;
      }
      Field additional = null;
      List<Field> children = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          Class<?> t = f.getType();
          if (f.getName().equals("additionalProperties") && Map.class.isAssignableFrom(t)) {
            f.setAccessible(true);
            additional = f;
          } else if (!t.isPrimitive() && t != String.class && !Number.class.isAssignableFrom(t)
              && t != Boolean.class && !t.isEnum()) {
            f.setAccessible(true);
            children.add(f);
          }
        }
      }
      return new Plan(additional, children.toArray(Field[]::new));
    }
  };

  private EmptyMaps() {}

  /** Shares the empty additionalProperties maps of {@code root} and of every model object it holds. */
  public static <T> T share(T root) {
    try {
      visit(root);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return root;
  }

  private static void visit(Object o) throws IllegalAccessException {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      for (Object e : c) {
        visit(e);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      if (m != SHARED) {
        for (Object v : m.values()) {
          visit(v);
        }
      }
      return;
    }
    Plan plan = PLANS.get(o.getClass());
    if (plan == null) {
      return;
    }
    if (plan.additional() != null) {
      Object current = plan.additional().get(o);
      if (current == SHARED) {
        return;
      }
      if (current instanceof Map<?, ?> m && m.isEmpty()) {
        plan.additional().set(o, SHARED);
      }
    }
    for (Field f : plan.children()) {
      visit(f.get(o));
    }
  }
}
