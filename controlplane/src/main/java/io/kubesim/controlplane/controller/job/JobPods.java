package io.kubesim.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Pod and condition helpers of the Job controller (pkg/controller/job, pkg/controller/controller_utils.go). */
public final class JobPods {

  /** batch.JobTrackingFinalizer: a pod keeps it until the controller has counted it. */
  public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  /** batch.JobCompletionIndexAnnotation, also the label name (PodIndexLabel, GA). */
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  public static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
  public static final String INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
  public static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
  /** The built-in controller's name in spec.managedBy (JobControllerName). */
  public static final String JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";

  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String FAILURE_TARGET = "FailureTarget";
  public static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  public static final String SUSPENDED = "Suspended";

  private JobPods() {}

  public static boolean hasTrackingFinalizer(Pod p) {
    List<String> f = p.getMetadata().getFinalizers();
    return f != null && f.contains(TRACKING_FINALIZER);
  }

  /** getCompletionIndex: the annotation as a non-negative integer, or -1. */
  public static int completionIndex(Pod p) {
    Map<String, String> ann = p.getMetadata().getAnnotations();
    String v = ann == null ? null : ann.get(COMPLETION_INDEX);
    if (v == null) {
      return -1;
    }
    try {
      int i = Integer.parseInt(v);
      return i < 0 ? -1 : i;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int annotationInt(Pod p, String key) {
    Map<String, String> ann = p.getMetadata().getAnnotations();
    String v = ann == null ? null : ann.get(key);
    if (v == null) {
      return 0;
    }
    try {
      int i = Integer.parseInt(v);
      return i < 0 ? 0 : i;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static boolean isIndexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode());
  }

  public static boolean suspended(Job job) {
    return Boolean.TRUE.equals(job.getSpec().getSuspend());
  }

  /**
   * onlyReplaceFailedPods: podReplacementPolicy Failed (or a pod failure policy) waits for a
   * terminating pod to reach a terminal phase before replacing it.
   */
  public static boolean onlyReplaceFailedPods(Job job) {
    return "Failed".equals(job.getSpec().getPodReplacementPolicy()) || job.getSpec().getPodFailurePolicy() != null;
  }

  /**
   * isPodFailed: phase Failed; or, unless only failed pods are replaced, being deleted without
   * having succeeded (an orphan may never reach Failed).
   */
  public static boolean isPodFailed(Pod p, Job job) {
    String phase = Pods.phase(p);
    if ("Failed".equals(phase)) {
      return true;
    }
    if (onlyReplaceFailedPods(job)) {
      return false;
    }
    return Pods.terminating(p) && !"Succeeded".equals(phase);
  }

  /** CountTerminatingPods: being deleted and not yet terminal. */
  public static int countTerminating(List<Pod> pods) {
    int n = 0;
    for (Pod p : pods) {
      String phase = Pods.phase(p);
      if (Pods.terminating(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        n++;
      }
    }
    return n;
  }

  private static final Map<String, Integer> PHASE = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  /**
   * controller.ActivePods: unassigned before assigned, Pending before Unknown before Running, not
   * ready before ready, ready for less time first, more restarts first, newer first.
   */
  public static final Comparator<Pod> ACTIVE_ORDER = (a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0;

  private static boolean less(Pod i, Pod j) {
    String ni = Pods.nodeName(i);
    String nj = Pods.nodeName(j);
    if (!ni.equals(nj) && (ni.isEmpty() || nj.isEmpty())) {
      return ni.isEmpty();
    }
    int pi = PHASE.getOrDefault(Pods.phase(i), 0);
    int pj = PHASE.getOrDefault(Pods.phase(j), 0);
    if (pi != pj) {
      return pi < pj;
    }
    boolean ri = Pods.isReady(i);
    boolean rj = Pods.isReady(j);
    if (ri != rj) {
      return !ri;
    }
    if (ri) {
      Instant ti = Pods.readySince(i);
      Instant tj = Pods.readySince(j);
      if (!Objects.equals(ti, tj)) {
        return afterOrZero(ti, tj);
      }
    }
    int ci = Pods.maxRestarts(i);
    int cj = Pods.maxRestarts(j);
    if (ci != cj) {
      return ci > cj;
    }
    Instant ti = Times.parse(i.getMetadata().getCreationTimestamp());
    Instant tj = Times.parse(j.getMetadata().getCreationTimestamp());
    if (!Objects.equals(ti, tj)) {
      return afterOrZero(ti, tj);
    }
    return false;
  }

  private static boolean afterOrZero(Instant t1, Instant t2) {
    if (t1 == null || t2 == null) {
      return t1 == null;
    }
    return t1.isAfter(t2);
  }

  public static final Comparator<Pod> BY_COMPLETION_INDEX = Comparator.comparingInt(JobPods::completionIndex);

  /**
   * activePodsForRemoval: for an Indexed Job, pods with duplicated, invalid or missing indexes
   * first; then the most removable of the rest ({@link #ACTIVE_ORDER}) up to {@code rmAtLeast}.
   */
  public static List<Pod> activePodsForRemoval(Job job, List<Pod> pods, int rmAtLeast) {
    List<Pod> rm = new ArrayList<>();
    List<Pod> left = new ArrayList<>();
    if (isIndexed(job)) {
      int completions = job.getSpec().getCompletions() == null ? 0 : job.getSpec().getCompletions();
      List<Pod> sorted = new ArrayList<>(pods);
      sorted.sort(BY_COMPLETION_INDEX);
      int i = 0;
      while (i < sorted.size()) {
        int ix = completionIndex(sorted.get(i));
        if (ix >= completions) {
          rm.addAll(sorted.subList(i, sorted.size()));
          break;
        }
        int j = i;
        while (j < sorted.size() && completionIndex(sorted.get(j)) == ix) {
          j++;
        }
        List<Pod> same = new ArrayList<>(sorted.subList(i, j));
        if (ix < 0) {
          rm.addAll(same);
        } else if (same.size() == 1) {
          left.add(same.get(0));
        } else {
          same.sort(ACTIVE_ORDER);
          rm.addAll(same.subList(0, same.size() - 1));
          left.add(same.get(same.size() - 1));
        }
        i = j;
      }
    } else {
      left.addAll(pods);
    }
    if (rm.size() < rmAtLeast) {
      left.sort(ACTIVE_ORDER);
      rm.addAll(left.subList(0, Math.min(left.size(), rmAtLeast - rm.size())));
    }
    return rm;
  }

  // ---------------------------------------------------------------- conditions

  public static JobCondition condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static boolean conditionTrue(Job job, String type) {
    JobCondition c = condition(job, type);
    return c != null && "True".equals(c.getStatus());
  }

  /** IsJobFinished: a Complete or Failed condition that is True. */
  public static boolean isFinished(Job job) {
    return conditionTrue(job, COMPLETE) || conditionTrue(job, FAILED);
  }

  /** The type of the True Complete or Failed condition, or null. */
  public static String finishedType(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if ((COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus())) {
        return c.getType();
      }
    }
    return null;
  }

  public static JobCondition newCondition(String type, String status, String reason, String message, Instant now) {
    String t = Times.rfc3339(now);
    return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastProbeTime(t).withLastTransitionTime(t).build();
  }

  /**
   * ensureJobConditionStatus: updates the condition of the type if its status, reason or message
   * differ; appends it if missing, unless it would be appended as False. Returns whether the list changed.
   */
  public static boolean ensureCondition(List<JobCondition> list, String type, String status, String reason,
      String message, Instant now) {
    for (int i = 0; i < list.size(); i++) {
      JobCondition c = list.get(i);
      if (type.equals(c.getType())) {
        if (!Objects.equals(c.getStatus(), status) || !Objects.equals(nz(c.getReason()), nz(reason))
            || !Objects.equals(nz(c.getMessage()), nz(message))) {
          list.set(i, newCondition(type, status, reason, message, now));
          return true;
        }
        return false;
      }
    }
    if (!"False".equals(status)) {
      list.add(newCondition(type, status, reason, message, now));
      return true;
    }
    return false;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
