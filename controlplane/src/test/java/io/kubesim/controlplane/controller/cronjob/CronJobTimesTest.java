package io.kubesim.controlplane.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronJobTimesTest {

  private static CronJob cronJob(String created, String lastSchedule, Long startingDeadlineSeconds) {
    return new CronJobBuilder().withNewMetadata().withName("hello").withNamespace("default")
        .withCreationTimestamp(created).endMetadata().withNewSpec().withSchedule("0 * * * *")
        .withStartingDeadlineSeconds(startingDeadlineSeconds).endSpec().withNewStatus()
        .withLastScheduleTime(lastSchedule).endStatus().build();
  }

  @ParameterizedTest(name = "created {0}, last {1}, deadline {2}, now {3}: {4} {5}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // Nothing due yet.
      "2026-01-01T00:00:00Z | -                    | -    | 2026-01-01T00:30:00Z | -                    | NONE",
      // The first activation just passed; the one after it has not come: nothing counts as missed.
      "2026-01-01T00:00:00Z | -                    | -    | 2026-01-01T01:00:00Z | 2026-01-01T01:00:00Z | NONE",
      // From the last schedule time, the latest of several activations.
      "2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z | -    | 2026-01-01T05:30:00Z | 2026-01-01T05:00:00Z | FEW",
      // startingDeadlineSeconds moves the earliest time considered: the 05:00 activation is out of reach.
      "2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z | 600  | 2026-01-01T05:30:00Z | -                    | NONE",
      "2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z | 3600 | 2026-01-01T05:30:00Z | 2026-01-01T05:00:00Z | NONE",
      // More than 100 missed activations.
      "2026-01-01T00:00:00Z | -                    | -    | 2026-01-06T00:00:00Z | 2026-01-06T00:00:00Z | MANY",
  })
  void mostRecentIsTheLatestActivationNotAfterNow(String created, String last, Long deadline, String now,
      String expected, CronJobTimes.Missed missed) throws Exception {
    CronJobTimes.Recent r = CronJobTimes.mostRecent(cronJob(created, last, deadline), Instant.parse(now),
        CronSchedule.parse("0 * * * *"), true);
    assertThat(r.mostRecent()).isEqualTo(expected == null ? null : Instant.parse(expected));
    assertThat(r.missed()).isEqualTo(missed);
  }

  @ParameterizedTest(name = "last {0}, now {1}: wake in {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-                    | 2026-01-01T00:30:00Z | PT30M0.1S",
      "2026-01-01T01:00:00Z | 2026-01-01T01:00:00.1Z | PT1H",
      "2026-01-01T01:00:00Z | 2026-01-01T03:20:00Z | PT40M0.1S",
  })
  void theControllerWakesJustAfterTheNextActivation(String last, String now, String expected) throws Exception {
    Duration d = CronJobTimes.untilNext(cronJob("2026-01-01T00:00:00Z", last, null), Instant.parse(now),
        CronSchedule.parse("0 * * * *"));
    assertThat(d).isEqualTo(Duration.parse(expected));
  }

  @org.junit.jupiter.api.Test
  void twoActivationsLessThanASecondApartAreAnInvalidSchedule() throws Exception {
    CronSchedule everyHalfSecond = new CronSchedule() {
      @Override
      public java.time.ZonedDateTime next(java.time.ZonedDateTime t) {
        return t.plusNanos(400_000_000L);
      }
    };
    assertThatThrownBy(() -> CronJobTimes.mostRecent(cronJob("2026-01-01T00:00:00Z", null, null),
        Instant.parse("2026-01-01T00:00:05Z"), everyHalfSecond, true)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time difference between two schedules is less than 1 second");
  }
}
