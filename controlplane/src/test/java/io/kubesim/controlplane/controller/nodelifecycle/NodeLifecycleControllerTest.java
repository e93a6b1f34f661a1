package io.kubesim.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;
  private final Set<String> alive = new LinkedHashSet<>();
  private long elapsedMs;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private void cluster(String... names) {
    for (String n : names) {
      f.registerNode(n);
      alive.add(n);
    }
  }

  private void startController(ControllerManagerSettings settings) {
    h.spawn(NodeLifecycleController.create(h.context(), settings), "node-lifecycle");
    h.settle();
  }

  /** Moves time in 100 ms steps; the live kubelets renew their lease every 10 s, as a kubelet does. */
  private void runFor(Duration d) {
    long end = elapsedMs + d.toMillis();
    while (elapsedMs < end) {
      h.advance(Duration.ofMillis(100));
      elapsedMs += 100;
      if (elapsedMs % 10_000 == 0) {
        for (String n : alive) {
          f.renewLease(n);
        }
      }
    }
  }

  @Test
  void nodeGetsUnreachableTaintsFortySecondsAfterLastHeartbeat() {
    cluster("w1-k8s", "w2-k8s", "w3-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w3-k8s");

    runFor(Duration.ofMillis(44_900));
    assertThat(f.readyStatus("w3-k8s")).isEqualTo("True");
    assertThat(f.taints("w3-k8s")).isEmpty();

    // The first monitor pass more than 40 s after the last heartbeat it saw (at 0 s) is at 45 s.
    runFor(Duration.ofMillis(100));
    assertThat(f.readyStatus("w3-k8s")).isEqualTo("Unknown");
    assertThat(f.taintStrings("w3-k8s")).containsExactly("node.kubernetes.io/unreachable:NoSchedule");

    // NoExecute goes through the zone's rate-limited queue on the next pass (the observed condition
    // is still True in the pass that wrote Unknown), drained on the next 100 ms tick.
    runFor(Duration.ofSeconds(5));
    assertThat(f.taintStrings("w3-k8s")).containsExactly("node.kubernetes.io/unreachable:NoSchedule");
    runFor(Duration.ofMillis(100));
    assertThat(f.taintStrings("w3-k8s")).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/unreachable:NoExecute");
    assertThat(f.readyStatus("w1-k8s")).isEqualTo("True");
    assertThat(f.taints("w1-k8s")).isEmpty();
  }

  @Test
  void unknownConditionsCarryTheControllersReasonAndMessage() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w2-k8s");
    runFor(Duration.ofSeconds(46));
    Node n = f.node("w2-k8s");
    assertThat(n.getStatus().getConditions()).filteredOn(c -> !c.getType().equals("NetworkUnavailable"))
        .allSatisfy(c -> {
          assertThat(c.getStatus()).isEqualTo("Unknown");
          assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
          assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
          assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:45Z");
        });
  }

  @Test
  void podsOnAnUnreachableNodeAreMarkedNotReadyWithAnEvent() {
    cluster("w1-k8s", "w2-k8s");
    h.created(Fixtures.pod("p1", "w2-k8s"));
    f.markRunningReady("default", "p1");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w2-k8s");
    runFor(Duration.ofSeconds(46));

    Pod p = f.get("default", "p1");
    assertThat(Pods.isReady(p)).isFalse();
    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    assertThat(Pods.condition(p, "ContainersReady").getStatus()).isEqualTo("True");
    assertThat(f.eventsAbout("p1")).containsExactly("NodeNotReady: Node is not ready");
    assertThat(f.eventsAbout("w2-k8s")).contains("NodeNotReady: Node w2-k8s status is now: NodeNotReady");
  }

  @Test
  void registeredNodesGetAnEventAndALogLine() {
    cluster("w1-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    assertThat(f.eventsAbout("w1-k8s")).containsExactly("RegisteredNode: Node w1-k8s event: Registered Node w1-k8s in Controller");
    assertThat(f.logLines("node-lifecycle")).anySatisfy(l ->
        assertThat(l).endsWith("node-lifecycle] \"Controller observed a new Node\" node=\"w1-k8s\""));
  }

  @Test
  void theUnresponsiveNodeIsLoggedAsTheRealControllerLogsIt() {
    cluster("w1-k8s", "w3-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w3-k8s");
    runFor(Duration.ofSeconds(51));
    assertThat(f.logLines("node-lifecycle")).contains(
        "I0101 00:00:50.000000 node-lifecycle] \"Node is unresponsive. Adding it to the Taint queue\" "
            + "node=\"w3-k8s\" timeStamp=\"2026-01-01 00:00:50 +0000 UTC\"");
  }

  @Test
  void noExecuteTaintsAreLiftedWhenTheNodeIsReadyAgain() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w2-k8s");
    runFor(Duration.ofSeconds(60));
    assertThat(f.taintStrings("w2-k8s")).contains("node.kubernetes.io/unreachable:NoExecute");

    alive.add("w2-k8s");
    f.renewLease("w2-k8s");
    f.postReady("w2-k8s", true);
    runFor(Duration.ofSeconds(5));
    assertThat(f.readyStatus("w2-k8s")).isEqualTo("True");
    assertThat(f.taints("w2-k8s")).isEmpty();
  }

  @Test
  void aNodeThatRecoveredAndFailsAgainIsTaintedAgain() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w2-k8s");
    runFor(Duration.ofSeconds(60));
    alive.add("w2-k8s");
    f.renewLease("w2-k8s");
    f.postReady("w2-k8s", true);
    // Several quiet passes over the healthy node, then a second failure.
    runFor(Duration.ofSeconds(30));
    assertThat(f.taints("w2-k8s")).isEmpty();
    alive.remove("w2-k8s");
    runFor(Duration.ofSeconds(60));
    assertThat(f.readyStatus("w2-k8s")).isEqualTo("Unknown");
    assertThat(f.taintStrings("w2-k8s")).contains("node.kubernetes.io/unreachable:NoExecute");
    // And back once more: lifted again.
    alive.add("w2-k8s");
    f.renewLease("w2-k8s");
    f.postReady("w2-k8s", true);
    runFor(Duration.ofSeconds(5));
    assertThat(f.taints("w2-k8s")).isEmpty();
  }

  @Test
  void aNotReadyNodeGetsTheNotReadyTaints() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    runFor(Duration.ofSeconds(1));
    f.postReady("w2-k8s", false);
    runFor(Duration.ofMillis(100));
    assertThat(f.taintStrings("w2-k8s")).containsExactly("node.kubernetes.io/not-ready:NoSchedule");
    runFor(Duration.ofSeconds(5));
    assertThat(f.taintStrings("w2-k8s")).containsExactlyInAnyOrder("node.kubernetes.io/not-ready:NoSchedule",
        "node.kubernetes.io/not-ready:NoExecute");
  }

  @Test
  void cordoningAddsTheUnschedulableTaint() {
    cluster("w1-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    Node n = f.node("w1-k8s");
    h.update(new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
    h.settle();
    List<Taint> taints = f.taints("w1-k8s");
    assertThat(taints).extracting(t -> t.getKey() + ":" + t.getEffect())
        .containsExactly("node.kubernetes.io/unschedulable:NoSchedule");
    assertThat(taints.get(0).getTimeAdded()).isNotNull();
  }

  @Test
  void nodesAreTaintedOneEveryTenSecondsInAHealthyZone() {
    cluster("w1-k8s", "w2-k8s", "w3-k8s", "w4-k8s", "w5-k8s", "w6-k8s", "w7-k8s", "w8-k8s", "w9-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w8-k8s");
    alive.remove("w9-k8s");
    runFor(Duration.ofMillis(50_100));
    long tainted = countNoExecute("w8-k8s", "w9-k8s");
    assertThat(tainted).isEqualTo(1);
    runFor(Duration.ofSeconds(9));
    assertThat(countNoExecute("w8-k8s", "w9-k8s")).isEqualTo(1);
    runFor(Duration.ofSeconds(1));
    assertThat(countNoExecute("w8-k8s", "w9-k8s")).isEqualTo(2);
  }

  @Test
  void aPartiallyDisruptedSmallZoneStopsTainting() {
    cluster("w1-k8s", "w2-k8s", "w3-k8s", "w4-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.remove("w2-k8s");
    alive.remove("w3-k8s");
    alive.remove("w4-k8s");
    runFor(Duration.ofSeconds(120));
    // 3 of 4 not ready (>= 55 %, more than 2): PartialDisruption, and a zone of 50 nodes or fewer gets rate 0.
    assertThat(countNoExecute("w2-k8s", "w3-k8s", "w4-k8s")).isZero();
    assertThat(f.logLines("node-lifecycle")).anySatisfy(l -> assertThat(l)
        .contains("\"Controller detected that zone is now in new state\" zone=\"\" newState=\"PartialDisruption\""));
  }

  @Test
  void whenEveryNodeIsDownTheControllerEntersMasterDisruptionModeAndTaintsNothing() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    alive.clear();
    runFor(Duration.ofSeconds(120));
    assertThat(countNoExecute("w1-k8s", "w2-k8s")).isZero();
    assertThat(f.logLines("node-lifecycle")).anySatisfy(l -> assertThat(l)
        .contains("Controller detected that all Nodes are not-Ready. Entering master disruption mode"));
  }

  @Test
  void theGracePeriodIsASetting() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT.withNodeMonitorGracePeriod(Duration.ofSeconds(50)));
    alive.remove("w2-k8s");
    runFor(Duration.ofMillis(50_100));
    assertThat(f.readyStatus("w2-k8s")).isEqualTo("True");
    runFor(Duration.ofSeconds(5));
    assertThat(f.readyStatus("w2-k8s")).isEqualTo("Unknown");
  }

  private long countNoExecute(String... nodes) {
    long n = 0;
    for (String node : nodes) {
      if (f.taintStrings(node).stream().anyMatch(t -> t.endsWith(":NoExecute"))) {
        n++;
      }
    }
    return n;
  }

  @SuppressWarnings("unused")
  private static Map<String, String> zone(String z) {
    return Map.of("topology.kubernetes.io/zone", z);
  }

  @Test
  void aDeletedNodeIsRemovedFromTheControllerWithAnEvent() {
    cluster("w1-k8s", "w2-k8s");
    startController(ControllerManagerSettings.DEFAULT);
    h.delete(Resources.NODES, null, "w2-k8s", null);
    runFor(Duration.ofSeconds(5));
    assertThat(f.eventsAbout("w2-k8s")).contains("RemovingNode: Node w2-k8s event: Removing Node w2-k8s from Controller");
  }
}
