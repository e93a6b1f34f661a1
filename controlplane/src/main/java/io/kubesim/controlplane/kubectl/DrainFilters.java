package io.kubesim.controlplane.kubectl;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubesim.controlplane.controller.Owners;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods of a node {@code kubectl drain} evicts, skips or refuses, with kubectl's messages
 * (staging/src/k8s.io/kubectl/pkg/drain/filters.go). The filters run in kubectl's order
 * (DaemonSet, mirror pod, local storage, no controller) and the first that keeps a pod decides;
 * otherwise the last one's word stands, so a warning of an earlier filter can be overridden.
 * Simplified: a DaemonSet pod's DaemonSet is taken to exist (kubectl looks it up and, with
 * --force, deletes pods whose DaemonSet is gone).
 */
final class DrainFilters {

  static final String DAEMON_SET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
  static final String DAEMON_SET_WARNING = "ignoring DaemonSet-managed Pods";
  static final String LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
  static final String LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
  static final String UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)";
  static final String UNMANAGED_WARNING = "deleting Pods that declare no controller";

  static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

  enum Reason { OKAY, SKIP, WARNING, ERROR }

  /** One pod's fate: evicted or not, and why. */
  record Status(boolean delete, Reason reason, String message) {
    static final Status OKAY = new Status(true, Reason.OKAY, "");
    static final Status SKIP = new Status(false, Reason.SKIP, "");

    static Status warning(boolean delete, String message) {
      return new Status(delete, Reason.WARNING, message);
    }

    static Status error(String message) {
      return new Status(false, Reason.ERROR, message);
    }
  }

  /**
   * What a drain does with a node's pods: the pods to evict, the errors that stop it (one per
   * message, naming its pods), and the warning line kubectl prints before evicting.
   */
  record Plan(List<Pod> toEvict, List<String> errors, String warnings) {
    boolean refused() {
      return !errors.isEmpty();
    }

    /** The errors as kubectl's aggregate prints them: one alone, several in brackets. */
    String errorText() {
      return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }
  }

  private DrainFilters() {}

  static Status status(Pod pod, boolean ignoreDaemonSets, boolean force, boolean deleteEmptyDirData) {
    Status s = daemonSet(pod, ignoreDaemonSets);
    if (!s.delete()) {
      return s;
    }
    s = mirrorPod(pod);
    if (!s.delete()) {
      return s;
    }
    s = localStorage(pod, deleteEmptyDirData);
    if (!s.delete()) {
      return s;
    }
    return unreplicated(pod, force);
  }

  static Plan plan(List<Pod> pods, boolean ignoreDaemonSets, boolean force, boolean deleteEmptyDirData) {
    List<Pod> toEvict = new ArrayList<>();
    // Go groups by message in a map; first-seen order keeps the output deterministic.
    Map<String, List<String>> errors = new LinkedHashMap<>();
    Map<String, List<String>> warnings = new LinkedHashMap<>();
    for (Pod p : pods) {
      Status s = status(p, ignoreDaemonSets, force, deleteEmptyDirData);
      String name = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
      if (s.reason() == Reason.ERROR) {
        errors.computeIfAbsent(s.message(), k -> new ArrayList<>()).add(name);
      } else if (s.reason() == Reason.WARNING) {
        warnings.computeIfAbsent(s.message(), k -> new ArrayList<>()).add(name);
      }
      if (s.delete()) {
        toEvict.add(p);
      }
    }
    List<String> errorLines = new ArrayList<>();
    errors.forEach((msg, names) -> errorLines.add(
        (msg.toLowerCase().startsWith("cannot delete") ? msg : "cannot delete " + msg) + ": "
            + String.join(", ", names)));
    List<String> warningParts = new ArrayList<>();
    warnings.forEach((msg, names) -> warningParts.add(msg + ": " + String.join(", ", names)));
    return new Plan(toEvict, errorLines, String.join("; ", warningParts));
  }

  private static Status daemonSet(Pod pod, boolean ignoreDaemonSets) {
    OwnerReference controller = Owners.controllerOf(pod);
    if (controller == null || !"DaemonSet".equals(controller.getKind()) || finished(pod)) {
      return Status.OKAY;
    }
    return ignoreDaemonSets ? Status.warning(false, DAEMON_SET_WARNING) : Status.error(DAEMON_SET_FATAL);
  }

  private static Status mirrorPod(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a != null && a.containsKey(MIRROR_POD_ANNOTATION) ? Status.SKIP : Status.OKAY;
  }

  private static Status localStorage(Pod pod, boolean deleteEmptyDirData) {
    if (!hasEmptyDir(pod) || finished(pod)) {
      return Status.OKAY;
    }
    return deleteEmptyDirData ? Status.warning(true, LOCAL_STORAGE_WARNING) : Status.error(LOCAL_STORAGE_FATAL);
  }

  private static Status unreplicated(Pod pod, boolean force) {
    if (finished(pod) || Owners.controllerOf(pod) != null) {
      return Status.OKAY;
    }
    return force ? Status.warning(true, UNMANAGED_WARNING) : Status.error(UNMANAGED_FATAL);
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean hasEmptyDir(Pod p) {
    if (p.getSpec() == null || p.getSpec().getVolumes() == null) {
      return false;
    }
    for (Volume v : p.getSpec().getVolumes()) {
      if (v.getEmptyDir() != null) {
        return true;
      }
    }
    return false;
  }
}
