package io.kubesim.controlplane.scheduler;

/** An invalid KubeSchedulerConfiguration; the message names the field, as kube-scheduler's validation does. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
