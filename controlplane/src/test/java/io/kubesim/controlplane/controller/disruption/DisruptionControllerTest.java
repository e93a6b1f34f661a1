package io.kubesim.controlplane.controller.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DisruptionControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(DisruptionController.create(h.context(), ControllerManagerSettings.DEFAULT), "disruption");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** A Deployment of {@code replicas}, its ReplicaSet and {@code ready} ready pods of it (and the rest not ready). */
  private void workload(int replicas, int ready) {
    Deployment d = h.created(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default")
        .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web")
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().endTemplate().endSpec()
        .build());
    ReplicaSet rs = h.created(new ReplicaSetBuilder().withNewMetadata().withName("web-abc").withNamespace("default")
        .withOwnerReferences(ref(d)).endMetadata().withNewSpec().withReplicas(replicas).withNewSelector()
        .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build());
    for (int i = 0; i < replicas; i++) {
      Pod p = Fixtures.pod("web-abc-" + i, "w1-k8s");
      p.getMetadata().setOwnerReferences(List.of(ref(rs)));
      h.created(p);
      if (i < ready) {
        f.markRunningReady("default", "web-abc-" + i);
      }
    }
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference ref(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  private PodDisruptionBudget pdb(IntOrString minAvailable, IntOrString maxUnavailable) {
    h.created(new PodDisruptionBudgetBuilder().withNewMetadata().withName("web-pdb").withNamespace("default")
        .endMetadata().withNewSpec().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
        .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build());
    h.settle();
    return h.ok(h.get(Resources.PODDISRUPTIONBUDGETS, "default", "web-pdb"), PodDisruptionBudget.class);
  }

  @Test
  void anIntegerMinAvailableCountsTheSelectedPods() {
    workload(3, 3);
    PodDisruptionBudget p = pdb(new IntOrString(2), null);
    assertThat(p.getStatus().getExpectedPods()).isEqualTo(3);
    assertThat(p.getStatus().getDesiredHealthy()).isEqualTo(2);
    assertThat(p.getStatus().getCurrentHealthy()).isEqualTo(3);
    assertThat(p.getStatus().getDisruptionsAllowed()).isEqualTo(1);
    assertThat(p.getStatus().getObservedGeneration()).isEqualTo(1L);
    Condition c = p.getStatus().getConditions().get(0);
    assertThat(c.getType()).isEqualTo("DisruptionAllowed");
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("SufficientPods");
  }

  @Test
  void aPercentageMaxUnavailableUsesTheDeploymentsScaleRoundedUp() {
    workload(3, 2);
    PodDisruptionBudget p = pdb(null, new IntOrString("50%"));
    // ceil(1.5) = 2 may be unavailable of 3: desired 1; 2 ready, so one disruption.
    assertThat(p.getStatus().getExpectedPods()).isEqualTo(3);
    assertThat(p.getStatus().getDesiredHealthy()).isEqualTo(1);
    assertThat(p.getStatus().getCurrentHealthy()).isEqualTo(2);
    assertThat(p.getStatus().getDisruptionsAllowed()).isEqualTo(1);
  }

  @Test
  void noDisruptionIsAllowedWhenTooFewPodsAreReady() {
    workload(3, 2);
    PodDisruptionBudget p = pdb(new IntOrString("50%"), null);
    assertThat(p.getStatus().getDesiredHealthy()).isEqualTo(2);
    assertThat(p.getStatus().getDisruptionsAllowed()).isZero();
    Condition c = p.getStatus().getConditions().get(0);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("InsufficientPods");
  }

  @Test
  void aPodBecomingReadyRaisesTheAllowance() {
    workload(3, 2);
    pdb(new IntOrString(2), null);
    f.markRunningReady("default", "web-abc-2");
    h.settle();
    PodDisruptionBudget p = h.ok(h.get(Resources.PODDISRUPTIONBUDGETS, "default", "web-pdb"),
        PodDisruptionBudget.class);
    assertThat(p.getStatus().getDisruptionsAllowed()).isEqualTo(1);
  }

  @Test
  void aBudgetWithoutPodsAllowsNothingAndSaysSo() {
    PodDisruptionBudget p = pdb(new IntOrString(1), null);
    assertThat(p.getStatus().getDisruptionsAllowed()).isZero();
    assertThat(p.getStatus().getExpectedPods()).isZero();
    assertThat(f.eventsAbout("web-pdb")).contains("NoPods: No matching pods found");
  }

  @Test
  void unmanagedPodsUnderAPercentageAreReported() {
    Pod p = Fixtures.pod("stray", "w1-k8s");
    h.created(p);
    f.markRunningReady("default", "stray");
    pdb(new IntOrString("50%"), null);
    assertThat(f.eventsAbout("web-pdb")).anySatisfy(e -> assertThat(e).startsWith("UnmanagedPods: Pods selected by "
        + "this PodDisruptionBudget"));
  }
}
