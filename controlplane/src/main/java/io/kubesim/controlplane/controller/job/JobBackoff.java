package io.kubesim.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The back-off of failed pods (pkg/controller/job/backoff_utils.go): after n consecutive failures
 * since the last success, a replacement pod waits 10 s × 2^(n-1), capped, counted from the moment
 * the last failed pod finished.
 */
public final class JobBackoff {

  private JobBackoff() {}

  /** A Job's backoffRecord: failures since the last success, and when the last one finished (or null). */
  public record Record(int failuresAfterLastSuccess, Instant lastFailureTime) {
    public static final Record NONE = new Record(0, null);
  }

  /**
   * newBackoffRecord: the stored record updated with the pods that finished since the last sync. A
   * success resets the count, except for failures that finished after the last success.
   */
  public static Record next(Record old, List<Pod> newSucceeded, List<Pod> newFailed) {
    Record r = old == null ? Record.NONE : old;
    List<Pod> succeeded = sorted(newSucceeded);
    List<Pod> failed = sorted(newFailed);
    if (succeeded.isEmpty()) {
      if (failed.isEmpty()) {
        return r;
      }
      return new Record(r.failuresAfterLastSuccess() + failed.size(), finishedTime(failed.get(failed.size() - 1)));
    }
    if (failed.isEmpty()) {
      return Record.NONE;
    }
    Instant lastSuccess = finishedTime(succeeded.get(succeeded.size() - 1));
    int failures = 0;
    Instant lastFailure = null;
    for (int i = failed.size() - 1; i >= 0; i--) {
      Instant t = finishedTime(failed.get(i));
      if (!t.isAfter(lastSuccess)) {
        break;
      }
      if (lastFailure == null) {
        lastFailure = t;
      }
      failures++;
    }
    return new Record(failures, lastFailure);
  }

  private static List<Pod> sorted(List<Pod> pods) {
    List<Pod> out = new ArrayList<>(pods);
    out.sort(Comparator.comparing(JobBackoff::finishedTime));
    return out;
  }

  /**
   * getFinishedTime: the latest finishedAt of the containers if all have terminated; else when Ready
   * turned False; else the deletion timestamp less the grace period; else the creation time.
   */
  public static Instant finishedTime(Pod p) {
    Instant fromContainers = null;
    boolean all = p.getStatus() != null && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty();
    if (all) {
      for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
        if (cs.getState() == null || cs.getState().getTerminated() == null
            || Times.parse(cs.getState().getTerminated().getFinishedAt()) == null) {
          fromContainers = null;
          all = false;
          break;
        }
        Instant t = Times.parse(cs.getState().getTerminated().getFinishedAt());
        if (fromContainers == null || fromContainers.isBefore(t)) {
          fromContainers = t;
        }
      }
    }
    if (all && fromContainers != null) {
      return fromContainers;
    }
    PodCondition ready = Pods.condition(p, Pods.READY);
    if (ready != null && "False".equals(ready.getStatus()) && Times.parse(ready.getLastTransitionTime()) != null) {
      return Times.parse(ready.getLastTransitionTime());
    }
    if (p.getMetadata().getDeletionTimestamp() != null) {
      long grace = p.getMetadata().getDeletionGracePeriodSeconds() == null ? 0
          : p.getMetadata().getDeletionGracePeriodSeconds();
      return Times.parse(p.getMetadata().getDeletionTimestamp()).minusSeconds(grace);
    }
    Instant created = Times.parse(p.getMetadata().getCreationTimestamp());
    return created == null ? Instant.EPOCH : created;
  }

  /** The delay after {@code failures} consecutive failures: base × 2^(failures-1), at most max. */
  public static Duration delay(int failures, Duration base, Duration max) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    Duration d = base;
    for (int i = 1; i < failures; i++) {
      d = d.multipliedBy(2);
      if (d.compareTo(max) >= 0) {
        return max;
      }
    }
    return d;
  }

  /** getRemainingTimeForFailuresCount: how much of the delay is left at {@code now}. */
  public static Duration remaining(Record r, Instant now, Duration base, Duration max) {
    if (r == null || r.failuresAfterLastSuccess() == 0 || r.lastFailureTime() == null) {
      return Duration.ZERO;
    }
    Duration d = delay(r.failuresAfterLastSuccess(), base, max);
    Duration elapsed = Duration.between(r.lastFailureTime(), now);
    return d.compareTo(elapsed) < 0 ? Duration.ZERO : d.minus(elapsed);
  }
}
