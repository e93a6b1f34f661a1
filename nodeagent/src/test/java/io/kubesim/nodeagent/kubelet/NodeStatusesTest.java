package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStatusesTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static NodeStatuses.Template template(Map<String, Quantity> capacity) {
    Node n = new NodeBuilder().withNewMetadata().withName("w1-k8s").addToLabels("zone", "a").endMetadata()
        .withNewStatus().withCapacity(capacity).endStatus().build();
    return NodeStatuses.template(NodeConfig.of(n), KubeletSettings.DEFAULT, "m", "s", "b");
  }

  @Test
  void fillsInALabVmsCapacityWhenTheManifestGivesNone() {
    NodeStatuses.Template t = template(Map.of());
    assertThat(t.capacity()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("4194304Ki"))
        .containsEntry("pods", new Quantity("110"));
  }

  @Test
  void holdsBackTheHardEvictionThresholdsFromAllocatable() {
    NodeStatuses.Template t = template(Map.of("memory", new Quantity("4Gi"), "ephemeral-storage",
        new Quantity("60Gi")));
    assertThat(t.allocatable().get("memory").toString()).isEqualTo("4091904Ki");
    assertThat(t.allocatable().get("ephemeral-storage").toString()).isEqualTo("57982058496");
    assertThat(t.allocatable().get("cpu")).isEqualTo(new Quantity("2"));
  }

  @Test
  void recordsConditionEventsOnlyOnTransitions() {
    NodeStatuses.Template t = template(Map.of());
    NodeStatuses.Result first = NodeStatuses.apply(null, t, T0, false, List.of());
    assertThat(first.events()).containsExactly("NodeHasSufficientMemory", "NodeHasNoDiskPressure",
        "NodeHasSufficientPID");
    NodeStatuses.Result ready = NodeStatuses.apply(first.status(), t, T0.plusSeconds(1), true, List.of());
    assertThat(ready.events()).containsExactly("NodeReady");
    NodeStatuses.Result again = NodeStatuses.apply(ready.status(), t, T0.plusSeconds(11), true, List.of());
    assertThat(again.events()).isEmpty();
  }

  @Test
  void aNewHeartbeatAloneIsNoChange() {
    NodeStatuses.Template t = template(Map.of());
    NodeStatus a = NodeStatuses.apply(null, t, T0, true, List.of()).status();
    NodeStatus b = NodeStatuses.apply(a, t, T0.plusSeconds(10), true, List.of()).status();
    assertThat(b.getConditions().get(3).getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:10Z");
    assertThat(NodeStatuses.changed(a, b)).isFalse();
  }

  @Test
  void aConditionSetUnknownByTheControllerIsAChange() {
    NodeStatuses.Template t = template(Map.of());
    NodeStatus a = NodeStatuses.apply(null, t, T0, true, List.of()).status();
    a.getConditions().get(3).setStatus("Unknown");
    NodeStatuses.Result r = NodeStatuses.apply(a, t, T0.plusSeconds(50), true, List.of());
    assertThat(NodeStatuses.changed(a, r.status())).isTrue();
    assertThat(r.events()).containsExactly("NodeReady");
  }

  @Test
  void quantitiesCompareByValueWhetherOrNotTheirTextIsTheSame() {
    Map<String, Quantity> base = Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"));
    Object[][] cases = {
        {Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi")), true},
        {Map.of("cpu", new Quantity("2000m"), "memory", new Quantity("1024Mi")), true},
        {Map.of("cpu", new Quantity("3"), "memory", new Quantity("1Gi")), false},
        {Map.of("cpu", new Quantity("2")), false},
        {Map.of("cpu", new Quantity("2"), "pods", new Quantity("1Gi")), false},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, Quantity> other = (Map<String, Quantity>) c[0];
      assertThat(NodeStatuses.sameQuantities(base, other)).as("%s", other).isEqualTo(c[1]);
      assertThat(NodeStatuses.sameQuantities(base, other)).isEqualTo(base.equals(other));
    }
  }
}
