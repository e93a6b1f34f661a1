package io.kubesim.controlplane.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import io.kubesim.shared.api.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a namespace uses of a quota's hard limits, measured from the objects in it
 * (quota.CalculateUsage with each evaluator's UsageStats): every tracked name starts at zero, and
 * each object within the quota's scopes adds its usage.
 */
public final class QuotaUsage {

  private QuotaUsage() {}

  /** The kinds whose objects must be listed to measure this quota. */
  public static List<ResourceType> kindsFor(ResourceQuota q) {
    Set<String> hard = hardNames(q);
    List<ResourceType> out = new ArrayList<>();
    for (Evaluator e : Evaluators.all()) {
      if (!e.matchingResources(hard).isEmpty()) {
        out.add(e.type());
      }
    }
    return out;
  }

  /**
   * The usage of every hard name some evaluator measures, computed from the namespace's objects.
   *
   * @param objects the namespace's objects of one kind (only the kinds {@link #kindsFor} names are asked for)
   */
  public static TreeMap<String, Parsed> calculate(ResourceQuota q, Function<ResourceType, Collection<? extends HasMetadata>>
      objects, Instant now) {
    Set<String> hard = hardNames(q);
    List<ScopedResourceSelectorRequirement> scopes = QuotaAdmission.scopeSelectors(q);
    TreeMap<String, Parsed> usage = new TreeMap<>();
    Set<String> matched = new LinkedHashSet<>();
    for (Evaluator e : Evaluators.all()) {
      List<String> names = e.matchingResources(hard);
      if (names.isEmpty()) {
        continue;
      }
      matched.addAll(names);
      TreeMap<String, Parsed> stats = new TreeMap<>();
      for (String n : names) {
        stats.put(n, ResourceLists.zero());
      }
      for (HasMetadata o : objects.apply(e.type())) {
        boolean inScope = true;
        for (ScopedResourceSelectorRequirement s : scopes) {
          inScope &= e.matchesScope(s, o);
        }
        if (inScope) {
          stats = ResourceLists.add(stats, e.usage(o, now));
        }
      }
      usage = ResourceLists.add(usage, stats);
    }
    return ResourceLists.mask(usage, matched);
  }

  private static Set<String> hardNames(ResourceQuota q) {
    Map<String, ?> hard = q.getSpec() == null || q.getSpec().getHard() == null ? Map.of() : q.getSpec().getHard();
    return new java.util.TreeSet<>(hard.keySet());
  }
}
