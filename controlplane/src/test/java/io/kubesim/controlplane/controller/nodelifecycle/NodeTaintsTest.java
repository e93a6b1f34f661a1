package io.kubesim.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeTaintsTest {

  private static Node node(String conditions, boolean unschedulable) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec()
        .withUnschedulable(unschedulable).endSpec().withNewStatus().endStatus();
    if (!conditions.isEmpty()) {
      for (String c : conditions.split(" ")) {
        b.editStatus().addNewCondition().withType(c.split("=")[0]).withStatus(c.split("=")[1]).endCondition()
            .endStatus();
      }
    }
    return b.build();
  }

  private static List<String> keys(List<Taint> taints) {
    List<String> out = new ArrayList<>();
    for (Taint t : taints) {
      out.add(t.getKey().replace("node.kubernetes.io/", "") + ":" + t.getEffect());
    }
    return out;
  }

  @ParameterizedTest(name = "{0} (unschedulable {1}) -> {2}")
  @CsvSource(delimiter = '|', value = {
      "Ready=True|false|",
      "Ready=False|false|not-ready:NoSchedule",
      "Ready=Unknown|false|unreachable:NoSchedule",
      "Ready=True MemoryPressure=True|false|memory-pressure:NoSchedule",
      "Ready=True DiskPressure=True PIDPressure=True|false|disk-pressure:NoSchedule pid-pressure:NoSchedule",
      "Ready=True NetworkUnavailable=True|false|network-unavailable:NoSchedule",
      "Ready=True MemoryPressure=Unknown|false|",
      "Ready=True|true|unschedulable:NoSchedule",
      "Ready=Unknown MemoryPressure=Unknown|true|unreachable:NoSchedule unschedulable:NoSchedule",
  })
  void conditionsMapToNoScheduleTaints(String conditions, boolean unschedulable, String expected) {
    List<String> want = expected == null ? List.of() : List.of(expected.split(" "));
    assertThat(keys(NodeTaints.desiredNoSchedule(node(conditions, unschedulable)))).containsExactlyElementsOf(want);
  }

  @ParameterizedTest(name = "{0} minus {1}")
  @CsvSource(delimiter = '|', value = {
      "not-ready:NoSchedule|unreachable:NoSchedule|not-ready:NoSchedule|unreachable:NoSchedule",
      "not-ready:NoSchedule|not-ready:NoSchedule||",
      "|unschedulable:NoSchedule||unschedulable:NoSchedule",
  })
  void theDiffMatchesTaintsByKeyAndEffect(String desired, String current, String add, String remove) {
    NodeTaints.Diff d = NodeTaints.diff(parse(desired), parse(current));
    assertThat(keys(d.add())).containsExactlyElementsOf(add == null ? List.of() : List.of(add.split(" ")));
    assertThat(keys(d.remove())).containsExactlyElementsOf(remove == null ? List.of() : List.of(remove.split(" ")));
  }

  private static List<Taint> parse(String s) {
    List<Taint> out = new ArrayList<>();
    if (s != null) {
      for (String t : s.split(" ")) {
        out.add(NodeTaints.taint("node.kubernetes.io/" + t.split(":")[0], t.split(":")[1]));
      }
    }
    return out;
  }
}
