package io.kubesim.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.scheduler.framework.ImageState;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's view of nodes and the pods on them (pkg/scheduler/backend/cache): a NodeInfo
 * per node, kept current from the informers, plus the pods the scheduler has assumed onto nodes
 * before the apiserver shows them bound, so that the next pod already sees their requests.
 *
 * <p>Nodes are listed as kube-scheduler's node tree lists them: round-robin over zones (region
 * and zone labels), each zone in the order its nodes were added, so that consecutive scheduling
 * cycles starting at consecutive indexes spread over zones.
 */
final class SchedulerCache {

  private record PodState(PodInfo pod, String node, boolean assumed) {}

  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<String, PodState> podStates = new HashMap<>();
  /** Zone key to node names, zones in order of first appearance (nodeTree). */
  private final LinkedHashMap<String, List<String>> zones = new LinkedHashMap<>();
  private final Map<String, String> zoneOf = new HashMap<>();
  private final Map<String, ImageState> imageStates = new HashMap<>();
  private final Map<String, Set<String>> imageNodes = new HashMap<>();
  private List<NodeInfo> nodeList = List.of();
  private boolean listDirty;
  private List<NodeInfo> withAffinity = List.of();
  private List<NodeInfo> withRequiredAntiAffinity = List.of();
  private boolean affinityDirty;

  // ---------------------------------------------------------------- nodes

  void addNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo info = nodes.computeIfAbsent(name, NodeInfo::new);
    boolean known = info.node() != null;
    if (known) {
      removeNodeImages(name);
    }
    info.setNode(node);
    info.setImageStates(addNodeImages(node));
    String zone = zoneKey(node);
    String oldZone = zoneOf.get(name);
    if (oldZone == null || !oldZone.equals(zone)) {
      if (oldZone != null) {
        removeFromTree(name, oldZone);
      }
      zones.computeIfAbsent(zone, z -> new ArrayList<>()).add(name);
      zoneOf.put(name, zone);
      listDirty = true;
    }
    if (!known) {
      listDirty = true;
      affinityDirty = true;
    }
  }

  void updateNode(Node node) {
    addNode(node);
  }

  void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    removeNodeImages(name);
    String zone = zoneOf.remove(name);
    if (zone != null) {
      removeFromTree(name, zone);
    }
    if (info.pods().isEmpty()) {
      nodes.remove(name);
    } else {
      // pods still point at it: keep an imaginary node until they go (cache.RemoveNode)
      NodeInfo ghost = new NodeInfo(name);
      for (PodInfo p : info.pods()) {
        ghost.addPod(p);
      }
      nodes.put(name, ghost);
    }
    listDirty = true;
    affinityDirty = true;
  }

  private void removeFromTree(String name, String zone) {
    List<String> z = zones.get(zone);
    if (z != null) {
      z.remove(name);
      if (z.isEmpty()) {
        zones.remove(zone);
      }
    }
  }

  /** utilnode.GetZoneKey: region and zone labels (beta ones as fallback), "" without either. */
  static String zoneKey(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return "";
    }
    String zone = labels.getOrDefault("topology.kubernetes.io/zone",
        labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", ""));
    String region = labels.getOrDefault("topology.kubernetes.io/region",
        labels.getOrDefault("failure-domain.beta.kubernetes.io/region", ""));
    if (region.isEmpty() && zone.isEmpty()) {
      return "";
    }
    return region + ":\u0000:" + zone;
  }

  private Map<String, ImageState> addNodeImages(Node node) {
    List<ContainerImage> images = node.getStatus() == null ? null : node.getStatus().getImages();
    if (images == null || images.isEmpty()) {
      return Map.of();
    }
    String nodeName = node.getMetadata().getName();
    Map<String, ImageState> mine = new HashMap<>();
    for (ContainerImage img : images) {
      if (img.getNames() == null) {
        continue;
      }
      long size = img.getSizeBytes() == null ? 0 : img.getSizeBytes();
      for (String name : img.getNames()) {
        ImageState s = imageStates.computeIfAbsent(name, n -> new ImageState(size));
        Set<String> on = imageNodes.computeIfAbsent(name, n -> new LinkedHashSet<>());
        on.add(nodeName);
        s.setNumNodes(on.size());
        mine.put(name, s);
      }
    }
    return mine;
  }

  private void removeNodeImages(String nodeName) {
    NodeInfo info = nodes.get(nodeName);
    if (info == null) {
      return;
    }
    for (String image : info.imageStates().keySet()) {
      Set<String> on = imageNodes.get(image);
      if (on == null) {
        continue;
      }
      on.remove(nodeName);
      ImageState s = imageStates.get(image);
      if (on.isEmpty()) {
        imageNodes.remove(image);
        imageStates.remove(image);
        s.setNumNodes(0);
      } else {
        s.setNumNodes(on.size());
      }
    }
    info.setImageStates(Map.of());
  }

  // ---------------------------------------------------------------- pods

  /** A pod the apiserver shows assigned (AddPod); confirms an assumption if there was one. */
  void addPod(PodInfo pod, String nodeName) {
    PodState cur = podStates.get(pod.key());
    if (cur != null) {
      // assumed (or already known): replace with the pod as bound
      removeFromNode(cur);
    }
    PodState s = new PodState(pod, nodeName, false);
    podStates.put(pod.key(), s);
    addToNode(s);
  }

  void updatePod(PodInfo pod, String nodeName) {
    addPod(pod, nodeName);
  }

  void removePod(String key) {
    PodState cur = podStates.remove(key);
    if (cur != null) {
      removeFromNode(cur);
    }
  }

  /** AssumePod: the scheduler decided; the pod counts on the node from now on. */
  void assumePod(PodInfo pod, String nodeName) {
    removePod(pod.key());
    PodState s = new PodState(pod, nodeName, true);
    podStates.put(pod.key(), s);
    addToNode(s);
  }

  /** ForgetPod: the binding failed; the assumed pod leaves the node. */
  void forgetPod(String key) {
    PodState cur = podStates.get(key);
    if (cur != null && cur.assumed()) {
      podStates.remove(key);
      removeFromNode(cur);
    }
  }

  boolean isAssumed(String key) {
    PodState s = podStates.get(key);
    return s != null && s.assumed();
  }

  /** The node a pod is on (assumed or bound), or null. */
  String nodeOf(String key) {
    PodState s = podStates.get(key);
    return s == null ? null : s.node();
  }

  private void addToNode(PodState s) {
    NodeInfo info = nodes.computeIfAbsent(s.node(), NodeInfo::new);
    int aff = info.podsWithAffinity().size();
    int anti = info.podsWithRequiredAntiAffinity().size();
    info.addPod(s.pod());
    if ((aff == 0) != info.podsWithAffinity().isEmpty() || (anti == 0) != info.podsWithRequiredAntiAffinity().isEmpty()) {
      affinityDirty = true;
    }
  }

  private void removeFromNode(PodState s) {
    NodeInfo info = nodes.get(s.node());
    if (info == null) {
      return;
    }
    int aff = info.podsWithAffinity().size();
    int anti = info.podsWithRequiredAntiAffinity().size();
    info.removePod(s.pod().key());
    if ((aff == 0) != info.podsWithAffinity().isEmpty() || (anti == 0) != info.podsWithRequiredAntiAffinity().isEmpty()) {
      affinityDirty = true;
    }
    if (info.node() == null && info.pods().isEmpty()) {
      nodes.remove(s.node());
    }
  }

  // ---------------------------------------------------------------- listing

  NodeInfo node(String name) {
    NodeInfo n = nodes.get(name);
    return n == null || n.node() == null ? null : n;
  }

  /** The nodes in node-tree order (zones round-robin). */
  List<NodeInfo> nodeList() {
    if (listDirty) {
      List<List<String>> perZone = new ArrayList<>(zones.values());
      int total = 0;
      for (List<String> z : perZone) {
        total += z.size();
      }
      List<NodeInfo> out = new ArrayList<>(total);
      for (int index = 0; out.size() < total; index++) {
        for (List<String> z : perZone) {
          if (index < z.size()) {
            out.add(nodes.get(z.get(index)));
          }
        }
      }
      nodeList = out;
      listDirty = false;
    }
    return nodeList;
  }

  List<NodeInfo> nodesWithAffinityPods() {
    refreshAffinityLists();
    return withAffinity;
  }

  List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
    refreshAffinityLists();
    return withRequiredAntiAffinity;
  }

  private void refreshAffinityLists() {
    if (!affinityDirty && !listDirty) {
      return;
    }
    List<NodeInfo> aff = new ArrayList<>();
    List<NodeInfo> anti = new ArrayList<>();
    for (NodeInfo n : nodeList()) {
      if (!n.podsWithAffinity().isEmpty()) {
        aff.add(n);
      }
      if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
        anti.add(n);
      }
    }
    withAffinity = aff;
    withRequiredAntiAffinity = anti;
    affinityDirty = false;
  }

  int nodeCount() {
    return zoneOf.size();
  }

  int podCount() {
    return podStates.size();
  }
}
