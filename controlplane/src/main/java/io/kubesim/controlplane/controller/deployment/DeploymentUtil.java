package io.kubesim.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kubesim.controlplane.controller.IntOrPercent;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * pkg/controller/deployment/util/deployment_util.go as pure functions: the rolling-update
 * arithmetic, revisions and the annotations that carry them, and the status conditions.
 */
public final class DeploymentUtil {

  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  /** maxRevHistoryLengthInChars. */
  public static final int MAX_REVISION_HISTORY_CHARS = 2000;

  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  public static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
  public static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
  public static final String NEW_REPLICA_SET = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  public static final String TIMED_OUT = "ProgressDeadlineExceeded";
  public static final String PAUSED = "DeploymentPaused";
  public static final String RESUMED = "DeploymentResumed";
  public static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  public static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";

  /** Annotations of the Deployment that are not copied to its ReplicaSets (annotationsToSkip). */
  private static final Set<String> SKIPPED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
      REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

  private DeploymentUtil() {}

  // ---------------------------------------------------------------- numbers

  static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  static int n(Integer v) {
    return v == null ? 0 : v;
  }

  public static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() != null && "RollingUpdate".equals(d.getSpec().getStrategy().getType());
  }

  /** The (maxSurge, maxUnavailable) pair of a rolling update. */
  public record Fenceposts(int surge, int unavailable) {}

  /**
   * ResolveFenceposts: surge rounds up, unavailable rounds down; if both come to zero,
   * unavailable becomes 1 (validation forbids both zero, rounding does not).
   */
  public static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = IntOrPercent.scaled(maxSurge == null ? new IntOrString(0) : maxSurge, desired, true);
    int unavailable = IntOrPercent.scaled(maxUnavailable == null ? new IntOrString(0) : maxUnavailable, desired,
        false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  public static int maxSurge(Deployment d) {
    if (!isRollingUpdate(d)) {
      return 0;
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    return resolveFenceposts(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(),
        replicas(d)).surge();
  }

  public static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) {
      return 0;
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    int u = resolveFenceposts(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(),
        replicas(d)).unavailable();
    return Math.min(u, replicas(d));
  }

  /**
   * NewRSNewReplicas: for a rolling update, the new ReplicaSet grows by
   * min(replicas + maxSurge - total, replicas - new) when the total is below replicas + maxSurge;
   * for Recreate it goes straight to replicas.
   */
  public static int newRSNewReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    if ("Recreate".equals(d.getSpec().getStrategy().getType())) {
      return replicas(d);
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    int surge = IntOrPercent.scaled(ru == null || ru.getMaxSurge() == null ? new IntOrString(0) : ru.getMaxSurge(),
        replicas(d), true);
    int current = specReplicas(all);
    int maxTotal = replicas(d) + surge;
    if (current >= maxTotal) {
      return replicas(newRS);
    }
    int scaleUp = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
    return replicas(newRS) + scaleUp;
  }

  /** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
  public static int specReplicas(List<ReplicaSet> rss) {
    int total = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null) {
        total += replicas(rs);
      }
    }
    return total;
  }

  /** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
  public static int actualReplicas(List<ReplicaSet> rss) {
    int total = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        total += n(rs.getStatus().getReplicas());
      }
    }
    return total;
  }

  public static int readyReplicas(List<ReplicaSet> rss) {
    int total = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        total += n(rs.getStatus().getReadyReplicas());
      }
    }
    return total;
  }

  public static int availableReplicas(List<ReplicaSet> rss) {
    int total = 0;
    for (ReplicaSet rs : rss) {
      if (rs != null && rs.getStatus() != null) {
        total += n(rs.getStatus().getAvailableReplicas());
      }
    }
    return total;
  }

  /** FilterActiveReplicaSets: those with spec.replicas above zero. */
  public static List<ReplicaSet> active(List<ReplicaSet> rss) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rss) {
      if (rs != null && replicas(rs) > 0) {
        out.add(rs);
      }
    }
    return out;
  }

  /** IsSaturated: the new ReplicaSet has the deployment's replicas and all of them available. */
  public static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    Integer desired = desiredReplicasAnnotation(rs);
    return desired != null && replicas(rs) == replicas(d) && desired == replicas(d)
        && rs.getStatus() != null && n(rs.getStatus().getAvailableReplicas()) == replicas(d);
  }

  /**
   * FindActiveOrLatest: the one active ReplicaSet, or with none active the newest (the new one if
   * it exists); null when several are active.
   */
  public static ReplicaSet findActiveOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) {
      return null;
    }
    List<ReplicaSet> sortedOld = new ArrayList<>(oldRSs);
    sortedOld.sort(BY_CREATION.reversed());
    List<ReplicaSet> all = new ArrayList<>();
    if (newRS != null) {
      all.add(newRS);
    }
    all.addAll(sortedOld);
    List<ReplicaSet> active = active(all);
    if (active.isEmpty()) {
      return newRS != null ? newRS : sortedOld.get(0);
    }
    return active.size() == 1 ? active.get(0) : null;
  }

  /**
   * getReplicaSetFraction and GetReplicaSetProportion: a ReplicaSet's share of the replicas to add
   * or remove, in proportion to its size, bounded by what is left to distribute.
   */
  public static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  static int fraction(ReplicaSet rs, Deployment d) {
    if (replicas(d) == 0) {
      return -replicas(rs);
    }
    int maxReplicas = replicas(d) + maxSurge(d);
    Integer before = maxReplicasAnnotation(rs);
    int beforeScale = before == null || before == 0
        ? (d.getStatus() == null ? 0 : n(d.getStatus().getReplicas())) : before;
    double size = (double) replicas(rs) * maxReplicas / beforeScale;
    // integer.RoundToInt32: math.Round, halves away from zero.
    return (int) Math.round(size) - replicas(rs);
  }

  // ---------------------------------------------------------------- annotations and revisions

  static Integer intAnnotation(ReplicaSet rs, String key) {
    Map<String, String> ann = rs.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(key)) {
      return null;
    }
    try {
      return Integer.parseInt(ann.get(key));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static Integer desiredReplicasAnnotation(ReplicaSet rs) {
    return intAnnotation(rs, DESIRED_REPLICAS);
  }

  public static Integer maxReplicasAnnotation(ReplicaSet rs) {
    return intAnnotation(rs, MAX_REPLICAS);
  }

  /** The revision of a ReplicaSet (or Deployment); 0 when absent or not a number. */
  public static long revision(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> ann = o.getMetadata().getAnnotations();
    if (ann == null || ann.get(REVISION) == null) {
      return 0;
    }
    try {
      return Long.parseLong(ann.get(REVISION));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long maxRevision(List<ReplicaSet> rss) {
    long max = 0;
    for (ReplicaSet rs : rss) {
      max = Math.max(max, revision(rs));
    }
    return max;
  }

  private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) {
      o.getMetadata().setAnnotations(new LinkedHashMap<>());
    } else if (!(o.getMetadata().getAnnotations() instanceof LinkedHashMap)) {
      o.getMetadata().setAnnotations(new LinkedHashMap<>(o.getMetadata().getAnnotations()));
    }
    return o.getMetadata().getAnnotations();
  }

  /** SetReplicasAnnotations: desired-replicas and max-replicas; true if either changed. */
  public static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    Map<String, String> ann = annotations(rs);
    boolean changed = false;
    if (!String.valueOf(desired).equals(ann.get(DESIRED_REPLICAS))) {
      ann.put(DESIRED_REPLICAS, String.valueOf(desired));
      changed = true;
    }
    if (!String.valueOf(max).equals(ann.get(MAX_REPLICAS))) {
      ann.put(MAX_REPLICAS, String.valueOf(max));
      changed = true;
    }
    return changed;
  }

  public static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    Map<String, String> ann = rs.getMetadata().getAnnotations();
    return ann == null || !String.valueOf(desired).equals(ann.get(DESIRED_REPLICAS))
        || !String.valueOf(max).equals(ann.get(MAX_REPLICAS));
  }

  /**
   * SetNewReplicaSetAnnotations: copies the deployment's annotations (but the skipped ones), raises
   * the revision to {@code newRevision} if it is higher (keeping the old one in revision-history
   * when rolling back to this ReplicaSet), and for a ReplicaSet about to be created sets the
   * replicas annotations. True if anything changed.
   */
  public static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
    boolean changed = false;
    Map<String, String> ann = annotations(rs);
    if (d.getMetadata().getAnnotations() != null) {
      for (Map.Entry<String, String> e : d.getMetadata().getAnnotations().entrySet()) {
        if (SKIPPED.contains(e.getKey()) || Objects.equals(ann.get(e.getKey()), e.getValue())) {
          continue;
        }
        ann.put(e.getKey(), e.getValue());
        changed = true;
      }
    }
    String oldRevision = ann.get(REVISION);
    boolean had = ann.containsKey(REVISION);
    long oldRev;
    try {
      oldRev = oldRevision == null || oldRevision.isEmpty() ? 0 : Long.parseLong(oldRevision);
    } catch (NumberFormatException e) {
      return false;
    }
    long newRev = Long.parseLong(newRevision);
    if (oldRev < newRev) {
      ann.put(REVISION, newRevision);
      changed = true;
    }
    if (had && oldRev < newRev) {
      String history = ann.getOrDefault(REVISION_HISTORY, "");
      if (history.isEmpty()) {
        ann.put(REVISION_HISTORY, oldRevision);
      } else {
        List<String> old = new ArrayList<>(List.of(history.split(",", -1)));
        int total = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < old.size()) {
          total -= old.get(start).length() + 1;
          start++;
        }
        if (total <= MAX_REVISION_HISTORY_CHARS) {
          List<String> kept = new ArrayList<>(old.subList(start, old.size()));
          kept.add(oldRevision);
          ann.put(REVISION_HISTORY, String.join(",", kept));
        }
      }
    }
    if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) {
      changed = true;
    }
    return changed;
  }

  /** SetDeploymentRevision: true if the deployment's revision annotation changed. */
  public static boolean setDeploymentRevision(Deployment d, String revision) {
    Map<String, String> ann = annotations(d);
    if (Objects.equals(ann.get(REVISION), revision)) {
      return false;
    }
    ann.put(REVISION, revision);
    return true;
  }

  // ---------------------------------------------------------------- templates

  /** EqualIgnoreHash: the templates are equal once the pod-template-hash label is dropped from both. */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return Objects.equals(withoutHash(a), withoutHash(b));
  }

  private static PodTemplateSpec withoutHash(PodTemplateSpec t) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(t).build();
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
      labels.remove(POD_TEMPLATE_HASH);
      copy.getMetadata().setLabels(labels);
    }
    return copy;
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's, ignoring the hash. */
  public static ReplicaSet findNewReplicaSet(Deployment d, List<ReplicaSet> rss) {
    List<ReplicaSet> sorted = new ArrayList<>(rss);
    sorted.sort(BY_CREATION);
    for (ReplicaSet rs : sorted) {
      if (equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        return rs;
      }
    }
    return null;
  }

  /** FindOldReplicaSets' second result: every ReplicaSet but the new one. */
  public static List<ReplicaSet> findOldReplicaSets(Deployment d, List<ReplicaSet> rss) {
    ReplicaSet newRS = findNewReplicaSet(d, rss);
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rss) {
      if (newRS != null && Objects.equals(rs.getMetadata().getUid(), newRS.getMetadata().getUid())) {
        continue;
      }
      out.add(rs);
    }
    return out;
  }

  // ---------------------------------------------------------------- orderings

  /** ReplicaSetsByCreationTimestamp: oldest first, names breaking ties. */
  public static final Comparator<ReplicaSet> BY_CREATION = (a, b) -> {
    Instant ta = Times.parse(a.getMetadata().getCreationTimestamp());
    Instant tb = Times.parse(b.getMetadata().getCreationTimestamp());
    if (Objects.equals(ta, tb)) {
      return a.getMetadata().getName().compareTo(b.getMetadata().getName());
    }
    if (ta == null) {
      return -1;
    }
    if (tb == null) {
      return 1;
    }
    return ta.compareTo(tb);
  };

  /** ReplicaSetsBySizeOlder: larger first, then older. */
  public static final Comparator<ReplicaSet> BY_SIZE_OLDER = (a, b) -> replicas(a) == replicas(b)
      ? BY_CREATION.compare(a, b) : Integer.compare(replicas(b), replicas(a));

  /** ReplicaSetsBySizeNewer: larger first, then newer. */
  public static final Comparator<ReplicaSet> BY_SIZE_NEWER = (a, b) -> replicas(a) == replicas(b)
      ? BY_CREATION.compare(b, a) : Integer.compare(replicas(b), replicas(a));

  /** ReplicaSetsByRevision: lower revision first, then by creation. */
  public static final Comparator<ReplicaSet> BY_REVISION = (a, b) -> revision(a) == revision(b)
      ? BY_CREATION.compare(a, b) : Long.compare(revision(a), revision(b));

  // ---------------------------------------------------------------- conditions and status

  public static DeploymentCondition condition(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    for (DeploymentCondition c : status.getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static DeploymentCondition newCondition(String type, String status, String reason, String message,
      Instant now) {
    String t = Times.rfc3339(now);
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastUpdateTime(t).withLastTransitionTime(t).build();
  }

  /**
   * SetDeploymentCondition: nothing for the same status and reason; the transition time is kept
   * when only the reason changes; the condition moves to the end.
   */
  public static void setCondition(DeploymentStatus status, DeploymentCondition c) {
    DeploymentCondition current = condition(status, c.getType());
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())
        && Objects.equals(current.getReason(), c.getReason())) {
      return;
    }
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
      c.setLastTransitionTime(current.getLastTransitionTime());
    }
    removeCondition(status, c.getType());
    List<DeploymentCondition> out = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    out.add(c);
    status.setConditions(out);
  }

  public static void removeCondition(DeploymentStatus status, String type) {
    if (status.getConditions() == null) {
      return;
    }
    List<DeploymentCondition> out = new ArrayList<>();
    for (DeploymentCondition c : status.getConditions()) {
      if (!type.equals(c.getType())) {
        out.add(c);
      }
    }
    status.setConditions(out);
  }

  public static boolean hasProgressDeadline(Deployment d) {
    Integer s = d.getSpec().getProgressDeadlineSeconds();
    return s != null && s != Integer.MAX_VALUE;
  }

  static DeploymentStatus statusOf(Deployment d) {
    return d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
  }

  /**
   * Every count of DeploymentStatus is {@code omitempty} in Go: a zero is not written, so a client
   * reading the object sees the field absent. Kept absent here too.
   */
  static void omitEmpty(DeploymentStatus s) {
    s.setObservedGeneration(s.getObservedGeneration() != null && s.getObservedGeneration() == 0 ? null
        : s.getObservedGeneration());
    s.setReplicas(nz(s.getReplicas()));
    s.setUpdatedReplicas(nz(s.getUpdatedReplicas()));
    s.setReadyReplicas(nz(s.getReadyReplicas()));
    s.setAvailableReplicas(nz(s.getAvailableReplicas()));
    s.setUnavailableReplicas(nz(s.getUnavailableReplicas()));
  }

  private static Integer nz(Integer v) {
    return v != null && v == 0 ? null : v;
  }

  /** DeploymentComplete: every replica updated and available, and the generation observed. */
  public static boolean complete(Deployment d, DeploymentStatus s) {
    int r = replicas(d);
    return n(s.getUpdatedReplicas()) == r && n(s.getReplicas()) == r && n(s.getAvailableReplicas()) == r
        && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration())
            >= (d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration());
  }

  /** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
  public static boolean progressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = statusOf(d);
    int oldOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
    int newOld = n(s.getReplicas()) - n(s.getUpdatedReplicas());
    return n(s.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < oldOld
        || n(s.getReadyReplicas()) > n(old.getReadyReplicas())
        || n(s.getAvailableReplicas()) > n(old.getAvailableReplicas());
  }

  /** DeploymentTimedOut: no progress since the Progressing condition's lastUpdateTime for progressDeadlineSeconds. */
  public static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
    if (!hasProgressDeadline(d)) {
      return false;
    }
    DeploymentCondition c = condition(s, PROGRESSING);
    if (c == null) {
      return false;
    }
    if (NEW_RS_AVAILABLE.equals(c.getReason())) {
      return false;
    }
    if (TIMED_OUT.equals(c.getReason())) {
      return true;
    }
    Instant from = Times.parse(c.getLastUpdateTime());
    return from.plus(Duration.ofSeconds(d.getSpec().getProgressDeadlineSeconds())).isBefore(now);
  }

  /**
   * calculateStatus: the counts summed over the ReplicaSets (replicas and updatedReplicas from
   * their status), unavailable never negative, and Available by whether at least
   * replicas - maxUnavailable are available.
   */
  public static DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newRS, Deployment d, Instant now) {
    int available = availableReplicas(all);
    int total = specReplicas(all);
    DeploymentStatus s = new DeploymentStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setReplicas(actualReplicas(all));
    s.setUpdatedReplicas(actualReplicas(newRS == null ? List.of() : List.of(newRS)));
    s.setReadyReplicas(readyReplicas(all));
    s.setAvailableReplicas(available);
    s.setUnavailableReplicas(Math.max(0, total - available));
    s.setCollisionCount(statusOf(d).getCollisionCount());
    omitEmpty(s);
    List<DeploymentCondition> copied = new ArrayList<>();
    if (statusOf(d).getConditions() != null) {
      for (DeploymentCondition c : statusOf(d).getConditions()) {
        copied.add(new DeploymentConditionBuilder(c).build());
      }
    }
    s.setConditions(copied);
    if (available >= replicas(d) - maxUnavailable(d)) {
      setCondition(s, newCondition(AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE,
          "Deployment has minimum availability.", now));
    } else {
      setCondition(s, newCondition(AVAILABLE, "False", MINIMUM_REPLICAS_UNAVAILABLE,
          "Deployment does not have minimum availability.", now));
    }
    return s;
  }
}
