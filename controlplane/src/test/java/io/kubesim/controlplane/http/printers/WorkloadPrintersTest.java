package io.kubesim.controlplane.http.printers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code kubectl get ds|jobs|cronjobs|sts}: the columns and cells of kube-apiserver 1.34's printers.go. */
class WorkloadPrintersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
  private static final String CREATED = "2026-01-01T00:00:00Z";

  private static List<String> headers(ResourceType t) {
    return Printers.of(t).columns().stream().filter(c -> c.priority() == 0).map(c -> c.name().toUpperCase()).toList();
  }

  private static List<Object> row(ResourceType t, HasMetadata o) {
    return Printers.of(t).row(o, NOW).cells();
  }

  @Test
  void theWorkloadTablesHaveKubectlsColumns() {
    assertThat(headers(Resources.DAEMONSETS)).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE",
        "AVAILABLE", "NODE SELECTOR", "AGE");
    assertThat(headers(Resources.JOBS)).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
    assertThat(headers(Resources.CRONJOBS)).containsExactly("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE",
        "LAST SCHEDULE", "AGE");
    assertThat(headers(Resources.STATEFULSETS)).containsExactly("NAME", "READY", "AGE");
  }

  @Test
  void aDaemonSetRowCountsItsPodsAndShowsItsNodeSelector() {
    DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("gpu-agent").withCreationTimestamp(CREATED)
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addToNodeSelector("gpu", "true").endSpec()
        .endTemplate().endSpec().withNewStatus().withDesiredNumberScheduled(3).withCurrentNumberScheduled(3)
        .withNumberReady(2).withUpdatedNumberScheduled(3).withNumberAvailable(2).endStatus().build();
    assertThat(row(Resources.DAEMONSETS, ds).subList(0, 8)).containsExactly("gpu-agent", 3L, 3L, 2L, 3L, 2L,
        "gpu=true", "60m");
  }

  @Test
  void aDaemonSetWithoutNodeSelectorShowsNone() {
    DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("log-agent").withCreationTimestamp(CREATED)
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().endSpec().endTemplate().endSpec().build();
    assertThat(row(Resources.DAEMONSETS, ds).get(6)).isEqualTo("<none>");
  }

  private static Job job(Integer completions, Integer parallelism, int succeeded, String condition, String start,
      String end) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName("work").withCreationTimestamp(CREATED).endMetadata()
        .withNewSpec().withCompletions(completions).withParallelism(parallelism).endSpec().withNewStatus()
        .withSucceeded(succeeded).withStartTime(start).withCompletionTime(end).endStatus();
    if (condition != null) {
      b.editStatus().addToConditions(new JobConditionBuilder().withType(condition).withStatus("True").build())
          .endStatus();
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // case                 | completions | parallelism | succeeded | condition          | start                | end                  | status             | COMPLETIONS | DURATION
      "running                | 5           | 2           | 2         | -                  | 2026-01-01T00:00:00Z | -                    | Running            | 2/5         | 60m",
      "complete               | 5           | 2           | 5         | Complete           | 2026-01-01T00:00:00Z | 2026-01-01T00:00:52Z | Complete           | 5/5         | 52s",
      "failed                 | -           | -           | 0         | Failed             | 2026-01-01T00:00:00Z | -                    | Failed             | 0/1         | 60m",
      "success criteria met   | 5           | 2           | 5         | SuccessCriteriaMet | 2026-01-01T00:00:00Z | -                    | SuccessCriteriaMet | 5/5         | 60m",
      "failure target         | 1           | 1           | 0         | FailureTarget      | 2026-01-01T00:00:00Z | -                    | FailureTarget      | 0/1         | 60m",
      "suspended, never run   | -           | 3           | 0         | Suspended          | -                    | -                    | Suspended          | 0/1 of 3    | ''",
  })
  void aJobRowShowsItsStatusCompletionsAndDuration(String name, Integer completions, Integer parallelism,
      int succeeded, String condition, String start, String end, String status, String shown, String duration) {
    List<Object> r = row(Resources.JOBS, job(completions, parallelism, succeeded, condition, start, end));
    assertThat(r.subList(0, 5)).containsExactly("work", status, shown, duration, "60m");
  }

  @Test
  void aCronJobRowShowsScheduleTimeZoneSuspendActiveAndLastSchedule() {
    CronJob cj = new CronJobBuilder().withNewMetadata().withName("hello").withCreationTimestamp(CREATED).endMetadata()
        .withNewSpec().withSchedule("0 * * * *").withSuspend(false).endSpec().withNewStatus()
        .withLastScheduleTime("2026-01-01T00:59:00Z").withActive(new ObjectReferenceBuilder().withName("hello-1")
            .build()).endStatus().build();
    assertThat(row(Resources.CRONJOBS, cj).subList(0, 7)).containsExactly("hello", "0 * * * *", "<none>", "False", 1L,
        "60s", "60m");
    cj.getSpec().setTimeZone("Asia/Tokyo");
    cj.getSpec().setSuspend(true);
    cj.setStatus(null);
    assertThat(row(Resources.CRONJOBS, cj).subList(2, 6)).containsExactly("Asia/Tokyo", "True", 0L, "<none>");
  }

  @Test
  void aStatefulSetRowShowsReadyOverDesired() {
    StatefulSet s = new StatefulSetBuilder().withNewMetadata().withName("web").withCreationTimestamp(CREATED)
        .endMetadata().withNewSpec().withReplicas(3).endSpec().withNewStatus().withReadyReplicas(2).endStatus()
        .build();
    assertThat(row(Resources.STATEFULSETS, s).subList(0, 3)).containsExactly("web", "2/3", "60m");
  }
}
