package io.kubesim.controlplane.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ResourceQuota admission decision (k8s.io/apiserver/pkg/admission/plugin/resourcequota,
 * CheckRequest): which of a namespace's quotas cover the object, whether the object declares what
 * they require, and whether its usage fits under each one's hard limits as the quota's status
 * knows them. A request that fits gives the new {@code status.used} of every quota it charges;
 * the caller writes those with a compare-and-swap before storing the object, as kube-apiserver
 * does, so that concurrent requests cannot both take the last unit.
 */
public final class QuotaAdmission {

  /** The outcome: forbidden (with the reason after "is forbidden: "), or the quotas to charge. */
  public sealed interface Outcome {}

  public record Forbidden(String reason) implements Outcome {}

  /** The new status.used of each charged quota, by quota name; empty when nothing is charged. */
  public record Admitted(Map<String, Map<String, Parsed>> used) implements Outcome {}

  private QuotaAdmission() {}

  /**
   * @param quotas the namespace's quotas
   * @param object the object being created or updated
   * @param old the stored object on update, or null
   * @param operation "CREATE" or "UPDATE"
   * @param now the current time (a pod terminating past its grace period is no longer charged)
   */
  public static Outcome check(List<ResourceQuota> quotas, HasMetadata object, HasMetadata old, String operation,
      Instant now) {
    Evaluator evaluator = Evaluators.of(io.kubesim.shared.api.Resources.of(object));
    if (evaluator == null || !evaluator.handles(operation) || quotas.isEmpty()) {
      return new Admitted(Map.of());
    }
    List<ResourceQuota> ordered = new ArrayList<>(quotas);
    ordered.sort(Comparator.comparing(q -> q.getMetadata().getName()));

    List<ResourceQuota> interesting = new ArrayList<>();
    for (ResourceQuota q : ordered) {
      if (!matches(evaluator, q, object)) {
        continue;
      }
      TreeMap<String, Parsed> hard = ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getHard());
      List<String> restricted = evaluator.matchingResources(hard.keySet());
      String why = evaluator.constraints(restricted, object);
      if (why != null) {
        return new Forbidden("failed quota: " + q.getMetadata().getName() + ": " + why);
      }
      if (!hasUsageStats(q, restricted)) {
        return new Forbidden("status unknown for quota: " + q.getMetadata().getName() + ", resources: "
            + ResourceLists.prettyPrintNames(restricted));
      }
      interesting.add(q);
    }
    if (interesting.isEmpty()) {
      return new Admitted(Map.of());
    }
    Map<String, Parsed> input = evaluator.usage(object, now);
    List<String> negative = ResourceLists.negative(input);
    if (!negative.isEmpty()) {
      return new Forbidden("quota usage is negative for resource(s): " + ResourceLists.prettyPrintNames(negative));
    }
    Map<String, Parsed> delta = input;
    if ("UPDATE".equals(operation) && old != null && old.getMetadata().getResourceVersion() != null) {
      // an update is charged what it adds, never credited what it removes
      delta = ResourceLists.subtractNonNegative(input, evaluator.usage(old, now));
    }
    delta = ResourceLists.removeZeros(delta);
    if (delta.isEmpty()) {
      return new Admitted(Map.of());
    }
    Map<String, Map<String, Parsed>> charged = new LinkedHashMap<>();
    for (ResourceQuota q : interesting) {
      TreeMap<String, Parsed> hard = ResourceLists.parse(q.getStatus().getHard());
      TreeMap<String, Parsed> used = ResourceLists.parse(q.getStatus().getUsed());
      TreeMap<String, Parsed> requested = ResourceLists.mask(delta, hard.keySet());
      if (requested.isEmpty()) {
        continue;
      }
      TreeMap<String, Parsed> newUsage = ResourceLists.add(used, requested);
      List<String> exceeded = ResourceLists.exceeding(ResourceLists.mask(newUsage, requested.keySet()), hard);
      if (!exceeded.isEmpty()) {
        return new Forbidden("exceeded quota: " + q.getMetadata().getName()
            + ", requested: " + ResourceLists.prettyPrint(ResourceLists.mask(requested, exceeded))
            + ", used: " + ResourceLists.prettyPrint(ResourceLists.mask(used, exceeded))
            + ", limited: " + ResourceLists.prettyPrint(ResourceLists.mask(hard, exceeded)));
      }
      charged.put(q.getMetadata().getName(), newUsage);
    }
    return new Admitted(charged);
  }

  /**
   * generic.Matches: the quota limits at least one resource this evaluator measures, and the object
   * falls within every one of the quota's scopes.
   */
  public static boolean matches(Evaluator evaluator, ResourceQuota q, HasMetadata object) {
    TreeMap<String, Parsed> hard = ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getHard());
    if (evaluator.matchingResources(hard.keySet()).isEmpty()) {
      return false;
    }
    for (ScopedResourceSelectorRequirement s : scopeSelectors(q)) {
      if (!evaluator.matchesScope(s, object)) {
        return false;
      }
    }
    return true;
  }

  /** getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then spec.scopeSelector's expressions. */
  public static List<ScopedResourceSelectorRequirement> scopeSelectors(ResourceQuota q) {
    List<ScopedResourceSelectorRequirement> out = new ArrayList<>();
    if (q.getSpec() == null) {
      return out;
    }
    if (q.getSpec().getScopes() != null) {
      for (String scope : q.getSpec().getScopes()) {
        out.add(new ScopedResourceSelectorRequirement("Exists", scope, null));
      }
    }
    if (q.getSpec().getScopeSelector() != null && q.getSpec().getScopeSelector().getMatchExpressions() != null) {
      out.addAll(q.getSpec().getScopeSelector().getMatchExpressions());
    }
    return out;
  }

  /** hasUsageStats: every hard limit among the interesting names has a usage in the status. */
  static boolean hasUsageStats(ResourceQuota q, List<String> interesting) {
    TreeSet<String> set = new TreeSet<>(interesting);
    Map<String, ?> hard = q.getStatus() == null || q.getStatus().getHard() == null ? Map.of() : q.getStatus().getHard();
    Map<String, ?> used = q.getStatus() == null || q.getStatus().getUsed() == null ? Map.of() : q.getStatus().getUsed();
    for (String name : hard.keySet()) {
      if (set.contains(name) && !used.containsKey(name)) {
        return false;
      }
    }
    return true;
  }
}
