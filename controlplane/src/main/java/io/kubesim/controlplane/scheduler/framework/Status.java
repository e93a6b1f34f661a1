package io.kubesim.controlplane.scheduler.framework;

import java.util.List;

/**
 * The result of a plugin at an extension point, as the scheduling framework's Status
 * (k8s.io/kube-scheduler/framework): a code, the reasons (the strings the FitError counts), and
 * the plugin that returned it. Success is {@link #SUCCESS}, shared; plugins return it, or null,
 * which means the same.
 */
public final class Status {

  /** The codes of framework.Code, in their Go order. */
  public enum Code {
    SUCCESS,
    ERROR,
    /** The node does not fit now; preemption might help. */
    UNSCHEDULABLE,
    /** The node does not fit and preempting pods on it would not change that. */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    WAIT,
    SKIP,
    PENDING
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
  public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

  private final Code code;
  private final List<String> reasons;
  private final String plugin;

  private Status(Code code, List<String> reasons, String plugin) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
  }

  public static Status of(Code code, String... reasons) {
    return new Status(code, List.of(reasons), null);
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), null);
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), null);
  }

  public static Status error(String message) {
    return new Status(Code.ERROR, List.of(message), null);
  }

  /** The same status, attributed to the plugin that returned it (the framework sets this). */
  public Status withPlugin(String pluginName) {
    if (pluginName.equals(plugin) || this == SUCCESS || this == SKIP) {
      return this;
    }
    return new Status(code, reasons, pluginName);
  }

  public Code code() {
    return code;
  }

  public List<String> reasons() {
    return reasons;
  }

  public String plugin() {
    return plugin;
  }

  public static boolean isSuccess(Status s) {
    return s == null || s.code == Code.SUCCESS;
  }

  public boolean success() {
    return code == Code.SUCCESS;
  }

  public boolean skip() {
    return code == Code.SKIP;
  }

  /** Unschedulable, UnschedulableAndUnresolvable or Pending: the pod was turned down, not failed. */
  public boolean rejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
  }

  /** The reasons joined with ", ", as Status.Message(). */
  public String message() {
    return String.join(", ", reasons);
  }

  @Override
  public String toString() {
    return code + (plugin == null ? "" : "(" + plugin + ")") + (reasons.isEmpty() ? "" : ": " + message());
  }
}
