package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300));

  @Test
  void aFirstFailureIsNotBackedOff() {
    assertThat(backoff.isInBackOffSince("c", T0, T0)).isFalse();
  }

  @Test
  void delaysDoubleFromTenSecondsUpToFiveMinutes() {
    // A container that crashes as soon as it starts: each restart happens when its back-off ends.
    Instant t = T0;
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      backoff.next("c", t, t);
      delays.add(backoff.get("c").toSeconds());
      t = backoff.expiry("c", t);
    }
    assertThat(delays).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L, 300L);
  }

  @Test
  void holdsTheRestartUntilTheDelayCountedFromFinishedAtHasPassed() {
    backoff.next("c", T0, T0);
    Instant finished = T0.plusSeconds(3);
    assertThat(backoff.isInBackOffSince("c", finished, finished.plusSeconds(9))).isTrue();
    assertThat(backoff.isInBackOffSince("c", finished, finished.plusSeconds(10))).isFalse();
  }

  @Test
  void resetsAfterTenMinutesOfRunning() {
    backoff.next("c", T0, T0);
    backoff.next("c", T0.plusSeconds(10), T0.plusSeconds(10));
    assertThat(backoff.get("c")).isEqualTo(Duration.ofSeconds(20));
    Instant finishedLongAfter = T0.plusSeconds(10 + 601);
    assertThat(backoff.isInBackOffSince("c", finishedLongAfter, finishedLongAfter)).isFalse();
    backoff.next("c", finishedLongAfter, finishedLongAfter);
    assertThat(backoff.get("c")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void imagePullBackOffCountsFromTheLastFailure() {
    backoff.next("img", T0, T0);
    assertThat(backoff.isInBackOffSinceUpdate("img", T0.plusSeconds(9))).isTrue();
    assertThat(backoff.isInBackOffSinceUpdate("img", T0.plusSeconds(10))).isFalse();
  }
}
