package io.kubesim.controlplane.http.printers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods as kube-apiserver prints them (pkg/printers/internalversion/printers.go, printPod): READY
 * counts ready containers (restartable init containers included), STATUS is the phase refined by
 * init progress (Init:0/2, Init:CrashLoopBackOff), the last container's waiting or terminated
 * reason (CrashLoopBackOff, Completed, Error), NotReady, Terminating or Unknown, and RESTARTS adds
 * "(5m ago)" after the last restart.
 */
public final class PodPrinter implements Printer {

  /** node.NodeUnreachablePodReason: a pod the node lifecycle controller marked as on an unreachable node. */
  static final String NODE_UNREACHABLE = "NodeLost";

  private static final List<Column> COLUMNS = List.of(Column.nameCol(),
      Column.col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
      Column.col("Status", "string", "The aggregate status of the containers in this pod."),
      Column.col("Restarts", "string", "The number of times the containers in this pod have been restarted and when "
          + "the last container in this pod has restarted."),
      Column.ageCol(),
      Column.wideCol("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty "
          + "if not yet allocated."),
      Column.wideCol("Node", "string", "NodeName indicates in which node this pod is scheduled."),
      Column.wideCol("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on "
          + "the node, but it cannot be scheduled right away as preemption victims receive their graceful "
          + "termination periods."),
      Column.wideCol("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod "
          + "readiness."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public Row row(HasMetadata object, Instant now) {
    Pod pod = (Pod) object;
    PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    int restarts = 0;
    int restartableInitRestarts = 0;
    int totalContainers = size(spec.getContainers());
    int readyContainers = 0;
    Instant lastRestart = null;
    Instant lastRestartableInitRestart = null;

    String phase = status.getPhase() == null ? "" : status.getPhase();
    String reason = phase;
    if (status.getReason() != null && !status.getReason().isEmpty()) {
      reason = status.getReason();
    }
    for (PodCondition c : list(status.getConditions())) {
      if ("PodScheduled".equals(c.getType()) && "SchedulingGated".equals(c.getReason())) {
        reason = "SchedulingGated";
      }
    }
    List<Row.Condition> conditions = switch (phase) {
      case "Succeeded" -> List.of(new Row.Condition("Completed", "True", "Succeeded",
          "The pod has completed successfully."));
      case "Failed" -> List.of(new Row.Condition("Completed", "True", "Failed", "The pod failed."));
      default -> List.of();
    };

    Map<String, Container> initContainers = new HashMap<>();
    for (Container c : list(spec.getInitContainers())) {
      initContainers.put(c.getName(), c);
      if (restartable(c)) {
        totalContainers++;
      }
    }

    boolean initializing = false;
    List<ContainerStatus> initStatuses = list(status.getInitContainerStatuses());
    for (int i = 0; i < initStatuses.size(); i++) {
      ContainerStatus cs = initStatuses.get(i);
      restarts += n(cs.getRestartCount());
      Instant finished = lastFinished(cs);
      if (finished != null && (lastRestart == null || lastRestart.isBefore(finished))) {
        lastRestart = finished;
      }
      boolean restartable = restartable(initContainers.get(cs.getName()));
      if (restartable) {
        restartableInitRestarts += n(cs.getRestartCount());
        if (finished != null && (lastRestartableInitRestart == null || lastRestartableInitRestart.isBefore(finished))) {
          lastRestartableInitRestart = finished;
        }
      }
      var state = cs.getState();
      var terminated = state == null ? null : state.getTerminated();
      var waiting = state == null ? null : state.getWaiting();
      if (terminated != null && n(terminated.getExitCode()) == 0) {
        continue;
      }
      if (restartable && Boolean.TRUE.equals(cs.getStarted())) {
        if (Boolean.TRUE.equals(cs.getReady())) {
          readyContainers++;
        }
        continue;
      }
      if (terminated != null) {
        if (terminated.getReason() == null || terminated.getReason().isEmpty()) {
          reason = n(terminated.getSignal()) != 0 ? "Init:Signal:" + terminated.getSignal()
              : "Init:ExitCode:" + n(terminated.getExitCode());
        } else {
          reason = "Init:" + terminated.getReason();
        }
      } else if (waiting != null && waiting.getReason() != null && !waiting.getReason().isEmpty()
          && !waiting.getReason().equals("PodInitializing")) {
        reason = "Init:" + waiting.getReason();
      } else {
        reason = "Init:" + i + "/" + size(spec.getInitContainers());
      }
      initializing = true;
      break;
    }

    if (!initializing || initializedConditionTrue(status)) {
      restarts = restartableInitRestarts;
      lastRestart = lastRestartableInitRestart;
      boolean hasRunning = false;
      List<ContainerStatus> statuses = list(status.getContainerStatuses());
      for (int i = statuses.size() - 1; i >= 0; i--) {
        ContainerStatus cs = statuses.get(i);
        restarts += n(cs.getRestartCount());
        Instant finished = lastFinished(cs);
        if (finished != null && (lastRestart == null || lastRestart.isBefore(finished))) {
          lastRestart = finished;
        }
        var state = cs.getState();
        var waiting = state == null ? null : state.getWaiting();
        var terminated = state == null ? null : state.getTerminated();
        if (waiting != null && waiting.getReason() != null && !waiting.getReason().isEmpty()) {
          reason = waiting.getReason();
        } else if (terminated != null && terminated.getReason() != null && !terminated.getReason().isEmpty()) {
          reason = terminated.getReason();
        } else if (terminated != null) {
          reason = n(terminated.getSignal()) != 0 ? "Signal:" + terminated.getSignal()
              : "ExitCode:" + n(terminated.getExitCode());
        } else if (Boolean.TRUE.equals(cs.getReady()) && state != null && state.getRunning() != null) {
          hasRunning = true;
          readyContainers++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = readyConditionTrue(status) ? "Running" : "NotReady";
      }
    }

    boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
    if (deleting && NODE_UNREACHABLE.equals(status.getReason())) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }

    String restartsText = Integer.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartsText = restarts + " (" + Human.duration(java.time.Duration.between(lastRestart, now)) + " ago)";
    }

    String podIp = status.getPodIPs() != null && !status.getPodIPs().isEmpty()
        ? status.getPodIPs().get(0).getIp() : null;
    String readinessGates = "<none>";
    if (spec.getReadinessGates() != null && !spec.getReadinessGates().isEmpty()) {
      int trueConditions = 0;
      for (PodReadinessGate gate : spec.getReadinessGates()) {
        for (PodCondition c : list(status.getConditions())) {
          if (c.getType() != null && c.getType().equals(gate.getConditionType())) {
            if ("True".equals(c.getStatus())) {
              trueConditions++;
            }
            break;
          }
        }
      }
      readinessGates = trueConditions + "/" + spec.getReadinessGates().size();
    }
    List<Object> cells = new ArrayList<>(List.of(pod.getMetadata().getName(),
        readyContainers + "/" + totalContainers, reason, restartsText,
        Human.since(pod.getMetadata().getCreationTimestamp(), now),
        Human.orNone(podIp), Human.orNone(spec.getNodeName()), Human.orNone(status.getNominatedNodeName()),
        readinessGates));
    return new Row(cells, conditions);
  }

  private static boolean restartable(Container c) {
    return c != null && "Always".equals(c.getRestartPolicy());
  }

  private static Instant lastFinished(ContainerStatus cs) {
    if (cs.getLastState() == null || cs.getLastState().getTerminated() == null) {
      return null;
    }
    return Times.parse(cs.getLastState().getTerminated().getFinishedAt());
  }

  private static boolean initializedConditionTrue(PodStatus s) {
    for (PodCondition c : list(s.getConditions())) {
      if ("Initialized".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static boolean readyConditionTrue(PodStatus s) {
    for (PodCondition c : list(s.getConditions())) {
      if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static int size(List<?> l) {
    return l == null ? 0 : l.size();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
