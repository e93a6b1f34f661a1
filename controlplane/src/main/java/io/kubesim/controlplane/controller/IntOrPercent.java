package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.IntOrString;

/** intstr.GetScaledValueFromIntOrPercent. */
public final class IntOrPercent {

  private IntOrPercent() {}

  /**
   * An integer as is; a percentage of {@code total}, rounded up or down.
   *
   * @throws IllegalArgumentException for a string that is not a percentage, with Go's message
   */
  public static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v == null) {
      return 0;
    }
    if (v.getStrVal() == null && v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal() == null ? "" : v.getStrVal();
    if (!s.endsWith("%")) {
      throw new IllegalArgumentException("invalid type: string is not a percentage");
    }
    int pct;
    try {
      pct = Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + s + "\": " + e.getMessage());
    }
    double value = (double) pct * total / 100;
    return (int) (roundUp ? Math.ceil(value) : Math.floor(value));
  }

  public static boolean isPercent(IntOrString v) {
    return v != null && v.getStrVal() != null;
  }
}
