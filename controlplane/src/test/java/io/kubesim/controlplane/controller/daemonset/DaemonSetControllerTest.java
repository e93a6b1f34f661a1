package io.kubesim.controlplane.controller.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DaemonSetControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    f.registerNode("m-k8s");
    h.patch(Resources.NODES, null, "m-k8s", PatchType.MERGE_PATCH,
        "{\"spec\":{\"taints\":[{\"key\":\"node-role.kubernetes.io/control-plane\",\"effect\":\"NoSchedule\"}]}}");
    f.registerNode("w1-k8s");
    f.registerNode("w2-k8s");
    h.spawn(DaemonSetController.create(h.context(), ControllerManagerSettings.DEFAULT), "daemonset");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static DaemonSet daemonSet(String name, List<Toleration> tolerations) {
    return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate()
        .withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().withTolerations(tolerations)
        .addNewContainer().withName("agent").withImage("fluentd:1.16").endContainer().endSpec().endTemplate()
        .endSpec().build();
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

  /** Live pods by the node they are pinned to. */
  private Map<String, String> podsByNode(String app) {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : podsOf(app)) {
      if (!Pods.terminating(p)) {
        out.put(DaemonPods.targetNodeName(p), p.getMetadata().getName());
      }
    }
    return out;
  }

  private DaemonSet ds(String name) {
    return h.ok(h.get(Resources.DAEMONSETS, "default", name), DaemonSet.class);
  }

  /** The scheduler and the kubelets: bind each pod to its pinned node and report it running and ready. */
  private void runPods(String app) {
    for (Pod p : podsOf(app)) {
      if (Pods.terminating(p)) {
        f.finishDeletion("default", p.getMetadata().getName());
        continue;
      }
      if (Pods.nodeName(p).isEmpty()) {
        f.bind("default", p.getMetadata().getName(), DaemonPods.targetNodeName(p));
      }
      if (!Pods.isReady(f.get("default", p.getMetadata().getName()))) {
        f.markRunningReady("default", p.getMetadata().getName());
      }
    }
    h.settle();
  }

  @Test
  void runsOnePodOnEachWorkerPinnedToItsNodeByNodeAffinity() {
    h.created(daemonSet("agent", null));
    h.settle();
    assertThat(podsByNode("agent")).containsOnlyKeys("w1-k8s", "w2-k8s");
    for (Pod p : podsOf("agent")) {
      assertThat(p.getSpec().getNodeName()).isNull();
      assertThat(p.getMetadata().getName()).matches("agent-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(Owners.controllerOf(p).getKind()).isEqualTo("DaemonSet");
    }
    assertThat(f.eventsAbout("agent")).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("SuccessfulCreate: Created pod: agent-"));
  }

  @Test
  void aDaemonSetToleratingTheControlPlaneTaintRunsThereToo() {
    h.created(daemonSet("agent", List.of(DaemonPodsTest.tolerate("node-role.kubernetes.io/control-plane",
        "NoSchedule"))));
    h.settle();
    assertThat(podsByNode("agent")).containsOnlyKeys("m-k8s", "w1-k8s", "w2-k8s");
  }

  @Test
  void daemonPodsCarryTheDaemonSetTolerationsAndTheRevisionLabels() {
    h.created(daemonSet("agent", null));
    h.settle();
    Pod p = podsOf("agent").get(0);
    List<String> tolerations = new ArrayList<>();
    for (Toleration t : p.getSpec().getTolerations()) {
      tolerations.add(t.getKey() + ":" + t.getEffect() + (t.getTolerationSeconds() == null ? "" : "=" + t.getTolerationSeconds()));
    }
    assertThat(tolerations).contains("node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
        "node.kubernetes.io/unschedulable:NoSchedule", "node.kubernetes.io/disk-pressure:NoSchedule");
    assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-generation", "1")
        .containsKey("controller-revision-hash");
    List<ControllerRevision> revisions = f.list(Resources.CONTROLLERREVISIONS, "default");
    assertThat(revisions).hasSize(1);
    ControllerRevision cr = revisions.get(0);
    assertThat(cr.getMetadata().getName()).isEqualTo("agent-" + p.getMetadata().getLabels().get("controller-revision-hash"));
    assertThat(cr.getRevision()).isEqualTo(1L);
    assertThat(Owners.controllerOf(cr).getName()).isEqualTo("agent");
    assertThat(ds("agent").getMetadata().getAnnotations()).containsEntry("deprecated.daemonset.template.generation", "1");
  }

  @Test
  void statusCountsScheduledReadyAvailableAndUpdatedPods() {
    h.created(daemonSet("agent", null));
    h.settle();
    var s = ds("agent").getStatus();
    assertThat(s.getDesiredNumberScheduled()).isEqualTo(2);
    assertThat(s.getCurrentNumberScheduled()).isEqualTo(2);
    assertThat(s.getNumberReady()).isZero();
    assertThat(s.getNumberUnavailable()).isEqualTo(2);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    runPods("agent");
    s = ds("agent").getStatus();
    assertThat(s.getNumberReady()).isEqualTo(2);
    assertThat(s.getNumberAvailable()).isEqualTo(2);
    assertThat(s.getUpdatedNumberScheduled()).isEqualTo(2);
    assertThat(s.getNumberUnavailable()).isNull();
    assertThat(s.getNumberMisscheduled()).isZero();
  }

  @Test
  void aNodeLabelledToMatchGetsAPodAndOneUnlabelledLosesIt() {
    DaemonSet def = daemonSet("agent", null);
    def.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("logging", "on"));
    h.created(def);
    h.settle();
    assertThat(podsByNode("agent")).isEmpty();
    h.patch(Resources.NODES, null, "w1-k8s", PatchType.MERGE_PATCH, "{\"metadata\":{\"labels\":{\"logging\":\"on\"}}}");
    h.settle();
    assertThat(podsByNode("agent")).containsOnlyKeys("w1-k8s");
    runPods("agent");
    h.patch(Resources.NODES, null, "w1-k8s", PatchType.MERGE_PATCH, "{\"metadata\":{\"labels\":{\"logging\":null}}}");
    h.settle();
    assertThat(podsByNode("agent")).isEmpty();
    assertThat(f.eventsAbout("agent")).anySatisfy(e -> assertThat(e).startsWith("SuccessfulDelete: Deleted pod: agent-"));
  }

  @Test
  void anUntoleratedNoExecuteTaintRemovesThePodButANoScheduleOneDoesNot() {
    h.created(daemonSet("agent", null));
    h.settle();
    runPods("agent");
    h.patch(Resources.NODES, null, "w1-k8s", PatchType.MERGE_PATCH,
        "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}}");
    h.settle();
    assertThat(podsByNode("agent")).containsOnlyKeys("w1-k8s", "w2-k8s");
    assertThat(ds("agent").getStatus().getDesiredNumberScheduled()).isEqualTo(1);
    assertThat(ds("agent").getStatus().getNumberMisscheduled()).isEqualTo(1);
    h.patch(Resources.NODES, null, "w2-k8s", PatchType.MERGE_PATCH,
        "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoExecute\"}]}}");
    h.settle();
    assertThat(podsByNode("agent")).containsOnlyKeys("w1-k8s");
  }

  @Test
  void aFailedDaemonPodIsDeletedAndReplaced() {
    h.created(daemonSet("agent", null));
    h.settle();
    runPods("agent");
    Pod victim = podsByNode("agent").entrySet().stream().filter(e -> e.getKey().equals("w1-k8s"))
        .map(e -> f.get("default", e.getValue())).findFirst().orElseThrow();
    Pod failed = new PodBuilder(victim).editStatus().withPhase("Failed").endStatus().build();
    h.ok(h.updateStatus(failed), Pod.class);
    h.settle();
    assertThat(f.eventsAbout("agent")).contains("FailedDaemonPod: Found failed daemon pod default/"
        + victim.getMetadata().getName() + " on node w1-k8s, will try to kill it");
    // The kubelet removes the pod it no longer runs; the controller starts a new one there.
    h.delete(Resources.PODS, "default", victim.getMetadata().getName(),
        new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder().withGracePeriodSeconds(0L).build());
    h.settle();
    assertThat(podsByNode("agent")).containsKey("w1-k8s");
    assertThat(podsByNode("agent").get("w1-k8s")).isNotEqualTo(victim.getMetadata().getName());
  }

  @Test
  void rollingUpdateReplacesOnePodAtATimeWithinMaxUnavailable() {
    h.created(daemonSet("agent", null));
    h.settle();
    runPods("agent");
    String oldHash = podsOf("agent").get(0).getMetadata().getLabels().get("controller-revision-hash");
    h.patch(Resources.DAEMONSETS, "default", "agent", PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"fluentd:1.17\"}]}}}}");
    h.settle();
    List<Pod> terminating = podsOf("agent").stream().filter(Pods::terminating).toList();
    assertThat(terminating).hasSize(1);
    assertThat(ds("agent").getMetadata().getAnnotations()).containsEntry("deprecated.daemonset.template.generation", "2");
    for (int i = 0; i < 6; i++) {
      runPods("agent");
      h.advance(Duration.ofSeconds(1));
    }
    List<Pod> live = podsOf("agent").stream().filter(p -> !Pods.terminating(p)).toList();
    assertThat(live).hasSize(2).allSatisfy(p -> {
      assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("fluentd:1.17");
      assertThat(p.getMetadata().getLabels().get("controller-revision-hash")).isNotEqualTo(oldHash);
      assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-generation", "2");
    });
    List<ControllerRevision> revisions = f.list(Resources.CONTROLLERREVISIONS, "default");
    assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactlyInAnyOrder(1L, 2L);
    assertThat(ds("agent").getStatus().getUpdatedNumberScheduled()).isEqualTo(2);
  }

  @Test
  void theStatusReadyTimeAnchorsAvailabilityWithMinReadySeconds() {
    DaemonSet def = daemonSet("agent", null);
    def.getSpec().setMinReadySeconds(10);
    h.created(def);
    h.settle();
    runPods("agent");
    assertThat(ds("agent").getStatus().getNumberReady()).isEqualTo(2);
    assertThat(ds("agent").getStatus().getNumberAvailable()).isNull();
    h.advance(Duration.ofSeconds(12));
    assertThat(ds("agent").getStatus().getNumberAvailable()).isEqualTo(2);
    assertThat(Times.parse(ds("agent").getMetadata().getCreationTimestamp())).isNotNull();
  }

  @Test
  void anEmptySelectorIsRefusedWithSelectingAll() {
    DaemonSet def = daemonSet("agent", null);
    def.getSpec().setSelector(new io.fabric8.kubernetes.api.model.LabelSelector());
    // The apiserver rejects an empty selector outright; the controller's guard is for objects that slip by.
    assertThat(h.create(def)).isInstanceOf(io.kubesim.shared.api.Api.Failed.class);
  }

  @Test
  void rollingUpdateWithMaxSurgeStartsTheNewPodBeforeDeletingTheOld() {
    DaemonSet def = daemonSet("agent", null);
    def.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder()
        .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
    h.created(def);
    h.settle();
    runPods("agent");
    h.patch(Resources.DAEMONSETS, "default", "agent", PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"fluentd:1.17\"}]}}}}");
    h.settle();
    // maxSurge 1: one new pod beside its old one, nothing deleted yet.
    assertThat(podsOf("agent")).hasSize(3).noneMatch(Pods::terminating);
    runPods("agent");
    h.settle();
    for (int i = 0; i < 4; i++) {
      runPods("agent");
    }
    List<Pod> live = podsOf("agent").stream().filter(p -> !Pods.terminating(p)).toList();
    assertThat(live).hasSize(2).allSatisfy(p ->
        assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("fluentd:1.17"));
  }
}
