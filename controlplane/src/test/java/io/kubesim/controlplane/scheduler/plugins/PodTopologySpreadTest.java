package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PodTopologySpread: the skew filter, the spread score, and the system defaults for owned pods. */
class PodTopologySpreadTest {

  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";

  static Node zoned(String name, String zone) {
    var b = node(name, "cpu", "8", "memory", "16Gi", "pods", "110");
    if (zone != null) {
      b.editMetadata().addToLabels(ZONE, zone).endMetadata();
    }
    return b.build();
  }

  static TopologySpreadConstraint constraint(String key, int maxSkew, String when) {
    return new TopologySpreadConstraintBuilder().withTopologyKey(key).withMaxSkew(maxSkew).withWhenUnsatisfiable(when)
        .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().build();
  }

  static Pod web(String name) {
    return Make.pod(name).editMetadata().addToLabels("app", "web").endMetadata().build();
  }

  static Pod spread(String name, TopologySpreadConstraint... cs) {
    return Make.pod(name).editMetadata().addToLabels("app", "web").endMetadata().editSpec()
        .withTopologySpreadConstraints(List.of(cs)).endSpec().build();
  }

  /** zone a: n1, n2; zone b: n3. Two web pods in zone a, none in b. */
  static ClusterFixture unbalanced() {
    return new ClusterFixture().nodes(zoned("n1", "a"), zoned("n2", "a"), zoned("n3", "b"))
        .pod(web("w0"), "n1").pod(web("w1"), "n2");
  }

  @Test
  void doNotScheduleRejectsNodesThatWouldExceedTheSkew() {
    Pod p = spread("w2", constraint(ZONE, 1, "DoNotSchedule"));
    // zone a would have 3 against zone b's 0: skew 3 > 1
    assertThat(unbalanced().reasons(p)).isEqualTo(Map.of(
        "n1", PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH,
        "n2", PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH, "n3", ""));
  }

  @Test
  void aLargerMaxSkewAllowsIt() {
    Pod p = spread("w2", constraint(ZONE, 3, "DoNotSchedule"));
    assertThat(unbalanced().reasons(p)).isEqualTo(Map.of("n1", "", "n2", "", "n3", ""));
  }

  @Test
  void aNodeWithoutTheTopologyLabelIsUnresolvable() {
    ClusterFixture c = unbalanced().node(zoned("n4", null));
    Pod p = spread("w2", constraint(ZONE, 3, "DoNotSchedule"));
    assertThat(c.reasons(p)).containsEntry("n4", PodTopologySpread.ERR_REASON_NODE_LABEL_NOT_MATCH);
  }

  @Test
  void minDomainsCountsMissingDomainsAsEmpty() {
    TopologySpreadConstraint c = new TopologySpreadConstraintBuilder(constraint(ZONE, 1, "DoNotSchedule"))
        .withMinDomains(3).build();
    ClusterFixture cluster = new ClusterFixture().nodes(zoned("n1", "a"), zoned("n3", "b"))
        .pod(web("w0"), "n1").pod(web("w1"), "n3");
    // two domains with one pod each, but three required: the minimum counts as 0, so 1 + 1 − 0 > 1 everywhere
    assertThat(cluster.reasons(spread("w2", c))).isEqualTo(Map.of(
        "n1", PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH,
        "n3", PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH));
  }

  @Test
  void scheduleAnywayScoresTheEmptierZoneHigher() {
    // zone a count 2, weight log(2 + 2): round(2 × 1.386) = 3; zone b 0 → normalized 100 × (3 + 0 − s) / 3
    Pod p = spread("w2", constraint(ZONE, 1, "ScheduleAnyway"));
    ClusterFixture c = unbalanced();
    assertThat(c.rawScore(c.framework(), PodTopologySpread.NAME, p)).isEqualTo(Map.of("n1", 3L, "n2", 3L, "n3", 0L));
    assertThat(c.score(PodTopologySpread.NAME, p)).isEqualTo(Map.of("n1", 0L, "n2", 0L, "n3", 100L));
  }

  @Test
  void hostnameConstraintsCountPerNode() {
    // 4 nodes, counts 2, 1, 0, 3: weight log(4 + 2) = 1.79; raw round(c × 1.79 + 0) = 4, 2, 0, 5
    ClusterFixture c = new ClusterFixture().nodes(zoned("a", "z"), zoned("b", "z"), zoned("x", "z"), zoned("y", "z"))
        .pod(web("p1"), "a").pod(web("p2"), "a").pod(web("p3"), "b").pod(web("p4"), "y").pod(web("p5"), "y")
        .pod(web("p6"), "y");
    Pod p = spread("new", constraint(HOST, 1, "ScheduleAnyway"));
    assertThat(c.rawScore(c.framework(), PodTopologySpread.NAME, p))
        .isEqualTo(Map.of("a", 4L, "b", 2L, "x", 0L, "y", 5L));
    // normalized: 100 × (5 + 0 − s) / 5
    assertThat(c.score(PodTopologySpread.NAME, p)).isEqualTo(Map.of("a", 20L, "b", 60L, "x", 100L, "y", 0L));
  }

  @Test
  void podsNotSelectedByAnyOwnerGetNoDefaultSpreading() {
    assertThat(unbalanced().score(PodTopologySpread.NAME, web("w2"))).isEmpty();
  }

  @Test
  void podsSelectedByAServiceGetTheSystemDefaultSpreading() {
    ClusterFixture c = unbalanced();
    c.services.add(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().addToSelector("app", "web").endSpec().build());
    // hostname maxSkew 3 and zone maxSkew 5: the empty zone and node still score best
    Map<String, Long> scores = c.score(PodTopologySpread.NAME, web("w2"));
    assertThat(scores.get("n3")).isEqualTo(100L);
    assertThat(scores.get("n1")).isLessThan(100L);
  }

  @Test
  void podsOfAReplicaSetGetTheSystemDefaultSpreading() {
    ClusterFixture c = unbalanced();
    c.replicaSets.add(new ReplicaSetBuilder().withNewMetadata().withName("web-6d8f").withNamespace("default")
        .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build());
    Pod owned = Make.pod("w2").editMetadata().addToLabels("app", "web").withOwnerReferences(
        new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-6d8f")
            .withUid("rs-uid").withController(true).build()).endMetadata().build();
    assertThat(c.score(PodTopologySpread.NAME, owned)).containsEntry("n3", 100L);
  }
}
