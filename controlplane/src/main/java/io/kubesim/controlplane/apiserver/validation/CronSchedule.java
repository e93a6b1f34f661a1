package io.kubesim.controlplane.apiserver.validation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parser for the standard five-field cron syntax and the "@hourly"-style descriptors that
 * CronJob schedules accept (robfig/cron's ParseStandard), returning its error text or null.
 */
public final class CronSchedule {

  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3),
      Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9),
      Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
  private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
  private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
  private static final Pattern DURATION = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$");

  private CronSchedule() {}

  /** The parse error of a schedule, worded as robfig/cron words it, or null when it parses. */
  public static String parseError(String spec) {
    if (spec.isEmpty()) {
      return "empty spec string";
    }
    String s = spec;
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      int i = s.indexOf(' ');
      String tz = s.substring(s.indexOf('=') + 1, i < 0 ? s.length() : i);
      try {
        java.time.ZoneId.of(tz);
      } catch (RuntimeException e) {
        return "provided bad location " + tz + ": unknown time zone " + tz;
      }
      s = i < 0 ? "" : s.substring(i).strip();
    }
    if (s.startsWith("@")) {
      if (DESCRIPTORS.contains(s)) {
        return null;
      }
      if (s.startsWith("@every ")) {
        String d = s.substring("@every ".length());
        if (!DURATION.matcher(d).matches()) {
          return "failed to parse duration " + s + ": time: invalid duration " + GoValue.quote(d);
        }
        return null;
      }
      return "unrecognized descriptor: " + s;
    }
    String[] fields = s.trim().isEmpty() ? new String[0] : s.trim().split("\\s+");
    if (fields.length != 5) {
      return "expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]";
    }
    int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    for (int f = 0; f < 5; f++) {
      Map<String, Integer> names = f == 3 ? MONTHS : f == 4 ? DAYS : Map.of();
      for (String expr : fields[f].split(",", -1)) {
        String err = range(expr, bounds[f][0], bounds[f][1], names, f >= 2);
        if (err != null) {
          return err;
        }
      }
    }
    return null;
  }

  private static String range(String expr, int min, int max, Map<String, Integer> names, boolean questionAllowed) {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean singleDigit = lowAndHigh.length == 1;
    int start;
    int end;
    if (lowAndHigh[0].equals("*") || (questionAllowed && lowAndHigh[0].equals("?"))) {
      start = min;
      end = max;
    } else {
      Integer v = value(lowAndHigh[0], names);
      if (v == null) {
        return "failed to parse int from " + lowAndHigh[0] + ": strconv.Atoi: parsing " + GoValue.quote(lowAndHigh[0]) + ": invalid syntax";
      }
      if (v < 0) {
        return "negative number (" + v + ") not allowed: " + lowAndHigh[0];
      }
      start = v;
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> {
          Integer e = value(lowAndHigh[1], names);
          if (e == null) {
            return "failed to parse int from " + lowAndHigh[1] + ": strconv.Atoi: parsing " + GoValue.quote(lowAndHigh[1])
                + ": invalid syntax";
          }
          end = e;
        }
        default -> {
          return "too many hyphens: " + expr;
        }
      }
    }
    switch (rangeAndStep.length) {
      case 1 -> { }
      case 2 -> {
        Integer step = value(rangeAndStep[1], Map.of());
        if (step == null) {
          return "failed to parse int from " + rangeAndStep[1] + ": strconv.Atoi: parsing " + GoValue.quote(rangeAndStep[1])
              + ": invalid syntax";
        }
        if (step <= 0) {
          return "step of range should be a positive number: " + expr;
        }
        if (singleDigit && !lowAndHigh[0].equals("*") && !lowAndHigh[0].equals("?")) {
          end = max;
        }
      }
      default -> {
        return "too many slashes: " + expr;
      }
    }
    if (start < min) {
      return "beginning of range (" + start + ") below minimum (" + min + "): " + expr;
    }
    if (end > max) {
      return "end of range (" + end + ") above maximum (" + max + "): " + expr;
    }
    if (start > end) {
      return "beginning of range (" + start + ") beyond end of range (" + end + "): " + expr;
    }
    return null;
  }

  private static Integer value(String s, Map<String, Integer> names) {
    Integer named = names.get(s.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (!s.matches("[+-]?[0-9]+")) {
      return null;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
