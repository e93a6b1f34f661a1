package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvictionTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Pod runningReadyPod(String name) {
    Pod p = h.created(ApiServerTest.podOn(name, "w1"));
    Pod running = new PodBuilder(p).editStatus().withPhase("Running").addNewCondition().withType("Ready")
        .withStatus("True").endCondition().endStatus().build();
    return h.ok(h.updateStatus(running), Pod.class);
  }

  private void budget(String name, int allowed, int healthy, int desired) {
    PodDisruptionBudget pdb = h.created(new PodDisruptionBudgetBuilder().withNewMetadata().withName(name)
        .withNamespace("default").endMetadata().withNewSpec().withNewMinAvailable(desired).withNewSelector()
        .addToMatchLabels("app", "web").endSelector().endSpec().build());
    h.ok(h.updateStatus(new PodDisruptionBudgetBuilder(pdb).withNewStatus()
        .withObservedGeneration(pdb.getMetadata().getGeneration()).withDisruptionsAllowed(allowed)
        .withCurrentHealthy(healthy).withDesiredHealthy(desired).withExpectedPods(healthy).endStatus().build()),
        PodDisruptionBudget.class);
  }

  private Api.Response evict(String name) {
    return h.call(r -> new Api.Evict("default", name, null, false, r, 0));
  }

  @Test
  void aPodWithoutABudgetIsMarkedAsADisruptionTargetAndDeletedGracefully() {
    runningReadyPod("p1");
    Pod evicted = h.ok(evict("p1"), Pod.class);
    assertThat(evicted.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(evicted.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("DisruptionTarget");
      assertThat(c.getReason()).isEqualTo("EvictionByEvictionAPI");
    });
  }

  @Test
  void aBudgetWithNoDisruptionsLeftRefusesWith429AndTheBudgetInTheCause() {
    runningReadyPod("p1");
    budget("web-pdb", 0, 1, 1);
    Api.Failed f = h.failed(evict("p1"));
    assertThat(f.code()).isEqualTo(429);
    assertThat(f.reason()).isEqualTo("TooManyRequests");
    assertThat(f.message()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(f.status().getDetails().getCauses()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("DisruptionBudget");
      assertThat(c.getMessage()).isEqualTo("The disruption budget web-pdb needs 1 healthy pods and has 1 currently");
    });
    assertThat(h.ok(h.get(Resources.PODS, "default", "p1"), Pod.class).getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void anEvictionUsesUpOneDisruptionOfTheBudget() {
    runningReadyPod("p1");
    runningReadyPod("p2");
    budget("web-pdb", 1, 2, 1);
    h.ok(evict("p1"), Pod.class);
    PodDisruptionBudget pdb = h.ok(h.get(Resources.PODDISRUPTIONBUDGETS, "default", "web-pdb"),
        PodDisruptionBudget.class);
    assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
    assertThat(pdb.getStatus().getDisruptedPods()).containsKey("p1");
    assertThat(h.failed(evict("p2")).code()).isEqualTo(429);
  }

  @Test
  void aPendingPodIsEvictedWhateverTheBudget() {
    h.created(ApiServerTest.pod("pending"));
    budget("web-pdb", 0, 0, 1);
    h.ok(evict("pending"), Pod.class);
    assertThat(h.failed(h.get(Resources.PODS, "default", "pending")).code()).isEqualTo(404);
  }

  @Test
  void twoBudgetsCoveringOnePodIsAnError() {
    runningReadyPod("p1");
    budget("a", 1, 1, 0);
    budget("b", 1, 1, 0);
    Api.Failed f = h.failed(evict("p1"));
    assertThat(f.code()).isEqualTo(500);
    assertThat(f.message()).contains("more than one PodDisruptionBudget");
  }
}
