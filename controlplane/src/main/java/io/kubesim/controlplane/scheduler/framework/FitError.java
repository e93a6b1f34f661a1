package io.kubesim.controlplane.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pod fits no node, worded exactly as kube-scheduler's FitError.Error()
 * (pkg/scheduler/framework/types.go):
 * {@code "0/N nodes are available: <count> <reason>, ... <PostFilter message>"}, reasons counted
 * over all nodes, then sorted as strings (so "1 node(s)..." before "3 node(s)..."). A PreFilter
 * rejection replaces the counts with its own message.
 */
public final class FitError {

  private FitError() {}

  /**
   * @param numAllNodes nodes in the cluster
   * @param statuses per-node statuses and the status of absent nodes
   * @param preFilterMessage a PreFilter plugin's rejection, or null
   * @param postFilterMessage the PostFilter plugin's message (preemption), or null
   */
  public static String message(int numAllNodes, NodeToStatus statuses, String preFilterMessage,
      String postFilterMessage) {
    StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
    if (preFilterMessage != null && !preFilterMessage.isEmpty()) {
      sb.append(' ').append(preFilterMessage).append('.');
    } else {
      Map<String, Integer> reasons = new LinkedHashMap<>();
      statuses.forEachExplicit((node, s) -> {
        for (String r : s.reasons()) {
          reasons.merge(r, 1, Integer::sum);
        }
      });
      if (statuses.size() < numAllNodes) {
        for (String r : statuses.absent().reasons()) {
          reasons.merge(r, numAllNodes - statuses.size(), Integer::sum);
        }
      }
      List<String> histogram = new ArrayList<>(reasons.size());
      reasons.forEach((r, n) -> histogram.add(n + " " + r));
      // Go's sort.Strings: byte order, which for these ASCII texts is String's natural order
      histogram.sort(null);
      if (!histogram.isEmpty()) {
        sb.append(' ').append(String.join(", ", histogram)).append('.');
      }
    }
    if (postFilterMessage != null && !postFilterMessage.isEmpty()) {
      sb.append(' ').append(postFilterMessage);
    }
    return sb.toString();
  }
}
