package io.kubesim.shared.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01T00:00:40.123456789Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.5Z",
      "2100-12-31T12:00:00Z", "1969-12-31T23:59:59.999999Z"})
  void formatsAsTheIsoFormattersDo(String text) {
    Instant t = Instant.parse(text);
    assertThat(Times.rfc3339(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)));
    assertThat(Times.micro(t)).isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(t.truncatedTo(ChronoUnit.MICROS)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01T00:00:40Z", "2026-01-01T00:00:40.000000Z", "2024-02-29T23:59:59.5Z",
      "2026-03-01T10:00:00.123456789Z", "2026-01-01T01:00:40+01:00", "1969-12-31T23:59:59Z"})
  void parsesRfc3339AndMicroTimeAsInstantParseDoes(String text) {
    assertThat(Times.parse(text)).isEqualTo(java.time.OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z"})
  void leavesInvalidDatesToTheIsoParser(String text) {
    assertThat(Times.fastParse(text)).isNull();
  }
}
