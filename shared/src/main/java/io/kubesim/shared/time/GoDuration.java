package io.kubesim.shared.time;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Go's duration syntax, as Kubernetes flags and kubectl use it: "300ms", "40s", "5m", "1h30m",
 * "1.5h". Units ns, us (µs), ms, s, m, h.
 */
public final class GoDuration {

  private GoDuration() {}

  public static Duration parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("invalid duration \"\": empty");
    }
    String in = s.trim();
    int i = 0;
    boolean negative = false;
    if (in.charAt(0) == '-' || in.charAt(0) == '+') {
      negative = in.charAt(0) == '-';
      i++;
    }
    if (in.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i >= in.length()) {
      throw invalid(s);
    }
    long totalNanos = 0;
    while (i < in.length()) {
      int start = i;
      while (i < in.length() && (Character.isDigit(in.charAt(i)) || in.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw invalid(s);
      }
      BigDecimal value;
      try {
        value = new BigDecimal(in.substring(start, i));
      } catch (NumberFormatException e) {
        throw invalid(s);
      }
      int unitStart = i;
      while (i < in.length() && !Character.isDigit(in.charAt(i)) && in.charAt(i) != '.') {
        i++;
      }
      String unit = in.substring(unitStart, i);
      long scale = switch (unit) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        case "" -> throw new IllegalArgumentException("invalid duration \"" + s + "\": missing unit (use ms, s, m or h)");
        default -> throw new IllegalArgumentException("invalid duration \"" + s + "\": unknown unit \"" + unit + "\"");
      };
      try {
        // Exact decimal arithmetic, as Go's parser keeps "1.1s" at 1,100,000,000ns.
        totalNanos = Math.addExact(totalNanos, value.multiply(BigDecimal.valueOf(scale)).setScale(0,
            java.math.RoundingMode.DOWN).longValueExact());
      } catch (ArithmeticException e) {
        throw invalid(s);
      }
    }
    return Duration.ofNanos(negative ? -totalNanos : totalNanos);
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("invalid duration \"" + s + "\"");
  }

  /** Go's time.Duration.String(). */
  public static String format(Duration d) {
    return io.kubesim.shared.log.Klog.goDuration(d);
  }
}
