package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.nodeagent.kubelet.Kubelet;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.LogLine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeletDeterminismTest {

  /** A busy node for two virtual minutes: pulls, crash loops, probes, a deletion, a partition. */
  private static String run() {
    try (NodeFixture f = new NodeFixture()) {
      f.advanceSeconds(1);
      f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
      f.create(NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "echo $(date); exit 1")));
      var loop = NodeFixture.pod("loop", "busybox:1.36", List.of("sh", "-c",
          "i=0; while true; do echo $i $RANDOM; i=$((i+1)); sleep 3; done"));
      loop.getMetadata().setAnnotations(Map.of("kubesim.io/exit-after.app", "45s"));
      f.create(loop);
      f.advanceSeconds(30);
      f.h.delete(Resources.PODS, "default", "web", new DeleteOptions());
      f.kubelet.tell(new Kubelet.SetNetwork(false));
      f.advanceSeconds(50);
      f.kubelet.tell(new Kubelet.SetNetwork(true));
      f.advanceSeconds(40);
      StringBuilder sb = new StringBuilder();
      for (LogLine l : f.h.logs.lines()) {
        sb.append(l.text()).append('\n');
      }
      for (HasMetadata o : f.h.list(Resources.PODS, "default", ListOptions.ALL).items()) {
        sb.append(Json.write(o)).append('\n');
      }
      for (HasMetadata o : f.h.list(Resources.EVENTS, "default", ListOptions.ALL).items()) {
        sb.append(Json.write(o)).append('\n');
      }
      f.logs("loop", "app", false).lines().forEach(l -> sb.append(l).append('\n'));
      return sb.toString();
    }
  }

  @Test
  void theSameScenarioGivesTheSameBytes() {
    String first = run();
    String second = run();
    assertThat(first).contains("Back-off restarting failed container");
    assertThat(second).isEqualTo(first);
  }
}
