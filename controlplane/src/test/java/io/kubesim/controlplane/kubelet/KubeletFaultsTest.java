package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubesim.nodeagent.kubelet.Kubelet;
import io.kubesim.shared.api.Resources;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeletFaultsTest {

  private NodeFixture f;

  @BeforeEach
  void start() {
    f = new NodeFixture();
    f.advanceSeconds(1);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private Instant renewTime() {
    return f.get(Resources.LEASES, "kube-node-lease", "w1-k8s", Lease.class).getSpec().getRenewTime().toInstant();
  }

  @Test
  void aRestartedKubeletKeepsTheRunningContainers() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    ContainerStatus before = f.pod("web").getStatus().getContainerStatuses().get(0);
    f.stopKubelet();
    f.advanceSeconds(30);
    f.startKubelet();
    f.advanceSeconds(15);
    ContainerStatus after = f.pod("web").getStatus().getContainerStatuses().get(0);
    assertThat(after.getContainerID()).isEqualTo(before.getContainerID());
    assertThat(after.getRestartCount()).isZero();
    assertThat(after.getState().getRunning().getStartedAt()).isEqualTo(before.getState().getRunning().getStartedAt());
    assertThat(f.pod("web").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void aRestartedKubeletTakesOverItsNodeAndLease() {
    f.stopKubelet();
    f.advanceSeconds(30);
    Instant stale = renewTime();
    f.startKubelet();
    f.advanceSeconds(2);
    assertThat(renewTime()).isAfter(stale);
    assertThat(f.logLines("Node was previously registered")).hasSize(1);
  }

  @Test
  void aPartitionStopsLeaseRenewalsAndHealingResumesThem() {
    Instant before = renewTime();
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(90);
    assertThat(renewTime()).isEqualTo(before);
    assertThat(f.logLines("\"Failed to update lease\"")).isNotEmpty();
    assertThat(f.logLines("\"Failed to update lease\"").get(0)).contains("context deadline exceeded");
    f.kubelet.tell(new Kubelet.SetNetwork(true));
    f.advanceSeconds(1);
    assertThat(renewTime()).isAfter(before.plusSeconds(90));
  }

  @Test
  void containersKeepRunningThroughAPartition() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    String id = f.pod("web").getStatus().getContainerStatuses().get(0).getContainerID();
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(120);
    f.kubelet.tell(new Kubelet.SetNetwork(true));
    f.advanceSeconds(15);
    ContainerStatus cs = f.pod("web").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getContainerID()).isEqualTo(id);
    assertThat(cs.getRestartCount()).isZero();
  }

  @Test
  void theStatusCheckReadsTheNodeListerAndAsksTheApiserverOnlyToPostOrRetry() {
    // kubelet_node_status.go tryUpdateNodeStatus (v1.30+): the first try reads the node lister, so
    // a partitioned kubelet whose status is unchanged sends nothing until the 5-minute report.
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(120);
    assertThat(f.logLines("Error updating node status")).isEmpty();
    f.advance(java.time.Duration.ofMinutes(4));
    List<String> errors = f.logLines("Error updating node status");
    assertThat(errors).isNotEmpty();
    assertThat(errors.get(0)).contains("Patch \\\"https://").contains("/api/v1/nodes/w1-k8s/status");
    assertThat(errors.get(1)).contains("error getting node").contains("Get \\\"https://")
        .contains("/api/v1/nodes/w1-k8s?timeout=10s");
  }

  @Test
  void aHealedKubeletReportsTheNodeReadyAgain() {
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(60);
    // What the node lifecycle controller does meanwhile, on its own copy (stored objects are shared).
    io.fabric8.kubernetes.api.model.Node n = new io.fabric8.kubernetes.api.model.NodeBuilder(f.node()).build();
    n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).forEach(c -> {
      c.setStatus("Unknown");
      c.setReason("NodeStatusUnknown");
      c.setMessage("Kubelet stopped posting node status.");
    });
    f.h.updateStatus(n);
    f.kubelet.tell(new Kubelet.SetNetwork(true));
    f.advanceSeconds(1);
    assertThat(f.node().getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void afterANodeRestartTheContainersStartAgainWithTheirRestartCountsCarriedOn() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    String before = f.pod("web").getStatus().getContainerStatuses().get(0).getContainerID();
    f.stopKubelet();
    f.stopRuntime();
    f.advanceSeconds(60);
    f.startRuntime();
    f.startKubelet();
    f.advanceSeconds(15);
    ContainerStatus after = f.pod("web").getStatus().getContainerStatuses().get(0);
    assertThat(after.getContainerID()).isNotEqualTo(before);
    assertThat(after.getRestartCount()).isEqualTo(1);
    assertThat(after.getState().getRunning()).isNotNull();
    assertThat(f.events("default", "web")).anyMatch(e -> e.startsWith(
        "SandboxChanged: Pod sandbox changed, it will be killed and re-created."));
  }

  @Test
  void afterAPartitionTheKubeletSetsItsPodsReadyAgain() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(50);
    // The node lifecycle controller's MarkPodsNotReady.
    io.fabric8.kubernetes.api.model.Pod p = f.pod("web");
    p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).forEach(c -> c.setStatus("False"));
    f.h.updateStatus(p);
    f.advanceSeconds(10);
    f.kubelet.tell(new Kubelet.SetNetwork(true));
    f.advanceSeconds(2);
    assertThat(f.pod("web").getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void aPodDeletedDuringAPartitionIsStoppedAndRemovedAfterIt() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.kubelet.tell(new Kubelet.SetNetwork(false));
    f.advanceSeconds(5);
    f.h.delete(Resources.PODS, "default", "web", new io.fabric8.kubernetes.api.model.DeleteOptions());
    f.advanceSeconds(60);
    assertThat(f.pod("web")).isNotNull();
    f.kubelet.tell(new Kubelet.SetNetwork(true));
    f.advanceSeconds(5);
    assertThat(f.pod("web")).isNull();
  }
}
