package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small plugins: NodeUnschedulable, NodeName, NodePorts, ImageLocality, SchedulingGates, PrioritySort. */
class SmallPluginsTest {

  static Node plain(String name) {
    return node(name, "cpu", "4", "memory", "8Gi", "pods", "110").build();
  }

  static Pod withHostPort(String name, int port, String ip) {
    return Make.pod(name).editSpec().addToContainers(Make.container("c", null)).editContainer(0)
        .addToPorts(new ContainerPortBuilder().withContainerPort(8080).withHostPort(port).withHostIP(ip).build())
        .endContainer().endSpec().build();
  }

  @Test
  void cordonedNodesAreUnschedulable() {
    ClusterFixture c = new ClusterFixture().node(node("n").editSpec().withUnschedulable(true).endSpec().build());
    assertThat(c.reasons(Make.pod("p").build())).containsEntry("n", NodeUnschedulable.ERR_REASON_UNSCHEDULABLE);
  }

  @Test
  void aPodToleratingTheUnschedulableTaintMayGoToACordonedNode() {
    ClusterFixture c = new ClusterFixture().node(node("n", "pods", "110").editSpec().withUnschedulable(true).endSpec()
        .build());
    Pod p = Make.pod("p").editSpec().addToTolerations(new Toleration("NoSchedule",
        "node.kubernetes.io/unschedulable", "Exists", null, null)).endSpec().build();
    assertThat(c.reasons(p)).containsEntry("n", "");
  }

  @Test
  void aPodNamingANodeFitsOnlyThatNode() {
    ClusterFixture c = new ClusterFixture().nodes(plain("a"), plain("b"));
    Pod p = Make.pod("p").editSpec().withNodeName("b").endSpec().build();
    assertThat(c.reasons(p)).isEqualTo(Map.of("a", NodeName.ERR_REASON, "b", ""));
  }

  @Test
  void hostPortsInUseConflict() {
    ClusterFixture c = new ClusterFixture().nodes(plain("a"), plain("b")).pod(withHostPort("e", 80, null), "a");
    assertThat(c.reasons(withHostPort("p", 80, null))).isEqualTo(Map.of("a", NodePorts.ERR_REASON, "b", ""));
    assertThat(c.filter(withHostPort("p", 80, null)).get("a").code()).isEqualTo(Status.Code.UNSCHEDULABLE);
  }

  @Test
  void aPortOnAnotherHostIpDoesNotConflictButAllIpsDoes() {
    ClusterFixture c = new ClusterFixture().nodes(plain("a")).pod(withHostPort("e", 80, "10.0.0.1"), "a");
    assertThat(c.reasons(withHostPort("p", 80, "10.0.0.2"))).containsEntry("a", "");
    assertThat(c.reasons(withHostPort("p", 80, "0.0.0.0"))).containsEntry("a", NodePorts.ERR_REASON);
  }

  static Node withImages(String name, long size, String... names) {
    return node(name, "cpu", "4", "memory", "8Gi", "pods", "110").editStatus()
        .withImages(new ContainerImage(List.of(names), size)).endStatus().build();
  }

  @Test
  void imageLocalityFavoursNodesWithTheImageScaledBySpread() {
    long mb = 1024L * 1024;
    // imagelocality: 300 MiB on 1 of 2 nodes → 150 MiB → 100 × (150 − 23) / (1000 − 23) = 12
    ClusterFixture c = new ClusterFixture().nodes(withImages("a", 300 * mb, "gcr.io/300:latest"), plain("b"));
    Pod p = Make.pod("p").editSpec().addToContainers(new io.fabric8.kubernetes.api.model.ContainerBuilder()
        .withName("c").withImage("gcr.io/300").build()).endSpec().build();
    assertThat(c.score(ImageLocality.NAME, p)).isEqualTo(Map.of("a", 12L, "b", 0L));
  }

  @Test
  void imageNamesWithoutTagMeanLatest() {
    assertThat(PodInfo.normalizedImageName("nginx")).isEqualTo("nginx:latest");
    assertThat(PodInfo.normalizedImageName("registry:5000/nginx")).isEqualTo("registry:5000/nginx:latest");
    assertThat(PodInfo.normalizedImageName("nginx:1.27")).isEqualTo("nginx:1.27");
  }

  @Test
  void schedulingGatesHoldThePodBack() {
    Pod gated = Make.pod("p").editSpec().addNewSchedulingGate("example.com/quota").addNewSchedulingGate("b")
        .endSpec().build();
    Status s = new SchedulingGates().preEnqueue(PodInfo.of(gated));
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(s.message()).isEqualTo("waiting for scheduling gates: [example.com/quota b]");
    assertThat(new SchedulingGates().preEnqueue(PodInfo.of(Make.pod("q").build())).success()).isTrue();
  }

  @Test
  void prioritySortPutsHigherPriorityFirstThenEarlierArrival() {
    PrioritySort sort = new PrioritySort();
    QueuedPodInfo high = new QueuedPodInfo(PodInfo.of(Make.pod("h").editSpec().withPriority(10).endSpec().build()),
        5, 1);
    QueuedPodInfo early = new QueuedPodInfo(PodInfo.of(Make.pod("e").build()), 1, 2);
    QueuedPodInfo late = new QueuedPodInfo(PodInfo.of(Make.pod("l").build()), 2, 3);
    assertThat(sort.less(high, early)).isTrue();
    assertThat(sort.less(early, late)).isTrue();
    assertThat(sort.less(late, early)).isFalse();
  }
}
