package io.kubesim.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sync of one Deployment (pkg/controller/deployment: sync.go, rolling.go, recreate.go,
 * progress.go), planned against the controller's cache. Where the Go controller writes and carries
 * on with what it wrote, this plans the write as an {@link Action} and carries on with its local
 * copy; the controller then performs the actions in order and stops at the first failure, as the Go
 * sync returns at its first error. Writes of a ReplicaSet use the latest version of it; status
 * writes of the Deployment use the version the sync started from, so that a second one in the same
 * sync conflicts, as it does in Kubernetes.
 */
final class DeploymentSync {

  /** A write, or a requeue, decided by the sync. */
  sealed interface Action {}

  /** Update a ReplicaSet; on success, record a ScalingReplicaSet event if {@code event} is set. */
  record UpdateReplicaSet(ReplicaSet rs, String event) implements Action {}

  /** Create the new ReplicaSet; {@code replicas} for the "Scaled up ... from 0 to N" event. */
  record CreateReplicaSet(ReplicaSet rs, int replicas) implements Action {}

  /** Update the Deployment's status (annotations go with it, as the status strategy keeps them). */
  record UpdateStatus(Deployment d) implements Action {}

  record DeleteReplicaSet(ReplicaSet rs) implements Action {}

  record RecordEvent(String type, String reason, String message) implements Action {}

  record RequeueAfter(Duration after) implements Action {}

  record RequeueRateLimited() implements Action {}

  private final Deployment d;
  private final List<ReplicaSet> rsList;
  private final Map<String, List<Pod>> podMap;
  private final Instant now;
  private final Klog log;
  private final List<Action> actions = new ArrayList<>();
  private final String key;

  /**
   * @param d a copy of the cached Deployment, changed freely
   * @param rsList the ReplicaSets it owns (after adoption and release)
   * @param podMap its pods grouped by the uid of their ReplicaSet
   */
  DeploymentSync(Deployment d, List<ReplicaSet> rsList, Map<String, List<Pod>> podMap, Instant now, Klog log) {
    this.d = d;
    this.rsList = new ArrayList<>(rsList);
    this.podMap = podMap;
    this.now = now;
    this.log = log;
    this.key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
  }

  /** syncDeployment after the ReplicaSets are claimed: the actions to perform, in order. */
  List<Action> plan() {
    if (d.getMetadata().getDeletionTimestamp() != null) {
      syncStatusOnly();
      return actions;
    }
    if (!checkPausedConditions()) {
      return actions;
    }
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      sync();
      return actions;
    }
    if (isScalingEvent()) {
      sync();
      return actions;
    }
    String type = d.getSpec().getStrategy() == null ? "" : d.getSpec().getStrategy().getType();
    switch (type) {
      case "Recreate" -> rolloutRecreate();
      case "RollingUpdate" -> rolloutRolling();
      default -> log.error("unexpected deployment strategy type", "type", type);
    }
    return actions;
  }

  private int replicas() {
    return DeploymentUtil.replicas(d);
  }

  private DeploymentStatus status() {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    return d.getStatus();
  }

  private static List<ReplicaSet> with(List<ReplicaSet> old, ReplicaSet newRS) {
    List<ReplicaSet> all = new ArrayList<>(old);
    if (newRS != null) {
      all.add(newRS);
    }
    return all;
  }

  private ReplicaSet copy(ReplicaSet rs) {
    return new ReplicaSetBuilder(rs).build();
  }

  private Deployment statusWrite() {
    return new DeploymentBuilder(d).build();
  }

  // ---------------------------------------------------------------- sync.go

  private void syncStatusOnly() {
    Pair p = getAllReplicaSetsAndSyncRevision(false);
    if (p == null) {
      return;
    }
    syncDeploymentStatus(with(p.old, p.newRS), p.newRS);
  }

  /** sync: reconcile scaling (or a paused deployment), clean up, update the status. */
  private void sync() {
    Pair p = getAllReplicaSetsAndSyncRevision(false);
    if (p == null) {
      return;
    }
    if (!scale(p.newRS, p.old)) {
      return;
    }
    if (Boolean.TRUE.equals(d.getSpec().getPaused()) && !rollbackRequested()) {
      cleanupDeployment(p.old);
    }
    syncDeploymentStatus(with(p.old, p.newRS), p.newRS);
  }

  /** getRollbackTo: apps/v1 carries a rollback request only in the deprecated annotation. */
  private boolean rollbackRequested() {
    return d.getMetadata().getAnnotations() != null
        && d.getMetadata().getAnnotations().containsKey("deprecated.deployment.rollback.to");
  }

  /** checkPausedConditions: a Progressing condition of Unknown while paused and on resume; false if its write was planned and failed. */
  private boolean checkPausedConditions() {
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      return true;
    }
    DeploymentCondition cond = DeploymentUtil.condition(status(), DeploymentUtil.PROGRESSING);
    if (cond != null && DeploymentUtil.TIMED_OUT.equals(cond.getReason())) {
      return true;
    }
    boolean pausedCondExists = cond != null && DeploymentUtil.PAUSED.equals(cond.getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (paused && !pausedCondExists) {
      DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "Unknown",
          DeploymentUtil.PAUSED, "Deployment is paused", now));
    } else if (!paused && pausedCondExists) {
      DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "Unknown",
          DeploymentUtil.RESUMED, "Deployment is resumed", now));
    } else {
      return true;
    }
    actions.add(new UpdateStatus(statusWrite()));
    return true;
  }

  private record Pair(ReplicaSet newRS, List<ReplicaSet> old) {}

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) with its
   * revision raised above every old one, and the old ones.
   */
  private Pair getAllReplicaSetsAndSyncRevision(boolean createIfNotExisted) {
    List<ReplicaSet> allOld = DeploymentUtil.findOldReplicaSets(d, rsList);
    ReplicaSet newRS = getNewReplicaSet(allOld, createIfNotExisted);
    return new Pair(newRS, allOld);
  }

  private ReplicaSet getNewReplicaSet(List<ReplicaSet> oldRSs, boolean createIfNotExisted) {
    ReplicaSet existing = DeploymentUtil.findNewReplicaSet(d, rsList);
    long maxOld = DeploymentUtil.maxRevision(oldRSs);
    String newRevision = Long.toString(maxOld + 1);
    if (existing != null) {
      ReplicaSet rsCopy = copy(existing);
      boolean annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      int minReady = DeploymentUtil.n(d.getSpec().getMinReadySeconds());
      boolean minReadyUpdate = DeploymentUtil.n(rsCopy.getSpec().getMinReadySeconds()) != minReady;
      if (annotationsUpdated || minReadyUpdate) {
        rsCopy.getSpec().setMinReadySeconds(minReady);
        actions.add(new UpdateReplicaSet(rsCopy, null));
        replace(existing, rsCopy);
        return rsCopy;
      }
      String rev = rsCopy.getMetadata().getAnnotations() == null ? null
          : rsCopy.getMetadata().getAnnotations().get(DeploymentUtil.REVISION);
      boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, rev);
      DeploymentCondition cond = DeploymentUtil.condition(status(), DeploymentUtil.PROGRESSING);
      if (DeploymentUtil.hasProgressDeadline(d) && cond == null) {
        DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.FOUND_NEW_RS, "Found new replica set \"" + rsCopy.getMetadata().getName() + "\"", now));
        needsUpdate = true;
      }
      if (needsUpdate) {
        actions.add(new UpdateStatus(statusWrite()));
      }
      return rsCopy;
    }
    if (!createIfNotExisted) {
      return null;
    }
    PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).build();
    Integer collisions = status().getCollisionCount();
    String hash = PodTemplateHash.compute(template, collisions);
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata() == null
        || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
    labels.put(DeploymentUtil.POD_TEMPLATE_HASH, hash);
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMeta());
    }
    template.getMetadata().setLabels(labels);
    LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector()).build();
    Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of()
        : selector.getMatchLabels());
    matchLabels.put(DeploymentUtil.POD_TEMPLATE_HASH, hash);
    selector.setMatchLabels(matchLabels);
    ReplicaSet newRS = new ReplicaSetBuilder().withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + hash).withNamespace(d.getMetadata().getNamespace())
        .withOwnerReferences(Owners.controllerRef(d)).withLabels(new LinkedHashMap<>(labels)).endMetadata()
        .withNewSpec().withReplicas(0).withMinReadySeconds(DeploymentUtil.n(d.getSpec().getMinReadySeconds()))
        .withSelector(selector).withTemplate(template).endSpec().build();
    newRS.setApiVersion("apps/v1");
    newRS.setKind("ReplicaSet");
    int count = DeploymentUtil.newRSNewReplicas(d, with(oldRSs, newRS), newRS);
    newRS.getSpec().setReplicas(count);
    DeploymentUtil.setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    actions.add(new CreateReplicaSet(newRS, count));
    rsList.add(newRS);
    boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, newRevision);
    if (DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
          DeploymentUtil.NEW_REPLICA_SET, "Created new replica set \"" + newRS.getMetadata().getName() + "\"", now));
      needsUpdate = true;
    }
    if (needsUpdate) {
      actions.add(new UpdateStatus(statusWrite()));
    }
    return newRS;
  }

  private void replace(ReplicaSet old, ReplicaSet updated) {
    for (int i = 0; i < rsList.size(); i++) {
      if (rsList.get(i) == old) {
        rsList.set(i, updated);
      }
    }
  }

  /** isScalingEvent: an active ReplicaSet whose desired-replicas annotation differs from spec.replicas. */
  private boolean isScalingEvent() {
    Pair p = getAllReplicaSetsAndSyncRevision(false);
    for (ReplicaSet rs : DeploymentUtil.active(with(p.old, p.newRS))) {
      Integer desired = DeploymentUtil.desiredReplicasAnnotation(rs);
      if (desired == null) {
        continue;
      }
      if (desired != replicas()) {
        return true;
      }
    }
    return false;
  }

  /**
   * scale: one active ReplicaSet (or none) takes the full count; a saturated new one drains the
   * old ones; otherwise a rolling deployment spreads the difference over the active ReplicaSets
   * in proportion to their size, the largest first (newest first when scaling up, oldest first
   * when scaling down), leftovers to the first. False if a write was planned that aborts.
   */
  private boolean scale(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    ReplicaSet activeOrLatest = DeploymentUtil.findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest != null) {
      if (DeploymentUtil.replicas(activeOrLatest) == replicas()) {
        return true;
      }
      scaleReplicaSetAndRecordEvent(activeOrLatest, replicas());
      return true;
    }
    if (DeploymentUtil.isSaturated(d, newRS)) {
      for (ReplicaSet old : DeploymentUtil.active(oldRSs)) {
        scaleReplicaSetAndRecordEvent(old, 0);
      }
      return true;
    }
    if (DeploymentUtil.isRollingUpdate(d)) {
      List<ReplicaSet> all = DeploymentUtil.active(with(oldRSs, newRS));
      int allReplicas = DeploymentUtil.specReplicas(all);
      int allowed = replicas() > 0 ? replicas() + DeploymentUtil.maxSurge(d) : 0;
      int toAdd = allowed - allReplicas;
      String op = "";
      if (toAdd > 0) {
        all.sort(DeploymentUtil.BY_SIZE_NEWER);
        op = "up";
      } else if (toAdd < 0) {
        all.sort(DeploymentUtil.BY_SIZE_OLDER);
        op = "down";
      }
      int added = 0;
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (ReplicaSet rs : all) {
        if (toAdd != 0) {
          int proportion = DeploymentUtil.proportion(rs, d, toAdd, added);
          sizes.put(rs.getMetadata().getName(), DeploymentUtil.replicas(rs) + proportion);
          added += proportion;
        } else {
          sizes.put(rs.getMetadata().getName(), DeploymentUtil.replicas(rs));
        }
      }
      for (int i = 0; i < all.size(); i++) {
        ReplicaSet rs = all.get(i);
        String name = rs.getMetadata().getName();
        if (i == 0 && toAdd != 0) {
          int leftover = toAdd - added;
          sizes.put(name, Math.max(0, sizes.get(name) + leftover));
        }
        scaleReplicaSet(rs, sizes.get(name), op);
      }
    }
    return true;
  }

  /** scaleReplicaSetAndRecordEvent: false (and the ReplicaSet as it was) when already at that size. */
  private ReplicaSet scaleReplicaSetAndRecordEvent(ReplicaSet rs, int newScale) {
    if (DeploymentUtil.replicas(rs) == newScale) {
      return null;
    }
    String op = DeploymentUtil.replicas(rs) < newScale ? "up" : "down";
    return scaleReplicaSet(rs, newScale, op);
  }

  /**
   * scaleReplicaSet: writes the size and the replicas annotations when either is out of date;
   * returns the written copy when the size changed, else null.
   */
  private ReplicaSet scaleReplicaSet(ReplicaSet rs, int newScale, String op) {
    boolean sizeNeedsUpdate = DeploymentUtil.replicas(rs) != newScale;
    int max = replicas() + DeploymentUtil.maxSurge(d);
    boolean annotationsNeedUpdate = DeploymentUtil.replicasAnnotationsNeedUpdate(rs, replicas(), max);
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) {
      return null;
    }
    int oldScale = DeploymentUtil.replicas(rs);
    ReplicaSet rsCopy = copy(rs);
    rsCopy.getSpec().setReplicas(newScale);
    DeploymentUtil.setReplicasAnnotations(rsCopy, replicas(), max);
    String event = sizeNeedsUpdate ? "Scaled " + op + " replica set " + rs.getMetadata().getName() + " from "
        + oldScale + " to " + newScale : null;
    actions.add(new UpdateReplicaSet(rsCopy, event));
    replace(rs, rsCopy);
    return sizeNeedsUpdate ? rsCopy : null;
  }

  /**
   * cleanupDeployment: beyond revisionHistoryLimit, deletes the oldest-revision old ReplicaSets
   * that are scaled to zero, have no pods and whose generation has been observed.
   */
  private void cleanupDeployment(List<ReplicaSet> oldRSs) {
    if (d.getSpec().getRevisionHistoryLimit() == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>();
    for (ReplicaSet rs : oldRSs) {
      if (rs != null && rs.getMetadata().getDeletionTimestamp() == null) {
        cleanable.add(rs);
      }
    }
    int diff = cleanable.size() - d.getSpec().getRevisionHistoryLimit();
    if (diff <= 0) {
      return;
    }
    cleanable.sort(DeploymentUtil.BY_REVISION);
    log.v(4, "Looking to cleanup old replica sets for deployment", "deployment", key);
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      long gen = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
          : rs.getStatus().getObservedGeneration();
      if ((rs.getStatus() != null && DeploymentUtil.n(rs.getStatus().getReplicas()) != 0)
          || DeploymentUtil.replicas(rs) != 0 || gen > observed || rs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      log.v(4, "Trying to cleanup replica set for deployment", "replicaSet",
          rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName(), "deployment", key);
      actions.add(new DeleteReplicaSet(rs));
    }
  }

  private void syncDeploymentStatus(List<ReplicaSet> all, ReplicaSet newRS) {
    DeploymentStatus next = DeploymentUtil.calculateStatus(all, newRS, d, now);
    if (sameStatus(status(), next)) {
      return;
    }
    d.setStatus(next);
    actions.add(new UpdateStatus(statusWrite()));
  }

  private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return Objects.equals(normalize(a), normalize(b));
  }

  private static DeploymentStatus normalize(DeploymentStatus s) {
    DeploymentStatus c = new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder(s).build();
    if (c.getConditions() != null && c.getConditions().isEmpty()) {
      c.setConditions(null);
    }
    for (String f : List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
        "unavailableReplicas")) {
      zeroToNull(c, f);
    }
    if (c.getObservedGeneration() != null && c.getObservedGeneration() == 0) {
      c.setObservedGeneration(null);
    }
    return c;
  }

  private static void zeroToNull(DeploymentStatus c, String field) {
    switch (field) {
      case "replicas" -> c.setReplicas(c.getReplicas() != null && c.getReplicas() == 0 ? null : c.getReplicas());
      case "updatedReplicas" -> c.setUpdatedReplicas(
          c.getUpdatedReplicas() != null && c.getUpdatedReplicas() == 0 ? null : c.getUpdatedReplicas());
      case "readyReplicas" -> c.setReadyReplicas(
          c.getReadyReplicas() != null && c.getReadyReplicas() == 0 ? null : c.getReadyReplicas());
      case "availableReplicas" -> c.setAvailableReplicas(
          c.getAvailableReplicas() != null && c.getAvailableReplicas() == 0 ? null : c.getAvailableReplicas());
      case "unavailableReplicas" -> c.setUnavailableReplicas(
          c.getUnavailableReplicas() != null && c.getUnavailableReplicas() == 0 ? null : c.getUnavailableReplicas());
      default -> { }
    }
  }

  // ---------------------------------------------------------------- rolling.go

  private void rolloutRolling() {
    Pair p = getAllReplicaSetsAndSyncRevision(true);
    List<ReplicaSet> all = with(p.old, p.newRS);
    if (reconcileNewReplicaSet(all, p.newRS)) {
      syncRolloutStatus(all, p.newRS);
      return;
    }
    if (reconcileOldReplicaSets(all, DeploymentUtil.active(p.old), p.newRS)) {
      syncRolloutStatus(all, p.newRS);
      return;
    }
    if (DeploymentUtil.complete(d, status())) {
      cleanupDeployment(p.old);
    }
    syncRolloutStatus(all, p.newRS);
  }

  /** reconcileNewReplicaSet: scale the new ReplicaSet up within maxSurge (or down to replicas). */
  private boolean reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newRS) {
    if (DeploymentUtil.replicas(newRS) == replicas()) {
      return false;
    }
    if (DeploymentUtil.replicas(newRS) > replicas()) {
      return scaleReplicaSetAndRecordEvent(newRS, replicas()) != null;
    }
    int count = DeploymentUtil.newRSNewReplicas(d, all, newRS);
    return scaleReplicaSetAndRecordEvent(newRS, count) != null;
  }

  /**
   * reconcileOldReplicaSets: scale old ReplicaSets down by at most
   * total - (replicas - maxUnavailable) - unavailable pods of the new one, unhealthy replicas first.
   */
  private boolean reconcileOldReplicaSets(List<ReplicaSet> all, List<ReplicaSet> oldRSs, ReplicaSet newRS) {
    int oldPods = DeploymentUtil.specReplicas(oldRSs);
    if (oldPods == 0) {
      return false;
    }
    int allPods = DeploymentUtil.specReplicas(all);
    int newAvailable = newRS.getStatus() == null ? 0 : DeploymentUtil.n(newRS.getStatus().getAvailableReplicas());
    log.v(4, "New replica set", "replicaSet", newRS.getMetadata().getNamespace() + "/" + newRS.getMetadata().getName(),
        "availableReplicas", newAvailable);
    int minAvailable = replicas() - DeploymentUtil.maxUnavailable(d);
    int newUnavailable = DeploymentUtil.replicas(newRS) - newAvailable;
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    List<ReplicaSet> olds = new ArrayList<>(oldRSs);
    int cleanup = cleanupUnhealthyReplicas(olds, maxScaledDown);
    log.v(4, "Cleaned up unhealthy replicas from old RSes", "count", cleanup);
    int scaledDown = scaleDownOldReplicaSetsForRollingUpdate(with(olds, newRS), olds);
    log.v(4, "Scaled down old RSes", "deployment", key, "count", scaledDown);
    return cleanup + scaledDown > 0;
  }

  private int cleanupUnhealthyReplicas(List<ReplicaSet> oldRSs, int maxCleanup) {
    oldRSs.sort(DeploymentUtil.BY_CREATION);
    int total = 0;
    for (int i = 0; i < oldRSs.size(); i++) {
      ReplicaSet rs = oldRSs.get(i);
      if (total >= maxCleanup) {
        break;
      }
      if (DeploymentUtil.replicas(rs) == 0) {
        continue;
      }
      int available = rs.getStatus() == null ? 0 : DeploymentUtil.n(rs.getStatus().getAvailableReplicas());
      log.v(4, "Found available pods in old RS", "replicaSet", rs.getMetadata().getNamespace() + "/"
          + rs.getMetadata().getName(), "availableReplicas", available);
      if (DeploymentUtil.replicas(rs) == available) {
        continue;
      }
      int down = Math.min(maxCleanup - total, DeploymentUtil.replicas(rs) - available);
      int newCount = DeploymentUtil.replicas(rs) - down;
      ReplicaSet updated = scaleReplicaSetAndRecordEvent(rs, newCount);
      total += down;
      oldRSs.set(i, updated != null ? updated : rs);
    }
    return total;
  }

  private int scaleDownOldReplicaSetsForRollingUpdate(List<ReplicaSet> all, List<ReplicaSet> oldRSs) {
    int minAvailable = replicas() - DeploymentUtil.maxUnavailable(d);
    int available = DeploymentUtil.availableReplicas(all);
    if (available <= minAvailable) {
      return 0;
    }
    log.v(4, "Found available pods in deployment, scaling down old RSes", "deployment", key, "availableReplicas",
        available);
    List<ReplicaSet> olds = new ArrayList<>(oldRSs);
    olds.sort(DeploymentUtil.BY_CREATION);
    int total = 0;
    int toScaleDown = available - minAvailable;
    for (ReplicaSet rs : olds) {
      if (total >= toScaleDown) {
        break;
      }
      if (DeploymentUtil.replicas(rs) == 0) {
        continue;
      }
      int down = Math.min(DeploymentUtil.replicas(rs), toScaleDown - total);
      scaleReplicaSetAndRecordEvent(rs, DeploymentUtil.replicas(rs) - down);
      total += down;
    }
    return total;
  }

  // ---------------------------------------------------------------- recreate.go

  private void rolloutRecreate() {
    Pair p = getAllReplicaSetsAndSyncRevision(false);
    ReplicaSet newRS = p.newRS;
    List<ReplicaSet> old = new ArrayList<>(p.old);
    List<ReplicaSet> all = with(old, newRS);
    List<ReplicaSet> activeOld = DeploymentUtil.active(old);
    boolean scaledDown = false;
    for (ReplicaSet rs : activeOld) {
      if (DeploymentUtil.replicas(rs) == 0) {
        continue;
      }
      if (scaleReplicaSetAndRecordEvent(rs, 0) != null) {
        scaledDown = true;
      }
    }
    if (scaledDown) {
      syncRolloutStatus(all, newRS);
      return;
    }
    if (oldPodsRunning(newRS, old)) {
      syncRolloutStatus(all, newRS);
      return;
    }
    if (newRS == null) {
      Pair created = getAllReplicaSetsAndSyncRevision(true);
      newRS = created.newRS;
      old = created.old;
      all = with(old, newRS);
    }
    scaleReplicaSetAndRecordEvent(newRS, replicas());
    if (DeploymentUtil.complete(d, status())) {
      cleanupDeployment(old);
    }
    syncRolloutStatus(all, newRS);
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or pods of old ReplicaSets are not yet terminal. */
  private boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (DeploymentUtil.actualReplicas(oldRSs) > 0) {
      return true;
    }
    for (Map.Entry<String, List<Pod>> e : podMap.entrySet()) {
      if (newRS != null && Objects.equals(newRS.getMetadata().getUid(), e.getKey())) {
        continue;
      }
      for (Pod p : e.getValue()) {
        String phase = p.getStatus() == null ? "" : p.getStatus().getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
          continue;
        }
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- progress.go

  /**
   * syncRolloutStatus: the status with the Progressing condition kept current (NewReplicaSetAvailable
   * when complete, ReplicaSetUpdated while progressing, ProgressDeadlineExceeded when stuck past the
   * deadline) and ReplicaSet failures carried over; unchanged, a stuck deployment is requeued for
   * its deadline.
   */
  private void syncRolloutStatus(List<ReplicaSet> all, ReplicaSet newRS) {
    DeploymentStatus next = DeploymentUtil.calculateStatus(all, newRS, d, now);
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
    }
    DeploymentCondition current = DeploymentUtil.condition(status(), DeploymentUtil.PROGRESSING);
    boolean isComplete = Objects.equals(next.getReplicas(), next.getUpdatedReplicas()) && current != null
        && DeploymentUtil.NEW_RS_AVAILABLE.equals(current.getReason());
    String rsName = newRS == null ? null : newRS.getMetadata().getName();
    if (DeploymentUtil.hasProgressDeadline(d) && !isComplete) {
      if (DeploymentUtil.complete(d, next)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
            : "Deployment \"" + d.getMetadata().getName() + "\" has successfully progressed.";
        DeploymentUtil.setCondition(next, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.NEW_RS_AVAILABLE, msg, now));
      } else if (DeploymentUtil.progressing(d, next)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" is progressing."
            : "Deployment \"" + d.getMetadata().getName() + "\" is progressing.";
        DeploymentCondition c = DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
            DeploymentUtil.REPLICA_SET_UPDATED, msg, now);
        if (current != null) {
          if ("True".equals(current.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
          }
          DeploymentUtil.removeCondition(next, DeploymentUtil.PROGRESSING);
        }
        DeploymentUtil.setCondition(next, c);
      } else if (DeploymentUtil.timedOut(d, next, now)) {
        String msg = rsName != null ? "ReplicaSet \"" + rsName + "\" has timed out progressing."
            : "Deployment \"" + d.getMetadata().getName() + "\" has timed out progressing.";
        DeploymentUtil.setCondition(next, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "False",
            DeploymentUtil.TIMED_OUT, msg, now));
      }
    }
    DeploymentCondition failure = replicaFailure(all, newRS);
    if (failure != null) {
      DeploymentUtil.setCondition(next, failure);
    } else {
      DeploymentUtil.removeCondition(next, DeploymentUtil.REPLICA_FAILURE);
    }
    if (sameStatus(status(), next)) {
      requeueStuckDeployment(next);
      return;
    }
    d.setStatus(next);
    actions.add(new UpdateStatus(statusWrite()));
  }

  /** getReplicaFailures: the ReplicaFailure condition of the new ReplicaSet, else of an old one. */
  private DeploymentCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newRS) {
    List<ReplicaSet> order = new ArrayList<>();
    if (newRS != null) {
      order.add(newRS);
    }
    for (ReplicaSet rs : all) {
      if (rs != null && rs != newRS) {
        order.add(rs);
      }
    }
    for (ReplicaSet rs : order) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if ("ReplicaFailure".equals(c.getType())) {
          return new DeploymentConditionBuilder().withType(DeploymentUtil.REPLICA_FAILURE).withStatus(c.getStatus())
              .withReason(c.getReason()).withMessage(c.getMessage()).withLastUpdateTime(c.getLastTransitionTime())
              .withLastTransitionTime(c.getLastTransitionTime()).build();
        }
      }
    }
    return null;
  }

  /** requeueStuckDeployment: check again when the progress deadline would pass. */
  private void requeueStuckDeployment(DeploymentStatus next) {
    DeploymentCondition current = DeploymentUtil.condition(status(), DeploymentUtil.PROGRESSING);
    if (!DeploymentUtil.hasProgressDeadline(d) || current == null) {
      return;
    }
    if (DeploymentUtil.complete(d, next) || DeploymentUtil.TIMED_OUT.equals(current.getReason())) {
      return;
    }
    Instant last = Times.parse(current.getLastUpdateTime());
    Duration after = Duration.between(now, last.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      log.v(4, "Queueing up deployment for a progress check now", "deployment", key);
      actions.add(new RequeueRateLimited());
      return;
    }
    log.v(4, "Queueing up deployment for a progress check", "deployment", key, "queueAfter", after.getSeconds());
    // A second more, against clock skew (kubernetes#39785).
    actions.add(new RequeueAfter(after.plusSeconds(1)));
  }
}
