package io.kubesim.controlplane.scheduler.framework;

/** Told when a node is reserved for the pod, and when that is undone. */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, PodInfo pod, String nodeName);

  void unreserve(CycleState state, PodInfo pod, String nodeName);
}
