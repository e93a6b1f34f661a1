package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static io.kubesim.controlplane.scheduler.plugins.Make.podReq;
import static io.kubesim.controlplane.scheduler.plugins.Make.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NodeResourcesBalancedAllocation, with the numbers of balanced_allocation_test.go. */
class NodeResourcesBalancedAllocationTest {

  static Pod cpuAndMemory(String name) {
    return podReq(name, req("cpu", "1000m", "memory", "2000"), req("cpu", "2000m", "memory", "3000"));
  }

  static Pod cpuOnly(String name) {
    return podReq(name, req("cpu", "1000m", "memory", "0"), req("cpu", "2000m", "memory", "0"));
  }

  static final String GPU_ARGS = """
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: KubeSchedulerConfiguration
      profiles:
      - pluginConfig:
        - name: NodeResourcesBalancedAllocation
          args: {resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}, {name: nvidia.com/gpu, weight: 1}]}
      """;

  @Test
  void skipsPodsThatRequestNothing() {
    ClusterFixture c = new ClusterFixture().nodes(node("node1", "cpu", "4000m", "memory", "10000").build());
    assertThat(c.score(NodeResourcesBalancedAllocation.NAME, podReq("p"))).isEmpty();
  }

  @Test
  void prefersTheNodeWhereCpuAndMemoryAreEquallyUsed() {
    // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → (1 − 0.125)·100 = 87; node2: 0.5 and 0.5 → 100
    ClusterFixture c = new ClusterFixture().nodes(node("node1", "cpu", "4000m", "memory", "10000").build(),
        node("node2", "cpu", "6000m", "memory", "10000").build());
    assertThat(c.score(NodeResourcesBalancedAllocation.NAME, cpuAndMemory("p")))
        .isEqualTo(Map.of("node1", 87L, "node2", 100L));
  }

  @Test
  void countsThePodsAlreadyOnTheNode() {
    // node1: cpu 6000/10000, memory 5000/20000 → 82; node2: cpu 6000/10000, memory 10000/20000 → 95
    ClusterFixture c = new ClusterFixture().nodes(node("node1", "cpu", "10000m", "memory", "20000").build(),
        node("node2", "cpu", "10000m", "memory", "20000").build())
        .pod(cpuOnly("e1"), "node1").pod(cpuAndMemory("e2"), "node2");
    assertThat(c.score(NodeResourcesBalancedAllocation.NAME, cpuAndMemory("p")))
        .isEqualTo(Map.of("node1", 82L, "node2", 95L));
  }

  @Test
  void scoresDifferentlySizedNodes() {
    ClusterFixture c = new ClusterFixture().nodes(node("node1", "cpu", "10000m", "memory", "20000").build(),
        node("node2", "cpu", "10000m", "memory", "50000").build())
        .pod(cpuOnly("e1"), "node1").pod(cpuAndMemory("e2"), "node2");
    assertThat(c.score(NodeResourcesBalancedAllocation.NAME, cpuAndMemory("p")))
        .isEqualTo(Map.of("node1", 82L, "node2", 80L));
  }

  @Test
  void capsFractionsAtTheNodesCapacity() {
    // node1: cpu 6000/6000 = 1, memory 0 → 50; node2: cpu 1, memory 5000/10000 → 75
    ClusterFixture c = new ClusterFixture().nodes(node("node1", "cpu", "6000m", "memory", "10000").build(),
        node("node2", "cpu", "6000m", "memory", "10000").build())
        .pod(cpuOnly("e1"), "node1").pod(cpuAndMemory("e2"), "node2");
    assertThat(c.score(NodeResourcesBalancedAllocation.NAME, cpuOnly("p")))
        .isEqualTo(Map.of("node1", 50L, "node2", 75L));
  }

  @Test
  void usesTheStandardDeviationForMoreThanTwoResources() {
    ClusterFixture c = new ClusterFixture()
        .nodes(node("node1", "cpu", "3500m", "memory", "40000", "nvidia.com/gpu", "8").build(),
            node("node2", "cpu", "3500m", "memory", "40000", "nvidia.com/gpu", "8").build())
        .pod(podReq("e1", req("cpu", "1000m", "memory", "2000"), req("cpu", "2000m", "memory", "3000",
            "nvidia.com/gpu", "3")), "node1")
        .pod(cpuAndMemory("e2"), "node2");
    Pod p = podReq("p", req("memory", "0", "nvidia.com/gpu", "1"));
    assertThat(c.score(c.framework(GPU_ARGS), NodeResourcesBalancedAllocation.NAME, p))
        .isEqualTo(Map.of("node1", 70L, "node2", 65L));
  }

  @Test
  void leavesOutAnExtendedResourceThePodDoesNotRequest() {
    ClusterFixture c = new ClusterFixture()
        .nodes(node("node1", "cpu", "3500m", "memory", "40000", "nvidia.com/gpu", "8").build(),
            node("node2", "cpu", "3500m", "memory", "40000").build());
    assertThat(c.score(c.framework(GPU_ARGS), NodeResourcesBalancedAllocation.NAME, cpuAndMemory("p")))
        .isEqualTo(Map.of("node1", 63L, "node2", 63L));
  }
}
