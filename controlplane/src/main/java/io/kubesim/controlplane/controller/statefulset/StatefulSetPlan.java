package io.kubesim.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.kubesim.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One pass of pkg/controller/statefulset/stateful_set_control.go updateStatefulSet, as a pure
 * decision: which pods to create and delete now. With podManagementPolicy OrderedReady
 * ("monotonic") the pass stops at its first create or delete, and waits while a lower ordinal is
 * not Running and Ready (or is terminating): pods come up 0, 1, 2 ... and go down from the highest
 * ordinal. With Parallel every missing pod is created and every condemned one deleted at once.
 * Failed and Succeeded pods are deleted to be recreated. A RollingUpdate then deletes, from the
 * highest ordinal down to the partition, one pod not of the update revision at a time, once every
 * other pod is healthy.
 */
public final class StatefulSetPlan {

  public enum Action { CREATE, DELETE }

  /** A pod to create (built, named and labelled) or to delete. */
  public record Step(Action action, Pod pod) {
    public String podName() {
      return pod.getMetadata().getName();
    }
  }

  /** The steps in order, and what the pass stopped for, if it did (for the log). */
  public record Plan(List<Step> steps, String waitingFor) {}

  /** The two revisions: their names and the templates they carry. */
  public record Revisions(String current, PodTemplateSpec currentTemplate, String update,
      PodTemplateSpec updateTemplate) {}

  private StatefulSetPlan() {}

  private static boolean monotonic(StatefulSet set) {
    return !"Parallel".equals(set.getSpec().getPodManagementPolicy());
  }

  private static boolean rollingUpdate(StatefulSet set) {
    return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
        || "RollingUpdate".equals(set.getSpec().getUpdateStrategy().getType());
  }

  static int partition(StatefulSet set) {
    var s = set.getSpec().getUpdateStrategy();
    return s == null || s.getRollingUpdate() == null || s.getRollingUpdate().getPartition() == null ? 0
        : s.getRollingUpdate().getPartition();
  }

  static int minReadySeconds(StatefulSet set) {
    return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
  }

  /**
   * newVersionedStatefulSetPod: below the partition (or, with no rollingUpdate block, below the
   * current replica count) a pod is made from the current revision, else from the update revision.
   */
  static Pod versionedPod(StatefulSet set, Revisions r, int ordinal) {
    int start = StatefulPods.startOrdinal(set);
    boolean current = false;
    if (rollingUpdate(set)) {
      var s = set.getSpec().getUpdateStrategy();
      if (s == null || s.getRollingUpdate() == null) {
        int currentReplicas = set.getStatus() == null || set.getStatus().getCurrentReplicas() == null ? 0
            : set.getStatus().getCurrentReplicas();
        current = ordinal < start + currentReplicas;
      } else {
        current = ordinal < start + partition(set);
      }
    }
    return current ? StatefulPods.newPod(set, r.currentTemplate(), ordinal, r.current())
        : StatefulPods.newPod(set, r.updateTemplate(), ordinal, r.update());
  }

  public static Plan plan(StatefulSet set, List<Pod> pods, Revisions r, Instant now) {
    int start = StatefulPods.startOrdinal(set);
    int replicaCount = StatefulPods.replicas(set);
    Pod[] replicas = new Pod[replicaCount];
    List<Pod> condemned = new ArrayList<>();
    for (Pod p : pods) {
      int ord = StatefulPods.ordinal(p);
      if (ord >= start && ord < start + replicaCount) {
        replicas[ord - start] = p;
      } else if (ord >= 0) {
        condemned.add(p);
      }
    }
    condemned.sort(Comparator.comparingInt(StatefulPods::ordinal).reversed());
    List<Step> steps = new ArrayList<>();
    if (set.getMetadata().getDeletionTimestamp() != null) {
      return new Plan(steps, null);
    }
    boolean monotonic = monotonic(set);
    int minReady = minReadySeconds(set);
    Pod firstUnhealthy = null;
    for (Pod p : replicas) {
      if (p != null && !StatefulPods.isHealthy(p)) {
        firstUnhealthy = p;
        break;
      }
    }
    if (firstUnhealthy == null) {
      for (Pod p : condemned) {
        if (!StatefulPods.isHealthy(p)) {
          firstUnhealthy = p;
          break;
        }
      }
    }
    for (int i = 0; i < replicaCount; i++) {
      int ord = start + i;
      Pod p = replicas[i];
      if (p != null && StatefulPods.isTerminal(p) && !Pods.terminating(p)) {
        // A failed (or finished) pod is deleted, then made again at the same ordinal.
        steps.add(new Step(Action.DELETE, p));
        if (monotonic) {
          return new Plan(steps, null);
        }
        continue;
      }
      if (p == null) {
        steps.add(new Step(Action.CREATE, versionedPod(set, r, ord)));
        if (monotonic) {
          return new Plan(steps, null);
        }
        continue;
      }
      if (Pods.terminating(p) && monotonic) {
        return new Plan(steps, "StatefulSet is waiting for Pod to Terminate " + p.getMetadata().getName());
      }
      if (!StatefulPods.isRunningAndReady(p) && monotonic) {
        return new Plan(steps, "StatefulSet is waiting for Pod to be Running and Ready " + p.getMetadata().getName());
      }
      if (!StatefulPods.isRunningAndAvailable(p, minReady, now) && monotonic) {
        return new Plan(steps, "StatefulSet is waiting for Pod to be Available " + p.getMetadata().getName());
      }
    }
    for (Pod p : condemned) {
      if (Pods.terminating(p)) {
        if (monotonic) {
          return new Plan(steps, "StatefulSet is waiting for Pod to Terminate prior to scale down "
              + p.getMetadata().getName());
        }
        continue;
      }
      if (!StatefulPods.isRunningAndReady(p) && monotonic && p != firstUnhealthy) {
        return new Plan(steps, "StatefulSet is waiting for Pod to be Running and Ready prior to scale down "
            + firstUnhealthy.getMetadata().getName());
      }
      steps.add(new Step(Action.DELETE, p));
      if (monotonic) {
        return new Plan(steps, null);
      }
    }
    if (!rollingUpdate(set) || !steps.isEmpty()) {
      return new Plan(steps, null);
    }
    int updateMin = Math.max(0, partition(set));
    for (int target = replicaCount - 1; target >= updateMin; target--) {
      Pod p = replicas[target];
      if (!r.update().equals(StatefulPods.revisionOf(p)) && !Pods.terminating(p)) {
        steps.add(new Step(Action.DELETE, p));
        return new Plan(steps, null);
      }
      if (!StatefulPods.isHealthy(p)) {
        return new Plan(steps, "StatefulSet is waiting for Pod to update " + p.getMetadata().getName());
      }
    }
    return new Plan(steps, null);
  }

  /**
   * computeReplicaStatus and completeRollingUpdate: counts over the set's pods, and the current
   * revision catching up with the update revision once every replica is updated and ready.
   */
  public static StatefulSetStatus status(StatefulSet set, List<Pod> pods, Revisions r, Integer collisionCount,
      Instant now) {
    StatefulSetStatus s = new StatefulSetStatus();
    s.setObservedGeneration(set.getMetadata().getGeneration());
    s.setCurrentRevision(r.current());
    s.setUpdateRevision(r.update());
    s.setCollisionCount(collisionCount == null ? 0 : collisionCount);
    int replicas = 0;
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    int minReady = minReadySeconds(set);
    for (Pod p : pods) {
      if (StatefulPods.isCreated(p)) {
        replicas++;
      }
      if (StatefulPods.isRunningAndReady(p)) {
        ready++;
        if (StatefulPods.isRunningAndAvailable(p, minReady, now)) {
          available++;
        }
      }
      if (StatefulPods.isCreated(p) && !Pods.terminating(p)) {
        String rev = StatefulPods.revisionOf(p);
        if (r.current().equals(rev)) {
          current++;
        }
        if (r.update().equals(rev)) {
          updated++;
        }
      }
    }
    s.setReplicas(replicas);
    s.setReadyReplicas(ready);
    s.setAvailableReplicas(available);
    s.setCurrentReplicas(current);
    s.setUpdatedReplicas(updated);
    if (rollingUpdate(set) && updated == StatefulPods.replicas(set) && ready == StatefulPods.replicas(set)
        && replicas == StatefulPods.replicas(set)) {
      s.setCurrentReplicas(updated);
      s.setCurrentRevision(r.update());
    }
    return s;
  }
}
