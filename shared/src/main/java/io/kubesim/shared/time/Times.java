package io.kubesim.shared.time;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Kubernetes' timestamp formats: metav1.Time (RFC 3339, seconds) and metav1.MicroTime (microseconds). */
public final class Times {
  private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(java.time.ZoneOffset.UTC);

  private Times() {}

  /** "2026-01-01T00:00:40Z", as metav1.Time serialises (truncated to the second). */
  public static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** "2026-01-01T00:00:40.000000Z", as metav1.MicroTime serialises. */
  public static String micro(Instant t) {
    return MICRO.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  /** Parses either form; null for null or blank. */
  public static Instant parse(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return java.time.OffsetDateTime.parse(s).toInstant();
    }
  }
}
