package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.shared.api.model.Taints;
import io.kubesim.shared.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node and everything scheduled on it, summed up ahead of time (framework.NodeInfo): requested
 * and non-zero-requested resources, host ports in use, the pods, and the subsets of pods with
 * affinity, so that Filter and Score read a few fields instead of walking pods. Includes assumed
 * pods, which the scheduler has decided on but the apiserver has not yet shown bound.
 *
 * <p>The node may be null for a node the pods know of but the informer does not (yet).
 */
public final class NodeInfo {

  private static final Taint[] NO_TAINTS = new Taint[0];

  private Node node;
  private String name;
  private Map<String, String> labels = Map.of();
  /** NoSchedule and NoExecute taints: the ones that filter. */
  private Taint[] filterTaints = NO_TAINTS;
  private Taint[] preferNoScheduleTaints = NO_TAINTS;
  private boolean unschedulable;
  // Resources as plain fields: Filter and Score read them for hundreds of nodes per pod, and one
  // object per node is fewer cache misses than three.
  private long allocMilliCpu;
  private long allocMemory;
  private long allocEphemeralStorage;
  private Map<String, Long> allocScalars;
  private int allowedPodNumber;

  private long reqMilliCpu;
  private long reqMemory;
  private long reqEphemeralStorage;
  private Map<String, Long> reqScalars;
  private long nonZeroCpu;
  private long nonZeroMemory;
  private int podCount;
  private final ArrayList<PodInfo> pods;
  private final ArrayList<PodInfo> podsWithAffinity;
  private final ArrayList<PodInfo> podsWithRequiredAntiAffinity;
  private final HostPortInfo usedPorts;
  private Map<String, ImageState> imageStates = Map.of();
  /** Bumped whenever the pods on the node change (framework.NodeInfo.Generation, per node here). */
  private long generation;
  // The last count of matching pods asked of this node, valid while the generation is the same.
  private LabelSelector countedSelector;
  private String countedNamespace;
  private long countedGeneration = -1;
  private int counted;

  public NodeInfo(String name) {
    this.name = name;
    this.pods = new ArrayList<>();
    this.podsWithAffinity = new ArrayList<>(0);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
    this.usedPorts = new HostPortInfo();
  }

  private NodeInfo(NodeInfo o) {
    this.node = o.node;
    this.name = o.name;
    this.labels = o.labels;
    this.filterTaints = o.filterTaints;
    this.preferNoScheduleTaints = o.preferNoScheduleTaints;
    this.unschedulable = o.unschedulable;
    this.allocMilliCpu = o.allocMilliCpu;
    this.allocMemory = o.allocMemory;
    this.allocEphemeralStorage = o.allocEphemeralStorage;
    this.allocScalars = o.allocScalars;
    this.allowedPodNumber = o.allowedPodNumber;
    this.reqMilliCpu = o.reqMilliCpu;
    this.reqMemory = o.reqMemory;
    this.reqEphemeralStorage = o.reqEphemeralStorage;
    this.reqScalars = o.reqScalars == null ? null : new HashMap<>(o.reqScalars);
    this.podCount = o.podCount;
    this.nonZeroCpu = o.nonZeroCpu;
    this.nonZeroMemory = o.nonZeroMemory;
    this.pods = new ArrayList<>(o.pods);
    this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
    this.usedPorts = o.usedPorts.copy();
    this.imageStates = o.imageStates;
  }

  /** A copy whose pods and sums can change without changing this one (NodeInfo.Snapshot). */
  public NodeInfo copy() {
    return new NodeInfo(this);
  }

  /** Takes the node's labels, taints, unschedulable flag and allocatable resources. */
  public void setNode(Node n) {
    this.node = n;
    this.name = n.getMetadata().getName();
    this.labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    List<Taint> taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    List<Taint> filter = new ArrayList<>(0);
    List<Taint> prefer = new ArrayList<>(0);
    for (Taint t : taints) {
      if (Taints.NO_SCHEDULE.equals(t.getEffect()) || Taints.NO_EXECUTE.equals(t.getEffect())) {
        filter.add(t);
      } else if (Taints.PREFER_NO_SCHEDULE.equals(t.getEffect())) {
        prefer.add(t);
      }
    }
    this.filterTaints = filter.isEmpty() ? NO_TAINTS : filter.toArray(Taint[]::new);
    this.preferNoScheduleTaints = prefer.isEmpty() ? NO_TAINTS : prefer.toArray(Taint[]::new);
    this.unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    Map<String, Quantity> alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
    if (alloc == null || alloc.isEmpty()) {
      alloc = n.getStatus() == null ? null : n.getStatus().getCapacity();
    }
    Resource a = new Resource();
    a.addList(alloc);
    allocMilliCpu = a.milliCpu;
    allocMemory = a.memory;
    allocEphemeralStorage = a.ephemeralStorage;
    allocScalars = a.scalars;
    allowedPodNumber = alloc == null || !alloc.containsKey("pods") ? 0 : (int) Quantities.value(alloc.get("pods"));
  }

  public void setImageStates(Map<String, ImageState> states) {
    this.imageStates = states == null || states.isEmpty() ? Map.of() : states;
  }

  public void addPod(PodInfo p) {
    pods.add(p);
    if (p.hasAffinity()) {
      podsWithAffinity.add(p);
    }
    if (p.hasRequiredAntiAffinity()) {
      podsWithRequiredAntiAffinity.add(p);
    }
    update(p, 1);
  }

  /** Removes the pod with this namespace/name key; returns what was removed, or null. */
  public PodInfo removePod(String key) {
    PodInfo removed = removeFrom(pods, key);
    if (removed == null) {
      return null;
    }
    removeFrom(podsWithAffinity, key);
    removeFrom(podsWithRequiredAntiAffinity, key);
    update(removed, -1);
    return removed;
  }

  private static PodInfo removeFrom(ArrayList<PodInfo> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).key().equals(key)) {
        // swap with the last, as Go's removeFromSlice: order is not kept
        PodInfo p = list.get(i);
        int last = list.size() - 1;
        list.set(i, list.get(last));
        list.remove(last);
        return p;
      }
    }
    return null;
  }

  private void update(PodInfo p, int sign) {
    generation++;
    Resource r = p.requests();
    reqMilliCpu += sign * r.milliCpu;
    reqMemory += sign * r.memory;
    reqEphemeralStorage += sign * r.ephemeralStorage;
    if (r.scalars != null) {
      if (reqScalars == null) {
        reqScalars = new HashMap<>();
      }
      for (Map.Entry<String, Long> e : r.scalars.entrySet()) {
        reqScalars.merge(e.getKey(), sign * e.getValue(), Long::sum);
      }
    }
    podCount += sign;
    nonZeroCpu += sign * p.nonZeroCpu();
    nonZeroMemory += sign * p.nonZeroMemory();
    for (ContainerPort port : p.hostPorts()) {
      if (sign > 0) {
        usedPorts.add(port);
      } else {
        usedPorts.remove(port);
      }
    }
  }

  public Node node() {
    return node;
  }

  public String name() {
    return name;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Taint[] filterTaints() {
    return filterTaints;
  }

  public Taint[] preferNoScheduleTaints() {
    return preferNoScheduleTaints;
  }

  public boolean unschedulable() {
    return unschedulable;
  }

  public long allocatableMilliCpu() {
    return allocMilliCpu;
  }

  public long allocatableMemory() {
    return allocMemory;
  }

  public long allocatableEphemeralStorage() {
    return allocEphemeralStorage;
  }

  public long allocatableScalar(String name) {
    Long v = allocScalars == null ? null : allocScalars.get(name);
    return v == null ? 0 : v;
  }

  /** A copy of the allocatable resources. */
  public Resource allocatable() {
    Resource r = new Resource();
    r.milliCpu = allocMilliCpu;
    r.memory = allocMemory;
    r.ephemeralStorage = allocEphemeralStorage;
    r.scalars = allocScalars == null ? null : new java.util.LinkedHashMap<>(allocScalars);
    return r;
  }

  public int allowedPodNumber() {
    return allowedPodNumber;
  }

  public long requestedMilliCpu() {
    return reqMilliCpu;
  }

  public long requestedMemory() {
    return reqMemory;
  }

  public long requestedEphemeralStorage() {
    return reqEphemeralStorage;
  }

  public long requestedScalar(String name) {
    Long v = reqScalars == null ? null : reqScalars.get(name);
    return v == null ? 0 : v;
  }

  /** A copy of the summed requests of the pods on the node. */
  public Resource requested() {
    Resource r = new Resource();
    r.milliCpu = reqMilliCpu;
    r.memory = reqMemory;
    r.ephemeralStorage = reqEphemeralStorage;
    r.scalars = reqScalars == null ? null : new java.util.LinkedHashMap<>(reqScalars);
    return r;
  }

  /** How many pods are on the node (assumed ones included). */
  public int podCount() {
    return podCount;
  }

  public long nonZeroCpu() {
    return nonZeroCpu;
  }

  public long nonZeroMemory() {
    return nonZeroMemory;
  }

  public List<PodInfo> pods() {
    return pods;
  }

  /**
   * countPodsMatchSelector (podtopologyspread/common.go): the pods of {@code namespace} on this node
   * that the selector matches, terminating pods left out. The last answer is kept until the pods
   * change: the pods of one ReplicaSet come one after the other, and each asks it of every node.
   */
  public int countPodsMatching(LabelSelector selector, String namespace) {
    if (selector.isEmpty()) {
      return 0;
    }
    if (countedGeneration == generation && countedNamespace.equals(namespace)
        && (countedSelector == selector || countedSelector.equals(selector))) {
      // The same selector built anew for the next pod: the rest of its cycle compares by identity.
      countedSelector = selector;
      return counted;
    }
    int count = 0;
    for (int i = 0; i < pods.size(); i++) {
      PodInfo p = pods.get(i);
      if (!p.terminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) {
        count++;
      }
    }
    countedSelector = selector;
    countedNamespace = namespace;
    countedGeneration = generation;
    counted = count;
    return count;
  }

  public List<PodInfo> podsWithAffinity() {
    return podsWithAffinity;
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity;
  }

  public HostPortInfo usedPorts() {
    return usedPorts;
  }

  public Map<String, ImageState> imageStates() {
    return imageStates;
  }

  @Override
  public String toString() {
    return name;
  }
}
