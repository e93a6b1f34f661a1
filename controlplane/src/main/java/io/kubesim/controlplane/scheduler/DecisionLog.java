package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest scheduling decision per pod, bounded: entries of deleted pods are dropped, and the
 * per-node details (filter verdicts and scores, which are the bulk on a large cluster) are kept
 * only for the most recent decisions, within a budget of table cells. Summaries stay for every
 * live pod. Details are kept as the arrays the cycle produced anyway and turned into a
 * {@link SchedulingDecision} only when asked.
 */
final class DecisionLog {

  /** Per-node cells kept across all decisions: ~16 bytes each, so the default bounds details to tens of MB. */
  static final long DEFAULT_CELL_BUDGET = 2_000_000;
  static final String ENOUGH_FEASIBLE = "enough feasible nodes were found (percentageOfNodesToScore)";

  /** What one attempt recorded. */
  static final class Entry {
    String pod;
    String uid;
    Instant time;
    int attempt;
    String profile;
    String node;
    String message;
    String nominatedNode;
    int totalNodes;
    int evaluatedNodes;
    int feasibleNodes;
    int notEvaluatedCount;
    String notEvaluatedReason;
    // details, null once dropped
    String[] evaluated;
    Status[] verdicts;
    int evaluatedCount;
    String[] scoredNodes;
    Framework.Scores scores;
    boolean dropped;

    long cells() {
      long c = evaluatedCount;
      if (scores != null) {
        c += (long) scoredNodes.length * Math.max(1, scores.plugins().length) * 2;
      }
      return c;
    }

    void dropDetails() {
      evaluated = null;
      verdicts = null;
      scoredNodes = null;
      scores = null;
      dropped = true;
    }
  }

  private final long cellBudget;
  private final Map<String, Entry> latest = new HashMap<>();
  private final ArrayDeque<Entry> withDetails = new ArrayDeque<>();
  private long cells;

  DecisionLog(long cellBudget) {
    this.cellBudget = cellBudget;
  }

  void put(Entry e) {
    Entry old = latest.put(e.pod, e);
    if (old != null && !old.dropped) {
      cells -= old.cells();
      old.dropDetails();
    }
    cells += e.cells();
    withDetails.addLast(e);
    while (cells > cellBudget && !withDetails.isEmpty()) {
      Entry eldest = withDetails.pollFirst();
      if (!eldest.dropped) {
        cells -= eldest.cells();
        eldest.dropDetails();
      }
    }
    // entries whose details went with a newer decision of the same pod linger in the deque; trim them
    while (!withDetails.isEmpty() && withDetails.peekFirst().dropped) {
      withDetails.pollFirst();
    }
  }

  void remove(String pod) {
    Entry e = latest.remove(pod);
    if (e != null && !e.dropped) {
      cells -= e.cells();
      e.dropDetails();
    }
  }

  int size() {
    return latest.size();
  }

  long cells() {
    return cells;
  }

  SchedulingDecision get(String pod) {
    Entry e = latest.get(pod);
    return e == null ? null : toDecision(e);
  }

  static SchedulingDecision toDecision(Entry e) {
    List<SchedulingDecision.FilterVerdict> filter = new ArrayList<>();
    List<String> plugins = List.of();
    List<Integer> weights = List.of();
    List<SchedulingDecision.NodeScores> scores = new ArrayList<>();
    if (!e.dropped) {
      for (int i = 0; i < e.evaluatedCount; i++) {
        Status s = e.verdicts[i];
        filter.add(s == null ? new SchedulingDecision.FilterVerdict(e.evaluated[i], null, List.of())
            : new SchedulingDecision.FilterVerdict(e.evaluated[i], s.plugin() == null ? "?" : s.plugin(),
                s.reasons()));
      }
      if (e.scores != null) {
        plugins = List.of(e.scores.plugins());
        List<Integer> w = new ArrayList<>();
        for (int x : e.scores.weights()) {
          w.add(x);
        }
        weights = w;
        for (int n = 0; n < e.scoredNodes.length; n++) {
          List<Long> raw = new ArrayList<>();
          List<Long> norm = new ArrayList<>();
          for (int p = 0; p < e.scores.plugins().length; p++) {
            raw.add(e.scores.raw()[p][n]);
            norm.add(e.scores.normalized()[p][n]);
          }
          scores.add(new SchedulingDecision.NodeScores(e.scoredNodes[n], List.copyOf(raw), List.copyOf(norm),
              e.scores.totals()[n]));
        }
      }
    }
    String notEvaluated = e.notEvaluatedCount > 0 && e.notEvaluatedReason != null
        ? e.notEvaluatedCount + " node(s) not evaluated: " + e.notEvaluatedReason : null;
    return new SchedulingDecision(e.pod, e.uid, e.time, e.attempt, e.profile, e.node, e.message, e.totalNodes,
        e.evaluatedNodes, e.feasibleNodes, List.copyOf(filter), notEvaluated, plugins, weights, List.copyOf(scores),
        e.nominatedNode, e.dropped);
  }
}
