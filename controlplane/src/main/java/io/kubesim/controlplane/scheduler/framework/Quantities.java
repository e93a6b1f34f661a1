package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Resource quantities as the scheduler reads them: CPU in millicores (Quantity.MilliValue) and
 * everything else in whole units (Quantity.Value), both rounded up as Go rounds them. The common
 * spellings ("500m", "2", "128Mi", "4Gi") are read without BigDecimal; anything else goes through
 * fabric8's parser.
 */
public final class Quantities {

  private Quantities() {}

  /** The value in thousandths, rounded up (resource.Quantity.MilliValue). */
  public static long milliValue(Quantity q) {
    return scaled(q, 3);
  }

  /** The value in whole units, rounded up (resource.Quantity.Value). */
  public static long value(Quantity q) {
    return scaled(q, 0);
  }

  private static long scaled(Quantity q, int milliExponent) {
    if (q == null) {
      return 0;
    }
    String s = q.getFormat() == null || q.getFormat().isEmpty() ? q.getAmount()
        : (q.getAmount() == null ? "" : q.getAmount()) + q.getFormat();
    if (s == null || s.isEmpty()) {
      return 0;
    }
    long fast = fast(s, milliExponent);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      BigDecimal v = Quantity.getAmountInBytes(q);
      if (milliExponent > 0) {
        v = v.scaleByPowerOfTen(milliExponent);
      }
      return v.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Integer amount with a common suffix; Long.MIN_VALUE when the text is anything else. */
  private static long fast(String s, int milliExponent) {
    int i = 0;
    long n = 0;
    int len = s.length();
    while (i < len) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      if (n > 100_000_000_000_000L) {
        return Long.MIN_VALUE;
      }
      n = n * 10 + (c - '0');
      i++;
    }
    if (i == 0) {
      return Long.MIN_VALUE;
    }
    String suffix = s.substring(i);
    long factor;
    switch (suffix) {
      case "" -> factor = 1;
      case "k" -> factor = 1_000L;
      case "M" -> factor = 1_000_000L;
      case "G" -> factor = 1_000_000_000L;
      case "T" -> factor = 1_000_000_000_000L;
      case "Ki" -> factor = 1L << 10;
      case "Mi" -> factor = 1L << 20;
      case "Gi" -> factor = 1L << 30;
      case "Ti" -> factor = 1L << 40;
      case "m" -> {
        // thousandths: exact in milli units, rounded up in whole units
        return milliExponent == 3 ? n : (n + 999) / 1000;
      }
      default -> {
        return Long.MIN_VALUE;
      }
    }
    long v = n * factor;
    if (factor != 0 && v / factor != n) {
      return Long.MIN_VALUE;
    }
    return milliExponent == 3 ? Math.multiplyExact(v, 1000L) : v;
  }
}
