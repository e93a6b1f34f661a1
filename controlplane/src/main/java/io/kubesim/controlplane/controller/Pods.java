package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Pod helpers the controllers share, as pkg/api/v1/pod and pkg/controller/controller_utils.go. */
public final class Pods {

  public static final String READY = "Ready";
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  private Pods() {}

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
  }

  public static String nodeName(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
  }

  public static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** IsPodActive: not Succeeded, not Failed, not being deleted. */
  public static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !terminating(pod);
  }

  public static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static boolean isReady(Pod pod) {
    PodCondition c = condition(pod, READY);
    return c != null && "True".equals(c.getStatus());
  }

  /** When the Ready condition last became True, or null. */
  public static Instant readySince(Pod pod) {
    PodCondition c = condition(pod, READY);
    return c != null && "True".equals(c.getStatus()) ? Times.parse(c.getLastTransitionTime()) : null;
  }

  /**
   * IsPodAvailable: ready, and ready for at least {@code minReadySeconds} (strictly longer, as Go
   * compares with Before).
   */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    Instant since = readySince(pod);
    return since != null && since.plus(Duration.ofSeconds(minReadySeconds)).isBefore(now);
  }

  public static int maxRestarts(Pod pod) {
    int max = 0;
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (var cs : pod.getStatus().getContainerStatuses()) {
        if (cs.getRestartCount() != null) {
          max = Math.max(max, cs.getRestartCount());
        }
      }
    }
    return max;
  }

  /**
   * pkg/api/v1/pod UpdatePodCondition: sets the condition in a copy of the status; the transition
   * time moves only when the status changes. Returns the new status, or null if nothing changed.
   */
  public static PodStatus withCondition(PodStatus status, PodCondition condition, Instant now) {
    PodStatus copy = new io.fabric8.kubernetes.api.model.PodStatusBuilder(status == null ? new PodStatus() : status)
        .build();
    List<PodCondition> conditions = new ArrayList<>(copy.getConditions() == null ? List.of() : copy.getConditions());
    PodCondition c = new PodConditionBuilder(condition).withLastTransitionTime(Times.rfc3339(now)).build();
    for (int i = 0; i < conditions.size(); i++) {
      PodCondition old = conditions.get(i);
      if (Objects.equals(old.getType(), c.getType())) {
        if (Objects.equals(c.getStatus(), old.getStatus())) {
          c.setLastTransitionTime(old.getLastTransitionTime());
        }
        boolean same = Objects.equals(c.getStatus(), old.getStatus()) && Objects.equals(c.getReason(), old.getReason())
            && Objects.equals(c.getMessage(), old.getMessage())
            && Objects.equals(c.getLastProbeTime(), old.getLastProbeTime())
            && Objects.equals(c.getLastTransitionTime(), old.getLastTransitionTime());
        if (same) {
          return null;
        }
        conditions.set(i, c);
        copy.setConditions(conditions);
        return copy;
      }
    }
    conditions.add(c);
    copy.setConditions(conditions);
    return copy;
  }

  /**
   * The keys of the Services of the pod's namespace whose selector matches the pod, or matched it
   * before this change ({@code old}, or null): the Services an endpoints controller must sync
   * (getPodServiceMemberships, with the old labels as in its updatePod).
   */
  public static Set<String> servicesSelecting(Informer<Service> services, Pod pod, Pod old) {
    Set<String> keys = new LinkedHashSet<>();
    for (Service s : services.list(pod.getMetadata().getNamespace())) {
      Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      LabelSelector sel = LabelSelector.fromSet(selector);
      if (sel.matches(pod.getMetadata().getLabels()) || (old != null && sel.matches(old.getMetadata().getLabels()))) {
        keys.add(Informer.key(s));
      }
    }
    return keys;
  }
}
