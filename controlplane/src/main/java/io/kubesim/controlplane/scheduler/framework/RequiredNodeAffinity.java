package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;

/**
 * A pod's nodeSelector AND its required node affinity (nodeaffinity.GetRequiredNodeAffinity):
 * the node must carry every nodeSelector label, and match one of the required terms if there are any.
 */
public final class RequiredNodeAffinity {

  private static final RequiredNodeAffinity NONE = new RequiredNodeAffinity(null, null);

  private final Map<String, String> nodeSelector;
  private final NodeSelectorTerms terms;

  private RequiredNodeAffinity(Map<String, String> nodeSelector, NodeSelectorTerms terms) {
    this.nodeSelector = nodeSelector;
    this.terms = terms;
  }

  public static RequiredNodeAffinity of(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return NONE;
    }
    Map<String, String> sel = spec.getNodeSelector() == null || spec.getNodeSelector().isEmpty() ? null
        : spec.getNodeSelector();
    NodeSelectorTerms terms = null;
    if (spec.getAffinity() != null && spec.getAffinity().getNodeAffinity() != null
        && spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      terms = NodeSelectorTerms.of(spec.getAffinity().getNodeAffinity()
          .getRequiredDuringSchedulingIgnoredDuringExecution());
    }
    return sel == null && terms == null ? NONE : new RequiredNodeAffinity(sel, terms);
  }

  /** Nothing is required: every node matches. */
  public boolean isEmpty() {
    return nodeSelector == null && terms == null;
  }

  public boolean matches(String nodeName, Map<String, String> nodeLabels) {
    if (nodeSelector != null) {
      for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
        String v = nodeLabels.get(e.getKey());
        if (v == null || !v.equals(e.getValue())) {
          return false;
        }
      }
    }
    return terms == null || terms.matches(nodeName, nodeLabels);
  }

  public boolean matches(NodeInfo node) {
    return matches(node.name(), node.labels());
  }
}
