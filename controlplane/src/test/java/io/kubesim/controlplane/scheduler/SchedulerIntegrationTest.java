package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.log.LogLine;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.testing.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerIntegrationTest {

  ControlPlaneHarness h;
  ActorRef<Scheduler.Command> scheduler;

  @BeforeEach
  void setUp() {
    h = new ControlPlaneHarness();
    for (Node n : Fixtures.defaultCluster()) {
      h.created(n);
    }
    scheduler = h.spawn(Scheduler.create(h.context(), SchedulerConfiguration.defaults()), "scheduler");
    h.settle();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  Pod pod(String name) {
    return h.ok(h.get(Resources.PODS, "default", name), Pod.class);
  }

  List<Event> events(String reason) {
    return h.list(Resources.EVENTS, "default", ListOptions.ALL).items().stream().map(Event.class::cast)
        .filter(e -> e.getReason().equals(reason)).collect(Collectors.toList());
  }

  SchedulingDecision explain(String name) {
    Recorder<Optional<SchedulingDecision>> r = h.kit.recorder();
    scheduler.tell(new Scheduler.Explain("default", name, r.ref()));
    h.settle();
    return r.single().orElse(null);
  }

  @Test
  void bindsAPendingPodToAWorkerAndRecordsScheduledEvent() {
    h.created(Fixtures.pod("web-1", "100m", "128Mi").build());
    h.settle();
    Pod p = pod("web-1");
    assertThat(p.getSpec().getNodeName()).isIn("w1-k8s", "w2-k8s", "w3-k8s");
    assertThat(events("Scheduled")).singleElement().satisfies(e -> {
      assertThat(e.getMessage()).isEqualTo("Successfully assigned default/web-1 to " + p.getSpec().getNodeName());
      assertThat(e.getType()).isEqualTo("Normal");
      assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
    });
    PodCondition cond = p.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled"))
        .findFirst().orElseThrow();
    assertThat(cond.getStatus()).isEqualTo("True");
  }

  @Test
  void untoleratedControlPlaneTaintAndNodeSelectorGiveTheExactFitError() {
    h.created(Fixtures.pod("web-1").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
    h.settle();
    String expected = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: "
        + "}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is "
        + "not helpful for scheduling.";
    assertThat(events("FailedScheduling")).singleElement().satisfies(e -> {
      assertThat(e.getMessage()).isEqualTo(expected);
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
    });
    PodCondition cond = pod("web-1").getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("PodScheduled")).findFirst().orElseThrow();
    assertThat(cond.getStatus()).isEqualTo("False");
    assertThat(cond.getReason()).isEqualTo("Unschedulable");
    assertThat(cond.getMessage()).isEqualTo(expected);
  }

  @Test
  void explainsWhyThePodWentWhereItWent() {
    h.created(Fixtures.pod("web-1", "100m", "128Mi").build());
    h.settle();
    SchedulingDecision d = explain("web-1");
    String node = pod("web-1").getSpec().getNodeName();
    assertThat(d.node()).isEqualTo(node);
    assertThat(d.verdict("m-k8s").plugin()).isEqualTo("TaintToleration");
    assertThat(d.scores()).hasSize(3);
    assertThat(d.scorePlugins()).containsExactly("TaintToleration", "NodeResourcesFit",
        "NodeResourcesBalancedAllocation", "ImageLocality");
    String table = d.render();
    assertThat(table).contains("Scheduled on " + node + " (4 nodes, 4 evaluated, 3 feasible)")
        .contains("* " + node + "  passed")
        .contains("m-k8s   TaintToleration: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
  }

  PodCondition condition(String pod, String type) {
    return pod(pod).getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElse(null);
  }

  List<String> logLines(String needle) {
    return h.logs.lines().stream().map(LogLine::text).filter(t -> t.contains(needle)).collect(Collectors.toList());
  }

  @Test
  void logsEachDecisionAtV2() {
    h.created(Fixtures.pod("web-1", "100m", "128Mi").build());
    h.settle();
    String node = pod("web-1").getSpec().getNodeName();
    assertThat(logLines("\"Successfully bound pod to node\" pod=\"default/web-1\" node=\"" + node
        + "\" evaluatedNodes=4 feasibleNodes=3")).hasSize(1);
  }

  @Test
  void assumedPodsCountBeforeTheirBindingIsSeen() {
    for (int i = 1; i <= 4; i++) {
      h.created(Fixtures.pod("big-" + i, "1500m", "128Mi").build());
    }
    h.settle();
    List<String> nodes = List.of("big-1", "big-2", "big-3", "big-4").stream().map(n -> pod(n).getSpec().getNodeName())
        .collect(Collectors.toList());
    assertThat(nodes.subList(0, 3)).containsExactlyInAnyOrder("w1-k8s", "w2-k8s", "w3-k8s");
    assertThat(nodes.get(3)).isNull();
    assertThat(events("FailedScheduling")).singleElement().extracting(Event::getMessage).isEqualTo(
        "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            + "3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, "
            + "3 No preemption victims found for incoming pod.");
  }

  @Test
  void preemptionEvictsALowerPriorityPodAndNominatesTheNode() {
    h.created(new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000).build());
    for (int i = 1; i <= 3; i++) {
      h.created(Fixtures.pod("low-" + i, "1500m", "128Mi").build());
    }
    h.settle();
    Pod high = h.created(Fixtures.pod("high", "1", "128Mi").editSpec().withPriorityClassName("high").endSpec()
        .build());
    h.settle();
    String nominated = pod("high").getStatus().getNominatedNodeName();
    assertThat(nominated).isIn("w1-k8s", "w2-k8s", "w3-k8s");
    Pod victim = List.of("low-1", "low-2", "low-3").stream().map(this::pod)
        .filter(p -> nominated.equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
    assertThat(victim.getMetadata().getDeletionTimestamp()).isNotNull();
    PodCondition disruption = condition(victim.getMetadata().getName(), "DisruptionTarget");
    assertThat(disruption.getStatus()).isEqualTo("True");
    assertThat(disruption.getReason()).isEqualTo("PreemptionByScheduler");
    assertThat(disruption.getMessage()).isEqualTo("default-scheduler: preempting to accommodate a higher priority pod");
    assertThat(events("Preempted")).singleElement().satisfies(e -> {
      assertThat(e.getMessage()).isEqualTo("Preempted by pod " + high.getMetadata().getUid() + " on node "
          + nominated);
      assertThat(e.getInvolvedObject().getName()).isEqualTo(victim.getMetadata().getName());
    });
    assertThat(pod("high").getSpec().getNodeName()).isNull();

    // the kubelet would finish the deletion; then the preemptor takes the room
    h.delete(Resources.PODS, "default", victim.getMetadata().getName(),
        new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build());
    h.settle();
    assertThat(pod("high").getSpec().getNodeName()).isEqualTo(nominated);
  }

  @Test
  void aPendingPodIsScheduledWhenAMatchingNodeJoins() {
    h.created(Fixtures.pod("gpu-job").editSpec().addToNodeSelector("gpu", "true").endSpec().build());
    h.settle();
    assertThat(pod("gpu-job").getSpec().getNodeName()).isNull();
    h.created(Fixtures.node("g1-k8s", "8", "32Gi").editMetadata().addToLabels("gpu", "true").endMetadata().build());
    h.settle();
    assertThat(pod("gpu-job").getSpec().getNodeName()).isEqualTo("g1-k8s");
  }

  @Test
  void cordonedNodesAreAvoidedUntilUncordoned() {
    for (String n : List.of("w1-k8s", "w2-k8s", "w3-k8s")) {
      h.patch(Resources.NODES, null, n, PatchType.STRATEGIC_MERGE_PATCH, "{\"spec\":{\"unschedulable\":true}}");
    }
    h.created(Fixtures.pod("web-1").build());
    h.settle();
    assertThat(condition("web-1", "PodScheduled").getMessage()).isEqualTo("0/4 nodes are available: 1 node(s) had "
        + "untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) were unschedulable. preemption: "
        + "0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    h.patch(Resources.NODES, null, "w2-k8s", PatchType.STRATEGIC_MERGE_PATCH, "{\"spec\":{\"unschedulable\":null}}");
    h.settle();
    assertThat(pod("web-1").getSpec().getNodeName()).isEqualTo("w2-k8s");
  }

  @Test
  void gatedPodsWaitWithoutFailingAndAreScheduledOnceTheGatesGo() {
    h.created(Fixtures.pod("gated").editSpec().addNewSchedulingGate("example.com/quota").endSpec().build());
    h.settle();
    assertThat(pod("gated").getSpec().getNodeName()).isNull();
    assertThat(events("FailedScheduling")).isEmpty();
    h.patch(Resources.PODS, "default", "gated", PatchType.MERGE_PATCH, "{\"spec\":{\"schedulingGates\":null}}");
    h.settle();
    assertThat(pod("gated").getSpec().getNodeName()).isNotNull();
  }

  @Test
  void podsOfAnotherSchedulerAreLeftAlone() {
    h.created(Fixtures.pod("other").editSpec().withSchedulerName("my-scheduler").endSpec().build());
    h.settle();
    assertThat(pod("other").getSpec().getNodeName()).isNull();
    assertThat(events("FailedScheduling")).isEmpty();
  }

  @Test
  void unschedulablePodsAreRetriedEveryFiveMinutes() {
    h.created(Fixtures.pod("web-1").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
    h.settle();
    h.advance(Duration.ofMinutes(5));
    assertThat(logLines("\"Unable to schedule pod; no fit; waiting\" pod=\"default/web-1\"")).hasSize(1);
    h.advance(Duration.ofSeconds(30));
    assertThat(logLines("\"Unable to schedule pod; no fit; waiting\" pod=\"default/web-1\"")).hasSize(2);
    assertThat(events("FailedScheduling")).singleElement().extracting(Event::getCount).isEqualTo(2);
  }

  @Test
  void explainsWhyAPodWasNotScheduled() {
    h.created(Fixtures.pod("web-1").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
    h.settle();
    SchedulingDecision d = explain("web-1");
    assertThat(d.scheduled()).isFalse();
    assertThat(d.message()).startsWith("0/4 nodes are available");
    assertThat(d.verdict("w1-k8s").plugin()).isEqualTo("NodeAffinity");
    assertThat(d.render()).contains("NodeAffinity: node(s) didn't match Pod's node affinity/selector");
  }

  @Test
  void forgetsTheDecisionsOfDeletedPods() {
    h.created(Fixtures.pod("web-1").build());
    h.settle();
    h.delete(Resources.PODS, "default", "web-1", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build());
    h.settle();
    assertThat(explain("web-1")).isNull();
  }

  @Test
  void answersExplainForAPodItNeverTriedWithNothing() {
    Recorder<Optional<SchedulingDecision>> r = h.kit.recorder();
    scheduler.tell(new Scheduler.Explain("default", "nobody", r.ref()));
    h.settle();
    assertThat(r.single()).isEmpty();
  }

  @Test
  void reportsItsCountersAndQueues() {
    h.created(Fixtures.pod("web-1", "100m", "128Mi").build());
    h.created(Fixtures.pod("stuck").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
    h.settle();
    Recorder<Scheduler.Stats> r = h.kit.recorder();
    scheduler.tell(new Scheduler.GetStats(r.ref()));
    h.settle();
    Scheduler.Stats s = r.single();
    assertThat(s.synced()).isTrue();
    assertThat(s.nodes()).isEqualTo(4);
    assertThat(s.scheduled()).isEqualTo(1);
    assertThat(s.unschedulable()).isEqualTo(1);
    assertThat(s.attempts()).isEqualTo(2);
  }
}
