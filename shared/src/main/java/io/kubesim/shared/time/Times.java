package io.kubesim.shared.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Kubernetes' timestamp formats: metav1.Time (RFC 3339, seconds) and metav1.MicroTime (microseconds).
 *
 * <p>Every pod status, lease and node heartbeat goes through these, so they are written by hand
 * (no DateTimeFormatter) and remember the last second they formatted: in virtual time many objects
 * are stamped in the same instant.
 */
public final class Times {

  /** The last second formatted, with its text; replaced whole, so it is safe to share between threads. */
  private record Formatted(long epochSecond, String text) {}

  /** The last text parsed, with its instant. */
  private record Parsed(String text, Instant instant) {}

  private static Formatted lastFormatted = new Formatted(Long.MIN_VALUE, "");
  private static Parsed lastParsed = new Parsed("", Instant.EPOCH);

  private Times() {}

  /** "2026-01-01T00:00:40Z", as metav1.Time serialises (truncated to the second). */
  public static String rfc3339(Instant t) {
    long second = t.getEpochSecond();
    Formatted last = lastFormatted;
    if (last.epochSecond() == second) {
      return last.text();
    }
    StringBuilder b = new StringBuilder(20);
    appendSeconds(b, second);
    String text = b.append('Z').toString();
    lastFormatted = new Formatted(second, text);
    return text;
  }

  /** "2026-01-01T00:00:40.000000Z", as metav1.MicroTime serialises. */
  public static String micro(Instant t) {
    StringBuilder b = new StringBuilder(27);
    appendSeconds(b, t.getEpochSecond());
    b.append('.');
    pad(b, t.getNano() / 1000, 6);
    return b.append('Z').toString();
  }

  /** Parses either form (or any ISO offset date-time); null for null or blank. */
  public static Instant parse(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    Parsed last = lastParsed;
    if (last.text().equals(s)) {
      return last.instant();
    }
    Instant t = fastParse(s);
    if (t == null) {
      try {
        t = Instant.parse(s);
      } catch (DateTimeParseException e) {
        t = java.time.OffsetDateTime.parse(s).toInstant();
      }
    }
    lastParsed = new Parsed(s, t);
    return t;
  }

  /** "yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z" without a DateTimeFormatter; null for anything else. */
  static Instant fastParse(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int digitsEnd = n - 1;
      int count = digitsEnd - 20;
      if (s.charAt(19) != '.' || count < 1 || count > 9) {
        return null;
      }
      int fraction = digits(s, 20, count);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = count; i < 9; i++) {
        nanos *= 10;
      }
    } else if (n != 20) {
      return null;
    }
    if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void appendSeconds(StringBuilder b, long epochSecond) {
    long day = Math.floorDiv(epochSecond, 86_400);
    int secs = (int) Math.floorMod(epochSecond, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    pad(b, date.getYear(), 4);
    b.append('-');
    pad(b, date.getMonthValue(), 2);
    b.append('-');
    pad(b, date.getDayOfMonth(), 2);
    b.append('T');
    pad(b, secs / 3600, 2);
    b.append(':');
    pad(b, secs / 60 % 60, 2);
    b.append(':');
    pad(b, secs % 60, 2);
  }

  private static void pad(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    b.append(s);
  }
}
