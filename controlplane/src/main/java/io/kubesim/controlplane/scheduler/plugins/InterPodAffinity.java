package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.AffinityTerm;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Inter-pod affinity and anti-affinity (plugins/interpodaffinity). Filter: every required
 * affinity term must find a matching pod in the node's topology domain (or, if no pod anywhere
 * matches and the pod matches its own terms, it may go first); no required anti-affinity term may
 * find one; and no existing pod's required anti-affinity may select this pod in that domain.
 * Score: Σ ± weights of preferred terms matched in the node's domains, both the pod's terms and,
 * symmetrically, existing pods' terms that select it; min-max normalized.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
    EnqueueExtensions {

  public static final String NAME = "InterPodAffinity";
  public static final String ERR_REASON_EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  public static final String ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

  private static final Status AFFINITY_NOT_MATCH = Status.unresolvable(ERR_REASON_AFFINITY).withPlugin(NAME);
  private static final Status ANTI_AFFINITY_NOT_MATCH = Status.unschedulable(ERR_REASON_ANTI_AFFINITY)
      .withPlugin(NAME);
  private static final Status EXISTING_ANTI_AFFINITY_NOT_MATCH = Status.unschedulable(
      ERR_REASON_EXISTING_ANTI_AFFINITY).withPlugin(NAME);
  private static final CycleState.Key<PreFilterState> PRE_FILTER = new CycleState.Key<>("PreFilter" + NAME);
  private static final CycleState.Key<PreScoreState> PRE_SCORE = new CycleState.Key<>("PreScore" + NAME);

  /** InterPodAffinityArgs (defaults: hardPodAffinityWeight 1). */
  public record Args(int hardPodAffinityWeight, boolean ignorePreferredTermsOfExistingPods) {
    public static final Args DEFAULT = new Args(1, false);

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "",
          Set.of("hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"));
      int w = io.kubesim.controlplane.scheduler.plugins.Args.integer(node, "hardPodAffinityWeight", "", 1);
      if (w < 0 || w > 100) {
        throw new PluginArgsException("hardPodAffinityWeight", "Invalid value: " + w + ": not in valid range [0, 100]");
      }
      boolean ignore = io.kubesim.controlplane.scheduler.plugins.Args.bool(node,
          "ignorePreferredTermsOfExistingPods", "", false);
      return new Args(w, ignore);
    }
  }

  /** Counts by topology key, then value; entries that drop to zero are removed. */
  static final class TopologyCounts {
    final Map<String, Map<String, Long>> counts = new HashMap<>();
    int size;

    long get(String key, String value) {
      Map<String, Long> m = counts.get(key);
      if (m == null) {
        return 0;
      }
      Long v = m.get(value);
      return v == null ? 0 : v;
    }

    void add(String key, String value, long delta) {
      Map<String, Long> m = counts.computeIfAbsent(key, k -> new HashMap<>());
      Long old = m.get(value);
      long now = (old == null ? 0 : old) + delta;
      if (now == 0) {
        if (old != null) {
          m.remove(value);
          size--;
          if (m.isEmpty()) {
            counts.remove(key);
          }
        }
      } else {
        if (old == null) {
          size++;
        }
        m.put(value, now);
      }
    }

    boolean isEmpty() {
      return size == 0;
    }

    TopologyCounts copy() {
      TopologyCounts c = new TopologyCounts();
      counts.forEach((k, v) -> c.counts.put(k, new HashMap<>(v)));
      c.size = size;
      return c;
    }
  }

  static final class PreFilterState implements CycleState.Data {
    PodInfo pod;
    List<AffinityTerm> affinityTerms;
    List<AffinityTerm> antiAffinityTerms;
    Map<String, String> namespaceLabels;
    TopologyCounts existingAntiAffinityCounts = new TopologyCounts();
    TopologyCounts affinityCounts = new TopologyCounts();
    TopologyCounts antiAffinityCounts = new TopologyCounts();

    @Override
    public CycleState.Data copy() {
      PreFilterState c = new PreFilterState();
      c.pod = pod;
      c.affinityTerms = affinityTerms;
      c.antiAffinityTerms = antiAffinityTerms;
      c.namespaceLabels = namespaceLabels;
      c.existingAntiAffinityCounts = existingAntiAffinityCounts.copy();
      c.affinityCounts = affinityCounts.copy();
      c.antiAffinityCounts = antiAffinityCounts.copy();
      return c;
    }

    /** updateWithPod: a pod added (1) to or removed (-1) from a node. */
    void update(PodInfo updated, NodeInfo node, long multiplier) {
      Map<String, String> labels = node.labels();
      for (AffinityTerm t : updated.requiredAntiAffinityTerms()) {
        String v = labels.get(t.topologyKey());
        if (v != null && t.matches(pod, namespaceLabels)) {
          existingAntiAffinityCounts.add(t.topologyKey(), v, multiplier);
        }
      }
      if (matchesAll(affinityTerms, updated)) {
        for (AffinityTerm t : affinityTerms) {
          String v = labels.get(t.topologyKey());
          if (v != null) {
            affinityCounts.add(t.topologyKey(), v, multiplier);
          }
        }
      }
      for (AffinityTerm t : antiAffinityTerms) {
        String v = labels.get(t.topologyKey());
        if (v != null && t.matches(updated, null)) {
          antiAffinityCounts.add(t.topologyKey(), v, multiplier);
        }
      }
    }
  }

  static final class PreScoreState implements CycleState.Data {
    final Map<String, Map<String, Long>> topologyScore = new HashMap<>();

    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  private final Args args;
  private final Handle handle;

  public InterPodAffinity(Args args, Handle handle) {
    this.args = args == null ? Args.DEFAULT : args;
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** podMatchesAllAffinityTerms: false for no terms. */
  static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod) {
    if (terms.isEmpty()) {
      return false;
    }
    for (AffinityTerm t : terms) {
      if (!t.matches(pod, null)) {
        return false;
      }
    }
    return true;
  }

  /** The pod's terms with their namespaceSelector turned into the namespaces it selects now. */
  private List<AffinityTerm> merged(List<AffinityTerm> terms) {
    if (terms.isEmpty()) {
      return terms;
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (AffinityTerm t : terms) {
      out.add(t.namespaceSelector().isEmpty() ? t
          : t.withNamespacesMerged(handle.cluster().namespacesMatching(t.namespaceSelector())));
    }
    return out;
  }

  // ---------------------------------------------------------------- filter

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    PreFilterState s = new PreFilterState();
    s.pod = pod;
    s.affinityTerms = merged(pod.requiredAffinityTerms());
    s.antiAffinityTerms = merged(pod.requiredAntiAffinityTerms());
    s.namespaceLabels = handle.cluster().namespaceLabels(pod.namespace());
    for (NodeInfo node : handle.cluster().nodesWithRequiredAntiAffinityPods()) {
      Map<String, String> labels = node.labels();
      for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
        for (AffinityTerm t : existing.requiredAntiAffinityTerms()) {
          String v = labels.get(t.topologyKey());
          if (v != null && t.matches(pod, s.namespaceLabels)) {
            s.existingAntiAffinityCounts.add(t.topologyKey(), v, 1);
          }
        }
      }
    }
    if (!s.affinityTerms.isEmpty() || !s.antiAffinityTerms.isEmpty()) {
      for (NodeInfo node : nodes) {
        Map<String, String> labels = node.labels();
        for (PodInfo existing : node.pods()) {
          if (matchesAll(s.affinityTerms, existing)) {
            for (AffinityTerm t : s.affinityTerms) {
              String v = labels.get(t.topologyKey());
              if (v != null) {
                s.affinityCounts.add(t.topologyKey(), v, 1);
              }
            }
          }
          for (AffinityTerm t : s.antiAffinityTerms) {
            String v = labels.get(t.topologyKey());
            if (v != null && t.matches(existing, null)) {
              s.antiAffinityCounts.add(t.topologyKey(), v, 1);
            }
          }
        }
      }
    }
    if (s.existingAntiAffinityCounts.isEmpty() && s.affinityTerms.isEmpty() && s.antiAffinityTerms.isEmpty()) {
      return Result.SKIP;
    }
    state.write(PRE_FILTER, s);
    return Result.OK;
  }

  @Override
  public Extensions extensions() {
    return new Extensions() {
      @Override
      public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER);
        if (s != null) {
          s.update(podToAdd, node, 1);
        }
        return Status.SUCCESS;
      }

      @Override
      public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER);
        if (s != null) {
          s.update(podToRemove, node, -1);
        }
        return Status.SUCCESS;
      }
    };
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    PreFilterState s = state.read(PRE_FILTER);
    if (s == null) {
      return Status.SUCCESS;
    }
    if (!satisfyPodAffinity(s, node)) {
      return AFFINITY_NOT_MATCH;
    }
    if (!satisfyPodAntiAffinity(s, node)) {
      return ANTI_AFFINITY_NOT_MATCH;
    }
    if (!satisfyExistingPodsAntiAffinity(s, node)) {
      return EXISTING_ANTI_AFFINITY_NOT_MATCH;
    }
    return Status.SUCCESS;
  }

  private static boolean satisfyExistingPodsAntiAffinity(PreFilterState s, NodeInfo node) {
    if (s.existingAntiAffinityCounts.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, String> l : node.labels().entrySet()) {
      if (s.existingAntiAffinityCounts.get(l.getKey(), l.getValue()) > 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfyPodAntiAffinity(PreFilterState s, NodeInfo node) {
    if (s.antiAffinityCounts.isEmpty()) {
      return true;
    }
    for (AffinityTerm t : s.antiAffinityTerms) {
      String v = node.labels().get(t.topologyKey());
      if (v != null && s.antiAffinityCounts.get(t.topologyKey(), v) > 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfyPodAffinity(PreFilterState s, NodeInfo node) {
    boolean podsExist = true;
    for (AffinityTerm t : s.affinityTerms) {
      String v = node.labels().get(t.topologyKey());
      if (v == null) {
        // every topology label must be on the node
        return false;
      }
      if (s.affinityCounts.get(t.topologyKey(), v) <= 0) {
        podsExist = false;
      }
    }
    if (!podsExist) {
      // The first pod of a group with affinity to itself: allowed if no pod anywhere matches and
      // the pod matches its own terms.
      return s.affinityCounts.isEmpty() && matchesAll(s.affinityTerms, s.pod);
    }
    return true;
  }

  // ---------------------------------------------------------------- score

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    if (feasibleNodes.isEmpty()) {
      return Status.SUCCESS;
    }
    boolean hasConstraints = !pod.preferredAffinityTerms().isEmpty() || !pod.preferredAntiAffinityTerms().isEmpty();
    if (args.ignorePreferredTermsOfExistingPods() && !hasConstraints) {
      return Status.SKIP;
    }
    // Unless the pod has preferred terms itself, only nodes with affinity pods can score.
    List<NodeInfo> nodes = hasConstraints ? handle.cluster().nodes() : handle.cluster().nodesWithAffinityPods();
    if (nodes.isEmpty()) {
      return Status.SKIP;
    }
    List<AffinityTerm.Weighted> preferred = mergedWeighted(pod.preferredAffinityTerms());
    List<AffinityTerm.Weighted> preferredAnti = mergedWeighted(pod.preferredAntiAffinityTerms());
    Map<String, String> nsLabels = handle.cluster().namespaceLabels(pod.namespace());
    PreScoreState s = new PreScoreState();
    for (NodeInfo node : nodes) {
      if (node.labels().isEmpty()) {
        continue;
      }
      List<PodInfo> pods = hasConstraints ? node.pods() : node.podsWithAffinity();
      for (PodInfo existing : pods) {
        processTerms(s, preferred, existing, null, node, 1);
        processTerms(s, preferredAnti, existing, null, node, -1);
        if (args.hardPodAffinityWeight() > 0) {
          for (AffinityTerm t : existing.requiredAffinityTerms()) {
            processTerm(s, t, args.hardPodAffinityWeight(), pod, nsLabels, node, 1);
          }
        }
        processTerms(s, existing.preferredAffinityTerms(), pod, nsLabels, node, 1);
        processTerms(s, existing.preferredAntiAffinityTerms(), pod, nsLabels, node, -1);
      }
    }
    if (s.topologyScore.isEmpty()) {
      return Status.SKIP;
    }
    state.write(PRE_SCORE, s);
    return Status.SUCCESS;
  }

  private List<AffinityTerm.Weighted> mergedWeighted(List<AffinityTerm.Weighted> terms) {
    if (terms.isEmpty()) {
      return terms;
    }
    List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
    for (AffinityTerm.Weighted w : terms) {
      AffinityTerm t = w.term();
      out.add(t.namespaceSelector().isEmpty() ? w : new AffinityTerm.Weighted(
          t.withNamespacesMerged(handle.cluster().namespacesMatching(t.namespaceSelector())), w.weight()));
    }
    return out;
  }

  private static void processTerms(PreScoreState s, List<AffinityTerm.Weighted> terms, PodInfo pod,
      Map<String, String> nsLabels, NodeInfo node, int multiplier) {
    for (AffinityTerm.Weighted w : terms) {
      processTerm(s, w.term(), w.weight(), pod, nsLabels, node, multiplier);
    }
  }

  private static void processTerm(PreScoreState s, AffinityTerm term, int weight, PodInfo pod,
      Map<String, String> nsLabels, NodeInfo node, int multiplier) {
    if (!term.matches(pod, nsLabels)) {
      return;
    }
    String v = node.labels().get(term.topologyKey());
    if (v != null) {
      s.topologyScore.computeIfAbsent(term.topologyKey(), k -> new HashMap<>())
          .merge(v, (long) weight * multiplier, Long::sum);
    }
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PreScoreState s = state.read(PRE_SCORE);
    if (s == null) {
      return 0;
    }
    long score = 0;
    for (Map.Entry<String, Map<String, Long>> e : s.topologyScore.entrySet()) {
      String v = node.labels().get(e.getKey());
      if (v != null) {
        Long add = e.getValue().get(v);
        if (add != null) {
          score += add;
        }
      }
    }
    return score;
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, NodeInfo[] nodes, long[] scores, int n) {
    PreScoreState s = state.read(PRE_SCORE);
    if (s == null || s.topologyScore.isEmpty()) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    long diff = max - min;
    for (int i = 0; i < n; i++) {
      double f = 0;
      if (diff > 0) {
        f = MAX_NODE_SCORE * ((double) (scores[i] - min) / diff);
      }
      scores[i] = (long) f;
    }
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.ASSIGNED_POD_ADD),
        ClusterEvent.WithHint.of(ClusterEvent.ASSIGNED_POD_LABEL_CHANGE),
        ClusterEvent.WithHint.of(ClusterEvent.ASSIGNED_POD_DELETE),
        ClusterEvent.WithHint.of(ClusterEvent.NODE_ADD),
        ClusterEvent.WithHint.of(ClusterEvent.NODE_LABEL_CHANGE));
  }
}
