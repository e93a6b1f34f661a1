package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static io.kubesim.controlplane.scheduler.plugins.Make.podReq;
import static io.kubesim.controlplane.scheduler.plugins.Make.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** NodeResourcesFit: the filter's reasons and the scoring strategies, with least_allocated_test.go's numbers. */
class NodeResourcesFitTest {

  /** Two containers, cpu 1000+2000 and memory 2000+3000: the Go tests' usual incoming pod. */
  static Pod requesting() {
    return podReq("p", req("cpu", "1000", "memory", "2000"), req("cpu", "2000", "memory", "3000"));
  }

  record Case(String name, Pod pod, List<Node> nodes, List<Object[]> existing, Map<String, Long> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> leastAllocated() {
    return Stream.of(
        new Case("nothing scheduled, nothing requested", podReq("p"),
            List.of(node("node1", "cpu", "4000", "memory", "10000").build(),
                node("node2", "cpu", "4000", "memory", "10000").build()),
            List.of(), Map.of("node1", 100L, "node2", 100L)),
        new Case("nothing scheduled, resources requested, differently sized nodes", requesting(),
            List.of(node("node1", "cpu", "4000", "memory", "10000").build(),
                node("node2", "cpu", "6000", "memory", "10000").build()),
            List.of(), Map.of("node1", 37L, "node2", 50L)),
        new Case("no resources requested, pods scheduled with resources", podReq("p"),
            List.of(node("node1", "cpu", "10000", "memory", "20000").build(),
                node("node2", "cpu", "10000", "memory", "20000").build()),
            List.of(new Object[] {podReq("e1", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e2", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e3", req("cpu", "3000", "memory", "0")), "node2"},
                new Object[] {podReq("e4", req("cpu", "3000", "memory", "5000")), "node2"}),
            Map.of("node1", 70L, "node2", 57L)),
        new Case("resources requested, pods scheduled with resources", requesting(),
            List.of(node("node1", "cpu", "10000", "memory", "20000").build(),
                node("node2", "cpu", "10000", "memory", "20000").build()),
            List.of(new Object[] {podReq("e1", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e2", req("cpu", "3000", "memory", "5000")), "node2"}),
            Map.of("node1", 57L, "node2", 45L)),
        new Case("resources requested, pods scheduled with resources, differently sized nodes", requesting(),
            List.of(node("node1", "cpu", "10000", "memory", "20000").build(),
                node("node2", "cpu", "10000", "memory", "50000").build()),
            List.of(new Object[] {podReq("e1", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e2", req("cpu", "3000", "memory", "5000")), "node2"}),
            Map.of("node1", 57L, "node2", 60L)),
        new Case("requested resources exceed node capacity", podReq("p", req("cpu", "3000", "memory", "0")),
            List.of(node("node1", "cpu", "4000", "memory", "10000").build(),
                node("node2", "cpu", "4000", "memory", "10000").build()),
            List.of(new Object[] {podReq("e1", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e2", req("cpu", "3000", "memory", "5000")), "node2"}),
            Map.of("node1", 50L, "node2", 25L)),
        new Case("zero node resources, pods scheduled with resources", podReq("p"),
            List.of(node("node1").build(), node("node2").build()),
            List.of(new Object[] {podReq("e1", req("cpu", "3000", "memory", "0")), "node1"},
                new Object[] {podReq("e2", req("cpu", "3000", "memory", "5000")), "node2"}),
            Map.of("node1", 0L, "node2", 0L)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leastAllocated")
  void leastAllocatedScoresAsKubernetes(Case c) {
    ClusterFixture cluster = new ClusterFixture();
    c.nodes().forEach(cluster::node);
    for (Object[] e : c.existing()) {
      cluster.pod((Pod) e[0], (String) e[1]);
    }
    assertThat(cluster.score(NodeResourcesFit.NAME, c.pod())).isEqualTo(c.expected());
  }

  @Test
  void resourceWeightsWeighTheAverage() {
    ClusterFixture cluster = new ClusterFixture().nodes(node("node1", "cpu", "4000", "memory", "10000").build(),
        node("node2", "cpu", "6000", "memory", "10000").build());
    String yaml = """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - pluginConfig:
          - name: NodeResourcesFit
            args:
              scoringStrategy:
                type: LeastAllocated
                resources: [{name: memory, weight: 2}, {name: cpu, weight: 1}]
        """;
    // (25·1 + 50·2) / 3 = 41 and (50·1 + 50·2) / 3 = 50
    assertThat(cluster.score(cluster.framework(yaml), NodeResourcesFit.NAME, requesting()))
        .isEqualTo(Map.of("node1", 41L, "node2", 50L));
  }

  @Test
  void mostAllocatedPrefersFullerNodes() {
    ClusterFixture cluster = new ClusterFixture().nodes(node("node1", "cpu", "4000", "memory", "10000").build(),
        node("node2", "cpu", "6000", "memory", "10000").build());
    String yaml = """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - pluginConfig:
          - name: NodeResourcesFit
            args: {scoringStrategy: {type: MostAllocated}}
        """;
    // node1: cpu 3000/4000 = 75, memory 5000/10000 = 50 → 62; node2: 50 and 50 → 50 (most_allocated_test.go)
    assertThat(cluster.score(cluster.framework(yaml), NodeResourcesFit.NAME, requesting()))
        .isEqualTo(Map.of("node1", 62L, "node2", 50L));
  }

  @Test
  void requestedToCapacityRatioFollowsTheShape() {
    ClusterFixture cluster = new ClusterFixture().nodes(node("node1", "cpu", "4000", "memory", "10000").build(),
        node("node2", "cpu", "6000", "memory", "10000").build());
    String yaml = """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - pluginConfig:
          - name: NodeResourcesFit
            args:
              scoringStrategy:
                type: RequestedToCapacityRatio
                requestedToCapacityRatio: {shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]}
        """;
    // a falling line is LeastAllocated again: node1 cpu 25, memory 50 → round(37.5) = 38; node2 50
    assertThat(cluster.score(cluster.framework(yaml), NodeResourcesFit.NAME, requesting()))
        .isEqualTo(Map.of("node1", 38L, "node2", 50L));
  }

  @Test
  void containersWithoutRequestsCountAsDefaultsForScoring() {
    ClusterFixture cluster = new ClusterFixture().nodes(node("node1", "cpu", "1", "memory", "1Gi").build());
    // 100m of 1 CPU and 200Mi of 1Gi: (90 + 80) / 2 = 85 (integer division of 80.46 → 80)
    assertThat(cluster.score(NodeResourcesFit.NAME, podReq("p", req())))
        .isEqualTo(Map.of("node1", 85L));
  }

  @Test
  void reportsEveryInsufficientResourceOfANode() {
    ClusterFixture cluster = new ClusterFixture().node(node("n", "cpu", "2", "memory", "1Gi", "pods", "110").build())
        .pod(podReq("e", req("cpu", "1500m", "memory", "800Mi")), "n");
    Status s = cluster.filter(podReq("p", req("cpu", "1", "memory", "512Mi"))).get("n");
    assertThat(s.reasons()).containsExactly("Insufficient cpu", "Insufficient memory");
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
    assertThat(s.plugin()).isEqualTo(NodeResourcesFit.NAME);
  }

  @Test
  void aRequestBeyondTheWholeNodeIsUnresolvable() {
    ClusterFixture cluster = new ClusterFixture().node(node("n", "cpu", "2", "memory", "1Gi", "pods", "110").build());
    Status s = cluster.filter(podReq("p", req("cpu", "4"))).get("n");
    assertThat(s.reasons()).containsExactly("Insufficient cpu");
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
  }

  @Test
  void aFullNodeHasTooManyPods() {
    ClusterFixture cluster = new ClusterFixture().node(node("n", "cpu", "2", "memory", "1Gi", "pods", "1").build())
        .pod(podReq("e"), "n");
    assertThat(cluster.reasons(podReq("p"))).containsEntry("n", "Too many pods");
  }

  @Test
  void initContainersCountAtTheirLargestStep() {
    ClusterFixture cluster = new ClusterFixture().node(node("n", "cpu", "2", "memory", "1Gi", "pods", "110").build());
    Pod p = Make.pod("p", List.of(req("cpu", "500m"))).editSpec()
        .addToInitContainers(Make.container("init", req("cpu", "3"))).endSpec().build();
    // effective request max(3, 0.5) = 3 CPU > 2
    assertThat(cluster.reasons(p)).containsEntry("n", "Insufficient cpu");
  }
}
