package io.kubesim.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.kubesim.controlplane.controller.IntOrPercent;
import io.kubesim.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pkg/controller/daemon/update.go rollingUpdate, as a pure decision: which out-of-date pods to
 * delete (without surge, as many as maxUnavailable allows; the manage loop then creates their
 * replacements) or on which nodes to start a new pod beside the old one (with maxSurge, deleting
 * the old one once the new one is available). Nodes are looked at in name order, where Go ranges
 * over a map.
 */
public final class RollingUpdate {

  private RollingUpdate() {}

  /** What the rolling update asks syncNodes to do. */
  public record Plan(List<String> podsToDelete, List<String> nodesToCreate) {}

  /** Resolved maxSurge and maxUnavailable (updatedDesiredNodeCounts). */
  public record Counts(int maxSurge, int maxUnavailable, int desired) {}

  /** A node's non-deleted pods split into the updated one and the old one; ok false if either is duplicated. */
  record OnNode(Pod newPod, Pod oldPod, boolean ok) {}

  static OnNode findUpdatedPodsOnNode(List<Pod> pods, String hash, Long generation) {
    Pod newPod = null;
    Pod oldPod = null;
    for (Pod p : pods) {
      if (Pods.terminating(p)) {
        continue;
      }
      if (DaemonPods.isPodUpdated(p, hash, generation)) {
        if (newPod != null) {
          return new OnNode(null, null, false);
        }
        newPod = p;
      } else {
        if (oldPod != null) {
          return new OnNode(null, null, false);
        }
        oldPod = p;
      }
    }
    return new OnNode(newPod, oldPod, true);
  }

  /**
   * updatedDesiredNodeCounts: maxSurge and maxUnavailable scaled on the number of nodes that should
   * run a pod (percentages round up); both zero means maxUnavailable 1. Adds an empty entry for
   * every such node without pods.
   */
  public static Counts counts(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> nodeToDaemonPods) {
    int desired = 0;
    for (Node n : nodes) {
      if (!DaemonPods.nodeShouldRunDaemonPod(n, ds).shouldRun()) {
        continue;
      }
      desired++;
      nodeToDaemonPods.putIfAbsent(n.getMetadata().getName(), new ArrayList<>());
    }
    int maxUnavailable = 0;
    int maxSurge = 0;
    DaemonSetUpdateStrategy s = ds.getSpec().getUpdateStrategy();
    if (s != null && "RollingUpdate".equals(s.getType()) && s.getRollingUpdate() != null) {
      IntOrString mu = s.getRollingUpdate().getMaxUnavailable();
      IntOrString ms = s.getRollingUpdate().getMaxSurge();
      maxUnavailable = mu == null ? 0 : IntOrPercent.scaled(mu, desired, true);
      maxSurge = ms == null ? 0 : IntOrPercent.scaled(ms, desired, true);
    }
    if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) {
      maxUnavailable = 1;
    }
    return new Counts(maxSurge, maxUnavailable, desired);
  }

  public static Plan plan(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> nodeToDaemonPods, String hash,
      Instant now) {
    Map<String, List<Pod>> byNode = new TreeMap<>(nodeToDaemonPods);
    Counts c = counts(ds, nodes, byNode);
    Long generation = DaemonPods.templateGeneration(ds);
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    Map<String, Node> nodesByName = new TreeMap<>();
    for (Node n : nodes) {
      nodesByName.put(n.getMetadata().getName(), n);
    }
    if (c.maxSurge() == 0) {
      int numUnavailable = 0;
      List<String> allowedReplacementPods = new ArrayList<>();
      List<String> candidatePodsToDelete = new ArrayList<>();
      for (Map.Entry<String, List<Pod>> e : byNode.entrySet()) {
        OnNode on = findUpdatedPodsOnNode(e.getValue(), hash, generation);
        if (!on.ok()) {
          // The manage loop prunes the excess pods first; count the node as unavailable.
          numUnavailable++;
          continue;
        }
        if ((on.oldPod() == null && on.newPod() == null) || (on.oldPod() != null && on.newPod() != null)) {
          numUnavailable++;
        } else if (on.newPod() != null) {
          if (!Pods.isAvailable(on.newPod(), minReady, now)) {
            numUnavailable++;
          }
        } else if (!Pods.isAvailable(on.oldPod(), minReady, now)) {
          // An old pod that is not available anyway is replaced at once.
          allowedReplacementPods.add(on.oldPod().getMetadata().getName());
          numUnavailable++;
        } else if (numUnavailable < c.maxUnavailable()) {
          candidatePodsToDelete.add(on.oldPod().getMetadata().getName());
        }
      }
      int remaining = Math.max(0, c.maxUnavailable() - numUnavailable);
      remaining = Math.min(remaining, candidatePodsToDelete.size());
      List<String> delete = new ArrayList<>(allowedReplacementPods);
      delete.addAll(candidatePodsToDelete.subList(0, remaining));
      return new Plan(delete, List.of());
    }
    List<String> oldPodsToDelete = new ArrayList<>();
    List<String> shouldNotRunPodsToDelete = new ArrayList<>();
    List<String> candidateNewNodes = new ArrayList<>();
    List<String> allowedNewNodes = new ArrayList<>();
    int numSurge = 0;
    int numAvailable = 0;
    for (Map.Entry<String, List<Pod>> e : byNode.entrySet()) {
      String nodeName = e.getKey();
      OnNode on = findUpdatedPodsOnNode(e.getValue(), hash, generation);
      if (!on.ok()) {
        numSurge++;
        continue;
      }
      if (on.oldPod() != null) {
        if (Pods.isAvailable(on.oldPod(), minReady, now)) {
          numAvailable++;
        }
      } else if (on.newPod() != null && Pods.isAvailable(on.newPod(), minReady, now)) {
        numAvailable++;
      }
      if (on.oldPod() == null) {
        continue;
      }
      Node node = nodesByName.get(nodeName);
      boolean shouldRun = node != null && DaemonPods.nodeShouldRunDaemonPod(node, ds).shouldRun();
      if (on.newPod() == null) {
        if (!Pods.isAvailable(on.oldPod(), minReady, now)) {
          if (!shouldRun) {
            oldPodsToDelete.add(on.oldPod().getMetadata().getName());
            continue;
          }
          allowedNewNodes.add(nodeName);
        } else {
          if (!shouldRun) {
            shouldNotRunPodsToDelete.add(on.oldPod().getMetadata().getName());
            continue;
          }
          if (numSurge >= c.maxSurge()) {
            continue;
          }
          candidateNewNodes.add(nodeName);
        }
      } else {
        if (!Pods.isAvailable(on.newPod(), minReady, now)) {
          numSurge++;
          continue;
        }
        oldPodsToDelete.add(on.oldPod().getMetadata().getName());
      }
    }
    int remainingSurge = c.maxSurge() - numSurge;
    // With surge the owner expects full availability: a pod on a node that no longer qualifies goes
    // only once enough pods are available elsewhere.
    int deletable = numAvailable - c.desired();
    if (deletable > 0) {
      deletable = Math.min(deletable, shouldNotRunPodsToDelete.size());
      oldPodsToDelete.addAll(shouldNotRunPodsToDelete.subList(0, deletable));
    }
    remainingSurge = Math.max(0, Math.min(remainingSurge, candidateNewNodes.size()));
    List<String> create = new ArrayList<>(allowedNewNodes);
    create.addAll(candidateNewNodes.subList(0, remainingSurge));
    return new Plan(oldPodsToDelete, create);
  }
}
