package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.ClusterView;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.NodeToStatus;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One pod's placement (schedulePod, findNodesThatFitPod, prioritizeNodes and selectHost in
 * pkg/scheduler/schedule_one.go): PreFilter, then Filter over the nodes from where the last cycle
 * stopped until enough feasible nodes are found (percentageOfNodesToScore), then PreScore and Score
 * over those, and the highest total wins, ties drawn at random. Records what it saw for the
 * scheduling decision.
 */
final class ScheduleAlgorithm {

  /** minFeasibleNodesToFind: at least this many nodes are scored, whatever the percentage. */
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  /** minFeasibleNodesPercentageToFind: the adaptive percentage never goes below this. */
  static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
  static final String ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods";

  /** What a cycle found; {@code host} null unless it succeeded. */
  static final class Result {
    String host;
    /** A non-rejection failure (error), or null. */
    Status error;
    int numAllNodes;
    int evaluatedNodes;
    int feasibleCount;
    final NodeToStatus statuses = new NodeToStatus();
    String preFilterMessage;
    final Set<String> unschedulablePlugins = new LinkedHashSet<>();
    final Set<String> pendingPlugins = new LinkedHashSet<>();
    /** Nodes in the order they were filtered, and their verdicts (null: passed). */
    String[] evaluated = new String[0];
    Status[] verdicts = new Status[0];
    int evaluatedCount;
    /** Nodes left out by a PreFilter result, with the reason. */
    Status absentReason;
    NodeInfo[] feasible = new NodeInfo[0];
    Framework.Scores scores;

    boolean fitError() {
      return host == null && error == null;
    }
  }

  private final int globalPercentage;
  private final SplittableRandom random;
  private int nextStartNodeIndex;

  ScheduleAlgorithm(int percentageOfNodesToScore, SplittableRandom random) {
    this.globalPercentage = percentageOfNodesToScore;
    this.random = random;
  }

  Result schedule(Framework fw, CycleState state, PodInfo pod, ClusterView cluster) {
    Result r = new Result();
    List<NodeInfo> all = cluster.nodes();
    r.numAllNodes = all.size();
    if (all.isEmpty()) {
      r.error = Status.unresolvable(ERR_NO_NODES_AVAILABLE);
      return r;
    }
    Framework.PreFilterOutcome pre = fw.runPreFilter(state, pod, all);
    if (!pre.status().success()) {
      if (!pre.status().rejected()) {
        r.error = pre.status();
        return r;
      }
      r.statuses.setAbsent(pre.status());
      r.preFilterMessage = pre.status().message();
      r.unschedulablePlugins.addAll(pre.plugins());
      r.absentReason = pre.status();
      return r;
    }
    r.unschedulablePlugins.addAll(pre.plugins());

    List<NodeInfo> nodes = all;
    // A node nominated by an earlier preemption is likely the only one that fits: try it first.
    String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
    r.evaluated = new String[1];
    r.verdicts = new Status[1];
    if (nominated != null && !nominated.isEmpty()) {
      NodeInfo n = cluster.node(nominated);
      if (n != null) {
        Status s = fw.runFilterWithNominatedPods(state, pod, n);
        if (s.success()) {
          record(r, n.name(), null);
          r.feasible = new NodeInfo[] {n};
          r.feasibleCount = 1;
          r.host = n.name();
          r.evaluatedNodes = 1 + r.statuses.size();
          return r;
        }
        r.statuses.set(n.name(), s);
        addPlugin(r, s);
      }
    }
    if (pre.nodeNames() != null) {
      List<NodeInfo> narrowed = new ArrayList<>(pre.nodeNames().size());
      for (NodeInfo n : all) {
        if (pre.nodeNames().contains(n.name())) {
          narrowed.add(n);
        }
      }
      nodes = narrowed;
      r.absentReason = Status.unresolvable("node(s) didn't satisfy plugin(s) " + Framework.goList(
          new ArrayList<>(pre.plugins())));
      r.statuses.setAbsent(r.absentReason);
    }
    int processed = findNodesThatPassFilters(fw, state, pod, nodes, r);
    if (!all.isEmpty()) {
      nextStartNodeIndex = (nextStartNodeIndex + processed) % all.size();
    }
    if (r.error != null) {
      return r;
    }
    if (r.feasibleCount == 0) {
      return r;
    }
    if (r.feasibleCount == 1) {
      r.host = r.feasible[0].name();
      r.evaluatedNodes = 1 + r.statuses.size();
      return r;
    }
    List<NodeInfo> feasible = Arrays.asList(r.feasible).subList(0, r.feasibleCount);
    Status ps = fw.runPreScore(state, pod, feasible);
    if (!ps.success()) {
      r.error = ps;
      return r;
    }
    r.scores = fw.runScore(state, pod, r.feasible, r.feasibleCount);
    r.host = r.feasible[selectHost(r.scores.totals(), r.feasibleCount)].name();
    r.evaluatedNodes = r.feasibleCount + r.statuses.size();
    return r;
  }

  /** Filters from nextStartNodeIndex until numFeasibleNodesToFind pass; returns how many nodes it looked at. */
  private int findNodesThatPassFilters(Framework fw, CycleState state, PodInfo pod, List<NodeInfo> nodes, Result r) {
    int n = nodes.size();
    if (n == 0) {
      return 0;
    }
    int toFind = numFeasibleNodesToFind(fw.percentageOfNodesToScore(), n);
    if (!fw.hasScorePlugins()) {
      toFind = 1;
    }
    r.feasible = new NodeInfo[toFind];
    if (r.evaluated.length < toFind + 16) {
      r.evaluated = java.util.Arrays.copyOf(r.evaluated, Math.min(n + 1, toFind + 16));
      r.verdicts = java.util.Arrays.copyOf(r.verdicts, r.evaluated.length);
    }
    int start = nextStartNodeIndex % n;
    if (!fw.hasFilterPlugins()) {
      for (int i = 0; i < toFind; i++) {
        r.feasible[i] = nodes.get((start + i) % n);
        record(r, r.feasible[i].name(), null);
      }
      r.feasibleCount = toFind;
      return toFind;
    }
    int checked = 0;
    int index = start;
    for (int i = 0; i < n && r.feasibleCount < toFind; i++) {
      NodeInfo node = nodes.get(index);
      index = index + 1 == n ? 0 : index + 1;
      Status s = fw.runFilterWithNominatedPods(state, pod, node);
      checked++;
      if (s.success()) {
        r.feasible[r.feasibleCount++] = node;
        record(r, node.name(), null);
        continue;
      }
      if (!s.rejected()) {
        r.error = s;
        return checked;
      }
      r.statuses.set(node.name(), s);
      record(r, node.name(), s);
      addPlugin(r, s);
    }
    return r.feasibleCount + r.statuses.size();
  }

  private static void addPlugin(Result r, Status s) {
    if (s.plugin() == null) {
      return;
    }
    if (s.code() == Status.Code.PENDING) {
      r.pendingPlugins.add(s.plugin());
    } else if (s.rejected()) {
      r.unschedulablePlugins.add(s.plugin());
    }
  }

  private static void record(Result r, String node, Status s) {
    if (r.evaluatedCount == r.evaluated.length) {
      int size = Math.max(16, r.evaluated.length * 2);
      r.evaluated = Arrays.copyOf(r.evaluated, size);
      r.verdicts = Arrays.copyOf(r.verdicts, size);
    }
    r.evaluated[r.evaluatedCount] = node;
    r.verdicts[r.evaluatedCount] = s;
    r.evaluatedCount++;
  }

  /**
   * numFeasibleNodesToFind: all nodes below 100; else the profile's or the global percentage, or
   * if that is 0 the adaptive max(5, 50 − N/125) %, but never fewer than 100 nodes.
   */
  int numFeasibleNodesToFind(Integer profilePercentage, int numAllNodes) {
    return numFeasibleNodesToFind(profilePercentage != null ? profilePercentage : globalPercentage, numAllNodes);
  }

  static int numFeasibleNodesToFind(int percentage, int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
      return numAllNodes;
    }
    if (percentage == 0) {
      percentage = 50 - numAllNodes / 125;
      if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
        percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
      }
    }
    int numNodes = (int) ((long) numAllNodes * percentage / 100);
    return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** selectHost: the highest total; among equals, each is picked with equal chance (reservoir sampling). */
  int selectHost(long[] totals, int n) {
    int selected = 0;
    long max = totals[0];
    int count = 1;
    for (int i = 1; i < n; i++) {
      if (totals[i] > max) {
        max = totals[i];
        selected = i;
        count = 1;
      } else if (totals[i] == max) {
        count++;
        if (random.nextInt(count) == 0) {
          // replace the candidate with probability 1/count
          selected = i;
        }
      }
    }
    return selected;
  }

  int nextStartNodeIndex() {
    return nextStartNodeIndex;
  }
}
