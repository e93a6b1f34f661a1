package io.kubesim.controlplane.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;

/**
 * pkg/controller/job/pod_failure_policy.go matchPodFailurePolicy: the first rule whose exit codes
 * (of a terminated container, app containers before init containers, 0 never matching) or pod
 * conditions match a failed pod decides: FailJob ends the Job with a message naming the rule,
 * Ignore does not count the failure against backoffLimit, Count counts it, FailIndex fails the
 * index.
 */
public final class PodFailurePolicies {

  private PodFailurePolicies() {}

  /** The decision: the Job failure message for FailJob, whether the failure counts, the action or null. */
  public record Match(String failJobMessage, boolean countFailed, String action) {
    static final Match NONE = new Match(null, true, null);
  }

  public static Match match(PodFailurePolicy policy, Pod pod) {
    if (policy == null || policy.getRules() == null) {
      return Match.NONE;
    }
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int index = 0; index < rules.size(); index++) {
      PodFailurePolicyRule rule = rules.get(index);
      String action = rule.getAction();
      if (rule.getOnExitCodes() != null) {
        ContainerStatus cs = matchOnExitCodes(pod, rule.getOnExitCodes());
        if (cs == null) {
          continue;
        }
        switch (action) {
          case "Ignore" -> {
            return new Match(null, false, action);
          }
          case "FailIndex", "Count" -> {
            return new Match(null, true, action);
          }
          case "FailJob" -> {
            String msg = "Container " + cs.getName() + " for pod " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName() + " failed with exit code " + cs.getState().getTerminated().getExitCode()
                + " matching FailJob rule at index " + index;
            return new Match(msg, true, action);
          }
          default -> {
          }
        }
      } else if (rule.getOnPodConditions() != null) {
        PodCondition c = matchOnPodConditions(pod, rule.getOnPodConditions());
        if (c == null) {
          continue;
        }
        switch (action) {
          case "Ignore" -> {
            return new Match(null, false, action);
          }
          case "FailIndex", "Count" -> {
            return new Match(null, true, action);
          }
          case "FailJob" -> {
            String msg = "Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                + " has condition " + c.getType() + " matching FailJob rule at index " + index;
            return new Match(msg, true, action);
          }
          default -> {
          }
        }
      }
    }
    return Match.NONE;
  }

  private static ContainerStatus matchOnExitCodes(Pod pod, PodFailurePolicyOnExitCodesRequirement req) {
    if (pod.getStatus() == null) {
      return null;
    }
    ContainerStatus cs = matching(pod.getStatus().getContainerStatuses(), req);
    return cs != null ? cs : matching(pod.getStatus().getInitContainerStatuses(), req);
  }

  private static ContainerStatus matching(List<ContainerStatus> statuses, PodFailurePolicyOnExitCodesRequirement req) {
    if (statuses == null) {
      return null;
    }
    for (ContainerStatus cs : statuses) {
      if (cs.getState() == null || cs.getState().getTerminated() == null) {
        continue;
      }
      if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) {
        continue;
      }
      Integer code = cs.getState().getTerminated().getExitCode();
      if (code == null || code == 0) {
        continue;
      }
      List<Integer> values = req.getValues() == null ? List.of() : req.getValues();
      boolean in = values.contains(code);
      if (("In".equals(req.getOperator()) && in) || ("NotIn".equals(req.getOperator()) && !in)) {
        return cs;
      }
    }
    return null;
  }

  private static PodCondition matchOnPodConditions(Pod pod, List<PodFailurePolicyOnPodConditionsPattern> patterns) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      for (PodFailurePolicyOnPodConditionsPattern p : patterns) {
        String status = p.getStatus() == null || p.getStatus().isEmpty() ? "True" : p.getStatus();
        if (c.getType().equals(p.getType()) && status.equals(c.getStatus())) {
          return c;
        }
      }
    }
    return null;
  }
}
