package io.kubesim.shared.api.model;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Taints and tolerations, as k8s.io/api/core/v1's ToleratesTaint and its helpers. */
public final class Taints {

  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
  public static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

  private Taints() {}

  /**
   * Whether the toleration tolerates the taint: effects match (an empty effect matches all), keys
   * match (an empty key with Exists matches every taint), and with Exists any value, with Equal
   * (or no operator) the same value.
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = t.getKey() == null ? "" : t.getKey();
    if (!key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> Objects.equals(nz(t.getValue()), nz(taint.getValue()));
      default -> false;
    };
  }

  public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    if (tolerations != null) {
      for (Toleration t : tolerations) {
        if (tolerates(t, taint)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first taint with one of {@code effects} that no toleration tolerates, or null. */
  public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, String... effects) {
    if (taints == null) {
      return null;
    }
    for (Taint taint : taints) {
      boolean relevant = false;
      for (String e : effects) {
        if (e.equals(taint.getEffect())) {
          relevant = true;
          break;
        }
      }
      if (relevant && !tolerated(tolerations, taint)) {
        return taint;
      }
    }
    return null;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
