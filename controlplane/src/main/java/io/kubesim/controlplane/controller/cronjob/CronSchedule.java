package io.kubesim.controlplane.controller.cronjob;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule as github.com/robfig/cron/v3 ParseStandard reads it and as its Next computes
 * the following activation: five fields (minute, hour, day of month, month, day of week; names like
 * JAN and MON; {@code *}, {@code ?}, lists, ranges and steps), the descriptors @yearly, @annually,
 * @monthly, @weekly, @daily, @midnight and @hourly, {@code @every <duration>}, and a leading
 * {@code TZ=<zone>} or {@code CRON_TZ=<zone>}. When both day fields are restricted a day matches
 * either (classic cron); when one of them is {@code *} both must match.
 */
public abstract class CronSchedule {

  /** The next activation strictly after {@code t}, in t's zone; null if there is none within five years. */
  public abstract ZonedDateTime next(ZonedDateTime t);

  /** A schedule that does not parse, with robfig/cron's message. */
  public static final class ParseException extends Exception {
    public ParseException(String message) {
      super(message);
    }
  }

  private static final long STAR_BIT = 1L << 63;

  private record Bounds(int min, int max, Map<String, Integer> names) {}

  private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
  private static final Bounds HOURS = new Bounds(0, 23, Map.of());
  private static final Bounds DOM = new Bounds(1, 31, Map.of());
  private static final Bounds MONTHS = new Bounds(1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
      Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
      Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)));
  private static final Bounds DOW = new Bounds(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
      "fri", 5, "sat", 6));

  /** ParseStandard. */
  public static CronSchedule parse(String spec) throws ParseException {
    if (spec == null || spec.isEmpty()) {
      throw new ParseException("empty spec string");
    }
    ZoneId loc = null;
    String s = spec;
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      int i = s.indexOf(' ');
      String name = s.substring(s.indexOf('=') + 1, i < 0 ? s.length() : i);
      try {
        loc = zone(name);
      } catch (DateTimeException e) {
        throw new ParseException("provided bad location " + name + ": unknown time zone " + name);
      }
      s = i < 0 ? "" : s.substring(i).strip();
    }
    if (s.startsWith("@")) {
      return descriptor(s, loc);
    }
    String[] fields = s.isBlank() ? new String[0] : s.strip().split("\\s+");
    if (fields.length != 5) {
      throw new ParseException("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields)
          + "]");
    }
    return new Spec(1L, field(fields[0], MINUTES), field(fields[1], HOURS), field(fields[2], DOM),
        field(fields[3], MONTHS), field(fields[4], DOW), loc);
  }

  /** time.LoadLocation: "UTC", "Local" (the controller-manager's zone, UTC here) or an IANA name. */
  public static ZoneId zone(String name) {
    if (name.isEmpty() || name.equals("UTC") || name.equals("Local")) {
      return java.time.ZoneOffset.UTC;
    }
    if (!name.contains("/") && !name.matches("[A-Za-z][A-Za-z0-9_+-]*")) {
      throw new DateTimeException("unknown time zone " + name);
    }
    if (name.startsWith("+") || name.startsWith("-") || name.matches("(?i)(GMT|UT|UTC)[+-].*")) {
      throw new DateTimeException("unknown time zone " + name);
    }
    return ZoneId.of(name);
  }

  private static CronSchedule descriptor(String s, ZoneId loc) throws ParseException {
    long all = STAR_BIT;
    switch (s) {
      case "@yearly", "@annually" -> {
        return new Spec(1L, 1L, 1L, 1L << 1, 1L << 1, all(DOW), loc);
      }
      case "@monthly" -> {
        return new Spec(1L, 1L, 1L, 1L << 1, all(MONTHS), all(DOW), loc);
      }
      case "@weekly" -> {
        return new Spec(1L, 1L, 1L, all(DOM), all(MONTHS), 1L, loc);
      }
      case "@daily", "@midnight" -> {
        return new Spec(1L, 1L, 1L, all(DOM), all(MONTHS), all(DOW), loc);
      }
      case "@hourly" -> {
        return new Spec(1L, 1L, all(HOURS), all(DOM), all(MONTHS), all(DOW), loc);
      }
      default -> {
      }
    }
    if (s.startsWith("@every ")) {
      String d = s.substring("@every ".length());
      Duration dur;
      try {
        dur = io.kubesim.shared.time.GoDuration.parse(d);
      } catch (RuntimeException e) {
        throw new ParseException("failed to parse duration " + s + ": time: invalid duration \"" + d + "\"");
      }
      return new Every(dur);
    }
    throw new ParseException("unrecognized descriptor: " + s);
  }

  private static long all(Bounds b) {
    return bits(b.min(), b.max(), 1) | STAR_BIT;
  }

  private static long bits(int min, int max, int step) {
    long b = 0;
    for (int i = min; i <= max; i += step) {
      b |= 1L << i;
    }
    return b;
  }

  private static long field(String f, Bounds b) throws ParseException {
    long bits = 0;
    for (String expr : f.split(",", -1)) {
      bits |= range(expr, b);
    }
    return bits;
  }

  /** getRange: "*", "?", "N", "N-M", each optionally "/step" ("N/step" means N-max/step). */
  private static long range(String expr, Bounds r) throws ParseException {
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    boolean singleDigit = lowAndHigh.length == 1;
    int start;
    int end;
    long extra = 0;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = r.min();
      end = r.max();
      extra = STAR_BIT;
    } else {
      start = intOrName(lowAndHigh[0], r.names());
      switch (lowAndHigh.length) {
        case 1 -> end = start;
        case 2 -> end = intOrName(lowAndHigh[1], r.names());
        default -> throw new ParseException("too many hyphens: " + expr);
      }
    }
    int step;
    switch (rangeAndStep.length) {
      case 1 -> step = 1;
      case 2 -> {
        step = mustParseInt(rangeAndStep[1]);
        if (singleDigit) {
          end = r.max();
        }
        if (step > 1) {
          extra = 0;
        }
      }
      default -> throw new ParseException("too many slashes: " + expr);
    }
    if (start < r.min()) {
      throw new ParseException("beginning of range (" + start + ") below minimum (" + r.min() + "): " + expr);
    }
    if (end > r.max()) {
      throw new ParseException("end of range (" + end + ") above maximum (" + r.max() + "): " + expr);
    }
    if (start > end) {
      throw new ParseException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
    }
    if (step == 0) {
      throw new ParseException("step of range should be a positive number: " + expr);
    }
    return bits(start, end, step) | extra;
  }

  private static int intOrName(String s, Map<String, Integer> names) throws ParseException {
    Integer v = names.get(s.toLowerCase(Locale.ROOT));
    if (v != null) {
      return v;
    }
    return mustParseInt(s);
  }

  private static int mustParseInt(String s) throws ParseException {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ParseException("failed to parse int from " + s + ": strconv.Atoi: parsing \"" + s
          + "\": invalid syntax");
    }
    if (v < 0) {
      throw new ParseException("negative number (" + v + ") not allowed: " + s);
    }
    return v;
  }

  // ---------------------------------------------------------------- schedules

  /** SpecSchedule: a bit set per field. */
  static final class Spec extends CronSchedule {
    private final long second;
    private final long minute;
    private final long hour;
    private final long dom;
    private final long month;
    private final long dow;
    private final ZoneId location;

    Spec(long second, long minute, long hour, long dom, long month, long dow, ZoneId location) {
      this.second = second;
      this.minute = minute;
      this.hour = hour;
      this.dom = dom;
      this.month = month;
      this.dow = dow;
      this.location = location;
    }

    @Override
    public ZonedDateTime next(ZonedDateTime from) {
      ZoneId orig = from.getZone();
      ZoneId loc = location == null ? orig : location;
      ZonedDateTime t = from.withZoneSameInstant(loc);
      // Start at the earliest possible time: the next whole second.
      t = t.plusSeconds(1).minusNanos(t.getNano());
      boolean added = false;
      int yearLimit = t.getYear() + 5;
      wrap:
      while (true) {
        if (t.getYear() > yearLimit) {
          return null;
        }
        while ((1L << t.getMonthValue() & month) == 0) {
          if (!added) {
            added = true;
            t = ZonedDateTime.of(t.getYear(), t.getMonthValue(), 1, 0, 0, 0, 0, loc);
          }
          t = t.plusMonths(1);
          if (t.getMonthValue() == 1) {
            continue wrap;
          }
        }
        while (!dayMatches(t)) {
          if (!added) {
            added = true;
            t = ZonedDateTime.of(t.toLocalDate(), java.time.LocalTime.MIDNIGHT, loc);
          }
          t = t.plusDays(1);
          // A DST change can move midnight: put it back (robfig/cron does the same).
          if (t.getHour() != 0) {
            t = t.getHour() > 12 ? t.plusHours(24L - t.getHour()) : t.minusHours(t.getHour());
          }
          if (t.getDayOfMonth() == 1) {
            continue wrap;
          }
        }
        while ((1L << t.getHour() & hour) == 0) {
          if (!added) {
            added = true;
            t = t.truncatedTo(ChronoUnit.HOURS);
          }
          t = t.plusHours(1);
          if (t.getHour() == 0) {
            continue wrap;
          }
        }
        while ((1L << t.getMinute() & minute) == 0) {
          if (!added) {
            added = true;
            t = t.truncatedTo(ChronoUnit.MINUTES);
          }
          t = t.plusMinutes(1);
          if (t.getMinute() == 0) {
            continue wrap;
          }
        }
        while ((1L << t.getSecond() & second) == 0) {
          if (!added) {
            added = true;
            t = t.truncatedTo(ChronoUnit.SECONDS);
          }
          t = t.plusSeconds(1);
          if (t.getSecond() == 0) {
            continue wrap;
          }
        }
        return t.withZoneSameInstant(orig);
      }
    }

    private boolean dayMatches(ZonedDateTime t) {
      boolean domMatch = (1L << t.getDayOfMonth() & dom) != 0;
      boolean dowMatch = (1L << (t.getDayOfWeek().getValue() % 7) & dow) != 0;
      if ((dom & STAR_BIT) != 0 || (dow & STAR_BIT) != 0) {
        return domMatch && dowMatch;
      }
      return domMatch || dowMatch;
    }
  }

  /** ConstantDelaySchedule (@every): the delay (whole seconds, at least one) after t, t's fraction dropped. */
  static final class Every extends CronSchedule {
    private final Duration delay;

    Every(Duration d) {
      Duration whole = Duration.ofSeconds(d.getSeconds());
      this.delay = whole.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : whole;
    }

    @Override
    public ZonedDateTime next(ZonedDateTime t) {
      return t.plus(delay).minusNanos(t.getNano());
    }
  }
}
