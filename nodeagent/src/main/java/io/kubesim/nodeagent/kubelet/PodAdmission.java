package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.shared.api.model.Taints;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's own admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go
 * generalFilter, over the scheduler's AdmissionCheck): the node must have room for it (pod count,
 * cpu, memory, ephemeral storage against allocatable), match its node selector and required node
 * affinity, be the node it names, have its host ports free, and carry no NoExecute taint it does
 * not tolerate. A rejected pod is Failed with the first reason.
 */
public final class PodAdmission {

  private PodAdmission() {}

  /** Why the pod was rejected: the status reason (OutOfcpu, NodeAffinity...) and message. */
  public record Rejection(String reason, String message) {}

  /**
   * @param admitted the pods already admitted on the node and not finished
   * @return null when the pod is admitted
   */
  public static Rejection admit(Pod pod, List<Pod> admitted, Node node, int maxPods) {
    Map<String, Quantity> alloc = node.getStatus() == null || node.getStatus().getAllocatable() == null ? Map.of()
        : node.getStatus().getAllocatable();
    // The kubelet's own maxPods caps what the node reports as allocatable pods.
    long allowedPods = alloc.containsKey("pods") ? Math.min(maxPods, alloc.get("pods").getNumericalAmount().longValue())
        : maxPods;
    if (admitted.size() + 1 > allowedPods) {
      return insufficient("pods", 1, admitted.size(), allowedPods);
    }
    long[] req = requests(pod);
    if (req[0] > 0 || req[1] > 0 || req[2] > 0) {
      long[] used = new long[3];
      for (Pod p : admitted) {
        long[] r = requests(p);
        used[0] += r[0];
        used[1] += r[1];
        used[2] += r[2];
      }
      long cpu = alloc.containsKey("cpu") ? milli(alloc.get("cpu")) : Long.MAX_VALUE;
      long mem = alloc.containsKey("memory") ? bytes(alloc.get("memory")) : Long.MAX_VALUE;
      long disk = alloc.containsKey("ephemeral-storage") ? bytes(alloc.get("ephemeral-storage")) : Long.MAX_VALUE;
      if (req[0] > 0 && req[0] > cpu - used[0]) {
        return insufficient("cpu", req[0], used[0], cpu);
      }
      if (req[1] > 0 && req[1] > mem - used[1]) {
        return insufficient("memory", req[1], used[1], mem);
      }
      if (req[2] > 0 && req[2] > disk - used[2]) {
        return insufficient("ephemeral-storage", req[2], used[2], disk);
      }
    }
    if (!matchesNodeSelectorAndAffinity(pod, node)) {
      return predicate("NodeAffinity", "node(s) didn't match Pod's node affinity/selector");
    }
    String wanted = pod.getSpec().getNodeName();
    if (wanted != null && !wanted.isEmpty() && !wanted.equals(node.getMetadata().getName())) {
      return predicate("NodeName", "node(s) didn't match the requested node name");
    }
    if (hostPortsConflict(pod, admitted)) {
      return predicate("NodePorts", "node(s) didn't have free ports for the requested pod ports");
    }
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    if (taints != null) {
      for (Taint t : taints) {
        if (Taints.NO_EXECUTE.equals(t.getEffect()) && !Taints.tolerated(pod.getSpec().getTolerations(), t)) {
          return predicate("TaintToleration", "node(s) had taints that the pod didn't tolerate");
        }
      }
    }
    return null;
  }

  private static Rejection insufficient(String resource, long requested, long used, long capacity) {
    return new Rejection("OutOf" + resource, "Node didn't have enough resource: " + resource + ", requested: "
        + requested + ", used: " + used + ", capacity: " + capacity);
  }

  private static Rejection predicate(String name, String description) {
    return new Rejection(name, "Predicate " + name + " failed: " + description);
  }

  /**
   * The pod's effective requests {cpu millicores, memory bytes, ephemeral-storage bytes}:
   * max(sum of app containers, each init container) plus overhead (resource helpers
   * PodRequests). Sidecars (restartable init containers) add to the app sum.
   */
  public static long[] requests(Pod pod) {
    long[] sum = new long[3];
    for (Container c : pod.getSpec().getContainers()) {
      add(sum, c);
    }
    long[] maxInit = new long[3];
    long[] sidecars = new long[3];
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        long[] one = new long[3];
        add(one, c);
        if ("Always".equals(c.getRestartPolicy())) {
          for (int i = 0; i < 3; i++) {
            sidecars[i] += one[i];
          }
          continue;
        }
        for (int i = 0; i < 3; i++) {
          maxInit[i] = Math.max(maxInit[i], one[i] + sidecars[i]);
        }
      }
    }
    long[] out = new long[3];
    for (int i = 0; i < 3; i++) {
      out[i] = Math.max(sum[i] + sidecars[i], maxInit[i]);
    }
    Map<String, Quantity> overhead = pod.getSpec().getOverhead();
    if (overhead != null) {
      if (overhead.containsKey("cpu")) {
        out[0] += milli(overhead.get("cpu"));
      }
      if (overhead.containsKey("memory")) {
        out[1] += bytes(overhead.get("memory"));
      }
    }
    return out;
  }

  private static void add(long[] sum, Container c) {
    Map<String, Quantity> r = c.getResources() == null ? null : c.getResources().getRequests();
    if (r == null) {
      return;
    }
    if (r.containsKey("cpu")) {
      sum[0] += milli(r.get("cpu"));
    }
    if (r.containsKey("memory")) {
      sum[1] += bytes(r.get("memory"));
    }
    if (r.containsKey("ephemeral-storage")) {
      sum[2] += bytes(r.get("ephemeral-storage"));
    }
  }

  static long milli(Quantity q) {
    return q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
  }

  static long bytes(Quantity q) {
    return Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValue();
  }

  /** nodeSelector AND required node affinity (terms ORed, expressions ANDed). */
  static boolean matchesNodeSelectorAndAffinity(Pod pod, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    if (terms == null) {
      return false;
    }
    for (NodeSelectorTerm term : terms) {
      boolean empty = (term.getMatchExpressions() == null || term.getMatchExpressions().isEmpty())
          && (term.getMatchFields() == null || term.getMatchFields().isEmpty());
      if (empty) {
        continue;
      }
      boolean all = true;
      if (term.getMatchExpressions() != null) {
        for (NodeSelectorRequirement r : term.getMatchExpressions()) {
          all &= matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()));
        }
      }
      if (term.getMatchFields() != null) {
        for (NodeSelectorRequirement r : term.getMatchFields()) {
          boolean isName = "metadata.name".equals(r.getKey());
          all &= isName && matches(r, node.getMetadata().getName(), true);
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    switch (r.getOperator()) {
      case "In":
        return present && values.contains(value);
      case "NotIn":
        return !present || !values.contains(value);
      case "Exists":
        return present;
      case "DoesNotExist":
        return !present;
      case "Gt":
      case "Lt":
        if (!present || values.size() != 1) {
          return false;
        }
        try {
          long v = Long.parseLong(value);
          long bound = Long.parseLong(values.get(0));
          return r.getOperator().equals("Gt") ? v > bound : v < bound;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }

  private static boolean hostPortsConflict(Pod pod, List<Pod> admitted) {
    Set<String> used = new HashSet<>();
    for (Pod p : admitted) {
      used.addAll(hostPorts(p));
    }
    for (String port : hostPorts(pod)) {
      if (used.contains(port)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> hostPorts(Pod pod) {
    Set<String> out = new HashSet<>();
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          out.add((p.getProtocol() == null ? "TCP" : p.getProtocol()) + "/" + p.getHostPort());
        }
      }
    }
    return out;
  }
}
