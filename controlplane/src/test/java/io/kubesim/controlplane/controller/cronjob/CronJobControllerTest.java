package io.kubesim.controlplane.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness starts at 2026-01-01T00:00:00Z, minute 29453760 since the epoch. */
class CronJobControllerTest {

  private static final long START_MINUTE = 29453760L;

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(CronJobController.create(h.context(), ControllerManagerSettings.DEFAULT), "cronjob");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static CronJob cronJob(String schedule, String concurrencyPolicy) {
    return new CronJobBuilder().withNewMetadata().withName("hello").withNamespace("default").endMetadata()
        .withNewSpec().withSchedule(schedule).withConcurrencyPolicy(concurrencyPolicy)
        .withSuccessfulJobsHistoryLimit(2).withFailedJobsHistoryLimit(1).withNewJobTemplate().withNewMetadata()
        .addToLabels("app", "hello").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
        .withRestartPolicy("OnFailure").addNewContainer().withName("hello").withImage("busybox:1.36")
        .withCommand("sh", "-c", "echo hello").endContainer().endSpec().endTemplate().endSpec().endJobTemplate()
        .endSpec().build();
  }

  private CronJob get() {
    return h.ok(h.get(Resources.CRONJOBS, "default", "hello"), CronJob.class);
  }

  private List<String> jobNames() {
    return f.<Job>list(Resources.JOBS, "default").stream().map(j -> j.getMetadata().getName()).sorted().toList();
  }

  private static String jobAt(long minutesAfterStart) {
    return "hello-" + (START_MINUTE + minutesAfterStart);
  }

  /** The job controller's verdict on a Job: Complete (or Failed) with its completion time. */
  private void finish(String name, String type) {
    Job j = h.ok(h.get(Resources.JOBS, "default", name), Job.class);
    String now = Times.rfc3339(h.kit.runtime().now());
    Job done = new JobBuilder(j).editOrNewStatus().withStartTime(j.getMetadata().getCreationTimestamp())
        .withCompletionTime(type.equals("Complete") ? now : null).addToConditions(new JobConditionBuilder()
            .withType(type).withStatus("True").withLastTransitionTime(now).build()).endStatus().build();
    h.ok(h.updateStatus(done), Job.class);
  }

  @Test
  void createsAJobNamedAfterTheScheduledMinuteJustAfterEachActivation() {
    h.created(cronJob("*/5 * * * *", null));
    h.advance(Duration.ofMinutes(5));
    assertThat(jobNames()).isEmpty();
    h.advance(Duration.ofMillis(100));
    assertThat(jobNames()).containsExactly(jobAt(5));
    Job j = h.ok(h.get(Resources.JOBS, "default", jobAt(5)), Job.class);
    assertThat(j.getMetadata().getAnnotations()).containsEntry(CronJobController.SCHEDULED_TIMESTAMP,
        "2026-01-01T00:05:00Z");
    assertThat(j.getMetadata().getLabels()).containsEntry("app", "hello");
    assertThat(j.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("CronJob");
      assertThat(r.getController()).isTrue();
    });
    CronJob cj = get();
    assertThat(cj.getStatus().getLastScheduleTime()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(cj.getStatus().getActive()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo(jobAt(5)));
    assertThat(f.eventsAbout("hello")).containsExactly("SuccessfulCreate: Created job " + jobAt(5));
    h.advance(Duration.ofMinutes(5));
    assertThat(jobNames()).containsExactly(jobAt(5), jobAt(10));
  }

  @Test
  void aTimeZoneMovesTheActivationsAndTheScheduledTimestamp() {
    CronJob cj = cronJob("0 9 * * *", null);
    cj.getSpec().setTimeZone("Asia/Tokyo");
    h.created(cj);
    h.advance(Duration.ofHours(24).plusSeconds(1));
    Job j = h.ok(h.get(Resources.JOBS, "default", jobAt(24 * 60)), Job.class);
    assertThat(j.getMetadata().getAnnotations()).containsEntry(CronJobController.SCHEDULED_TIMESTAMP,
        "2026-01-02T09:00:00+09:00");
  }

  @Test
  void aCompletedJobLeavesTheActiveListAndSetsLastSuccessfulTime() {
    h.created(cronJob("*/5 * * * *", null));
    h.advance(Duration.ofMinutes(5).plusSeconds(1));
    h.advance(Duration.ofSeconds(30));
    finish(jobAt(5), "Complete");
    h.settle();
    CronJob cj = get();
    assertThat(cj.getStatus().getActive()).isNullOrEmpty();
    assertThat(cj.getStatus().getLastSuccessfulTime()).isEqualTo("2026-01-01T00:05:31Z");
    assertThat(f.eventsAbout("hello")).contains("SawCompletedJob: Saw completed job: " + jobAt(5) + ", condition: Complete");
  }

  @Test
  void forbidSkipsAnActivationWhileTheLastJobRuns() {
    h.created(cronJob("*/5 * * * *", "Forbid"));
    h.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(jobNames()).containsExactly(jobAt(5));
    assertThat(f.eventsAbout("hello")).contains(
        "JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid");
    // With no startingDeadlineSeconds the skipped 00:10 activation is still due: it starts, late, once
    // the running Job is done; 00:15 is skipped in turn while that one runs.
    finish(jobAt(5), "Complete");
    h.advance(Duration.ofSeconds(1));
    assertThat(jobNames()).containsExactly(jobAt(5), jobAt(10));
    h.advance(Duration.ofMinutes(5));
    assertThat(jobNames()).containsExactly(jobAt(5), jobAt(10));
  }

  @Test
  void replaceDeletesTheRunningJobBeforeCreatingTheNext() {
    h.created(cronJob("*/5 * * * *", "Replace"));
    h.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(jobNames()).containsExactly(jobAt(10));
    assertThat(get().getStatus().getActive()).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo(jobAt(10)));
    assertThat(f.eventsAbout("hello")).contains("SuccessfulDelete: Deleted job " + jobAt(5));
  }

  @Test
  void allowRunsJobsSideBySide() {
    h.created(cronJob("*/5 * * * *", "Allow"));
    h.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(jobNames()).containsExactly(jobAt(5), jobAt(10));
    assertThat(get().getStatus().getActive()).hasSize(2);
  }

  @Test
  void finishedJobsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    h.created(cronJob("*/5 * * * *", null));
    for (int i = 1; i <= 4; i++) {
      h.advance(Duration.ofMinutes(5));
      h.advance(Duration.ofSeconds(10));
      finish(jobAt(5L * i), "Complete");
    }
    h.advance(Duration.ofMinutes(5));
    h.advance(Duration.ofSeconds(10));
    finish(jobAt(25), "Failed");
    h.advance(Duration.ofMinutes(5));
    h.advance(Duration.ofSeconds(10));
    finish(jobAt(30), "Failed");
    h.settle();
    assertThat(jobNames()).containsExactly(jobAt(15), jobAt(20), jobAt(30));
    assertThat(f.eventsAbout("hello")).contains("SuccessfulDelete: Deleted job " + jobAt(5),
        "SuccessfulDelete: Deleted job " + jobAt(10), "SuccessfulDelete: Deleted job " + jobAt(25));
  }

  @Test
  void aSuspendedCronJobCreatesNoJobUntilResumed() {
    CronJob cj = cronJob("*/5 * * * *", null);
    cj.getSpec().setSuspend(true);
    h.created(cj);
    h.advance(Duration.ofMinutes(11));
    assertThat(jobNames()).isEmpty();
    // Objects from the apiserver are shared: change a copy.
    CronJob resumed = new CronJobBuilder(get()).build();
    resumed.getSpec().setSuspend(false);
    h.ok(h.update(resumed), CronJob.class);
    h.advance(Duration.ofSeconds(1));
    // The most recent missed activation (00:10) runs at once, as kube-controller-manager does.
    assertThat(jobNames()).containsExactly(jobAt(10));
  }

  @Test
  void moreThanAHundredMissedActivationsAreReportedAndOnlyTheLatestRuns() {
    CronJob cj = cronJob("* * * * *", null);
    cj.getSpec().setSuspend(true);
    h.created(cj);
    h.advance(Duration.ofMinutes(150).plusSeconds(30));
    CronJob resumed = new CronJobBuilder(get()).build();
    resumed.getSpec().setSuspend(false);
    h.ok(h.update(resumed), CronJob.class);
    h.advance(Duration.ofSeconds(1));
    assertThat(jobNames()).containsExactly(jobAt(150));
    assertThat(f.eventsAbout("hello")).contains("TooManyMissedTimes: too many missed start times. Set or decrease "
        + ".spec.startingDeadlineSeconds or check clock skew");
  }

  @Test
  void startingDeadlineSecondsLetsAMissedActivationGo() {
    CronJob cj = cronJob("*/5 * * * *", null);
    cj.getSpec().setSuspend(true);
    cj.getSpec().setStartingDeadlineSeconds(60L);
    h.created(cj);
    h.advance(Duration.ofMinutes(7));
    CronJob resumed = new CronJobBuilder(get()).build();
    resumed.getSpec().setSuspend(false);
    h.ok(h.update(resumed), CronJob.class);
    h.advance(Duration.ofSeconds(1));
    // 00:05 is more than 60 s ago: skipped; the next activation runs.
    assertThat(jobNames()).isEmpty();
    h.advance(Duration.ofMinutes(3));
    assertThat(jobNames()).containsExactly(jobAt(10));
  }
}
