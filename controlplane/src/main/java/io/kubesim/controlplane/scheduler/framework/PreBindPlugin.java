package io.kubesim.controlplane.scheduler.framework;

/** Work that must be done before the binding (volumes, claims). */
public interface PreBindPlugin extends Plugin {
  Status preBind(CycleState state, PodInfo pod, String nodeName);
}
