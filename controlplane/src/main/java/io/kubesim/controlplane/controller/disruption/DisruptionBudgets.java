package io.kubesim.controlplane.controller.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kubesim.controlplane.controller.IntOrPercent;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The disruption controller's arithmetic (pkg/controller/disruption/disruption.go) as pure
 * functions: how many pods a budget expects, how many must stay healthy, how many are, and how
 * many may be disrupted.
 */
public final class DisruptionBudgets {

  public static final String DISRUPTION_ALLOWED = "DisruptionAllowed";
  public static final String SUFFICIENT_PODS = "SufficientPods";
  public static final String INSUFFICIENT_PODS = "InsufficientPods";
  public static final String SYNC_FAILED = "SyncFailed";

  private DisruptionBudgets() {}

  /** A pod's controller as a finder reports it: its uid (a Deployment's for its ReplicaSets) and scale. */
  public record ControllerScale(String uid, int scale) {}

  /** The counts of one sync; {@code error} set when the expected count could not be computed. */
  public record Counts(int expectedPods, int desiredHealthy, List<String> unmanagedPods, String error) {}

  /**
   * getExpectedPodCount: with maxUnavailable, the pods' controllers' scale minus maxUnavailable
   * (rounded up); with an integer minAvailable, that number against the matching pods; with a
   * percentage minAvailable, that share (rounded up) of the controllers' scale.
   */
  public static Counts expected(PodDisruptionBudget pdb, List<Pod> pods,
      Function<OwnerReference, ControllerScale> finder) {
    var spec = pdb.getSpec();
    if (spec.getMaxUnavailable() != null) {
      Scale s = expectedScale(pods, finder, pdb.getMetadata().getNamespace());
      if (s.error != null) {
        return new Counts(0, 0, s.unmanaged, s.error);
      }
      int maxUnavailable = IntOrPercent.scaled(spec.getMaxUnavailable(), s.count, true);
      return new Counts(s.count, Math.max(0, s.count - maxUnavailable), s.unmanaged, null);
    }
    if (spec.getMinAvailable() != null) {
      if (!IntOrPercent.isPercent(spec.getMinAvailable())) {
        return new Counts(pods.size(), spec.getMinAvailable().getIntVal(), List.of(), null);
      }
      Scale s = expectedScale(pods, finder, pdb.getMetadata().getNamespace());
      if (s.error != null) {
        return new Counts(0, 0, s.unmanaged, s.error);
      }
      return new Counts(s.count, IntOrPercent.scaled(spec.getMinAvailable(), s.count, true), s.unmanaged, null);
    }
    return new Counts(0, 0, List.of(), null);
  }

  private record Scale(int count, List<String> unmanaged, String error) {}

  /** getExpectedScale: the sum of the scales of the pods' distinct controllers. */
  private static Scale expectedScale(List<Pod> pods, Function<OwnerReference, ControllerScale> finder, String ns) {
    Map<String, Integer> scales = new LinkedHashMap<>();
    Map<String, Boolean> seenRefs = new LinkedHashMap<>();
    List<String> unmanaged = new ArrayList<>();
    for (Pod p : pods) {
      OwnerReference ref = Owners.controllerOf(p);
      if (ref == null) {
        unmanaged.add(p.getMetadata().getName());
        continue;
      }
      if (seenRefs.containsKey(ref.getUid())) {
        continue;
      }
      ControllerScale cs = finder.apply(ref);
      if (cs == null) {
        return new Scale(0, unmanaged, "found no controllers for pod \"" + p.getMetadata().getName() + "\"");
      }
      seenRefs.put(ref.getUid(), true);
      scales.put(cs.uid(), cs.scale());
    }
    int total = 0;
    for (int s : scales.values()) {
      total += s;
    }
    return new Scale(total, unmanaged, null);
  }

  /** buildDisruptedPodMap's result: the entries still in force, and when to look again. */
  public record Disrupted(Map<String, String> pods, Instant recheck, List<String> overdue) {}

  /**
   * buildDisruptedPodMap: an evicted pod counts as disrupted until it is being deleted, or until
   * {@code timeout} after its eviction, when it is reported (NotDeleted) and counted again.
   */
  public static Disrupted disrupted(PodDisruptionBudget pdb, List<Pod> pods, Instant now, Duration timeout) {
    Map<String, String> current = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptedPods();
    Map<String, String> result = new TreeMap<>();
    List<String> overdue = new ArrayList<>();
    Instant recheck = null;
    if (current == null) {
      return new Disrupted(result, null, overdue);
    }
    for (Pod p : pods) {
      if (Pods.terminating(p)) {
        continue;
      }
      String at = current.get(p.getMetadata().getName());
      if (at == null) {
        continue;
      }
      Instant expected = Times.parse(at).plus(timeout);
      if (expected.isBefore(now)) {
        overdue.add(p.getMetadata().getName());
      } else {
        if (recheck == null || expected.isBefore(recheck)) {
          recheck = expected;
        }
        result.put(p.getMetadata().getName(), at);
      }
    }
    return new Disrupted(result, recheck, overdue);
  }

  /** countHealthyPods: ready pods not being deleted and not recently disrupted. */
  public static int currentHealthy(List<Pod> pods, Map<String, String> disrupted, Instant now, Duration timeout) {
    int healthy = 0;
    for (Pod p : pods) {
      if (Pods.terminating(p)) {
        continue;
      }
      String at = disrupted.get(p.getMetadata().getName());
      if (at != null && Times.parse(at).plus(timeout).isAfter(now)) {
        continue;
      }
      if (Pods.isReady(p)) {
        healthy++;
      }
    }
    return healthy;
  }

  /** updatePdbStatus' arithmetic: no disruption allowed while no pods are expected. */
  public static int disruptionsAllowed(int currentHealthy, int desiredHealthy, int expected) {
    int allowed = currentHealthy - desiredHealthy;
    return expected <= 0 || allowed <= 0 ? 0 : allowed;
  }

  static Condition condition(PodDisruptionBudgetStatus s) {
    if (s == null || s.getConditions() == null) {
      return null;
    }
    for (Condition c : s.getConditions()) {
      if (DISRUPTION_ALLOWED.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** pdbhelper.ConditionsAreUpToDate. */
  static boolean conditionsUpToDate(PodDisruptionBudget pdb) {
    Condition c = condition(pdb.getStatus());
    if (c == null) {
      return false;
    }
    long gen = pdb.getMetadata().getGeneration() == null ? 0 : pdb.getMetadata().getGeneration();
    long observed = pdb.getStatus().getObservedGeneration() == null ? 0 : pdb.getStatus().getObservedGeneration();
    if (gen != observed) {
      return false;
    }
    int allowed = pdb.getStatus().getDisruptionsAllowed() == null ? 0 : pdb.getStatus().getDisruptionsAllowed();
    return allowed > 0 ? "True".equals(c.getStatus()) && SUFFICIENT_PODS.equals(c.getReason())
        : "False".equals(c.getStatus()) && INSUFFICIENT_PODS.equals(c.getReason());
  }

  /** apimeta.SetStatusCondition: the transition time moves only when the status does. */
  static void setCondition(PodDisruptionBudgetStatus s, String status, String reason, String message,
      Long observedGeneration, Instant now) {
    List<Condition> conditions = new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
    Condition existing = null;
    int idx = -1;
    for (int i = 0; i < conditions.size(); i++) {
      if (DISRUPTION_ALLOWED.equals(conditions.get(i).getType())) {
        existing = conditions.get(i);
        idx = i;
      }
    }
    if (existing == null) {
      conditions.add(new ConditionBuilder().withType(DISRUPTION_ALLOWED).withStatus(status).withReason(reason)
          .withMessage(message).withObservedGeneration(observedGeneration)
          .withLastTransitionTime(Times.rfc3339(now)).build());
    } else {
      ConditionBuilder b = new ConditionBuilder(existing).withReason(reason).withMessage(message)
          .withObservedGeneration(observedGeneration);
      if (!Objects.equals(existing.getStatus(), status)) {
        b.withStatus(status).withLastTransitionTime(Times.rfc3339(now));
      }
      conditions.set(idx, b.build());
    }
    s.setConditions(conditions);
  }
}
