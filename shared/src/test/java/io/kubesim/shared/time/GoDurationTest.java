package io.kubesim.shared.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's time.ParseDuration and Duration.String(), as kubectl flags and klog lines use them. */
class GoDurationTest {

  @ParameterizedTest(name = "{0} is {1} ns")
  @CsvSource({"0, 0", "300ms, 300000000", "40s, 40000000000", "5m, 300000000000", "1h30m, 5400000000000",
      "1.5h, 5400000000000", "1.1s, 1100000000", "-5m, -300000000000", "+2s, 2000000000", "10us, 10000",
      "10µs, 10000", "7ns, 7"})
  void parsesGoDurations(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @CsvSource({"5", "m", "5x", "1..5s", "-"})
  void refusesWhatGoRefuses(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration \"" + text + "\"");
  }

  @ParameterizedTest(name = "{0} ns prints as {1}")
  @CsvSource({"0, 0s", "1500000000, 1.5s", "300000000000, 5m0s", "5400000000000, 1h30m0s", "300000000, 300ms"})
  void printsAsGoDoes(long nanos, String text) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
  }
}
