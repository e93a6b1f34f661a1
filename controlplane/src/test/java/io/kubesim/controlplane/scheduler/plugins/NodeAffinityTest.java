package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NodeAffinity: nodeSelector, required terms (ORed) of ANDed expressions, preferred weights. */
class NodeAffinityTest {

  static NodeSelectorRequirement expr(String key, String op, String... values) {
    return new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values));
  }

  static NodeSelectorTerm term(NodeSelectorRequirement... exprs) {
    return new NodeSelectorTerm(List.of(exprs), null);
  }

  static Pod required(NodeSelectorTerm... terms) {
    return Make.pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(List.of(terms)).endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().endAffinity().endSpec().build();
  }

  static ClusterFixture labelled(Map<String, String> labels) {
    return new ClusterFixture().node(node("n", "cpu", "4", "memory", "8Gi", "pods", "110").editMetadata()
        .addToLabels(labels).endMetadata().build());
  }

  static Stream<Arguments> requiredCases() {
    return Stream.of(
        Arguments.of("In matches a listed value", Map.of("zone", "a"), required(term(expr("zone", "In", "a", "b"))),
            true),
        Arguments.of("In needs the label", Map.of(), required(term(expr("zone", "In", "a"))), false),
        Arguments.of("NotIn matches a missing label", Map.of(), required(term(expr("zone", "NotIn", "a"))), true),
        Arguments.of("NotIn rejects a listed value", Map.of("zone", "a"), required(term(expr("zone", "NotIn", "a"))),
            false),
        Arguments.of("Exists", Map.of("gpu", ""), required(term(expr("gpu", "Exists"))), true),
        Arguments.of("DoesNotExist", Map.of("gpu", ""), required(term(expr("gpu", "DoesNotExist"))), false),
        Arguments.of("Gt compares integers", Map.of("cores", "16"), required(term(expr("cores", "Gt", "8"))), true),
        Arguments.of("Lt compares integers", Map.of("cores", "16"), required(term(expr("cores", "Lt", "8"))), false),
        Arguments.of("Gt does not match an unparsable label", Map.of("cores", "many"),
            required(term(expr("cores", "Gt", "8"))), false),
        Arguments.of("expressions in a term are ANDed", Map.of("zone", "a", "disk", "hdd"),
            required(term(expr("zone", "In", "a"), expr("disk", "In", "ssd"))), false),
        Arguments.of("terms are ORed", Map.of("zone", "a", "disk", "hdd"),
            required(term(expr("disk", "In", "ssd")), term(expr("zone", "In", "a"))), true),
        Arguments.of("an empty term matches nothing", Map.of("zone", "a"), required(new NodeSelectorTerm()), false),
        Arguments.of("no terms match nothing", Map.of("zone", "a"), required(), false),
        Arguments.of("matchFields selects by node name", Map.of(),
            required(new NodeSelectorTerm(null, List.of(expr("metadata.name", "In", "n")))), true),
        Arguments.of("matchFields NotIn the node's name", Map.of(),
            required(new NodeSelectorTerm(null, List.of(expr("metadata.name", "NotIn", "n")))), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredCases")
  void filtersByRequiredAffinity(String name, Map<String, String> labels, Pod pod, boolean fits) {
    assertThat(labelled(labels).reasons(pod).get("n"))
        .isEqualTo(fits ? "" : NodeAffinity.ERR_REASON_POD);
  }

  @Test
  void nodeSelectorAndRequiredAffinityMustBothMatch() {
    Pod p = Make.pod("p").editSpec().addToNodeSelector("disk", "ssd").withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(term(expr("zone", "In", "a")))
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    assertThat(labelled(Map.of("zone", "a")).reasons(p).get("n")).isEqualTo(NodeAffinity.ERR_REASON_POD);
    assertThat(labelled(Map.of("zone", "a", "disk", "ssd")).reasons(p).get("n")).isEmpty();
  }

  static Pod preferring(PreferredSchedulingTerm... terms) {
    return Make.pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
        .withPreferredDuringSchedulingIgnoredDuringExecution(List.of(terms)).endNodeAffinity().endAffinity().endSpec()
        .build();
  }

  @Test
  void scoresThePreferredTermsWeightsNormalizedByTheBestNode() {
    // node_affinity_test.go: weights 2 (foo=bar), 4 (key=value), 5 (all three) → 2, 11, 4 → 18, 100, 36
    ClusterFixture c = new ClusterFixture()
        .node(node("node1").editMetadata().addToLabels("foo", "bar").endMetadata().build())
        .node(node("node5").editMetadata().addToLabels(Map.of("foo", "bar", "key", "value", "az", "az1"))
            .endMetadata().build())
        .node(node("node2").editMetadata().addToLabels("key", "value").endMetadata().build());
    Pod p = preferring(new PreferredSchedulingTerm(term(expr("foo", "In", "bar")), 2),
        new PreferredSchedulingTerm(term(expr("key", "In", "value")), 4),
        new PreferredSchedulingTerm(term(expr("foo", "In", "bar"), expr("key", "In", "value"),
            expr("az", "In", "az1")), 5));
    assertThat(c.score(NodeAffinity.NAME, p)).isEqualTo(Map.of("node1", 18L, "node5", 100L, "node2", 36L));
  }

  @Test
  void skipsScoringWithoutPreferredTerms() {
    ClusterFixture c = new ClusterFixture().node(node("node1").build());
    assertThat(c.score(NodeAffinity.NAME, Make.pod("p").build())).isEmpty();
  }

  @Test
  void nodesMatchingNoPreferredTermScoreZero() {
    ClusterFixture c = new ClusterFixture()
        .node(node("node1").editMetadata().addToLabels("key", "value").endMetadata().build())
        .node(node("node2").build());
    Pod p = preferring(new PreferredSchedulingTerm(term(expr("foo", "In", "bar")), 2));
    assertThat(c.score(NodeAffinity.NAME, p)).isEqualTo(Map.of("node1", 0L, "node2", 0L));
  }

  @Test
  void addedAffinityOfTheProfileAppliesToEveryPod() {
    ClusterFixture c = labelled(Map.of("zone", "b"));
    String yaml = """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - pluginConfig:
          - name: NodeAffinity
            args:
              addedAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions: [{key: zone, operator: In, values: [a]}]
        """;
    assertThat(c.reasons(c.framework(yaml), Make.pod("p").build()).get("n"))
        .isEqualTo(NodeAffinity.ERR_REASON_ENFORCED);
  }
}
