package io.kubesim.controlplane.launcher;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.manifest.Manifests;
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
public record ClusterDefinition(List<Node> nodes, Map<String, List<Pod>> staticPods, Map<String, Path> staticPodPaths) {

  public static final String STATIC_POD_PATH = "kubesim.io/static-pod-path";

  private static final String DEFAULT = "kubesim/clusters/default/";
  private static final List<String> DEFAULT_STATIC_PODS = List.of("etcd.yaml", "kube-apiserver.yaml",
      "kube-controller-manager.yaml", "kube-scheduler.yaml");

  /** The embedded default cluster: m-k8s (control plane, tainted) and workers w1-k8s, w2-k8s, w3-k8s. */
  public static ClusterDefinition defaultCluster() {
    List<Node> nodes = nodesOf(Manifests.readResource(DEFAULT + "nodes.yaml"));
    Map<String, List<Pod>> statics = new LinkedHashMap<>();
    List<Pod> cp = new ArrayList<>();
    for (String f : DEFAULT_STATIC_PODS) {
      if (ClusterDefinition.class.getClassLoader().getResource(DEFAULT + "static-pods/" + f) != null) {
        for (Manifests.Document d : Manifests.readResource(DEFAULT + "static-pods/" + f)) {
          cp.add((Pod) Manifests.toObject(d));
        }
      }
    }
    statics.put("m-k8s", cp);
    return new ClusterDefinition(nodes, statics, Map.of());
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
    Map<String, Path> paths = new LinkedHashMap<>();
    for (Node n : nodes) {
      Map<String, String> ann = n.getMetadata().getAnnotations();
      if (ann != null && ann.containsKey(STATIC_POD_PATH)) {
        Path p = Path.of(ann.get(STATIC_POD_PATH));
        paths.put(n.getMetadata().getName(), base == null || p.isAbsolute() ? p : base.resolve(p));
      }
    }
    return new ClusterDefinition(List.copyOf(nodes), Map.of(), paths);
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

  public List<String> nodeNames() {
    return nodes.stream().map(n -> n.getMetadata().getName()).toList();
  }
}
