package io.kubesim.controlplane.scheduler.framework;

/** Ranks the feasible nodes: a raw score per node, then optionally normalized to 0..100. */
public interface ScorePlugin extends Plugin {

  long MAX_NODE_SCORE = 100;
  long MIN_NODE_SCORE = 0;

  long score(CycleState state, PodInfo pod, NodeInfo node);

  /**
   * Scores nodes[0..n) into out[0..n): the same as {@link #score} node by node. Plugins on the hot
   * path override it to read the pod's side once per cycle rather than once per node.
   */
  default void scoreAll(CycleState state, PodInfo pod, NodeInfo[] nodes, int n, long[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = score(state, pod, nodes[i]);
    }
  }

  /** Whether {@link #normalize} rewrites the scores (the plugin has ScoreExtensions). */
  default boolean normalizes() {
    return false;
  }

  /** NormalizeScore: rewrites scores[0..n) in place; nodes[i] is the node of scores[i]. */
  default void normalize(CycleState state, PodInfo pod, NodeInfo[] nodes, long[] scores, int n) {}

  /**
   * helper.DefaultNormalizeScore: scales to 0..maxPriority by the largest score, and with
   * {@code reverse} turns it around. All zero stays zero (or becomes maxPriority when reversed).
   */
  static void defaultNormalize(long maxPriority, boolean reverse, long[] scores, int n) {
    long max = 0;
    for (int i = 0; i < n; i++) {
      if (scores[i] > max) {
        max = scores[i];
      }
    }
    if (max == 0) {
      if (reverse) {
        for (int i = 0; i < n; i++) {
          scores[i] = maxPriority;
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      long s = maxPriority * scores[i] / max;
      scores[i] = reverse ? maxPriority - s : s;
    }
  }
}
