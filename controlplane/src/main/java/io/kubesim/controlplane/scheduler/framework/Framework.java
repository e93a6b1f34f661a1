package io.kubesim.controlplane.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One scheduling profile's plugins, wired to the extension points, and the code that runs them
 * (frameworkImpl in pkg/scheduler/framework/runtime/framework.go). The scheduler calls these run
 * methods in the order of a scheduling cycle; plugins see the framework as their {@link Handle}.
 */
public final class Framework implements Handle {

  /** The plugins of a profile, per extension point, in order, with the score weights. */
  public record Plugins(List<PreEnqueuePlugin> preEnqueue, QueueSortPlugin queueSort, List<PreFilterPlugin> preFilter,
      List<FilterPlugin> filter, List<PostFilterPlugin> postFilter, List<PreScorePlugin> preScore,
      List<ScorePlugin> score, List<Integer> scoreWeights, List<ReservePlugin> reserve, List<PermitPlugin> permit,
      List<PreBindPlugin> preBind, List<BindPlugin> bind) {}

  private final String profileName;
  private final Integer percentageOfNodesToScore;
  private final ClusterView cluster;
  private final SplittableRandom random;
  private final Actions actions;

  private final List<PreEnqueuePlugin> preEnqueue;
  private final QueueSortPlugin queueSort;
  private final PreFilterPlugin[] preFilter;
  private final FilterPlugin[] filter;
  /** For each filter plugin, the index of the pre-filter plugin of the same name, or -1. */
  private final int[] filterToPreFilter;
  private final List<PostFilterPlugin> postFilter;
  private final PreScorePlugin[] preScore;
  private final ScorePlugin[] score;
  private final int[] scoreToPreScore;
  private final int[] weights;
  private final List<ReservePlugin> reserve;
  private final List<PermitPlugin> permit;
  private final List<PreBindPlugin> preBind;
  private final List<BindPlugin> bind;
  private final java.util.Map<String, List<ClusterEvent.WithHint>> events = new java.util.LinkedHashMap<>();

  public Framework(String profileName, Integer percentageOfNodesToScore, Plugins plugins, ClusterView cluster,
      SplittableRandom random, Actions actions) {
    this.profileName = profileName;
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.cluster = cluster;
    this.random = random;
    this.actions = actions;
    this.preEnqueue = List.copyOf(plugins.preEnqueue());
    this.queueSort = plugins.queueSort();
    this.preFilter = plugins.preFilter().toArray(PreFilterPlugin[]::new);
    this.filter = plugins.filter().toArray(FilterPlugin[]::new);
    this.postFilter = List.copyOf(plugins.postFilter());
    this.preScore = plugins.preScore().toArray(PreScorePlugin[]::new);
    this.score = plugins.score().toArray(ScorePlugin[]::new);
    this.weights = plugins.scoreWeights().stream().mapToInt(Integer::intValue).toArray();
    this.reserve = List.copyOf(plugins.reserve());
    this.permit = List.copyOf(plugins.permit());
    this.preBind = List.copyOf(plugins.preBind());
    this.bind = List.copyOf(plugins.bind());
    if (preFilter.length > 64 || preScore.length > 64) {
      throw new IllegalArgumentException("at most 64 PreFilter and PreScore plugins per profile");
    }
    this.filterToPreFilter = new int[filter.length];
    for (int i = 0; i < filter.length; i++) {
      filterToPreFilter[i] = indexOf(preFilter, filter[i].name());
    }
    this.scoreToPreScore = new int[score.length];
    for (int i = 0; i < score.length; i++) {
      scoreToPreScore[i] = indexOf(preScore, score[i].name());
    }
    for (Plugin p : allPlugins()) {
      if (p instanceof EnqueueExtensions ext) {
        events.put(p.name(), List.copyOf(ext.eventsToRegister()));
      }
    }
  }

  /** The cluster events after which a pod the named plugin rejected may fit; empty if it registered none. */
  public List<ClusterEvent.WithHint> eventsOf(String pluginName) {
    return events.getOrDefault(pluginName, List.of());
  }


  private static int indexOf(Plugin[] plugins, String name) {
    for (int i = 0; i < plugins.length; i++) {
      if (plugins[i].name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- Handle

  @Override
  public ClusterView cluster() {
    return cluster;
  }

  @Override
  public String profileName() {
    return profileName;
  }

  @Override
  public SplittableRandom random() {
    return random;
  }

  @Override
  public Actions actions() {
    return actions;
  }

  public Integer percentageOfNodesToScore() {
    return percentageOfNodesToScore;
  }

  public QueueSortPlugin queueSort() {
    return queueSort;
  }

  public boolean hasFilterPlugins() {
    return filter.length > 0;
  }

  public boolean hasScorePlugins() {
    return score.length > 0;
  }

  public boolean hasPostFilterPlugins() {
    return !postFilter.isEmpty();
  }

  /** Every plugin of the profile, once each, in extension-point order. */
  public List<Plugin> allPlugins() {
    Set<Plugin> all = new LinkedHashSet<>();
    all.addAll(preEnqueue);
    if (queueSort != null) {
      all.add(queueSort);
    }
    all.addAll(List.of(preFilter));
    all.addAll(List.of(filter));
    all.addAll(postFilter);
    all.addAll(List.of(preScore));
    all.addAll(List.of(score));
    all.addAll(reserve);
    all.addAll(permit);
    all.addAll(preBind);
    all.addAll(bind);
    return new ArrayList<>(all);
  }

  // ---------------------------------------------------------------- PreEnqueue

  /** The first PreEnqueue plugin that keeps the pod out, with its status; Success if none does. */
  public Status runPreEnqueue(PodInfo pod) {
    for (PreEnqueuePlugin p : preEnqueue) {
      Status s = p.preEnqueue(pod);
      if (!Status.isSuccess(s)) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  // ---------------------------------------------------------------- PreFilter

  /** What RunPreFilterPlugins reports: a rejection or error, the narrowed node set, and who narrowed or rejected. */
  public record PreFilterOutcome(Status status, Set<String> nodeNames, Set<String> plugins) {}

  public PreFilterOutcome runPreFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    Set<String> narrowed = null;
    List<String> pluginsWithNodes = new ArrayList<>(0);
    for (int i = 0; i < preFilter.length; i++) {
      PreFilterPlugin p = preFilter[i];
      PreFilterPlugin.Result r = p.preFilter(state, pod, nodes);
      Status s = r == null ? Status.SUCCESS : r.status();
      if (s != null && s.skip()) {
        state.skipFilter(i);
        continue;
      }
      if (!Status.isSuccess(s)) {
        s = s.withPlugin(p.name());
        if (s.rejected()) {
          return new PreFilterOutcome(s, null, Set.of(p.name()));
        }
        return new PreFilterOutcome(Status.error("running PreFilter plugin \"" + p.name() + "\": " + s.message())
            .withPlugin(p.name()), null, Set.of());
      }
      if (r != null && r.nodeNames() != null) {
        pluginsWithNodes.add(p.name());
        if (narrowed == null) {
          narrowed = new LinkedHashSet<>(r.nodeNames());
        } else {
          narrowed.retainAll(r.nodeNames());
        }
        if (narrowed.isEmpty()) {
          String msg = pluginsWithNodes.size() == 1 ? "node(s) didn't satisfy plugin " + pluginsWithNodes.get(0)
              : "node(s) didn't satisfy plugin(s) " + goList(pluginsWithNodes) + " simultaneously";
          return new PreFilterOutcome(Status.unresolvable(msg), narrowed, new LinkedHashSet<>(pluginsWithNodes));
        }
      }
    }
    return new PreFilterOutcome(Status.SUCCESS, narrowed, new LinkedHashSet<>(pluginsWithNodes));
  }

  /** Go's %v of a sorted string slice: [a b c]. */
  public static String goList(List<String> items) {
    List<String> sorted = new ArrayList<>(items);
    sorted.sort(null);
    return "[" + String.join(" ", sorted) + "]";
  }

  @Override
  public Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
    for (int i = 0; i < preFilter.length; i++) {
      if (state.filterSkipped(i) || preFilter[i].extensions() == null) {
        continue;
      }
      Status s = preFilter[i].extensions().addPod(state, podToSchedule, podToAdd, node);
      if (!Status.isSuccess(s)) {
        return Status.error("running AddPod on PreFilter plugin \"" + preFilter[i].name() + "\": " + s.message());
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove,
      NodeInfo node) {
    for (int i = 0; i < preFilter.length; i++) {
      if (state.filterSkipped(i) || preFilter[i].extensions() == null) {
        continue;
      }
      Status s = preFilter[i].extensions().removePod(state, podToSchedule, podToRemove, node);
      if (!Status.isSuccess(s)) {
        return Status.error("running RemovePod on PreFilter plugin \"" + preFilter[i].name() + "\": " + s.message());
      }
    }
    return Status.SUCCESS;
  }

  // ---------------------------------------------------------------- Filter

  /** The filter plugins that run for this pod: those whose PreFilter did not Skip. */
  private FilterPlugin[] activeFilters(CycleState state) {
    FilterPlugin[] active = state.activeFilters;
    if (active == null) {
      List<FilterPlugin> l = new ArrayList<>(filter.length);
      for (int i = 0; i < filter.length; i++) {
        int pre = filterToPreFilter[i];
        if (pre < 0 || !state.filterSkipped(pre)) {
          l.add(filter[i]);
        }
      }
      active = l.toArray(FilterPlugin[]::new);
      state.activeFilters = active;
    }
    return active;
  }

  /** RunFilterPlugins: stops at the first plugin that does not pass the node, in plugin order. */
  public Status runFilter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterPlugin[] active = activeFilters(state);
    for (FilterPlugin f : active) {
      Status s = f.filter(state, pod, node);
      if (s != null && s != Status.SUCCESS && !s.success()) {
        if (!s.rejected()) {
          return Status.error("running \"" + f.name() + "\" filter plugin: " + s.message()).withPlugin(f.name());
        }
        return s.withPlugin(f.name());
      }
    }
    return Status.SUCCESS;
  }

  /**
   * RunFilterPluginsWithNominatedPods: if pods of equal or higher priority are nominated to the
   * node, the pod must fit both with them (as if they ran there) and without them.
   */
  @Override
  public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
    List<PodInfo> nominated = cluster.nominatedPods(node.name());
    if (nominated.isEmpty()) {
      return runFilter(state, pod, node);
    }
    CycleState stateWith = null;
    NodeInfo nodeWith = null;
    for (PodInfo p : nominated) {
      if (p.priority() >= pod.priority() && !p.uid().equals(pod.uid())) {
        if (stateWith == null) {
          stateWith = state.copy();
          nodeWith = node.copy();
        }
        nodeWith.addPod(p);
        Status s = runPreFilterExtensionAddPod(stateWith, pod, p, nodeWith);
        if (!Status.isSuccess(s)) {
          return s;
        }
      }
    }
    if (stateWith == null) {
      return runFilter(state, pod, node);
    }
    Status first = runFilter(stateWith, pod, nodeWith);
    if (!first.success()) {
      return first;
    }
    return runFilter(state, pod, node);
  }

  // ---------------------------------------------------------------- PostFilter

  public PostFilterPlugin.Result runPostFilter(CycleState state, PodInfo pod, NodeToStatus statuses) {
    PostFilterPlugin.Result result = null;
    List<String> reasons = new ArrayList<>();
    String rejector = null;
    for (PostFilterPlugin p : postFilter) {
      PostFilterPlugin.Result r = p.postFilter(state, pod, statuses);
      Status s = r.status();
      if (Status.isSuccess(s)) {
        return r;
      }
      if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        return new PostFilterPlugin.Result(s.withPlugin(p.name()), r.nominatedNodeName());
      }
      if (!s.rejected()) {
        return new PostFilterPlugin.Result(Status.error(s.message()).withPlugin(p.name()), null);
      }
      if (r.nominatedNodeName() != null) {
        result = r;
      }
      reasons.addAll(s.reasons());
      if (rejector == null) {
        rejector = p.name();
      }
    }
    Status s = Status.unschedulable(reasons.toArray(String[]::new));
    if (rejector != null) {
      s = s.withPlugin(rejector);
    }
    return new PostFilterPlugin.Result(s, result == null ? null : result.nominatedNodeName());
  }

  // ---------------------------------------------------------------- PreScore and Score

  /** The scores of one cycle: per plugin that ran, raw and normalized per node, and weighted totals. */
  public record Scores(String[] plugins, int[] weights, long[][] raw, long[][] normalized, long[] totals) {}

  public Status runPreScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
    for (int i = 0; i < preScore.length; i++) {
      Status s = preScore[i].preScore(state, pod, feasible);
      if (s != null && s.skip()) {
        state.skipScore(i);
        continue;
      }
      if (!Status.isSuccess(s)) {
        return Status.error("running PreScore plugin \"" + preScore[i].name() + "\": " + s.message())
            .withPlugin(preScore[i].name());
      }
    }
    return Status.SUCCESS;
  }

  /** RunScorePlugins: score, normalize, weigh; the totals are Σ weight × normalized score. */
  public Scores runScore(CycleState state, PodInfo pod, NodeInfo[] nodes, int n) {
    int active = 0;
    boolean[] run = new boolean[score.length];
    for (int p = 0; p < score.length; p++) {
      int pre = scoreToPreScore[p];
      run[p] = pre < 0 || !state.scoreSkipped(pre);
      if (run[p]) {
        active++;
      }
    }
    String[] names = new String[active];
    int[] w = new int[active];
    ScorePlugin[] plugins = new ScorePlugin[active];
    long[][] raw = new long[active][];
    long[][] normalized = new long[active][];
    long[] totals = new long[n];
    int k = 0;
    for (int p = 0; p < score.length; p++) {
      if (run[p]) {
        plugins[k] = score[p];
        names[k] = score[p].name();
        w[k] = weights[p];
        raw[k] = new long[n];
        k++;
      }
    }
    // Plugin by plugin over all the nodes: each plugin's loop is its own, so the JIT inlines its score,
    // and what the pod asks for is read once; the few hundred nodes stay in cache between plugins.
    for (int p = 0; p < active; p++) {
      plugins[p].scoreAll(state, pod, nodes, n, raw[p]);
    }
    for (int p = 0; p < active; p++) {
      long[] norm = raw[p];
      if (plugins[p].normalizes()) {
        norm = raw[p].clone();
        plugins[p].normalize(state, pod, nodes, norm, n);
      }
      normalized[p] = norm;
      int weight = w[p];
      for (int i = 0; i < n; i++) {
        totals[i] += norm[i] * weight;
      }
    }
    return new Scores(names, w, raw, normalized, totals);
  }

  // ---------------------------------------------------------------- Reserve, Permit, PreBind, Bind

  public Status runReserve(CycleState state, PodInfo pod, String node) {
    for (ReservePlugin p : reserve) {
      Status s = p.reserve(state, pod, node);
      if (!Status.isSuccess(s)) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  public void runUnreserve(CycleState state, PodInfo pod, String node) {
    for (int i = reserve.size() - 1; i >= 0; i--) {
      reserve.get(i).unreserve(state, pod, node);
    }
  }

  public Status runPermit(CycleState state, PodInfo pod, String node) {
    for (PermitPlugin p : permit) {
      Status s = p.permit(state, pod, node);
      if (!Status.isSuccess(s)) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  public Status runPreBind(CycleState state, PodInfo pod, String node) {
    for (PreBindPlugin p : preBind) {
      Status s = p.preBind(state, pod, node);
      if (!Status.isSuccess(s)) {
        return Status.error("running PreBind plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** RunBindPlugins: the first binder that takes the pod binds it; {@code done} gets the outcome. */
  public void runBind(CycleState state, PodInfo pod, String node, Consumer<Status> done) {
    for (BindPlugin p : bind) {
      Consumer<Status> outcome = s -> {
        if (Status.isSuccess(s) || s.rejected()) {
          done.accept(s == null ? Status.SUCCESS : s.withPlugin(p.name()));
        } else {
          done.accept(Status.error("running Bind plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name()));
        }
      };
      if (p.bind(state, pod, node, outcome)) {
        return;
      }
    }
    done.accept(Status.error("no bind plugin bound the pod"));
  }
}
