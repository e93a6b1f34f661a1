package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.shared.api.selector.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * What plugins may read about the cluster: the scheduler's snapshot of nodes (with their pods,
 * assumed ones included) and the informer caches of the other kinds they need. Read-only.
 */
public interface ClusterView {

  /** Every node, in the scheduler's node order (zones interleaved, as kube-scheduler's node tree lists them). */
  List<NodeInfo> nodes();

  NodeInfo node(String name);

  /** Nodes with at least one pod that has pod affinity or anti-affinity. */
  List<NodeInfo> nodesWithAffinityPods();

  /** Nodes with at least one pod that has required pod anti-affinity. */
  List<NodeInfo> nodesWithRequiredAntiAffinityPods();

  /** The labels of a namespace (empty if unknown). */
  Map<String, String> namespaceLabels(String namespace);

  /** The names of the namespaces whose labels the selector matches. */
  List<String> namespacesMatching(LabelSelector selector);

  /** The pod as the informer has it now, or null. */
  Pod pod(String namespace, String name);

  List<PodDisruptionBudget> podDisruptionBudgets();

  List<Service> services(String namespace);

  ReplicaSet replicaSet(String namespace, String name);

  StatefulSet statefulSet(String namespace, String name);

  /** Pods nominated to run on the node (by an earlier preemption), highest priority first. */
  List<PodInfo> nominatedPods(String nodeName);

  /** The claim as the informer has it now, or null. */
  default PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
    return null;
  }

  /** Every persistent volume, in name order. */
  default List<PersistentVolume> persistentVolumes() {
    return List.of();
  }

  default PersistentVolume persistentVolume(String name) {
    return null;
  }

  default StorageClass storageClass(String name) {
    return null;
  }
}
