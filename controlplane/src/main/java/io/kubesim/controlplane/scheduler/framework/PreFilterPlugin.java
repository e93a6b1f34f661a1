package io.kubesim.controlplane.scheduler.framework;

import java.util.List;
import java.util.Set;

/** Runs once per pod before filtering: precomputes state, may narrow the nodes, may reject outright. */
public interface PreFilterPlugin extends Plugin {

  /**
   * The outcome: a status (Success, Skip to leave this plugin's Filter out for this pod, or a
   * rejection) and, optionally, the only nodes worth filtering (null means all).
   */
  record Result(Status status, Set<String> nodeNames) {
    public static final Result OK = new Result(Status.SUCCESS, null);
    public static final Result SKIP = new Result(Status.SKIP, null);

    public static Result of(Status s) {
      return new Result(s, null);
    }
  }

  Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes);

  /** Incremental updates of this plugin's state when preemption adds or removes pods; null if not needed. */
  default Extensions extensions() {
    return null;
  }

  /** PreFilterExtensions: keep the PreFilter state right when pods are tried on or off a node. */
  interface Extensions {
    Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
  }
}
