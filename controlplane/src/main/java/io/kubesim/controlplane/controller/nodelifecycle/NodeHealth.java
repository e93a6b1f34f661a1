package io.kubesim.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The heartbeat bookkeeping of node_lifecycle_controller.go tryUpdateNodeHealth, as a pure
 * function: what the controller last saw of a node, when it saw it (its own clock, never the
 * kubelet's timestamps), and whether the node has been silent longer than its grace period.
 */
public final class NodeHealth {

  /** The four conditions that turn Unknown when the kubelet goes silent; NetworkUnavailable is left alone. */
  static final List<String> UNKNOWN_ON_SILENCE = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  private NodeHealth() {}

  /**
   * nodeHealthData: the status last observed, the controller's time of the last sign of life
   * ({@code probeTimestamp}) and of the last Ready transition, and the lease last observed.
   * {@code ready} is the status's Ready condition, found once per status: the 5 s pass over every
   * node reads it from here while the status is the same object.
   */
  public record Data(Instant probeTimestamp, Instant readyTransitionTimestamp, NodeStatus status, Lease lease,
      NodeCondition ready) {
    public Data(Instant probeTimestamp, Instant readyTransitionTimestamp, NodeStatus status, Lease lease) {
      this(probeTimestamp, readyTransitionTimestamp, status, lease, condition(status, "Ready"));
    }
  }

  /** How a condition that the kubelet stopped updating is reported, for the controller's log. */
  public record Stale(String conditionType, NodeCondition current, boolean neverUpdated) {}

  /**
   * The outcome of one evaluation.
   *
   * @param health what to remember now (before any write)
   * @param gracePeriod the node's grace period (startup grace for a node that never posted)
   * @param observedReady the Ready condition as the kubelet last left it (a fake Unknown one when
   *     there is none)
   * @param currentReady the Ready condition after this evaluation, or null if the node has none
   * @param statusToWrite the node status to write (conditions turned Unknown), or null
   * @param healthAfterWrite what to remember once that write succeeded
   * @param stale the conditions reported as not updated (for the log)
   * @param firstSeen whether the node was seen for the first time ("Missing timestamp")
   * @param readyConditionAppeared whether the Ready condition appeared since the last look
   */
  public record Evaluation(Data health, Duration gracePeriod, NodeCondition observedReady,
      NodeCondition currentReady, NodeStatus statusToWrite, Data healthAfterWrite, List<Stale> stale,
      boolean firstSeen, boolean readyConditionAppeared) {}

  public static NodeCondition condition(NodeStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    for (NodeCondition c : status.getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  private static java.time.ZonedDateTime renewTime(Lease l) {
    return l == null || l.getSpec() == null ? null : l.getSpec().getRenewTime();
  }

  /** Whether {@code observed} is a sign of life after {@code saved}: the first lease seen, or a later renewTime. */
  private static boolean renewed(Lease saved, Lease observed) {
    if (saved == null) {
      return true;
    }
    // The instants compared as they are (isBefore compares epoch seconds, then nanoseconds), without
    // making an Instant of each: this runs for every renewal the 5 s pass sees.
    java.time.ZonedDateTime savedRenew = renewTime(saved);
    java.time.ZonedDateTime observedRenew = renewTime(observed);
    return savedRenew != null && observedRenew != null && savedRenew.isBefore(observedRenew);
  }

  /**
   * Evaluates a node at the controller's {@code now}: refreshes the probe timestamp when the
   * Ready heartbeat or the lease's renewTime moved, and past the grace period marks Ready,
   * MemoryPressure, DiskPressure and PIDPressure Unknown (reason NodeStatusUnknown, or
   * NodeStatusNeverUpdated for a condition the kubelet never posted).
   */
  public static Evaluation evaluate(Node node, Data saved, Lease observedLease, Instant now, Duration monitorGrace,
      Duration startupGrace) {
    if (saved != null && observedLease != null && node.getStatus() != null && saved.status() == node.getStatus()) {
      // The status is the very object remembered: no heartbeat since, so of what follows only the
      // lease can change what is remembered, and only time can make the node stale. (The common
      // case: most passes see no new status, half of them a renewed lease.)
      NodeCondition ready = saved.ready();
      if (ready != null) {
        Data health = saved.lease() == observedLease || !renewed(saved.lease(), observedLease) ? saved
            : new Data(now, saved.readyTransitionTimestamp(), saved.status(), observedLease, ready);
        if (!now.isAfter(health.probeTimestamp().plus(monitorGrace))) {
          return new Evaluation(health, monitorGrace, ready, ready, null, null, List.of(), false, false);
        }
      }
    }
    NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    NodeCondition currentReady = condition(status, "Ready");
    NodeCondition observedReady;
    Duration grace;
    Data health = saved;
    boolean firstSeen = false;
    boolean appeared = false;
    if (currentReady == null) {
      // The kubelet never posted: pretend Unknown since creation and give it the startup grace.
      observedReady = new NodeConditionBuilder().withType("Ready").withStatus("Unknown")
          .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
          .withLastTransitionTime(node.getMetadata().getCreationTimestamp()).build();
      grace = startupGrace;
      if (health != null) {
        health = new Data(health.probeTimestamp(), health.readyTransitionTimestamp(), status, health.lease());
      } else {
        Instant created = Times.parse(node.getMetadata().getCreationTimestamp());
        health = new Data(created, created, status, null);
      }
    } else {
      // Read only: the cached condition itself (a copy is made only for a write).
      observedReady = currentReady;
      grace = monitorGrace;
    }
    NodeCondition savedReady = saved == null ? null : saved.ready();
    Lease savedLease = saved == null ? null : saved.lease();
    if (health == null) {
      firstSeen = true;
      health = new Data(now, now, status, null);
    } else if (savedReady == null && currentReady != null) {
      appeared = true;
      health = new Data(now, now, status, null);
    } else if (savedReady != null && currentReady == null) {
      health = new Data(now, now, status, null);
    } else if (savedReady != null && !Objects.equals(savedReady.getLastHeartbeatTime(),
        currentReady.getLastHeartbeatTime())) {
      Instant transition = !Objects.equals(savedReady.getLastTransitionTime(), currentReady.getLastTransitionTime())
          ? now : health.readyTransitionTimestamp();
      health = new Data(now, transition, status, null);
    }
    // A renewed lease is a sign of life too; a kubelet that renews but never posts status counts as
    // healthy. As in Go, an entry recreated above has forgotten its lease, so the next look at an
    // unchanged lease counts it as new once more.
    if (observedLease != null && renewed(savedLease, observedLease)) {
      health = new Data(now, health.readyTransitionTimestamp(), health.status(), observedLease, health.ready());
    }

    List<Stale> stale = new ArrayList<>();
    if (now.isAfter(health.probeTimestamp().plus(grace))) {
      String nowTs = Times.rfc3339(now);
      List<NodeCondition> conditions = new ArrayList<>();
      if (status.getConditions() != null) {
        for (NodeCondition c : status.getConditions()) {
          conditions.add(new NodeConditionBuilder(c).build());
        }
      }
      for (String type : UNKNOWN_ON_SILENCE) {
        NodeCondition current = null;
        for (NodeCondition c : conditions) {
          if (type.equals(c.getType())) {
            current = c;
            break;
          }
        }
        if (current == null) {
          stale.add(new Stale(type, null, true));
          conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
              .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
              .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp()).withLastTransitionTime(nowTs)
              .build());
        } else {
          stale.add(new Stale(type, current, false));
          if (!"Unknown".equals(current.getStatus())) {
            current.setStatus("Unknown");
            current.setReason("NodeStatusUnknown");
            current.setMessage("Kubelet stopped posting node status.");
            current.setLastTransitionTime(nowTs);
          }
        }
      }
      NodeStatus updated = new NodeStatusBuilder(status).withConditions(conditions).build();
      NodeCondition newReady = condition(updated, "Ready");
      if (!Objects.equals(newReady, observedReady)) {
        Data after = new Data(health.probeTimestamp(), now, updated, observedLease);
        Data before = new Data(health.probeTimestamp(), health.readyTransitionTimestamp(), updated, health.lease());
        return new Evaluation(before, grace, observedReady, newReady, updated, after, stale, firstSeen, appeared);
      }
      return new Evaluation(health, grace, observedReady, currentReady, null, null, stale, firstSeen, appeared);
    }
    return new Evaluation(health, grace, observedReady, currentReady, null, null, stale, firstSeen, appeared);
  }
}
