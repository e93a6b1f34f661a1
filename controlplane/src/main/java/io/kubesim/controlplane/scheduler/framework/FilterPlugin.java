package io.kubesim.controlplane.scheduler.framework;

/** Decides whether the pod may run on one node. Called for many nodes per pod: must be cheap. */
public interface FilterPlugin extends Plugin {
  /** Success (or null), or a rejection whose reasons name why. */
  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
