package io.kubesim.controlplane.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.launcher.DriverClient;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The state of the cluster at the end of a run: nodes and their readiness, pods by phase. */
record ClusterSummary(List<String> nodes, Map<String, Integer> podsByPhase, int terminating, int pods) {

  static ClusterSummary of(DriverClient client) {
    List<String> nodes = new ArrayList<>();
    for (HasMetadata o : client.list(Resources.NODES, null, ListOptions.ALL)) {
      Node n = (Node) o;
      String ready = Expectations.readyStatus(n);
      boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      String status = switch (ready) {
        case "True" -> "Ready";
        case "False" -> "NotReady";
        default -> "Unknown".equals(ready) ? "NotReady (Unknown)" : "Unknown";
      };
      nodes.add(n.getMetadata().getName() + " " + status + (cordoned ? ",SchedulingDisabled" : ""));
    }
    Map<String, Integer> phases = new TreeMap<>();
    int terminating = 0;
    int total = 0;
    for (HasMetadata o : client.list(Resources.PODS, null, ListOptions.ALL)) {
      Pod p = (Pod) o;
      total++;
      String phase = p.getStatus() == null || p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase();
      phases.merge(phase, 1, Integer::sum);
      if (p.getMetadata().getDeletionTimestamp() != null) {
        terminating++;
      }
    }
    return new ClusterSummary(nodes, phases, terminating, total);
  }
}
