package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** schedulePod: how many nodes are looked at, from where, the node order, and how ties are broken. */
class ScheduleAlgorithmTest {

  @ParameterizedTest(name = "{0} nodes at {1} % → {2}")
  @CsvSource({
      "10, 0, 10",      // below 100 nodes: all
      "99, 0, 99",
      "100, 0, 100",    // 50 − 0 = 50 % of 100 = 50, but at least 100
      "1000, 0, 420",   // 50 − 8 = 42 %
      "5000, 0, 500",   // 50 − 40 = 10 %
      "6000, 0, 300",   // 50 − 48 = 2 %, raised to 5 %
      "10000, 0, 500",  // 5 %
      "1000, 10, 100",  // configured 10 % = 100
      "5000, 1, 100",   // 50, raised to the minimum of 100
      "5000, 100, 5000"})
  void numFeasibleNodesToFindFollowsKubernetes(int nodes, int percentage, int expected) {
    assertThat(ScheduleAlgorithm.numFeasibleNodesToFind(percentage, nodes)).isEqualTo(expected);
  }

  static Node zoned(String name, String zone) {
    return Fixtures.node(name, "4", "8Gi").editMetadata().addToLabels("topology.kubernetes.io/zone", zone)
        .endMetadata().build();
  }

  @Test
  void listsNodesRoundRobinOverZones() {
    SchedulerCache cache = new SchedulerCache();
    for (Node n : List.of(zoned("a1", "a"), zoned("a2", "a"), zoned("a3", "a"), zoned("b1", "b"), zoned("c1", "c"),
        zoned("c2", "c"))) {
      cache.addNode(n);
    }
    assertThat(cache.nodeList()).extracting(NodeInfo::name).containsExactly("a1", "b1", "c1", "a2", "c2", "a3");
  }

  @Test
  void eachCycleStartsWhereTheLastStopped() {
    ClusterFixture c = new ClusterFixture();
    for (int i = 0; i < 300; i++) {
      c.node(Fixtures.node(String.format("n%03d", i), "4", "8Gi").build());
    }
    Framework fw = c.framework();
    ScheduleAlgorithm algo = new ScheduleAlgorithm(0, new SplittableRandom(1));
    Pod pod = Fixtures.pod("p", "100m", "100Mi").build();
    // 300 nodes: 50 − 2 = 48 % → 144 nodes filtered per pod
    ScheduleAlgorithm.Result first = algo.schedule(fw, new CycleState(), PodInfo.of(pod), c);
    assertThat(first.evaluatedCount).isEqualTo(144);
    assertThat(first.evaluated[0]).isEqualTo("n000");
    ScheduleAlgorithm.Result second = algo.schedule(fw, new CycleState(), PodInfo.of(pod), c);
    assertThat(second.evaluated[0]).isEqualTo("n144");
    assertThat(algo.nextStartNodeIndex()).isEqualTo(288);
  }

  @Test
  void tiesAreBrokenAtRandomAmongTheBest() {
    ScheduleAlgorithm algo = new ScheduleAlgorithm(0, new SplittableRandom(42));
    long[] totals = {300, 500, 500, 100, 500};
    Set<Integer> chosen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      chosen.add(algo.selectHost(totals, totals.length));
    }
    assertThat(chosen).containsExactlyInAnyOrder(1, 2, 4);
  }

  @Test
  void theSameSeedPicksTheSameNodes() {
    long[] totals = {7, 7, 7, 7, 7, 7};
    ScheduleAlgorithm a = new ScheduleAlgorithm(0, new SplittableRandom(3));
    ScheduleAlgorithm b = new ScheduleAlgorithm(0, new SplittableRandom(3));
    for (int i = 0; i < 20; i++) {
      assertThat(a.selectHost(totals, 6)).isEqualTo(b.selectHost(totals, 6));
    }
  }

  @Test
  void aNominatedNodeIsTriedFirstAndWinsIfItFits() {
    ClusterFixture c = new ClusterFixture();
    for (int i = 0; i < 5; i++) {
      c.node(Fixtures.node("n" + i, "4", "8Gi").build());
    }
    Pod pod = Fixtures.pod("p", "100m", "100Mi").editOrNewStatus().withNominatedNodeName("n3").endStatus().build();
    ScheduleAlgorithm.Result r = new ScheduleAlgorithm(0, new SplittableRandom(1)).schedule(c.framework(),
        new CycleState(), PodInfo.of(pod), c);
    assertThat(r.host).isEqualTo("n3");
    assertThat(r.evaluatedCount).isEqualTo(1);
  }

  @Test
  void scoresOnlyWhenMoreThanOneNodeFits() {
    ClusterFixture c = new ClusterFixture().node(Fixtures.node("big", "4", "8Gi").build())
        .node(Fixtures.node("small", "1", "1Gi").build());
    Pod pod = Fixtures.pod("p", "2", "100Mi").build();
    ScheduleAlgorithm.Result r = new ScheduleAlgorithm(0, new SplittableRandom(1)).schedule(c.framework(),
        new CycleState(), PodInfo.of(pod), c);
    assertThat(r.host).isEqualTo("big");
    assertThat(r.scores).isNull();
    assertThat(r.statuses.get("small").reasons()).containsExactly("Insufficient cpu");
  }
}
