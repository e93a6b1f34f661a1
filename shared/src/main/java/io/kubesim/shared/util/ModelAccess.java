package io.kubesim.shared.util;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.lang.reflect.Method;

/**
 * Reads and writes the spec and status of any model object that has them (most kinds do, by
 * those names), for the apiserver's kind-independent rules: status is kept on a spec update and
 * the spec on a status update, and a changed spec bumps the generation. The kinds written most
 * (pods, nodes, leases) are read and written directly; the others by reflection.
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
    if (o instanceof Pod || o instanceof Node || o instanceof Lease) {
      return true;
    }
    return ACCESSORS.get(o.getClass()).getSpec() != null;
  }

  public static boolean hasStatus(Object o) {
    if (o instanceof Pod || o instanceof Node) {
      return true;
    }
    if (o instanceof Lease) {
      return false;
    }
    return ACCESSORS.get(o.getClass()).getStatus() != null;
  }

  public static Object spec(Object o) {
    if (o instanceof Pod p) {
      return p.getSpec();
    } else if (o instanceof Node n) {
      return n.getSpec();
    } else if (o instanceof Lease l) {
      return l.getSpec();
    }
    return invoke(ACCESSORS.get(o.getClass()).getSpec(), o);
  }

  public static Object status(Object o) {
    if (o instanceof Pod p) {
      return p.getStatus();
    } else if (o instanceof Node n) {
      return n.getStatus();
    } else if (o instanceof Lease) {
      return null;
    }
    return invoke(ACCESSORS.get(o.getClass()).getStatus(), o);
  }

  public static void setSpec(Object o, Object spec) {
    if (o instanceof Pod p) {
      p.setSpec((PodSpec) spec);
      return;
    } else if (o instanceof Node n) {
      n.setSpec((NodeSpec) spec);
      return;
    } else if (o instanceof Lease l) {
      l.setSpec((LeaseSpec) spec);
      return;
    }
    invoke(ACCESSORS.get(o.getClass()).setSpec(), o, spec);
  }

  public static void setStatus(Object o, Object status) {
    if (o instanceof Pod p) {
      p.setStatus((PodStatus) status);
      return;
    } else if (o instanceof Node n) {
      n.setStatus((NodeStatus) status);
      return;
    } else if (o instanceof Lease) {
      return;
    }
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
