package io.kubesim.controlplane.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Why a pod went where it went, or why it went nowhere: one scheduling attempt as the scheduler
 * saw it. For every node it filtered, the verdict (passed, or the plugin and reasons that turned it
 * down); for every node it scored, each plugin's raw and normalized score and the weighted total.
 * kube-scheduler keeps none of this; kubesim keeps the latest attempt per pod so that "why w1 and
 * not w3" has an answer ({@link #render()}).
 *
 * @param pod namespace/name
 * @param time virtual time of the attempt
 * @param attempt 1 for the first attempt
 * @param node the chosen node, or null if the pod was not scheduled
 * @param message the FitError (or error) when not scheduled, else null
 * @param totalNodes nodes in the cluster
 * @param evaluatedNodes nodes filtered (kube-scheduler's evaluatedNodes)
 * @param feasibleNodes nodes that passed every filter
 * @param filter one verdict per filtered node, in the order they were filtered; empty when the
 *     details were dropped to bound memory
 * @param notEvaluated why the nodes not in {@code filter} were not looked at, or null
 * @param scorePlugins the score plugins that ran, in order
 * @param weights their weights
 * @param scores per scored node; empty if scoring was skipped (one feasible node) or dropped
 * @param nominatedNode the node preemption nominated the pod for, or null
 * @param detailsDropped the per-node details were discarded to bound memory
 */
public record SchedulingDecision(String pod, String uid, Instant time, int attempt, String profile, String node,
    String message, int totalNodes, int evaluatedNodes, int feasibleNodes, List<FilterVerdict> filter,
    String notEvaluated, List<String> scorePlugins, List<Integer> weights, List<NodeScores> scores,
    String nominatedNode, boolean detailsDropped) {

  /** A node's filter verdict: {@code plugin} null when it passed every filter. */
  public record FilterVerdict(String node, String plugin, List<String> reasons) {
    public boolean passed() {
      return plugin == null;
    }

    /** "passed" or "Plugin: reason, reason". */
    public String text() {
      return passed() ? "passed" : plugin + ": " + String.join(", ", reasons);
    }
  }

  /** A scored node: per score plugin (in {@link #scorePlugins} order) raw and normalized, and Σ weight × normalized. */
  public record NodeScores(String node, List<Long> raw, List<Long> normalized, long total) {}

  public boolean scheduled() {
    return node != null;
  }

  public FilterVerdict verdict(String nodeName) {
    for (FilterVerdict v : filter) {
      if (v.node().equals(nodeName)) {
        return v;
      }
    }
    return null;
  }

  public NodeScores scoresOf(String nodeName) {
    for (NodeScores s : scores) {
      if (s.node().equals(nodeName)) {
        return s;
      }
    }
    return null;
  }

  /**
   * A table: one row per node looked at, the chosen one marked with '*', scored nodes by total
   * (highest first), then the nodes filters turned down. Score cells are "normalized" or, where
   * the plugin normalizes, "normalized (raw)"; the column header carries the weight.
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Pod ").append(pod).append(": attempt ").append(attempt).append(", profile ").append(profile)
        .append(", at ").append(time).append('\n');
    if (scheduled()) {
      sb.append("Scheduled on ").append(node).append(" (").append(totalNodes).append(" nodes, ")
          .append(evaluatedNodes).append(" evaluated, ").append(feasibleNodes).append(" feasible)\n");
    } else {
      sb.append("Not scheduled: ").append(message).append('\n');
      if (nominatedNode != null) {
        sb.append("Nominated for ").append(nominatedNode).append(" (preemption)\n");
      }
    }
    if (detailsDropped) {
      sb.append("(per-node details dropped to bound memory)\n");
      return sb.toString();
    }
    List<String> header = new ArrayList<>();
    header.add("NODE");
    header.add("FILTER");
    for (int i = 0; i < scorePlugins.size(); i++) {
      header.add(scorePlugins.get(i) + " x" + weights.get(i));
    }
    header.add("TOTAL");
    List<List<String>> rows = new ArrayList<>();
    List<NodeScores> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparingLong(NodeScores::total).reversed());
    List<String> shown = new ArrayList<>();
    for (NodeScores s : sorted) {
      List<String> row = new ArrayList<>();
      row.add((s.node().equals(node) ? "* " : "  ") + s.node());
      row.add("passed");
      for (int i = 0; i < scorePlugins.size(); i++) {
        long n = s.normalized().get(i);
        long r = s.raw().get(i);
        row.add(n == r ? Long.toString(n) : n + " (" + r + ")");
      }
      row.add(Long.toString(s.total()));
      rows.add(row);
      shown.add(s.node());
    }
    for (FilterVerdict v : filter) {
      if (shown.contains(v.node())) {
        continue;
      }
      shown.add(v.node());
      List<String> row = new ArrayList<>();
      row.add((v.node().equals(node) ? "* " : "  ") + v.node());
      row.add(v.text());
      for (int i = 0; i < scorePlugins.size(); i++) {
        row.add("-");
      }
      row.add(v.passed() && v.node().equals(node) && scores.isEmpty() ? "(only feasible node)" : "-");
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = header.get(i).length() + (i == 0 ? 2 : 0);
    }
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    appendRow(sb, header, width, true);
    for (List<String> row : rows) {
      appendRow(sb, row, width, false);
    }
    if (notEvaluated != null) {
      sb.append(notEvaluated).append('\n');
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] width, boolean header) {
    for (int i = 0; i < cells.size(); i++) {
      String c = header && i == 0 ? "  " + cells.get(i) : cells.get(i);
      sb.append(c);
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(width[i] - c.length() + 2));
      }
    }
    sb.append('\n');
  }
}
