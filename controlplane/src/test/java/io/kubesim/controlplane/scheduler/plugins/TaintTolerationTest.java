package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TaintToleration: the filter's reason text and the score, as taint_toleration_test.go. */
class TaintTolerationTest {

  static Node tainted(String name, Taint... taints) {
    return node(name, "cpu", "4", "memory", "8Gi", "pods", "110").editSpec().withTaints(List.of(taints)).endSpec()
        .build();
  }

  static Taint taint(String key, String value, String effect) {
    return new Taint(effect, key, null, value);
  }

  static Toleration toleration(String key, String value, String effect) {
    return new Toleration(effect, key, "Equal", null, value);
  }

  static Pod tolerating(Toleration... t) {
    return Make.pod("p").editSpec().withTolerations(List.of(t)).endSpec().build();
  }

  static Stream<Arguments> scoring() {
    return Stream.of(
        Arguments.of("tolerated taints score higher than intolerable ones",
            tolerating(toleration("foo", "bar", "PreferNoSchedule")),
            List.of(tainted("nodeA", taint("foo", "bar", "PreferNoSchedule")),
                tainted("nodeB", taint("foo", "blah", "PreferNoSchedule"))),
            Map.of("nodeA", 100L, "nodeB", 0L)),
        Arguments.of("nodes whose taints are all tolerated score the same",
            tolerating(toleration("cpu-type", "arm64", "PreferNoSchedule"),
                toleration("disk-type", "ssd", "PreferNoSchedule")),
            List.of(tainted("nodeA"), tainted("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule")),
                tainted("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"),
                    taint("disk-type", "ssd", "PreferNoSchedule"))),
            Map.of("nodeA", 100L, "nodeB", 100L, "nodeC", 100L)),
        Arguments.of("the more intolerable taints, the lower the score",
            tolerating(toleration("foo", "bar", "PreferNoSchedule")),
            List.of(tainted("nodeA"), tainted("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule")),
                tainted("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"),
                    taint("disk-type", "ssd", "PreferNoSchedule"))),
            Map.of("nodeA", 100L, "nodeB", 50L, "nodeC", 0L)),
        Arguments.of("only PreferNoSchedule taints and tolerations count",
            tolerating(toleration("cpu-type", "arm64", "NoSchedule"), toleration("disk-type", "ssd", "")),
            List.of(tainted("nodeA"), tainted("nodeB", taint("cpu-type", "arm64", "NoSchedule")),
                tainted("nodeC", taint("cpu-type", "arm64", "PreferNoSchedule"))),
            Map.of("nodeA", 100L, "nodeB", 100L, "nodeC", 0L)),
        Arguments.of("without tolerations the untainted node wins", Make.pod("p").build(),
            List.of(tainted("nodeA"), tainted("nodeB", taint("cpu-type", "arm64", "PreferNoSchedule"))),
            Map.of("nodeA", 100L, "nodeB", 0L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoring")
  void scoresAsKubernetes(String name, Pod pod, List<Node> nodes, Map<String, Long> expected) {
    ClusterFixture c = new ClusterFixture();
    nodes.forEach(c::node);
    assertThat(c.score(TaintToleration.NAME, pod)).isEqualTo(expected);
  }

  @Test
  void namesTheFirstUntoleratedTaintWithKeyAndValue() {
    ClusterFixture c = new ClusterFixture().node(tainted("n", taint("dedicated", "gpu", "NoSchedule"),
        taint("node.kubernetes.io/unreachable", null, "NoExecute")));
    Status s = c.filter(Make.pod("p").build()).get("n");
    assertThat(s.reasons()).containsExactly("node(s) had untolerated taint {dedicated: gpu}");
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
  }

  @Test
  void printsAnEmptyValueAsNothing() {
    ClusterFixture c = new ClusterFixture().node(tainted("n", taint("node.kubernetes.io/unreachable", null,
        "NoExecute")));
    assertThat(c.reasons(Make.pod("p").build()))
        .containsEntry("n", "node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
  }

  @Test
  void preferNoScheduleTaintsDoNotFilter() {
    ClusterFixture c = new ClusterFixture().node(tainted("n", taint("k", "v", "PreferNoSchedule")));
    assertThat(c.reasons(Make.pod("p").build())).containsEntry("n", "");
  }

  @Test
  void anExistsTolerationToleratesAnyValue() {
    ClusterFixture c = new ClusterFixture().node(tainted("n", taint("dedicated", "gpu", "NoSchedule")));
    Pod p = tolerating(new Toleration("NoSchedule", "dedicated", "Exists", null, null));
    assertThat(c.reasons(p)).containsEntry("n", "");
  }
}
