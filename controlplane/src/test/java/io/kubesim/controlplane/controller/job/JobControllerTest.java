package io.kubesim.controlplane.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.ttlafterfinished.TtlAfterFinishedController;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    f.registerNode("w1-k8s");
    h.spawn(JobController.create(h.context(), ControllerManagerSettings.DEFAULT), "job");
    h.spawn(TtlAfterFinishedController.create(h.context(), ControllerManagerSettings.DEFAULT), "ttl");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static Job job(String name, Integer completions, Integer parallelism, Integer backoffLimit) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec()
        .withCompletions(completions).withParallelism(parallelism).withBackoffLimit(backoffLimit).withNewTemplate()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("work").withImage("busybox:1.36")
        .withCommand("sh", "-c", "echo working; sleep 10").endContainer().endSpec().endTemplate().endSpec().build();
  }

  private Job get(String name) {
    return h.ok(h.get(Resources.JOBS, "default", name), Job.class);
  }

  private List<Pod> podsOf(String job) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      if (job.equals(p.getMetadata().getLabels().get("job-name"))) {
        out.add(p);
      }
    }
    return out;
  }

  private List<Pod> activePods(String job) {
    return podsOf(job).stream().filter(Pods::isActive).toList();
  }

  /** The kubelet runs the pod: bound, Running, Ready. */
  private void run(Pod p) {
    if (Pods.nodeName(p).isEmpty()) {
      f.bind("default", p.getMetadata().getName(), "w1-k8s");
    }
    f.markRunningReady("default", p.getMetadata().getName());
  }

  /** The kubelet reports the pod's container exited: Succeeded on 0, else Failed (restartPolicy Never). */
  private void exit(Pod p, int code) {
    Pod cur = f.get("default", p.getMetadata().getName());
    String now = Times.rfc3339(h.kit.runtime().now());
    List<io.fabric8.kubernetes.api.model.PodCondition> conditions = new ArrayList<>();
    if (cur.getStatus().getConditions() != null) {
      cur.getStatus().getConditions().stream().filter(c -> !c.getType().equals("Ready")).forEach(conditions::add);
    }
    conditions.add(new PodConditionBuilder().withType("Ready").withStatus("False").withReason("PodCompleted")
        .withLastTransitionTime(now).build());
    Pod done = new PodBuilder(cur).editStatus().withPhase(code == 0 ? "Succeeded" : "Failed")
        .withConditions(conditions)
        .withContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("work")
            .withNewState().withNewTerminated().withExitCode(code).withReason(code == 0 ? "Completed" : "Error")
            .withFinishedAt(now).endTerminated().endState().build())
        .endStatus().build();
    h.ok(h.updateStatus(done), Pod.class);
  }

  private List<String> conditions(Job j) {
    List<String> out = new ArrayList<>();
    if (j.getStatus().getConditions() != null) {
      for (JobCondition c : j.getStatus().getConditions()) {
        out.add(c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : "/" + c.getReason()));
      }
    }
    return out;
  }

  private void runAndSucceedActive(String job) {
    for (Pod p : activePods(job)) {
      run(p);
    }
    h.advance(Duration.ofSeconds(10));
    for (Pod p : activePods(job)) {
      exit(p, 0);
    }
    h.advance(Duration.ofSeconds(2));
  }

  @Test
  void runsParallelismPodsAtATimeUntilCompletionsSucceed() {
    h.created(job("work", 5, 2, null));
    h.settle();
    assertThat(activePods("work")).hasSize(2);
    Pod first = activePods("work").get(0);
    assertThat(first.getMetadata().getFinalizers()).contains("batch.kubernetes.io/job-tracking");
    assertThat(first.getMetadata().getName()).matches("work-[bcdfghjklmnpqrstvwxz2456789]{5}");
    Job j = get("work");
    assertThat(j.getStatus().getActive()).isEqualTo(2);
    assertThat(j.getStatus().getReady()).isZero();
    assertThat(j.getStatus().getStartTime()).isNotNull();
    runAndSucceedActive("work");
    assertThat(get("work").getStatus().getSucceeded()).isEqualTo(2);
    assertThat(activePods("work")).hasSize(2);
    runAndSucceedActive("work");
    assertThat(activePods("work")).hasSize(1);
    runAndSucceedActive("work");
    j = get("work");
    assertThat(j.getStatus().getSucceeded()).isEqualTo(5);
    assertThat(j.getStatus().getActive()).isNull();
    assertThat(conditions(j)).containsExactly("SuccessCriteriaMet=True/CompletionsReached",
        "Complete=True/CompletionsReached");
    assertThat(j.getStatus().getConditions().get(1).getMessage()).isEqualTo("Reached expected number of succeeded pods");
    assertThat(j.getStatus().getCompletionTime()).isNotNull();
    assertThat(podsOf("work")).hasSize(5).allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty());
    assertThat(f.eventsAbout("work")).filteredOn(e -> e.startsWith("SuccessfulCreate: Created pod: work-")).hasSize(5);
    assertThat(f.eventsAbout("work")).contains("Completed: Job completed");
  }

  @Test
  void failedPodsAreReplacedAfterAnExponentialBackoffUntilTheBackoffLimit() {
    h.created(job("fail", 1, 1, 3));
    h.settle();
    List<Long> createdAt = new ArrayList<>();
    long start = h.kit.runtime().nanos();
    for (int attempt = 0; attempt < 4; attempt++) {
      for (int s = 0; s < 200 && activePods("fail").isEmpty(); s++) {
        h.advance(Duration.ofSeconds(1));
      }
      assertThat(activePods("fail")).as("attempt %d", attempt).hasSize(1);
      createdAt.add((h.kit.runtime().nanos() - start) / 1_000_000_000L);
      Pod p = activePods("fail").get(0);
      run(p);
      h.advance(Duration.ofSeconds(1));
      exit(p, 1);
      start = h.kit.runtime().nanos();
    }
    // The replacements come 10 s, 20 s and 40 s after the failures (whole seconds in this test).
    assertThat(createdAt.subList(1, 4)).containsExactly(10L, 20L, 40L);
    h.advance(Duration.ofSeconds(2));
    Job j = get("fail");
    assertThat(j.getStatus().getFailed()).isEqualTo(4);
    assertThat(conditions(j)).containsExactly("FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded");
    assertThat(j.getStatus().getConditions().get(1).getMessage()).isEqualTo("Job has reached the specified backoff limit");
    assertThat(f.eventsAbout("fail")).contains("BackoffLimitExceeded: Job has reached the specified backoff limit");
    assertThat(podsOf("fail")).hasSize(4);
  }

  @Test
  void activeDeadlineSecondsEndsALongJobWithDeadlineExceeded() {
    Job def = job("long", 1, 1, null);
    def.getSpec().setActiveDeadlineSeconds(30L);
    h.created(def);
    h.settle();
    Pod p = activePods("long").get(0);
    run(p);
    h.advance(Duration.ofSeconds(29));
    assertThat(conditions(get("long"))).isEmpty();
    h.advance(Duration.ofSeconds(1));
    Job j = get("long");
    assertThat(conditions(j)).containsExactly("FailureTarget=True/DeadlineExceeded");
    assertThat(j.getStatus().getTerminating()).isEqualTo(1);
    assertThat(f.get("default", p.getMetadata().getName()).getMetadata().getDeletionTimestamp()).isNotNull();
    // The kubelet kills the container (exit 143) and removes the pod.
    exit(p, 143);
    f.finishDeletion("default", p.getMetadata().getName());
    h.advance(Duration.ofSeconds(2));
    j = get("long");
    assertThat(conditions(j)).containsExactly("FailureTarget=True/DeadlineExceeded", "Failed=True/DeadlineExceeded");
    assertThat(j.getStatus().getFailed()).isEqualTo(1);
    assertThat(f.eventsAbout("long")).contains("DeadlineExceeded: Job was active longer than specified deadline");
    assertThat(f.exists(Resources.PODS, "default", p.getMetadata().getName())).isFalse();
  }

  @Test
  void aPodFailurePolicyFailJobRuleEndsTheJobAtOnce() {
    Job def = job("pfp", 3, 1, 6);
    def.getSpec().setPodFailurePolicy(new PodFailurePolicyBuilder().addNewRule().withAction("FailJob")
        .withNewOnExitCodes().withOperator("In").withValues(42).endOnExitCodes().endRule().build());
    h.created(def);
    h.settle();
    Pod p = activePods("pfp").get(0);
    run(p);
    exit(p, 42);
    h.advance(Duration.ofSeconds(2));
    Job j = get("pfp");
    assertThat(conditions(j)).containsExactly("FailureTarget=True/PodFailurePolicy", "Failed=True/PodFailurePolicy");
    assertThat(j.getStatus().getConditions().get(1).getMessage()).isEqualTo("Container work for pod default/"
        + p.getMetadata().getName() + " failed with exit code 42 matching FailJob rule at index 0");
  }

  @Test
  void aPodFailureIgnoredByThePolicyDoesNotCountAgainstTheBackoffLimit() {
    Job def = job("ign", 1, 1, 0);
    def.getSpec().setPodFailurePolicy(new PodFailurePolicyBuilder().addNewRule().withAction("Ignore")
        .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().endRule().build());
    h.created(def);
    h.settle();
    Pod p = activePods("ign").get(0);
    run(p);
    Pod cur = f.get("default", p.getMetadata().getName());
    h.ok(h.updateStatus(new PodBuilder(cur).editStatus().addToConditions(new PodConditionBuilder()
        .withType("DisruptionTarget").withStatus("True").withReason("EvictionByEvictionAPI").build()).endStatus()
        .build()), Pod.class);
    exit(p, 137);
    h.advance(Duration.ofSeconds(2));
    Job j = get("ign");
    assertThat(conditions(j)).isEmpty();
    assertThat(j.getStatus().getFailed()).isNull();
    // The replacement still waits out the failure back-off, as in kube-controller-manager.
    h.advance(Duration.ofSeconds(8));
    assertThat(activePods("ign")).hasSize(1);
  }

  @Test
  void anIndexedJobRunsOnePodPerIndexAndRecordsCompletedIndexes() {
    Job def = job("idx", 3, 3, null);
    def.getSpec().setCompletionMode("Indexed");
    h.created(def);
    h.settle();
    List<String> names = new ArrayList<>();
    for (Pod p : activePods("idx")) {
      String ix = p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
      assertThat(p.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-completion-index", ix);
      assertThat(p.getSpec().getHostname()).isEqualTo("idx-" + ix);
      assertThat(p.getMetadata().getGenerateName()).isEqualTo("idx-" + ix + "-");
      assertThat(p.getSpec().getContainers().get(0).getEnv()).anySatisfy(e ->
          assertThat(e.getName()).isEqualTo("JOB_COMPLETION_INDEX"));
      names.add(ix);
    }
    assertThat(names).containsExactlyInAnyOrder("0", "1", "2");
    Pod two = activePods("idx").stream().filter(p -> p.getMetadata().getAnnotations()
        .get("batch.kubernetes.io/job-completion-index").equals("2")).findFirst().orElseThrow();
    run(two);
    exit(two, 0);
    h.advance(Duration.ofSeconds(2));
    assertThat(get("idx").getStatus().getCompletedIndexes()).isEqualTo("2");
    runAndSucceedActive("idx");
    Job j = get("idx");
    assertThat(j.getStatus().getCompletedIndexes()).isEqualTo("0-2");
    assertThat(j.getStatus().getSucceeded()).isEqualTo(3);
    assertThat(conditions(j)).contains("Complete=True/CompletionsReached");
  }

  @Test
  void suspendingDeletesTheActivePodsAndResumingStartsAgain() {
    h.created(job("sus", 1, 1, null));
    h.settle();
    Pod p = activePods("sus").get(0);
    run(p);
    h.patch(Resources.JOBS, "default", "sus", PatchType.MERGE_PATCH, "{\"spec\":{\"suspend\":true}}");
    h.settle();
    Job j = get("sus");
    assertThat(conditions(j)).containsExactly("Suspended=True/JobSuspended");
    assertThat(f.eventsAbout("sus")).contains("Suspended: Job suspended");
    assertThat(f.get("default", p.getMetadata().getName()).getMetadata().getDeletionTimestamp()).isNotNull();
    f.finishDeletion("default", p.getMetadata().getName());
    h.patch(Resources.JOBS, "default", "sus", PatchType.MERGE_PATCH, "{\"spec\":{\"suspend\":false}}");
    h.settle();
    assertThat(conditions(get("sus"))).containsExactly("Suspended=False/JobResumed");
    assertThat(activePods("sus")).hasSize(1);
    assertThat(get("sus").getStatus().getFailed()).isNull();
  }

  @Test
  void aFinishedJobWithTtlIsDeletedWhenItExpires() {
    Job def = job("ttl", 1, 1, null);
    def.getSpec().setTtlSecondsAfterFinished(100);
    h.created(def);
    h.settle();
    runAndSucceedActive("ttl");
    assertThat(conditions(get("ttl"))).contains("Complete=True/CompletionsReached");
    h.advance(Duration.ofSeconds(95));
    assertThat(f.exists(Resources.JOBS, "default", "ttl")).isTrue();
    h.advance(Duration.ofSeconds(10));
    Api.Response r = h.get(Resources.JOBS, "default", "ttl");
    // Foreground deletion: the Job is being deleted until the garbage collector has removed its pods.
    assertThat(r instanceof Api.Failed || ((Job) ((Api.Ok) r).object()).getMetadata().getDeletionTimestamp() != null)
        .isTrue();
  }
}
