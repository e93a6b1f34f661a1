package io.kubesim.controlplane.scheduler.framework;

/** Orders the active queue; exactly one per scheduler. */
public interface QueueSortPlugin extends Plugin {
  /** Whether a should be scheduled before b. */
  boolean less(QueuedPodInfo a, QueuedPodInfo b);
}
