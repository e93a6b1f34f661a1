package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
import io.kubesim.controlplane.scheduler.framework.RequiredNodeAffinity;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.api.model.Taints;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Pod topology spread constraints (plugins/podtopologyspread). Filter (DoNotSchedule
 * constraints): putting the pod in a domain may not make that domain's count of matching pods
 * exceed the smallest domain's by more than maxSkew. Score (ScheduleAnyway constraints, or the
 * cluster defaults for pods that a Service, ReplicaSet or StatefulSet selects): fewer matching pods
 * in the node's domains is better, each constraint weighted by log(number of domains + 2).
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
    EnqueueExtensions {

  public static final String NAME = "PodTopologySpread";
  public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH
      + " (missing required label)";

  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String DO_NOT_SCHEDULE = "DoNotSchedule";
  public static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

  private static final Status CONSTRAINTS_NOT_MATCH = Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
      .withPlugin(NAME);
  private static final Status NODE_LABEL_NOT_MATCH = Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
      .withPlugin(NAME);
  private static final CycleState.Key<PreFilterState> PRE_FILTER = new CycleState.Key<>("PreFilter" + NAME);
  private static final CycleState.Key<PreScoreState> PRE_SCORE = new CycleState.Key<>("PreScore" + NAME);

  /** A default constraint of the args: no selector, that is the pod's owners'. */
  public record DefaultConstraint(int maxSkew, String topologyKey, String whenUnsatisfiable) {}

  /**
   * The system defaults (plugins/podtopologyspread/common.go systemDefaultConstraints): spread over
   * hosts with maxSkew 3 and over zones with maxSkew 5, both ScheduleAnyway.
   */
  public static final List<DefaultConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
      new DefaultConstraint(3, HOSTNAME, SCHEDULE_ANYWAY), new DefaultConstraint(5, ZONE, SCHEDULE_ANYWAY));

  /** PodTopologySpreadArgs: defaultingType System (the defaults above) or List (defaultConstraints). */
  public record Args(List<DefaultConstraint> defaultConstraints, String defaultingType) {
    public static final Args DEFAULT = new Args(List.of(), "System");

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "", Set.of("defaultConstraints", "defaultingType"));
      String type = io.kubesim.controlplane.scheduler.plugins.Args.string(node, "defaultingType", "", "System");
      if (!type.equals("System") && !type.equals("List")) {
        throw new PluginArgsException("defaultingType", "Unsupported value: \"" + type
            + "\": supported values: \"List\", \"System\"");
      }
      List<JsonNode> cs = io.kubesim.controlplane.scheduler.plugins.Args.array(node, "defaultConstraints", "");
      List<DefaultConstraint> out = new ArrayList<>();
      if (cs != null) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cs.size(); i++) {
          String p = "defaultConstraints[" + i + "]";
          JsonNode c = cs.get(i);
          if (io.kubesim.controlplane.scheduler.plugins.Args.get(c, "labelSelector") != null) {
            throw new PluginArgsException(p + ".labelSelector",
                "Forbidden: constraint must not define a selector, as they deduced for each pod");
          }
          io.kubesim.controlplane.scheduler.plugins.Args.known(c, p,
              Set.of("maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector"));
          int maxSkew = io.kubesim.controlplane.scheduler.plugins.Args.integer(c, "maxSkew", p, 0);
          if (maxSkew <= 0) {
            throw new PluginArgsException(p + ".maxSkew", "Invalid value: " + maxSkew + ": must be greater than zero");
          }
          String key = io.kubesim.controlplane.scheduler.plugins.Args.string(c, "topologyKey", p, "");
          if (key.isEmpty()) {
            throw new PluginArgsException(p + ".topologyKey", "Required value: can not be empty");
          }
          String when = io.kubesim.controlplane.scheduler.plugins.Args.string(c, "whenUnsatisfiable", p, "");
          if (!when.equals(DO_NOT_SCHEDULE) && !when.equals(SCHEDULE_ANYWAY)) {
            throw new PluginArgsException(p + ".whenUnsatisfiable", "Unsupported value: \"" + when
                + "\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
          }
          if (!seen.add(key + "\u0000" + when)) {
            throw new PluginArgsException(p, "Duplicate value: {" + key + ", " + when + "}");
          }
          out.add(new DefaultConstraint(maxSkew, key, when));
        }
      }
      if (type.equals("System") && !out.isEmpty()) {
        throw new PluginArgsException("defaultConstraints",
            "Invalid value: when .defaultingType is \"System\", .defaultConstraints must be empty");
      }
      return new Args(List.copyOf(out), type);
    }
  }

  /** A constraint with its selector worked out (topologySpreadConstraint in common.go). */
  record Constraint(int maxSkew, String topologyKey, LabelSelector selector, int minDomains,
      boolean honorNodeAffinity, boolean honorNodeTaints) {

    /** matchNodeInclusionPolicies: whether the node counts for this constraint. */
    boolean includes(PodInfo pod, NodeInfo node, RequiredNodeAffinity affinity) {
      if (honorNodeAffinity && !affinity.matches(node)) {
        return false;
      }
      if (honorNodeTaints) {
        for (Taint t : node.filterTaints()) {
          if (!Taints.tolerated(pod.tolerations(), t)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  static final class PreFilterState implements CycleState.Data {
    final List<Constraint> constraints;
    final List<Map<String, Integer>> tpValueToMatchNum;
    final int[] min;

    PreFilterState(List<Constraint> constraints, List<Map<String, Integer>> counts) {
      this.constraints = constraints;
      this.tpValueToMatchNum = counts;
      this.min = new int[constraints.size()];
      for (int i = 0; i < constraints.size(); i++) {
        recomputeMin(i);
      }
    }

    void recomputeMin(int i) {
      int m = Integer.MAX_VALUE;
      for (int v : tpValueToMatchNum.get(i).values()) {
        m = Math.min(m, v);
      }
      min[i] = m;
    }

    /** The global minimum; 0 when there are fewer eligible domains than minDomains. */
    int minMatchNum(int i) {
      if (tpValueToMatchNum.get(i).size() < constraints.get(i).minDomains()) {
        return 0;
      }
      return min[i];
    }

    @Override
    public CycleState.Data copy() {
      List<Map<String, Integer>> counts = new ArrayList<>(tpValueToMatchNum.size());
      for (Map<String, Integer> m : tpValueToMatchNum) {
        counts.add(new HashMap<>(m));
      }
      return new PreFilterState(constraints, counts);
    }
  }

  static final class PreScoreState implements CycleState.Data {
    final List<Constraint> constraints;
    final Set<String> ignoredNodes = new HashSet<>();
    final List<Map<String, long[]>> topologyValueToPodCounts = new ArrayList<>();
    double[] normalizingWeight;

    PreScoreState(List<Constraint> constraints) {
      this.constraints = constraints;
    }

    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  private final Handle handle;
  private final List<DefaultConstraint> defaultConstraints;
  private final boolean systemDefaulted;

  public PodTopologySpread(Args args, Handle handle) {
    Args a = args == null ? Args.DEFAULT : args;
    this.handle = handle;
    this.systemDefaulted = a.defaultingType().equals("System");
    this.defaultConstraints = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : a.defaultConstraints();
  }

  @Override
  public String name() {
    return NAME;
  }

  // ---------------------------------------------------------------- constraints

  /** The pod's own constraints with this whenUnsatisfiable, or the defaults if it has none. */
  private List<Constraint> constraints(PodInfo pod, String action) {
    List<TopologySpreadConstraint> own = pod.pod().getSpec() == null ? null
        : pod.pod().getSpec().getTopologySpreadConstraints();
    if (own != null && !own.isEmpty()) {
      List<Constraint> out = new ArrayList<>();
      for (TopologySpreadConstraint c : own) {
        if (!action.equals(c.getWhenUnsatisfiable())) {
          continue;
        }
        out.add(new Constraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(),
            selector(c, pod.labels()), c.getMinDomains() == null ? 1 : c.getMinDomains(),
            !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy())));
      }
      return out;
    }
    List<Constraint> out = new ArrayList<>();
    LabelSelector selector = null;
    for (DefaultConstraint c : defaultConstraints) {
      if (!action.equals(c.whenUnsatisfiable())) {
        continue;
      }
      if (selector == null) {
        selector = defaultSelector(pod);
        if (selector.isEmpty() || selector.matchesNothing()) {
          return List.of();
        }
      }
      out.add(new Constraint(c.maxSkew(), c.topologyKey(), selector, 1, true, false));
    }
    return out;
  }

  /** The constraint's selector, with "key in (own value)" for each matchLabelKeys key the pod has. */
  private static LabelSelector selector(TopologySpreadConstraint c, Map<String, String> podLabels) {
    try {
      if (c.getMatchLabelKeys() == null || c.getMatchLabelKeys().isEmpty() || c.getLabelSelector() == null) {
        return LabelSelector.from(c.getLabelSelector());
      }
      List<LabelSelectorRequirement> exprs = new ArrayList<>(c.getLabelSelector().getMatchExpressions() == null
          ? List.of() : c.getLabelSelector().getMatchExpressions());
      for (String k : c.getMatchLabelKeys()) {
        String v = podLabels.get(k);
        if (v != null) {
          exprs.add(new LabelSelectorRequirement(k, "In", List.of(v)));
        }
      }
      return LabelSelector.from(new LabelSelectorBuilder().withMatchLabels(c.getLabelSelector().getMatchLabels())
          .withMatchExpressions(exprs).build());
    } catch (SelectorParseException | IllegalArgumentException e) {
      return LabelSelector.nothing();
    }
  }

  /**
   * helper.DefaultSelector: the labels of the Services selecting the pod, and the selector of its
   * controlling ReplicaSet or StatefulSet. Empty when nothing selects the pod.
   */
  LabelSelector defaultSelector(PodInfo pod) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Service s : handle.cluster().services(pod.namespace())) {
      Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
      if (sel == null || sel.isEmpty()) {
        continue;
      }
      boolean matches = true;
      for (Map.Entry<String, String> e : sel.entrySet()) {
        if (!e.getValue().equals(pod.labels().get(e.getKey()))) {
          matches = false;
          break;
        }
      }
      if (matches) {
        labels.putAll(sel);
      }
    }
    List<LabelSelectorRequirement> exprs = new ArrayList<>();
    OwnerReference owner = controllerOf(pod.pod());
    if (owner != null && owner.getApiVersion() != null && owner.getApiVersion().equals("apps/v1")) {
      io.fabric8.kubernetes.api.model.LabelSelector sel = null;
      if ("ReplicaSet".equals(owner.getKind())) {
        ReplicaSet rs = handle.cluster().replicaSet(pod.namespace(), owner.getName());
        sel = rs == null || rs.getSpec() == null ? null : rs.getSpec().getSelector();
      } else if ("StatefulSet".equals(owner.getKind())) {
        StatefulSet ss = handle.cluster().statefulSet(pod.namespace(), owner.getName());
        sel = ss == null || ss.getSpec() == null ? null : ss.getSpec().getSelector();
      }
      if (sel != null) {
        if (sel.getMatchLabels() != null) {
          sel.getMatchLabels().forEach((k, v) -> exprs.add(new LabelSelectorRequirement(k, "In", List.of(v))));
        }
        if (sel.getMatchExpressions() != null) {
          exprs.addAll(sel.getMatchExpressions());
        }
      }
    }
    if (labels.isEmpty() && exprs.isEmpty()) {
      return LabelSelector.everything();
    }
    try {
      return LabelSelector.from(new LabelSelectorBuilder().withMatchLabels(labels).withMatchExpressions(exprs)
          .build());
    } catch (SelectorParseException | IllegalArgumentException e) {
      return LabelSelector.everything();
    }
  }

  private static OwnerReference controllerOf(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference o : pod.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(o.getController())) {
        return o;
      }
    }
    return null;
  }

  private static boolean hasAllTopologyKeys(Map<String, String> nodeLabels, List<Constraint> constraints) {
    for (Constraint c : constraints) {
      if (!nodeLabels.containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- filter

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<Constraint> constraints = constraints(pod, DO_NOT_SCHEDULE);
    if (constraints.isEmpty()) {
      return Result.SKIP;
    }
    List<Map<String, Integer>> counts = new ArrayList<>(constraints.size());
    for (int i = 0; i < constraints.size(); i++) {
      counts.add(new HashMap<>());
    }
    RequiredNodeAffinity affinity = pod.requiredNodeAffinity();
    for (NodeInfo node : nodes) {
      if (!hasAllTopologyKeys(node.labels(), constraints)) {
        continue;
      }
      for (int i = 0; i < constraints.size(); i++) {
        Constraint c = constraints.get(i);
        if (!c.includes(pod, node, affinity)) {
          continue;
        }
        String value = node.labels().get(c.topologyKey());
        int n = node.countPodsMatching(c.selector(), pod.namespace());
        counts.get(i).merge(value, n, Integer::sum);
      }
    }
    state.write(PRE_FILTER, new PreFilterState(constraints, counts));
    return Result.OK;
  }

  @Override
  public Extensions extensions() {
    return new Extensions() {
      @Override
      public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        update(state.read(PRE_FILTER), podToAdd, podToSchedule, node, 1);
        return Status.SUCCESS;
      }

      @Override
      public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        update(state.read(PRE_FILTER), podToRemove, podToSchedule, node, -1);
        return Status.SUCCESS;
      }
    };
  }

  private void update(PreFilterState s, PodInfo updated, PodInfo preemptor, NodeInfo node, int delta) {
    if (s == null || !updated.namespace().equals(preemptor.namespace()) || node.node() == null) {
      return;
    }
    if (!hasAllTopologyKeys(node.labels(), s.constraints)) {
      return;
    }
    RequiredNodeAffinity affinity = preemptor.requiredNodeAffinity();
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      if (!c.selector().matches(updated.labels()) || !c.includes(preemptor, node, affinity)) {
        continue;
      }
      String v = node.labels().get(c.topologyKey());
      s.tpValueToMatchNum.get(i).merge(v, delta, Integer::sum);
      s.recomputeMin(i);
    }
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    PreFilterState s = state.read(PRE_FILTER);
    if (s == null || s.constraints.isEmpty()) {
      return Status.SUCCESS;
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      String tpVal = node.labels().get(c.topologyKey());
      if (tpVal == null) {
        return NODE_LABEL_NOT_MATCH;
      }
      int minMatch = s.minMatchNum(i);
      int self = c.selector().matches(pod.labels()) ? 1 : 0;
      Integer matchNum = s.tpValueToMatchNum.get(i).get(tpVal);
      int skew = (matchNum == null ? 0 : matchNum) + self - minMatch;
      if (skew > c.maxSkew()) {
        return CONSTRAINTS_NOT_MATCH;
      }
    }
    return Status.SUCCESS;
  }

  // ---------------------------------------------------------------- score

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    List<NodeInfo> allNodes = handle.cluster().nodes();
    if (feasibleNodes.isEmpty() || allNodes.isEmpty()) {
      return Status.SKIP;
    }
    List<Constraint> constraints = constraints(pod, SCHEDULE_ANYWAY);
    if (constraints.isEmpty()) {
      return Status.SKIP;
    }
    boolean ownConstraints = pod.pod().getSpec() != null && pod.pod().getSpec().getTopologySpreadConstraints() != null
        && !pod.pod().getSpec().getTopologySpreadConstraints().isEmpty();
    // Only non-system-default spreading needs every topology label on the node, so that nodes
    // without a zone label still get hostname spreading.
    boolean requireAllTopologies = ownConstraints || !systemDefaulted;
    PreScoreState s = new PreScoreState(constraints);
    int[] topoSize = new int[constraints.size()];
    for (int i = 0; i < constraints.size(); i++) {
      s.topologyValueToPodCounts.add(new HashMap<>());
    }
    for (NodeInfo node : feasibleNodes) {
      if (requireAllTopologies && !hasAllTopologyKeys(node.labels(), constraints)) {
        s.ignoredNodes.add(node.name());
        continue;
      }
      for (int i = 0; i < constraints.size(); i++) {
        Constraint c = constraints.get(i);
        if (c.topologyKey().equals(HOSTNAME)) {
          continue;
        }
        String value = node.labels().get(c.topologyKey());
        if (value == null) {
          value = "";
        }
        if (!s.topologyValueToPodCounts.get(i).containsKey(value)) {
          s.topologyValueToPodCounts.get(i).put(value, new long[1]);
          topoSize[i]++;
        }
      }
    }
    s.normalizingWeight = new double[constraints.size()];
    for (int i = 0; i < constraints.size(); i++) {
      int size = topoSize[i];
      if (constraints.get(i).topologyKey().equals(HOSTNAME)) {
        size = feasibleNodes.size() - s.ignoredNodes.size();
      }
      s.normalizingWeight[i] = Math.log(size + 2);
    }
    RequiredNodeAffinity affinity = pod.requiredNodeAffinity();
    for (NodeInfo node : allNodes) {
      if (requireAllTopologies && !hasAllTopologyKeys(node.labels(), constraints)) {
        continue;
      }
      for (int i = 0; i < constraints.size(); i++) {
        Constraint c = constraints.get(i);
        if (!c.includes(pod, node, affinity)) {
          continue;
        }
        String value = node.labels().get(c.topologyKey());
        long[] count = s.topologyValueToPodCounts.get(i).get(value == null ? "" : value);
        if (count == null) {
          continue;
        }
        count[0] += node.countPodsMatching(c.selector(), pod.namespace());
      }
    }
    state.write(PRE_SCORE, s);
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PreScoreState s = state.read(PRE_SCORE);
    if (s == null || s.ignoredNodes.contains(node.name())) {
      return 0;
    }
    double score = 0;
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      String tpVal = node.labels().get(c.topologyKey());
      if (tpVal == null) {
        continue;
      }
      long cnt;
      if (c.topologyKey().equals(HOSTNAME)) {
        cnt = node.countPodsMatching(c.selector(), pod.namespace());
      } else {
        long[] v = s.topologyValueToPodCounts.get(i).get(tpVal);
        cnt = v == null ? 0 : v[0];
      }
      score += scoreForCount(cnt, c.maxSkew(), s.normalizingWeight[i]);
    }
    return Math.round(score);
  }

  /** A domain's count, weighted by its constraint's number of domains; maxSkew − 1 evens out skews. */
  static double scoreForCount(long cnt, int maxSkew, double tpWeight) {
    return cnt * tpWeight + (maxSkew - 1);
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, NodeInfo[] nodes, long[] scores, int n) {
    PreScoreState s = state.read(PRE_SCORE);
    if (s == null) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    boolean[] ignored = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (s.ignoredNodes.contains(nodes[i].name())) {
        ignored[i] = true;
        continue;
      }
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    for (int i = 0; i < n; i++) {
      if (ignored[i]) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = MAX_NODE_SCORE;
      } else {
        scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
      }
    }
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    ClusterEvent.HintFn podHint = (pod, oldObj, newObj) -> {
      Pod changed = (Pod) (newObj != null ? newObj : oldObj);
      PodInfo c = PodInfo.of(changed);
      if (!c.namespace().equals(pod.namespace())) {
        return ClusterEvent.Hint.SKIP;
      }
      List<Constraint> all = new ArrayList<>(constraints(pod, DO_NOT_SCHEDULE));
      for (Constraint k : all) {
        if (k.selector().matches(c.labels())) {
          return ClusterEvent.Hint.QUEUE;
        }
      }
      if (oldObj != null && newObj != null) {
        PodInfo before = PodInfo.of((Pod) oldObj);
        for (Constraint k : all) {
          if (k.selector().matches(before.labels())) {
            return ClusterEvent.Hint.QUEUE;
          }
        }
      }
      return ClusterEvent.Hint.SKIP;
    };
    Set<ClusterEvent> podEvents = new LinkedHashSet<>(List.of(ClusterEvent.ASSIGNED_POD_ADD,
        ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.ASSIGNED_POD_LABEL_CHANGE));
    List<ClusterEvent.WithHint> out = new ArrayList<>();
    for (ClusterEvent e : podEvents) {
      out.add(new ClusterEvent.WithHint(e, podHint));
    }
    out.add(ClusterEvent.WithHint.of(ClusterEvent.NODE_ADD));
    out.add(ClusterEvent.WithHint.of(ClusterEvent.NODE_DELETE));
    out.add(ClusterEvent.WithHint.of(ClusterEvent.NODE_LABEL_CHANGE));
    out.add(ClusterEvent.WithHint.of(ClusterEvent.NODE_TAINT_CHANGE));
    return out;
  }
}
