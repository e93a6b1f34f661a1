package io.kubesim.controlplane.controller.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** pkg/controller/replicaset/replica_set_utils.go: a ReplicaSet's status from its active pods. */
public final class ReplicaSetStatuses {

  public static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatuses() {}

  /**
   * calculateStatus: replicas, fullyLabeledReplicas (pods carrying every template label),
   * readyReplicas, availableReplicas (ready for minReadySeconds), and the ReplicaFailure condition,
   * set (FailedCreate or FailedDelete, with the error) when managing replicas failed and cleared
   * when it succeeds.
   */
  public static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> activePods, String manageError, Instant now) {
    ReplicaSetStatus status = rs.getStatus() == null ? new ReplicaSetStatus()
        : new ReplicaSetStatusBuilder(rs.getStatus()).build();
    Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
        || rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
        : rs.getSpec().getTemplate().getMetadata().getLabels();
    LabelSelector templateSelector = LabelSelector.fromSet(templateLabels);
    int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : activePods) {
      if (templateSelector.matches(p.getMetadata().getLabels())) {
        fullyLabeled++;
      }
      if (Pods.isReady(p)) {
        ready++;
        if (Pods.isAvailable(p, minReady, now)) {
          available++;
        }
      }
    }
    ReplicaSetCondition failure = condition(status, REPLICA_FAILURE);
    if (manageError != null && failure == null) {
      int diff = activePods.size() - rs.getSpec().getReplicas();
      String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
      setCondition(status, new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE).withStatus("True")
          .withReason(reason).withMessage(manageError).withLastTransitionTime(Times.rfc3339(now)).build());
    } else if (manageError == null && failure != null) {
      List<ReplicaSetCondition> kept = new ArrayList<>(status.getConditions());
      kept.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
      status.setConditions(kept);
    }
    // replicas is always written; the other counts are omitempty in Go, absent when zero.
    status.setReplicas(activePods.size());
    status.setFullyLabeledReplicas(fullyLabeled == 0 ? null : fullyLabeled);
    status.setReadyReplicas(ready == 0 ? null : ready);
    status.setAvailableReplicas(available == 0 ? null : available);
    return status;
  }

  public static ReplicaSetCondition condition(ReplicaSetStatus status, String type) {
    if (status.getConditions() == null) {
      return null;
    }
    for (ReplicaSetCondition c : status.getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** SetCondition: no change for the same status and reason; otherwise replaces the condition at the end. */
  static void setCondition(ReplicaSetStatus status, ReplicaSetCondition c) {
    ReplicaSetCondition current = condition(status, c.getType());
    if (current != null && Objects.equals(current.getStatus(), c.getStatus())
        && Objects.equals(current.getReason(), c.getReason())) {
      return;
    }
    List<ReplicaSetCondition> out = new ArrayList<>();
    if (status.getConditions() != null) {
      for (ReplicaSetCondition x : status.getConditions()) {
        if (!c.getType().equals(x.getType())) {
          out.add(x);
        }
      }
    }
    out.add(c);
    status.setConditions(out);
  }

  /** updateReplicaSetStatus's steady state: nothing to write. */
  public static boolean unchanged(ReplicaSet rs, ReplicaSetStatus next) {
    ReplicaSetStatus cur = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
    return n(cur.getReplicas()) == n(next.getReplicas())
        && n(cur.getFullyLabeledReplicas()) == n(next.getFullyLabeledReplicas())
        && n(cur.getReadyReplicas()) == n(next.getReadyReplicas())
        && n(cur.getAvailableReplicas()) == n(next.getAvailableReplicas())
        && n(rs.getMetadata().getGeneration()) == n(cur.getObservedGeneration())
        && Objects.equals(emptyToNull(cur.getConditions()), emptyToNull(next.getConditions()));
  }

  private static <T> List<T> emptyToNull(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }

  static long n(Number v) {
    return v == null ? 0 : v.longValue();
  }
}
