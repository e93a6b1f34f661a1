package io.kubesim.controlplane.scheduler.framework;

/** Decides whether a pod may enter the active queue at all (e.g. SchedulingGates). */
public interface PreEnqueuePlugin extends Plugin {
  /** Success lets the pod in; anything else keeps it waiting in the unschedulable pool. */
  Status preEnqueue(PodInfo pod);
}
