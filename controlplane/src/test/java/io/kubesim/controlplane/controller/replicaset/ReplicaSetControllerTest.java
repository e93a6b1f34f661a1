package io.kubesim.controlplane.controller.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(ReplicaSetController.create(h.context(), ControllerManagerSettings.DEFAULT), "replicaset");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static ReplicaSet replicaSet(String name, int replicas) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build();
  }

  private List<Pod> podsOf(String app) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      if (app.equals(p.getMetadata().getLabels().get("app"))) {
        out.add(p);
      }
    }
    return out;
  }

  private List<Pod> activePodsOf(String app) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : podsOf(app)) {
      if (p.getMetadata().getDeletionTimestamp() == null) {
        out.add(p);
      }
    }
    return out;
  }

  private ReplicaSet rs(String name) {
    return h.ok(h.get(Resources.REPLICASETS, "default", name), ReplicaSet.class);
  }

  private void scale(String name, int replicas) {
    h.patch(Resources.REPLICASETS, "default", name, PatchType.MERGE_PATCH, "{\"spec\":{\"replicas\":" + replicas + "}}");
    h.settle();
  }

  private void bind(Pod p, String node) {
    f.bind("default", p.getMetadata().getName(), node);
  }

  @Test
  void createsTheMissingPodsWithGeneratedNamesAndAControllerReference() {
    ReplicaSet created = h.created(replicaSet("web", 3));
    h.settle();
    List<Pod> pods = podsOf("web");
    assertThat(pods).hasSize(3);
    for (Pod p : pods) {
      assertThat(p.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(p.getMetadata().getGenerateName()).isEqualTo("web-");
      var ref = Owners.controllerOf(p);
      assertThat(ref.getKind()).isEqualTo("ReplicaSet");
      assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
      assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
    }
    assertThat(f.eventsAbout("web")).hasSize(3).allSatisfy(e -> assertThat(e).startsWith("SuccessfulCreate: Created pod: web-"));
    ReplicaSet rs = rs("web");
    assertThat(rs.getStatus().getReplicas()).isEqualTo(3);
    assertThat(rs.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(rs.getStatus().getReadyReplicas()).isNull();
    assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void readyAndAvailableCountsFollowThePods() {
    h.created(replicaSet("web", 2));
    h.settle();
    for (Pod p : podsOf("web")) {
      f.markRunningReady("default", p.getMetadata().getName());
    }
    h.settle();
    assertThat(rs("web").getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(rs("web").getStatus().getAvailableReplicas()).isEqualTo(2);
  }

  @Test
  void availabilityWaitsForMinReadySeconds() {
    ReplicaSet def = replicaSet("web", 1);
    def.getSpec().setMinReadySeconds(10);
    h.created(def);
    h.settle();
    f.markRunningReady("default", podsOf("web").get(0).getMetadata().getName());
    h.settle();
    assertThat(rs("web").getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(rs("web").getStatus().getAvailableReplicas()).isNull();
    h.advance(Duration.ofSeconds(11));
    assertThat(rs("web").getStatus().getAvailableReplicas()).isEqualTo(1);
  }

  @Test
  void replicaSetReplacesEvictedPod() {
    h.created(replicaSet("web", 2));
    h.settle();
    Pod victim = podsOf("web").get(0);
    bind(victim, "w1-k8s");
    h.settle();
    // A graceful delete (as the taint manager does): the pod is Terminating, no longer active.
    h.delete(Resources.PODS, "default", victim.getMetadata().getName(), null);
    h.settle();
    assertThat(podsOf("web")).hasSize(3);
    assertThat(activePodsOf("web")).hasSize(2).noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName()));
    assertThat(rs("web").getStatus().getReplicas()).isEqualTo(2);
  }

  @Test
  void scalingDownDeletesUnscheduledThenPendingThenNotReadyPodsFirst() {
    h.created(replicaSet("web", 4));
    h.settle();
    List<Pod> pods = podsOf("web");
    // pods 0,1,2 scheduled; 0 and 1 running and ready; 3 never scheduled.
    bind(pods.get(0), "w1-k8s");
    bind(pods.get(1), "w2-k8s");
    bind(pods.get(2), "w3-k8s");
    f.markRunningReady("default", pods.get(0).getMetadata().getName());
    f.markRunningReady("default", pods.get(1).getMetadata().getName());
    h.settle();
    scale("web", 2);
    List<String> remaining = new ArrayList<>();
    for (Pod p : activePodsOf("web")) {
      remaining.add(p.getMetadata().getName());
    }
    assertThat(remaining).containsExactlyInAnyOrder(pods.get(0).getMetadata().getName(),
        pods.get(1).getMetadata().getName());
    assertThat(f.eventsAbout("web")).contains("SuccessfulDelete: Deleted pod: " + pods.get(3).getMetadata().getName(),
        "SuccessfulDelete: Deleted pod: " + pods.get(2).getMetadata().getName());
  }

  @Test
  void adoptsAMatchingOrphan() {
    Pod orphan = h.created(new PodBuilder(Fixtures.pod("stray", null)).editMetadata().withLabels(java.util.Map.of("app", "web"))
        .endMetadata().build());
    ReplicaSet created = h.created(replicaSet("web", 1));
    h.settle();
    assertThat(podsOf("web")).hasSize(1);
    Pod adopted = f.get("default", orphan.getMetadata().getName());
    assertThat(Owners.controllerOf(adopted).getUid()).isEqualTo(created.getMetadata().getUid());
  }

  @Test
  void releasesAPodWhoseLabelsNoLongerMatch() {
    h.created(replicaSet("web", 1));
    h.settle();
    Pod p = podsOf("web").get(0);
    h.patch(Resources.PODS, "default", p.getMetadata().getName(), PatchType.MERGE_PATCH,
        "{\"metadata\":{\"labels\":{\"app\":\"debug\"}}}");
    h.settle();
    Pod released = f.get("default", p.getMetadata().getName());
    assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(activePodsOf("web")).hasSize(1);
  }

  @Test
  void aFailingCreateStopsTheSlowStartAndSetsReplicaFailure() {
    ReplicaSet def = replicaSet("web", 5);
    def.getSpec().getTemplate().getSpec().setPriorityClassName("nope");
    h.created(def);
    h.settle();
    assertThat(podsOf("web")).isEmpty();
    assertThat(f.eventsAbout("web")).containsExactly(
        "FailedCreate: Error creating: pods \"web-\" is forbidden: no PriorityClass with name nope was found");
    ReplicaSetCondition c = ReplicaSetStatuses.condition(rs("web").getStatus(), "ReplicaFailure");
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("FailedCreate");
    assertThat(c.getMessage()).isEqualTo("pods \"web-\" is forbidden: no PriorityClass with name nope was found");
  }

  @Test
  void slowStartCreatesInDoublingBatchesUpToBurst() {
    h.created(replicaSet("web", 20));
    h.settle();
    assertThat(podsOf("web")).hasSize(20);
    assertThat(f.logLines("replicaset")).anySatisfy(l -> assertThat(l)
        .contains("\"Too few replicas\" replicaSet=\"default/web\" need=20 creating=20"));
  }
}
