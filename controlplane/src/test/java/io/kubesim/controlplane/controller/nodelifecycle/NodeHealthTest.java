package io.kubesim.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(40);
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private static Node node(String readyStatus, String heartbeat) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName("w1").withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().withNewStatus().endStatus();
    if (readyStatus != null) {
      b.editStatus().addNewCondition().withType("Ready").withStatus(readyStatus).withReason("KubeletReady")
          .withLastHeartbeatTime(heartbeat).withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
          .addNewCondition().withType("MemoryPressure").withStatus("False").withLastHeartbeatTime(heartbeat)
          .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().endStatus();
    }
    return b.build();
  }

  private static Lease lease(Instant renew) {
    return new LeaseBuilder().withNewMetadata().withName("w1").endMetadata().withNewSpec()
        .withRenewTime(renew.atZone(ZoneOffset.UTC)).endSpec().build();
  }

  private static NodeCondition cond(NodeHealth.Evaluation e, String type) {
    return NodeHealth.condition(e.statusToWrite(), type);
  }

  @Test
  void aNodeFirstSeenIsTimedFromTheControllersNow() {
    NodeHealth.Evaluation e = NodeHealth.evaluate(node("True", "2026-01-01T00:00:00Z"), null, null,
        T0.plusSeconds(7), GRACE, STARTUP);
    assertThat(e.firstSeen()).isTrue();
    assertThat(e.health().probeTimestamp()).isEqualTo(T0.plusSeconds(7));
    assertThat(e.statusToWrite()).isNull();
  }

  @Test
  void silenceUpToTheGracePeriodChangesNothing() {
    Node n = node("True", "2026-01-01T00:00:00Z");
    NodeHealth.Data seen = NodeHealth.evaluate(n, null, null, T0, GRACE, STARTUP).health();
    NodeHealth.Evaluation e = NodeHealth.evaluate(n, seen, null, T0.plusSeconds(40), GRACE, STARTUP);
    assertThat(e.statusToWrite()).isNull();
    assertThat(e.currentReady().getStatus()).isEqualTo("True");
  }

  @Test
  void silenceBeyondTheGracePeriodTurnsTheConditionsUnknown() {
    Node n = node("True", "2026-01-01T00:00:00Z");
    NodeHealth.Data seen = NodeHealth.evaluate(n, null, null, T0, GRACE, STARTUP).health();
    NodeHealth.Evaluation e = NodeHealth.evaluate(n, seen, null, T0.plusSeconds(45), GRACE, STARTUP);
    assertThat(e.observedReady().getStatus()).isEqualTo("True");
    assertThat(e.currentReady().getStatus()).isEqualTo("Unknown");
    NodeCondition ready = cond(e, "Ready");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:45Z");
    assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(cond(e, "MemoryPressure").getStatus()).isEqualTo("Unknown");
    // DiskPressure and PIDPressure were never posted: added as NodeStatusNeverUpdated.
    NodeCondition disk = cond(e, "DiskPressure");
    assertThat(disk.getStatus()).isEqualTo("Unknown");
    assertThat(disk.getReason()).isEqualTo("NodeStatusNeverUpdated");
    assertThat(disk.getMessage()).isEqualTo("Kubelet never posted node status.");
    assertThat(cond(e, "PIDPressure").getReason()).isEqualTo("NodeStatusNeverUpdated");
  }

  @Test
  void aRenewedLeaseIsASignOfLife() {
    Node n = node("True", "2026-01-01T00:00:00Z");
    NodeHealth.Data seen = NodeHealth.evaluate(n, null, lease(T0), T0, GRACE, STARTUP).health();
    NodeHealth.Data renewed = NodeHealth.evaluate(n, seen, lease(T0.plusSeconds(30)), T0.plusSeconds(30), GRACE,
        STARTUP).health();
    assertThat(renewed.probeTimestamp()).isEqualTo(T0.plusSeconds(30));
    NodeHealth.Evaluation e = NodeHealth.evaluate(n, renewed, lease(T0.plusSeconds(30)), T0.plusSeconds(65), GRACE,
        STARTUP);
    assertThat(e.statusToWrite()).isNull();
  }

  @Test
  void theProbeTimeIsTheControllersNotTheKubeletsTimestamp() {
    NodeHealth.Data seen = NodeHealth.evaluate(node("True", "2026-01-01T00:00:00Z"), null, null, T0, GRACE,
        STARTUP).health();
    // A heartbeat stamped far in the past by a skewed kubelet still counts at the controller's time.
    NodeHealth.Data after = NodeHealth.evaluate(node("True", "2025-06-01T00:00:00Z"), seen, null,
        T0.plusSeconds(20), GRACE, STARTUP).health();
    assertThat(after.probeTimestamp()).isEqualTo(T0.plusSeconds(20));
  }

  @Test
  void aNodeThatNeverPostedGetsTheStartupGraceFromItsCreation() {
    Node n = node(null, null);
    NodeHealth.Evaluation first = NodeHealth.evaluate(n, null, null, T0.plusSeconds(30), GRACE, STARTUP);
    assertThat(first.gracePeriod()).isEqualTo(STARTUP);
    assertThat(first.statusToWrite()).isNull();
    NodeHealth.Evaluation later = NodeHealth.evaluate(n, first.health(), null, T0.plusSeconds(61), GRACE, STARTUP);
    NodeCondition ready = cond(later, "Ready");
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusNeverUpdated");
  }

  @Test
  void anUnchangedStatusAndLeaseAreEvaluatedAsTheFullCheckWould() {
    Node n = node("True", "2026-01-01T00:00:00Z");
    Lease l = lease(T0);
    NodeHealth.Data seen = NodeHealth.evaluate(n, null, l, T0, GRACE, STARTUP).health();
    seen = NodeHealth.evaluate(n, seen, l, T0.plusSeconds(5), GRACE, STARTUP).health();
    for (int s : new int[] {10, 45, 46}) {
      NodeHealth.Evaluation fast = NodeHealth.evaluate(n, seen, l, T0.plusSeconds(s), GRACE, STARTUP);
      // The same inputs as equal but distinct objects take the full path.
      NodeHealth.Data copy = new NodeHealth.Data(seen.probeTimestamp(), seen.readyTransitionTimestamp(),
          new io.fabric8.kubernetes.api.model.NodeStatusBuilder(seen.status()).build(), seen.lease());
      Node n2 = new NodeBuilder(n).withStatus(copy.status()).build();
      NodeHealth.Evaluation full = NodeHealth.evaluate(n2, copy, l, T0.plusSeconds(s), GRACE, STARTUP);
      assertThat(fast.health().probeTimestamp()).as("t+%d", s).isEqualTo(full.health().probeTimestamp());
      assertThat(fast.health().lease()).isSameAs(full.health().lease());
      assertThat(fast.currentReady()).isEqualTo(full.currentReady());
      assertThat(fast.statusToWrite()).isEqualTo(full.statusToWrite());
      assertThat(fast.stale()).isEqualTo(full.stale());
    }
  }

  @Test
  void aRenewedLeaseWithAnUnchangedStatusIsEvaluatedAsTheFullCheckWould() {
    Node n = node("True", "2026-01-01T00:00:00Z");
    NodeHealth.Data seen = NodeHealth.evaluate(n, null, lease(T0), T0, GRACE, STARTUP).health();
    for (int s : new int[] {10, 39, 45}) {
      for (int renewedAt : new int[] {0, s}) {
        Lease l = lease(T0.plusSeconds(renewedAt));
        NodeHealth.Evaluation fast = NodeHealth.evaluate(n, seen, l, T0.plusSeconds(s), GRACE, STARTUP);
        NodeHealth.Data copy = new NodeHealth.Data(seen.probeTimestamp(), seen.readyTransitionTimestamp(),
            new io.fabric8.kubernetes.api.model.NodeStatusBuilder(seen.status()).build(), seen.lease());
        Node n2 = new NodeBuilder(n).withStatus(copy.status()).build();
        NodeHealth.Evaluation full = NodeHealth.evaluate(n2, copy, l, T0.plusSeconds(s), GRACE, STARTUP);
        String at = "t+" + s + ", renewed at t+" + renewedAt;
        assertThat(fast.health().probeTimestamp()).as(at).isEqualTo(full.health().probeTimestamp());
        assertThat(fast.health().readyTransitionTimestamp()).as(at)
            .isEqualTo(full.health().readyTransitionTimestamp());
        assertThat(fast.health().lease()).as(at).isSameAs(full.health().lease());
        assertThat(fast.currentReady()).as(at).isEqualTo(full.currentReady());
        assertThat(fast.statusToWrite()).as(at).isEqualTo(full.statusToWrite());
        assertThat(fast.stale()).as(at).isEqualTo(full.stale());
      }
    }
  }
}
