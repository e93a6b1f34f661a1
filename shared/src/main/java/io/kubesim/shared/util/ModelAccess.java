package io.kubesim.shared.util;

import java.lang.reflect.Method;

/**
 * Reads and writes the spec and status of any model object that has them (most kinds do, by
 * those names), for the apiserver's kind-independent rules: status is kept on a spec update and
 * the spec on a status update, and a changed spec bumps the generation.
 */
public final class ModelAccess {

  private record Accessors(Method getSpec, Method setSpec, Method getStatus, Method setStatus) {}

  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
    @Override
    protected Accessors computeValue(Class<?> type) {
      return new Accessors(getter(type, "getSpec"), setter(type, "setSpec", "getSpec"), getter(type, "getStatus"),
          setter(type, "setStatus", "getStatus"));
    }
  };

  private ModelAccess() {}

  private static Method getter(Class<?> type, String name) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Method setter(Class<?> type, String name, String getterName) {
    Method g = getter(type, getterName);
    if (g == null) {
      return null;
    }
    try {
      return type.getMethod(name, g.getReturnType());
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static final ClassValue<Method> SET_KIND = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> type) {
      try {
        return type.getMethod("setKind", String.class);
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  /** Sets the kind field of a model object (fabric8 types have a setter; HasMetadata does not declare it). */
  public static void setKind(Object o, String kind) {
    invoke(SET_KIND.get(o.getClass()), o, kind);
  }

  public static boolean hasSpec(Object o) {
    return ACCESSORS.get(o.getClass()).getSpec() != null;
  }

  public static boolean hasStatus(Object o) {
    return ACCESSORS.get(o.getClass()).getStatus() != null;
  }

  public static Object spec(Object o) {
    return invoke(ACCESSORS.get(o.getClass()).getSpec(), o);
  }

  public static Object status(Object o) {
    return invoke(ACCESSORS.get(o.getClass()).getStatus(), o);
  }

  public static void setSpec(Object o, Object spec) {
    invoke(ACCESSORS.get(o.getClass()).setSpec(), o, spec);
  }

  public static void setStatus(Object o, Object status) {
    invoke(ACCESSORS.get(o.getClass()).setStatus(), o, status);
  }

  private static Object invoke(Method m, Object target, Object... args) {
    if (m == null) {
      return null;
    }
    try {
      return m.invoke(target, args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
