package io.kubesim.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.replicaset.ReplicaSetController;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;
  /** How long the test's kubelet takes to make a new pod ready, and to finish a deletion. */
  private Duration readyAfter = Duration.ofSeconds(2);
  private Duration terminateAfter = Duration.ofSeconds(1);
  private boolean podsBecomeReady = true;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(ReplicaSetController.create(h.context(), ControllerManagerSettings.DEFAULT), "replicaset");
    h.spawn(DeploymentController.create(h.context(), ControllerManagerSettings.DEFAULT), "deployment");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build();
  }

  /** The test's kubelet: binds new pods, makes them ready after a while, finishes deletions. */
  private void kubelet() {
    Instant now = h.kit.runtime().now();
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      String name = p.getMetadata().getName();
      Instant created = Times.parse(p.getMetadata().getCreationTimestamp());
      if (p.getMetadata().getDeletionTimestamp() != null) {
        Instant deletedAt = Times.parse(p.getMetadata().getDeletionTimestamp())
            .minusSeconds(p.getMetadata().getDeletionGracePeriodSeconds());
        if (!now.isBefore(deletedAt.plus(terminateAfter))) {
          f.finishDeletion("default", name);
        }
      } else if (Pods.nodeName(p).isEmpty()) {
        f.bind("default", name, "w1-k8s");
      } else if (podsBecomeReady && !Pods.isReady(p) && !now.isBefore(created.plus(readyAfter))) {
        f.markRunningReady("default", name);
      }
    }
  }

  /** Runs in 250 ms steps: the test's kubelet acts at each step, the controllers in between. */
  private void runFor(Duration d, Runnable check) {
    long steps = d.toMillis() / 250;
    for (long i = 0; i < steps; i++) {
      h.advance(Duration.ofMillis(250));
      kubelet();
      h.settle();
      if (check != null) {
        check.run();
      }
    }
  }

  private Deployment get(String name) {
    return h.ok(h.get(Resources.DEPLOYMENTS, "default", name), Deployment.class);
  }

  private List<ReplicaSet> replicaSets() {
    List<ReplicaSet> out = new ArrayList<>(f.<ReplicaSet>list(Resources.REPLICASETS, "default"));
    out.sort(Comparator.comparing(rs -> DeploymentUtil.revision(rs)));
    return out;
  }

  private void setImage(String name, String image) {
    h.patch(Resources.DEPLOYMENTS, "default", name, PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return DeploymentUtil.condition(d.getStatus(), type);
  }

  @Test
  void createsAReplicaSetNamedAfterThePodTemplateHashAndScalesItUp() {
    h.created(deployment("web", 3));
    h.settle();
    List<ReplicaSet> rss = replicaSets();
    assertThat(rss).hasSize(1);
    ReplicaSet rs = rss.get(0);
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
        .containsEntry("deployment.kubernetes.io/max-replicas", "4");
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(f.eventsAbout("web")).containsExactly(
        "ScalingReplicaSet: Scaled up replica set " + rs.getMetadata().getName() + " from 0 to 3");
  }

  @Test
  void aCompletedRolloutReportsWhatKubectlRolloutStatusWaitsFor() {
    h.created(deployment("web", 3));
    runFor(Duration.ofSeconds(5), null);
    Deployment d = get("web");
    String rsName = replicaSets().get(0).getMetadata().getName();
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    assertThat(d.getStatus().getReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(d.getStatus().getUnavailableReplicas()).isNull();
    assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    DeploymentCondition available = condition(d, "Available");
    assertThat(available.getStatus()).isEqualTo("True");
    assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
    assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");
    DeploymentCondition progressing = condition(d, "Progressing");
    assertThat(progressing.getStatus()).isEqualTo("True");
    assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"" + rsName + "\" has successfully progressed.");
  }

  @Test
  void rollingUpdateNeverExceedsSurgeOrUnavailability() {
    Deployment def = deployment("web", 4);
    h.created(def);
    runFor(Duration.ofSeconds(5), null);
    // 25 % of 4: surge rounds up to 1, unavailable rounds down to 1.
    setImage("web", "nginx:1.28");
    int[] maxTotal = {0};
    int[] minAvailable = {Integer.MAX_VALUE};
    runFor(Duration.ofSeconds(60), () -> {
      int total = 0;
      for (ReplicaSet rs : replicaSets()) {
        total += rs.getSpec().getReplicas();
      }
      int available = 0;
      for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
        if (p.getMetadata().getDeletionTimestamp() == null && Pods.isReady(p)) {
          available++;
        }
      }
      maxTotal[0] = Math.max(maxTotal[0], total);
      minAvailable[0] = Math.min(minAvailable[0], available);
    });
    assertThat(maxTotal[0]).isEqualTo(5);
    assertThat(minAvailable[0]).isEqualTo(3);
    List<ReplicaSet> rss = replicaSets();
    assertThat(rss).hasSize(2);
    assertThat(rss.get(0).getSpec().getReplicas()).isZero();
    assertThat(rss.get(1).getSpec().getReplicas()).isEqualTo(4);
    assertThat(rss.get(1).getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    Deployment d = get("web");
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(4);
    assertThat(d.getStatus().getReplicas()).isEqualTo(4);
    assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
    assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
  }

  @Test
  void theRolloutEventsUseTheFromToWording() {
    h.created(deployment("web", 2));
    runFor(Duration.ofSeconds(5), null);
    String oldRs = replicaSets().get(0).getMetadata().getName();
    setImage("web", "nginx:1.28");
    runFor(Duration.ofSeconds(30), null);
    String newRs = replicaSets().get(1).getMetadata().getName();
    assertThat(f.eventsAbout("web")).containsExactly(
        "ScalingReplicaSet: Scaled up replica set " + oldRs + " from 0 to 2",
        "ScalingReplicaSet: Scaled up replica set " + newRs + " from 0 to 1",
        "ScalingReplicaSet: Scaled down replica set " + oldRs + " from 2 to 1",
        "ScalingReplicaSet: Scaled up replica set " + newRs + " from 1 to 2",
        "ScalingReplicaSet: Scaled down replica set " + oldRs + " from 1 to 0");
  }

  @Test
  void recreateScalesTheOldReplicaSetToZeroBeforeCreatingTheNewOne() {
    Deployment def = deployment("web", 2);
    def.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
        .withType("Recreate").build());
    h.created(def);
    runFor(Duration.ofSeconds(5), null);
    terminateAfter = Duration.ofSeconds(10);
    setImage("web", "nginx:1.28");
    runFor(Duration.ofSeconds(5), null);
    List<ReplicaSet> rss = replicaSets();
    assertThat(rss).hasSize(1);
    assertThat(rss.get(0).getSpec().getReplicas()).isZero();
    runFor(Duration.ofSeconds(10), null);
    rss = replicaSets();
    assertThat(rss).hasSize(2);
    assertThat(rss.get(1).getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void scalingDuringARolloutIsProportional() {
    Deployment def = deployment("web", 10);
    def.getSpec().getStrategy();
    h.created(def);
    runFor(Duration.ofSeconds(5), null);
    podsBecomeReady = false;
    setImage("web", "nginx:1.28");
    runFor(Duration.ofSeconds(3), null);
    // Stuck mid-rollout at replicas + surge = 13: the old RS went down to 10 - 2 = 8 (unavailable 2),
    // the new one up to 13 - 8 = 5; both carry max-replicas 13.
    List<ReplicaSet> rss = replicaSets();
    assertThat(rss.get(0).getSpec().getReplicas()).isEqualTo(8);
    assertThat(rss.get(1).getSpec().getReplicas()).isEqualTo(5);
    h.patch(Resources.DEPLOYMENTS, "default", "web", PatchType.MERGE_PATCH, "{\"spec\":{\"replicas\":20}}");
    runFor(Duration.ofSeconds(1), null);
    // 20 + surge 5 = 25 to share, 12 more: the larger (old) first, 8 * 25 / 13 = 15.4 -> 15, then
    // 5 * 25 / 13 = 9.6 -> 10, which takes exactly what is left.
    rss = replicaSets();
    assertThat(rss.get(0).getSpec().getReplicas()).isEqualTo(15);
    assertThat(rss.get(1).getSpec().getReplicas()).isEqualTo(10);
    assertThat(rss.get(0).getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/desired-replicas", "20")
        .containsEntry("deployment.kubernetes.io/max-replicas", "25");
  }

  @Test
  void oldReplicaSetsBeyondTheRevisionHistoryLimitAreDeleted() {
    Deployment def = deployment("web", 1);
    def.getSpec().setRevisionHistoryLimit(1);
    h.created(def);
    runFor(Duration.ofSeconds(5), null);
    setImage("web", "nginx:1.28");
    runFor(Duration.ofSeconds(20), null);
    setImage("web", "nginx:1.29");
    runFor(Duration.ofSeconds(20), null);
    List<ReplicaSet> rss = replicaSets();
    assertThat(rss).extracting(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
        .containsExactly("2", "3");
  }

  @Test
  void aRolloutWithoutProgressTimesOutAfterTheDeadline() {
    Deployment def = deployment("web", 2);
    def.getSpec().setProgressDeadlineSeconds(30);
    podsBecomeReady = false;
    h.created(def);
    runFor(Duration.ofSeconds(20), null);
    assertThat(condition(get("web"), "Progressing").getStatus()).isEqualTo("True");
    runFor(Duration.ofSeconds(20), null);
    DeploymentCondition c = condition(get("web"), "Progressing");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(c.getMessage()).isEqualTo("ReplicaSet \"" + replicaSets().get(0).getMetadata().getName()
        + "\" has timed out progressing.");
    assertThat(condition(get("web"), "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
  }

  @Test
  void maxSurgeZeroScalesDownFirst() {
    Deployment def = deployment("web", 2);
    def.getSpec().getStrategy();
    h.created(def);
    h.patch(Resources.DEPLOYMENTS, "default", "web", PatchType.MERGE_PATCH,
        "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}");
    runFor(Duration.ofSeconds(5), null);
    setImage("web", "nginx:1.28");
    int[] maxTotal = {0};
    runFor(Duration.ofSeconds(30), () -> {
      int total = 0;
      for (ReplicaSet rs : replicaSets()) {
        total += rs.getSpec().getReplicas();
      }
      maxTotal[0] = Math.max(maxTotal[0], total);
    });
    assertThat(maxTotal[0]).isEqualTo(2);
    assertThat(get("web").getStatus().getUpdatedReplicas()).isEqualTo(2);
  }

  @SuppressWarnings("unused")
  private static IntOrString pct(String p) {
    return new IntOrString(p);
  }
}
