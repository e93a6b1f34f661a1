package io.kubesim.controlplane.scheduler.framework;

/** Runs when no node fits, to make the pod fit later (DefaultPreemption). */
public interface PostFilterPlugin extends Plugin {

  /**
   * @param nominatedNodeName the node to nominate the pod for; "" clears a nomination, null leaves it
   */
  record Result(Status status, String nominatedNodeName) {}

  Result postFilter(CycleState state, PodInfo pod, NodeToStatus filteredNodes);
}
