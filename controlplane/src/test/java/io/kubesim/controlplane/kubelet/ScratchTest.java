package io.kubesim.controlplane.kubelet;

import io.kubesim.nodeagent.kubelet.Kubelet;
import io.kubesim.shared.log.LogLine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void dump() {
    try (NodeFixture f = new NodeFixture()) {
      f.advanceSeconds(1);
      var p = NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "echo hi; exit 1"));
      p.getMetadata().setAnnotations(Map.of("kubesim.io/exit-after.app", "30"));
      f.create(p);
      f.advanceSeconds(40);
      f.kubelet.tell(new Kubelet.SetNetwork(false));
      f.advanceSeconds(70);
      f.kubelet.tell(new Kubelet.SetNetwork(true));
      f.advanceSeconds(5);
      for (LogLine l : f.h.logs.lines()) {
        if (!l.text().contains("apiserver]")) System.out.println(l.text());
      }
      f.events("default", "crash").forEach(System.out::println);
      System.out.println(io.kubesim.shared.json.Json.YAML.writeValueAsString(f.pod("crash")));
    }
  }
}
