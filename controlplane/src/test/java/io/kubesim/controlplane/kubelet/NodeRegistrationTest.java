package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeRegistrationTest {

  private NodeFixture f;

  @BeforeEach
  void start() {
    f = new NodeFixture();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static NodeCondition condition(Node n, String type) {
    return n.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void registersTheNodeAndReportsItReady() {
    f.advanceSeconds(1);
    Node n = f.node();
    assertThat(n).isNotNull();
    NodeCondition ready = condition(n, "Ready");
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("KubeletReady");
    assertThat(ready.getMessage()).isEqualTo("kubelet is posting ready status");
    assertThat(condition(n, "MemoryPressure").getReason()).isEqualTo("KubeletHasSufficientMemory");
    assertThat(condition(n, "DiskPressure").getReason()).isEqualTo("KubeletHasNoDiskPressure");
    assertThat(condition(n, "PIDPressure").getReason()).isEqualTo("KubeletHasSufficientPID");
    assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.34.0");
    assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("containerd://1.7.27");
    assertThat(n.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "w1-k8s")
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(n.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=192.168.1.101", "Hostname=w1-k8s");
    assertThat(n.getStatus().getCapacity().get("memory").toString()).isEqualTo("4194304Ki");
    assertThat(n.getStatus().getAllocatable().get("memory").toString()).isEqualTo("4091904Ki");
  }

  @Test
  void recordsTheKubeletsStartupEventsOnTheNode() {
    f.advanceSeconds(1);
    assertThat(f.events("default", "w1-k8s")).containsExactly(
        "Starting: Starting kubelet.",
        "NodeHasSufficientMemory: Node w1-k8s status is now: NodeHasSufficientMemory",
        "NodeHasNoDiskPressure: Node w1-k8s status is now: NodeHasNoDiskPressure",
        "NodeHasSufficientPID: Node w1-k8s status is now: NodeHasSufficientPID",
        "NodeAllocatableEnforced: Updated Node Allocatable limit across pods",
        "NodeReady: Node w1-k8s status is now: NodeReady");
  }

  @Test
  void renewsItsLeaseEveryTenSeconds() {
    f.advanceSeconds(1);
    List<String> renewals = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Lease l = f.get(Resources.LEASES, "kube-node-lease", "w1-k8s", Lease.class);
      renewals.add(l.getSpec().getRenewTime().toInstant().toString());
      f.advanceSeconds(10);
    }
    Lease l = f.get(Resources.LEASES, "kube-node-lease", "w1-k8s", Lease.class);
    assertThat(l.getSpec().getHolderIdentity()).isEqualTo("w1-k8s");
    assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(l.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Node");
    assertThat(renewals).containsExactly("2026-01-01T00:00:00Z", "2026-01-01T00:00:10Z", "2026-01-01T00:00:20Z",
        "2026-01-01T00:00:30Z");
  }

  @Test
  void postsAnUnchangedStatusOnlyEveryFiveMinutes() {
    f.advanceSeconds(1);
    String firstHeartbeat = condition(f.node(), "Ready").getLastHeartbeatTime();
    f.advance(Duration.ofMinutes(4));
    assertThat(condition(f.node(), "Ready").getLastHeartbeatTime()).isEqualTo(firstHeartbeat);
    f.advance(Duration.ofMinutes(1).plusSeconds(10));
    assertThat(condition(f.node(), "Ready").getLastHeartbeatTime()).isNotEqualTo(firstHeartbeat);
  }
}
