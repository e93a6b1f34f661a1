package io.kubesim.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kubesim.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** pkg/controller/daemon/daemon_controller.go updateDaemonSetStatus, as a pure function. */
public final class DaemonSetStatuses {

  private DaemonSetStatuses() {}

  /** The counts a DaemonSet's status reports. */
  public record Counts(int desiredNumberScheduled, int currentNumberScheduled, int numberMisscheduled,
      int numberReady, int updatedNumberScheduled, int numberAvailable, int numberUnavailable) {}

  /**
   * For each node that should run a pod: desired; if it has one, current, and by its oldest pod
   * ready, available (ready for minReadySeconds) and updated (current revision). A node that should
   * not run one but has one counts as misscheduled.
   */
  public static Counts calculate(DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> nodeToDaemonPods,
      String hash, Instant now) {
    int desired = 0;
    int current = 0;
    int misscheduled = 0;
    int ready = 0;
    int updated = 0;
    int available = 0;
    int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
    Long generation = DaemonPods.templateGeneration(ds);
    for (Node node : nodes) {
      boolean shouldRun = DaemonPods.nodeShouldRunDaemonPod(node, ds).shouldRun();
      List<Pod> pods = nodeToDaemonPods.get(node.getMetadata().getName());
      boolean scheduled = pods != null && !pods.isEmpty();
      if (shouldRun) {
        desired++;
        if (!scheduled) {
          continue;
        }
        current++;
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(DaemonPods.BY_CREATION_AND_PHASE);
        Pod pod = sorted.get(0);
        if (Pods.isReady(pod)) {
          ready++;
          if (Pods.isAvailable(pod, minReady, now)) {
            available++;
          }
        }
        if (DaemonPods.isPodUpdated(pod, hash, generation)) {
          updated++;
        }
      } else if (scheduled) {
        misscheduled++;
      }
    }
    return new Counts(desired, current, misscheduled, ready, updated, available, desired - available);
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }

  /** storeDaemonSetStatus's early return: every count is as stored and the generation observed. */
  public static boolean unchanged(DaemonSet ds, Counts c) {
    DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
    long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
    long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
    return n(s.getDesiredNumberScheduled()) == c.desiredNumberScheduled()
        && n(s.getCurrentNumberScheduled()) == c.currentNumberScheduled()
        && n(s.getNumberMisscheduled()) == c.numberMisscheduled() && n(s.getNumberReady()) == c.numberReady()
        && n(s.getUpdatedNumberScheduled()) == c.updatedNumberScheduled()
        && n(s.getNumberAvailable()) == c.numberAvailable() && n(s.getNumberUnavailable()) == c.numberUnavailable()
        && observed >= generation;
  }

  /**
   * The status to write: the four counts Go always serialises, the others (omitempty) absent when
   * zero; conditions and collisionCount kept.
   */
  public static DaemonSetStatus apply(DaemonSetStatus old, Counts c, Long observedGeneration) {
    DaemonSetStatus s = new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder(
        old == null ? new DaemonSetStatus() : old).build();
    if (observedGeneration != null) {
      s.setObservedGeneration(observedGeneration);
    }
    s.setDesiredNumberScheduled(c.desiredNumberScheduled());
    s.setCurrentNumberScheduled(c.currentNumberScheduled());
    s.setNumberMisscheduled(c.numberMisscheduled());
    s.setNumberReady(c.numberReady());
    s.setUpdatedNumberScheduled(omit(c.updatedNumberScheduled()));
    s.setNumberAvailable(omit(c.numberAvailable()));
    s.setNumberUnavailable(omit(c.numberUnavailable()));
    return s;
  }

  private static Integer omit(int v) {
    return v == 0 ? null : v;
  }

  static boolean sameGeneration(Long a, Long b) {
    return Objects.equals(a, b);
  }
}
