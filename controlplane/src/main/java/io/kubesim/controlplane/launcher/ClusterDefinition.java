package io.kubesim.controlplane.launcher;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.manifest.Manifests;
import io.kubesim.nodeagent.staticpod.StaticPodSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of a simulated cluster: ordinary Node manifests (labels, taints, addresses,
 * status.capacity) and, per node, the static pods its kubelet runs from its manifest folder.
 *
 * <p>A node's static pod folder is named by the annotation {@value #STATIC_POD_PATH} (a
 * directory of YAML files, re-read by the kubelet as a real one re-reads /etc/kubernetes/manifests).
 * The embedded default cluster ships the kubeadm control-plane manifests for its control-plane node.
 */
public record ClusterDefinition(List<Node> nodes, Map<String, StaticPodSource> staticPods) {

  public static final String STATIC_POD_PATH = "kubesim.io/static-pod-path";

  private static final String DEFAULT = "kubesim/clusters/default/";

  /** The embedded default cluster: m-k8s (control plane, tainted) and workers w1-k8s, w2-k8s, w3-k8s. */
  public static ClusterDefinition defaultCluster() {
    List<Node> nodes = nodesOf(Manifests.readResource(DEFAULT + "nodes.yaml"));
    return new ClusterDefinition(nodes,
        Map.of("m-k8s", StaticPodSource.resources(StaticPodSource.DEFAULT_CONTROL_PLANE)));
  }

  /** A cluster of the Node manifests in a file (other kinds in it are an error). */
  public static ClusterDefinition load(Path file) {
    List<Manifests.Document> docs = Manifests.read(file);
    for (Manifests.Document d : docs) {
      if (!"Node".equals(d.kind())) {
        throw new ManifestException(d.where() + ": a cluster file holds Node manifests only, not " + d.kind());
      }
    }
    return fromNodes(nodesOf(docs), file.toAbsolutePath().getParent());
  }

  /** A cluster of these nodes; relative static pod paths resolve against {@code base}. */
  public static ClusterDefinition fromNodes(List<Node> nodes, Path base) {
    if (nodes.isEmpty()) {
      throw new ManifestException("a cluster needs at least one Node");
    }
    Map<String, StaticPodSource> sources = new LinkedHashMap<>();
    for (Node n : nodes) {
      Map<String, String> ann = n.getMetadata().getAnnotations();
      if (ann != null && ann.containsKey(STATIC_POD_PATH)) {
        Path p = Path.of(ann.get(STATIC_POD_PATH));
        sources.put(n.getMetadata().getName(), StaticPodSource.directory(base == null || p.isAbsolute() ? p
            : base.resolve(p)));
      }
    }
    return new ClusterDefinition(List.copyOf(nodes), sources);
  }

  static List<Node> nodesOf(List<Manifests.Document> docs) {
    List<Node> nodes = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Manifests.Document d : docs) {
      HasMetadata o = Manifests.toObject(d);
      if (!(o instanceof Node n)) {
        continue;
      }
      String name = n.getMetadata() == null ? null : n.getMetadata().getName();
      if (name == null || name.isEmpty()) {
        throw new ManifestException(d.where() + ": metadata.name: Required value");
      }
      if (!names.add(name)) {
        throw new ManifestException(d.where() + ": metadata.name: Duplicate value: \"" + name + "\"");
      }
      nodes.add(n);
    }
    return nodes;
  }

  public StaticPodSource staticPods(String node) {
    return staticPods.getOrDefault(node, StaticPodSource.none());
  }

  public List<String> nodeNames() {
    return nodes.stream().map(n -> n.getMetadata().getName()).toList();
  }
}
