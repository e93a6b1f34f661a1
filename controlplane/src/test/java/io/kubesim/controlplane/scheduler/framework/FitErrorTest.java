package io.kubesim.controlplane.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FitError.Error(): counts per reason, sorted as strings, then the PostFilter message. */
class FitErrorTest {

  static final String TAINT = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";
  static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";

  @Test
  void countsReasonsAndSortsThemAsStrings() {
    NodeToStatus s = new NodeToStatus();
    s.set("m-k8s", Status.unresolvable(TAINT));
    s.set("w1-k8s", Status.unresolvable(AFFINITY));
    s.set("w2-k8s", Status.unresolvable(AFFINITY));
    s.set("w3-k8s", Status.unresolvable(AFFINITY));
    assertThat(FitError.message(4, s, null, null)).isEqualTo(
        "0/4 nodes are available: 1 " + TAINT + ", 3 " + AFFINITY + ".");
  }

  @Test
  void appendsThePreemptionMessageAfterTheFilterReasons() {
    NodeToStatus s = new NodeToStatus();
    s.set("m-k8s", Status.unresolvable(TAINT));
    for (String n : new String[] {"w1-k8s", "w2-k8s", "w3-k8s"}) {
      s.set(n, Status.unresolvable(AFFINITY));
    }
    NodeToStatus preemption = new NodeToStatus();
    preemption.setAbsent(Status.unresolvable("Preemption is not helpful for scheduling"));
    String post = "preemption: " + FitError.message(4, preemption, null, null);
    assertThat(FitError.message(4, s, null, post)).isEqualTo("0/4 nodes are available: 1 node(s) had untolerated "
        + "taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. "
        + "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
  }

  @Test
  void aNodeWithSeveralReasonsCountsEachOfThem() {
    NodeToStatus s = new NodeToStatus();
    s.set("a", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    s.set("b", Status.unschedulable("Insufficient cpu"));
    assertThat(FitError.message(2, s, null, null))
        .isEqualTo("0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
  }

  @Test
  void nodesNotFilteredCountWithTheAbsentStatus() {
    NodeToStatus s = new NodeToStatus();
    s.set("a", Status.unschedulable("Insufficient cpu"));
    s.setAbsent(Status.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]"));
    assertThat(FitError.message(5, s, null, null)).isEqualTo(
        "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  }

  @Test
  void aPreFilterRejectionReplacesTheCounts() {
    NodeToStatus s = new NodeToStatus();
    s.setAbsent(Status.unresolvable("pod affinity terms conflict"));
    assertThat(FitError.message(3, s, "pod affinity terms conflict", null))
        .isEqualTo("0/3 nodes are available: pod affinity terms conflict.");
  }

  @Test
  void stringOrderPutsTenBeforeTwo() {
    NodeToStatus s = new NodeToStatus();
    for (int i = 0; i < 10; i++) {
      s.set("a" + i, Status.unschedulable("Insufficient cpu"));
    }
    s.set("b0", Status.unschedulable("Too many pods"));
    s.set("b1", Status.unschedulable("Too many pods"));
    // Go's sort.Strings on "10 ..." and "2 ...": '1' < '2'
    assertThat(FitError.message(12, s, null, null))
        .isEqualTo("0/12 nodes are available: 10 Insufficient cpu, 2 Too many pods.");
  }
}
