package io.kubesim.controlplane.scheduler.framework;

/** Last word before binding: Success, or a rejection. (Waiting is not modelled.) */
public interface PermitPlugin extends Plugin {
  Status permit(CycleState state, PodInfo pod, String nodeName);
}
