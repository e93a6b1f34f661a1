package io.kubesim.controlplane.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobBackoffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration BASE = Duration.ofSeconds(10);
  private static final Duration MAX = Duration.ofMinutes(10);

  @ParameterizedTest(name = "{0} failures wait {1}s")
  @CsvSource({"0,0", "1,10", "2,20", "3,40", "4,80", "5,160", "6,320", "7,600", "8,600", "30,600"})
  void theDelayDoublesFromTenSecondsUpToTenMinutes(int failures, long seconds) {
    assertThat(JobBackoff.delay(failures, BASE, MAX)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "{0} failures, last {1}s ago: {2}s left")
  @CsvSource({"1,0,10", "1,4,6", "1,10,0", "1,30,0", "3,15,25", "0,0,0"})
  void theRemainingTimeCountsFromTheLastFailure(int failures, long ago, long left) {
    JobBackoff.Record r = new JobBackoff.Record(failures, failures == 0 ? null : T0);
    assertThat(JobBackoff.remaining(r, T0.plusSeconds(ago), BASE, MAX)).isEqualTo(Duration.ofSeconds(left));
  }

  static Pod finished(String name, Instant at, boolean ok) {
    return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().withNewStatus().withPhase(ok ? "Succeeded" : "Failed").addNewContainerStatus().withName("c")
        .withNewState().withNewTerminated().withExitCode(ok ? 0 : 1).withFinishedAt(at.toString()).endTerminated()
        .endState().endContainerStatus().endStatus().build();
  }

  @Test
  void newFailuresAddUpAndRememberTheLatestFinish() {
    JobBackoff.Record r = JobBackoff.next(JobBackoff.Record.NONE,
        List.of(), List.of(finished("a", T0.plusSeconds(5), false), finished("b", T0.plusSeconds(3), false)));
    assertThat(r).isEqualTo(new JobBackoff.Record(2, T0.plusSeconds(5)));
    r = JobBackoff.next(r, List.of(), List.of(finished("c", T0.plusSeconds(20), false)));
    assertThat(r).isEqualTo(new JobBackoff.Record(3, T0.plusSeconds(20)));
  }

  @Test
  void aSuccessResetsTheCountButFailuresAfterItStillCount() {
    JobBackoff.Record r = new JobBackoff.Record(4, T0);
    assertThat(JobBackoff.next(r, List.of(finished("s", T0.plusSeconds(10), true)), List.of()))
        .isEqualTo(JobBackoff.Record.NONE);
    JobBackoff.Record mixed = JobBackoff.next(r, List.of(finished("s", T0.plusSeconds(10), true)),
        List.of(finished("f1", T0.plusSeconds(5), false), finished("f2", T0.plusSeconds(12), false)));
    assertThat(mixed).isEqualTo(new JobBackoff.Record(1, T0.plusSeconds(12)));
  }

  @Test
  void aPodWithoutTerminatedContainersFinishedWhenReadyTurnedFalse() {
    Pod p = new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().withNewStatus().withPhase("Failed").addNewCondition().withType("Ready").withStatus("False")
        .withLastTransitionTime("2026-01-01T00:01:00Z").endCondition().endStatus().build();
    assertThat(JobBackoff.finishedTime(p)).isEqualTo(T0.plusSeconds(60));
  }
}
