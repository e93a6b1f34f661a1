package io.kubesim.controlplane.scheduler.framework;

/**
 * A scheduling plugin: a small unit with a name, implementing one or more extension points
 * ({@link PreFilterPlugin}, {@link FilterPlugin}, {@link ScorePlugin}, ...), as in the scheduling
 * framework (k8s.io/kube-scheduler/framework).
 */
public interface Plugin {
  String name();
}
