package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods nominated to nodes by preemption (the queue's nominator, backend/queue/nominator.go):
 * while a preemptor waits for its victims to go, lower- or equal-priority pods are filtered as if
 * it already ran there, so they do not take the room it made.
 */
final class Nominator {

  private final Map<String, List<PodInfo>> byNode = new LinkedHashMap<>();
  private final Map<String, String> nodeOf = new HashMap<>();

  /** Nominates the pod to the node, replacing an earlier nomination. An empty node clears it. */
  void add(PodInfo pod, String node) {
    delete(pod.key());
    if (node == null || node.isEmpty()) {
      return;
    }
    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
    nodeOf.put(pod.key(), node);
  }

  void delete(String key) {
    String node = nodeOf.remove(key);
    if (node == null) {
      return;
    }
    List<PodInfo> l = byNode.get(node);
    if (l != null) {
      l.removeIf(p -> p.key().equals(key));
      if (l.isEmpty()) {
        byNode.remove(node);
      }
    }
  }

  /** Keeps the nomination but follows the pod's latest version. */
  void update(PodInfo pod) {
    String node = nodeOf.get(pod.key());
    if (node != null) {
      List<PodInfo> l = byNode.get(node);
      l.replaceAll(p -> p.key().equals(pod.key()) ? pod : p);
    }
  }

  String nominatedNode(String key) {
    return nodeOf.get(key);
  }

  List<PodInfo> forNode(String node) {
    List<PodInfo> l = byNode.get(node);
    return l == null ? List.of() : l;
  }

  boolean isEmpty() {
    return nodeOf.isEmpty();
  }
}
