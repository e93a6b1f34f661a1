package io.kubesim.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZoneStateTest {

  private static List<NodeCondition> zone(int ready, int notReady, int unknown, int missing) {
    List<NodeCondition> out = new ArrayList<>();
    for (int i = 0; i < ready; i++) {
      out.add(new NodeConditionBuilder().withType("Ready").withStatus("True").build());
    }
    for (int i = 0; i < notReady; i++) {
      out.add(new NodeConditionBuilder().withType("Ready").withStatus("False").build());
    }
    for (int i = 0; i < unknown; i++) {
      out.add(new NodeConditionBuilder().withType("Ready").withStatus("Unknown").build());
    }
    for (int i = 0; i < missing; i++) {
      out.add(null);
    }
    return out;
  }

  @ParameterizedTest(name = "{0} ready, {1} not ready, {2} unknown, {3} without condition -> {5}")
  @CsvSource({
      "3, 0, 0, 0, 0, NORMAL",
      "0, 1, 0, 0, 1, FULL_DISRUPTION",
      "0, 0, 2, 1, 3, FULL_DISRUPTION",
      "1, 2, 0, 0, 2, NORMAL",              // two not ready: never partial, whatever the share
      "2, 3, 0, 0, 3, PARTIAL_DISRUPTION",  // 3/5 = 60 % >= 55 %
      "3, 3, 0, 0, 3, NORMAL",              // 3/6 = 50 % < 55 %
      "9, 11, 0, 0, 11, PARTIAL_DISRUPTION", // 11/20 = 55 % exactly
      "10, 1, 1, 1, 3, NORMAL",
  })
  void computeZoneStateUsesTheRealThresholds(int ready, int notReady, int unknown, int missing, int unhealthy,
      ZoneState expected) {
    ZoneState.Health h = ZoneState.compute(zone(ready, notReady, unknown, missing), 0.55);
    assertThat(h.state()).isEqualTo(expected);
    assertThat(h.notReady()).isEqualTo(unhealthy);
  }

  @ParameterizedTest(name = "{0} in a zone of {1} -> {2}/s")
  @CsvSource({
      "NORMAL, 3, 0.1",
      "NORMAL, 500, 0.1",
      "FULL_DISRUPTION, 3, 0.1",
      "PARTIAL_DISRUPTION, 50, 0.0",    // small zone: no new taints at all
      "PARTIAL_DISRUPTION, 51, 0.01",   // large zone: the secondary rate
  })
  void theRateFollowsTheZoneState(ZoneState state, int size, double rate) {
    assertThat(state.rate(size, ControllerManagerSettings.DEFAULT)).isEqualTo(rate);
  }

  @ParameterizedTest(name = "labels {0} -> zone key \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "|",
      "topology.kubernetes.io/zone=a|:\u0000:a",
      "topology.kubernetes.io/region=r,topology.kubernetes.io/zone=a|r:\u0000:a",
      "failure-domain.beta.kubernetes.io/zone=old|:\u0000:old",
      "failure-domain.beta.kubernetes.io/zone=old,topology.kubernetes.io/zone=new|:\u0000:new",
  })
  void theZoneKeyComesFromTheTopologyLabels(String labels, String key) {
    Map<String, String> m = new java.util.TreeMap<>();
    if (labels != null) {
      for (String kv : labels.split(",")) {
        m.put(kv.split("=")[0], kv.split("=")[1]);
      }
    }
    var node = new NodeBuilder().withNewMetadata().withName("n").withLabels(m).endMetadata().build();
    assertThat(ZoneState.zoneKey(node)).isEqualTo(key == null ? "" : key);
  }
}
