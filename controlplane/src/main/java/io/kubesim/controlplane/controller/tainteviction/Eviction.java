package io.kubesim.controlplane.controller.tainteviction;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubesim.shared.api.model.Taints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The taint eviction controller's decision for one pod on a node with NoExecute taints
 * (pkg/controller/tainteviction/taint_eviction.go processPodOnNode), as a pure function.
 */
public final class Eviction {

  private Eviction() {}

  /** Work to add: delete at {@code fireAt}; the timer runs for {@code fireAt - createdAt} from now. */
  public record Work(Instant createdAt, Instant fireAt) {
    public Duration delay() {
      return Duration.between(createdAt, fireAt);
    }
  }

  /**
   * What to do: cancel any scheduled deletion first (with its "Cancelling deletion" event), then
   * add {@code add} if not null. Neither: leave the scheduled deletion as it is.
   */
  public record Plan(boolean cancel, Work add) {
    static final Plan KEEP = new Plan(false, null);
  }

  /** The NoExecute taints of a node. */
  public static List<Taint> noExecute(List<Taint> taints) {
    List<Taint> out = new ArrayList<>();
    if (taints != null) {
      for (Taint t : taints) {
        if (Taints.NO_EXECUTE.equals(t.getEffect())) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /**
   * v1helper.GetMatchingTolerations: whether every taint is tolerated, and for each taint the
   * first toleration that tolerates it.
   */
  static List<Toleration> matching(List<Taint> taints, List<Toleration> tolerations) {
    List<Toleration> used = new ArrayList<>();
    if (taints.isEmpty()) {
      return used;
    }
    if (tolerations == null || tolerations.isEmpty()) {
      return null;
    }
    for (Taint taint : taints) {
      Toleration found = null;
      for (Toleration t : tolerations) {
        if (Taints.tolerates(t, taint)) {
          found = t;
          break;
        }
      }
      if (found == null) {
        return null;
      }
      used.add(found);
    }
    return used;
  }

  /**
   * getMinTolerationTime: the smallest tolerationSeconds of the tolerations used; zero for none
   * used or a value of zero or less; null (forever) when none of them sets seconds.
   */
  static Duration minTolerationTime(List<Toleration> used) {
    if (used.isEmpty()) {
      return Duration.ZERO;
    }
    long min = Long.MAX_VALUE;
    for (Toleration t : used) {
      if (t.getTolerationSeconds() != null) {
        long s = t.getTolerationSeconds();
        if (s <= 0) {
          return Duration.ZERO;
        }
        min = Math.min(min, s);
      }
    }
    return min == Long.MAX_VALUE ? null : Duration.ofSeconds(min);
  }

  /**
   * processPodOnNode. With no taints, cancel. With an untolerated taint, cancel and delete now.
   * With tolerations that last forever, cancel. Otherwise delete at {@code now + min(seconds)},
   * unless a deletion scheduled earlier (created at {@code scheduledCreatedAt}) already fires no
   * later than that, in which case it stays; a later one is replaced by one counted from its own
   * creation.
   */
  public static Plan plan(List<Taint> noExecuteTaints, List<Toleration> tolerations, Instant now,
      Instant scheduledCreatedAt) {
    boolean cancel = noExecuteTaints.isEmpty();
    List<Toleration> used = matching(noExecuteTaints, tolerations);
    if (used == null) {
      return new Plan(true, new Work(now, now));
    }
    Duration min = minTolerationTime(used);
    if (min == null) {
      return new Plan(true, null);
    }
    Instant start = now;
    Instant trigger = now.plus(min);
    if (scheduledCreatedAt != null) {
      start = scheduledCreatedAt;
      if (start.plus(min).isBefore(trigger)) {
        return cancel ? new Plan(true, null) : Plan.KEEP;
      }
      cancel = true;
    }
    return new Plan(cancel, new Work(start, start.plus(min)));
  }
}
