package io.kubesim.controlplane.scheduler.framework;

import java.util.function.Consumer;

/** Binds the pod to the node. Asynchronous: {@code done} runs inside the scheduler when the answer is in. */
public interface BindPlugin extends Plugin {
  /**
   * @return false to pass the pod on to the next binder (Skip), true if this plugin binds it and
   *     will call {@code done} with the outcome
   */
  boolean bind(CycleState state, PodInfo pod, String nodeName, Consumer<Status> done);
}
