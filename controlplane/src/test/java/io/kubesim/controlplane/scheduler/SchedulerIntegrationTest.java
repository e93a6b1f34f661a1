package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
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
    System.out.println(d.render());
    assertThat(d.node()).isEqualTo(pod("web-1").getSpec().getNodeName());
    assertThat(d.verdict("m-k8s").plugin()).isEqualTo("TaintToleration");
    assertThat(d.scores()).hasSize(3);
  }
}
