package io.kubesim.controlplane.scheduler.framework;

import java.util.List;

/** Runs once per pod before scoring, over the feasible nodes; Skip leaves this plugin's Score out. */
public interface PreScorePlugin extends Plugin {
  Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes);
}
