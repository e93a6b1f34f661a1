package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed pod (anti-)affinity term (framework.AffinityTerm): the pods it selects, in which
 * namespaces, and the topology key that defines "together". With neither namespaces nor a
 * namespaceSelector, the term looks at the pod's own namespace; an empty namespaceSelector means
 * every namespace. matchLabelKeys and mismatchLabelKeys add "key in (own value)" and
 * "key notin (own value)" to the selector, as the apiserver merges them in 1.34.
 */
public record AffinityTerm(Set<String> namespaces, LabelSelector namespaceSelector, LabelSelector selector,
    String topologyKey) {

  /** Whether the pod is one this term selects; {@code nsLabels} are the labels of the pod's namespace. */
  public boolean matches(PodInfo pod, Map<String, String> nsLabels) {
    if (namespaces.contains(pod.namespace()) || namespaceSelector.matches(nsLabels)) {
      return selector.matches(pod.labels());
    }
    return false;
  }

  /** This term with the namespaces its selector picks merged into its list (mergeAffinityTermNamespacesIfNotEmpty). */
  public AffinityTerm withNamespacesMerged(Collection<String> selectedNamespaces) {
    if (namespaceSelector.isEmpty()) {
      return this;
    }
    Set<String> merged = new LinkedHashSet<>(namespaces);
    merged.addAll(selectedNamespaces);
    return new AffinityTerm(merged, LabelSelector.nothing(), selector, topologyKey);
  }

  public static AffinityTerm of(PodAffinityTerm term, String podNamespace, Map<String, String> podLabels) {
    Set<String> namespaces = new LinkedHashSet<>(term.getNamespaces() == null ? List.of() : term.getNamespaces());
    LabelSelector nsSelector;
    if (term.getNamespaceSelector() == null) {
      nsSelector = LabelSelector.nothing();
      if (namespaces.isEmpty()) {
        namespaces.add(podNamespace);
      }
    } else {
      nsSelector = selector(term.getNamespaceSelector(), null, null, podLabels);
    }
    LabelSelector sel = selector(term.getLabelSelector(), term.getMatchLabelKeys(), term.getMismatchLabelKeys(),
        podLabels);
    return new AffinityTerm(Set.copyOf(namespaces), nsSelector, sel,
        term.getTopologyKey() == null ? "" : term.getTopologyKey());
  }

  private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s, List<String> matchKeys,
      List<String> mismatchKeys, Map<String, String> podLabels) {
    try {
      boolean extra = (matchKeys != null && !matchKeys.isEmpty()) || (mismatchKeys != null && !mismatchKeys.isEmpty());
      if (s == null || !extra) {
        return LabelSelector.from(s);
      }
      List<LabelSelectorRequirement> exprs = new ArrayList<>(s.getMatchExpressions() == null ? List.of()
          : s.getMatchExpressions());
      addKeys(exprs, matchKeys, "In", podLabels);
      addKeys(exprs, mismatchKeys, "NotIn", podLabels);
      return LabelSelector.from(new LabelSelectorBuilder().withMatchLabels(s.getMatchLabels())
          .withMatchExpressions(exprs).build());
    } catch (SelectorParseException | IllegalArgumentException e) {
      return LabelSelector.nothing();
    }
  }

  private static void addKeys(List<LabelSelectorRequirement> exprs, List<String> keys, String op,
      Map<String, String> podLabels) {
    if (keys == null) {
      return;
    }
    for (String k : keys) {
      String v = podLabels.get(k);
      if (v != null) {
        exprs.add(new LabelSelectorRequirement(k, op, List.of(v)));
      }
    }
  }

  /** A preferred term and its weight. */
  public record Weighted(AffinityTerm term, int weight) {}
}
