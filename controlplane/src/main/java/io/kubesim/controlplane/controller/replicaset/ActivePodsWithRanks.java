package io.kubesim.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which pods a ReplicaSet deletes first (pkg/controller/controller_utils.go ActivePodsWithRanks.Less,
 * with the PodDeletionCost and LogarithmicScaleDown features on, as they are by default):
 * <ol>
 *   <li>unassigned before assigned;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;</li>
 *   <li>more related pods on the same node (the rank) first;</li>
 *   <li>ready for a shorter time first, in log2 buckets of the time since ready;</li>
 *   <li>more container restarts first;</li>
 *   <li>newer first, in log2 buckets of the age;</li>
 *   <li>within one bucket, by UID.</li>
 * </ol>
 */
public final class ActivePodsWithRanks {

  public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private static final Map<String, Integer> PHASE_ORDINAL = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  private ActivePodsWithRanks() {}

  /** A pod with its rank: the number of active related pods on its node. */
  public record Ranked(Pod pod, int rank) {}

  /** Sorts the pods for deletion, most deletable first; {@code now} anchors the log2 buckets. */
  public static List<Pod> sort(List<Ranked> pods, Instant now) {
    List<Ranked> sorted = new ArrayList<>(pods);
    sorted.sort(comparator(now));
    List<Pod> out = new ArrayList<>(sorted.size());
    for (Ranked r : sorted) {
      out.add(r.pod());
    }
    return out;
  }

  public static Comparator<Ranked> comparator(Instant now) {
    return (a, b) -> less(a, b, now) ? -1 : less(b, a, now) ? 1 : 0;
  }

  static boolean less(Ranked ri, Ranked rj, Instant now) {
    Pod i = ri.pod();
    Pod j = rj.pod();
    String ni = Pods.nodeName(i);
    String nj = Pods.nodeName(j);
    if (!ni.equals(nj) && (ni.isEmpty() || nj.isEmpty())) {
      return ni.isEmpty();
    }
    int pi = PHASE_ORDINAL.getOrDefault(Pods.phase(i), 0);
    int pj = PHASE_ORDINAL.getOrDefault(Pods.phase(j), 0);
    if (pi != pj) {
      return pi < pj;
    }
    boolean readyI = Pods.isReady(i);
    boolean readyJ = Pods.isReady(j);
    if (readyI != readyJ) {
      return !readyI;
    }
    int ci = deletionCost(i);
    int cj = deletionCost(j);
    if (ci != cj) {
      return ci < cj;
    }
    if (ri.rank() != rj.rank()) {
      return ri.rank() > rj.rank();
    }
    if (readyI && readyJ) {
      Instant ti = Pods.readySince(i);
      Instant tj = Pods.readySince(j);
      if (!java.util.Objects.equals(ti, tj)) {
        if (now == null || ti == null || tj == null) {
          return afterOrZero(ti, tj);
        }
        long diff = logRankDiff(ti, tj, now);
        if (diff == 0) {
          return uid(i).compareTo(uid(j)) < 0;
        }
        return diff < 0;
      }
    }
    int restartsI = Pods.maxRestarts(i);
    int restartsJ = Pods.maxRestarts(j);
    if (restartsI != restartsJ) {
      return restartsI > restartsJ;
    }
    Instant ci2 = Times.parse(i.getMetadata().getCreationTimestamp());
    Instant cj2 = Times.parse(j.getMetadata().getCreationTimestamp());
    if (!java.util.Objects.equals(ci2, cj2)) {
      if (now == null || ci2 == null || cj2 == null) {
        return afterOrZero(ci2, cj2);
      }
      long diff = logRankDiff(ci2, cj2, now);
      if (diff == 0) {
        return uid(i).compareTo(uid(j)) < 0;
      }
      return diff < 0;
    }
    return false;
  }

  private static String uid(Pod p) {
    return p.getMetadata().getUid() == null ? "" : p.getMetadata().getUid();
  }

  /** afterOrZero: t1 after t2, a zero (missing) time counting as after any other. */
  private static boolean afterOrZero(Instant t1, Instant t2) {
    if (t1 == null || t2 == null) {
      return t1 == null;
    }
    return t1.isAfter(t2);
  }

  /** logarithmicRankDiff: floor(log2(now - t)) in nanoseconds, -1 for a time not before now. */
  static long logRankDiff(Instant t1, Instant t2, Instant now) {
    long d1 = Duration.between(t1, now).toNanos();
    long d2 = Duration.between(t2, now).toNanos();
    // int64(math.Log2(float64(d))) is the binary exponent of the float64.
    long r1 = d1 > 0 ? Math.getExponent((double) d1) : -1;
    long r2 = d2 > 0 ? Math.getExponent((double) d2) : -1;
    return r1 - r2;
  }

  /** GetDeletionCostFromPodAnnotations: the annotation as an int32, 0 when absent or invalid. */
  static int deletionCost(Pod p) {
    Map<String, String> ann = p.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(DELETION_COST)) {
      return 0;
    }
    try {
      return Integer.parseInt(ann.get(DELETION_COST).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
