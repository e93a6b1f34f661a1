package io.kubesim.controlplane.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.controlplane.launcher.ClusterDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A failure scenario: a cluster, the objects applied at the start, a timeline of actions and
 * faults at virtual times, and expectations checked at virtual times, so that a scenario is also
 * a test. Read from ordinary Kubernetes YAML plus one {@code kind: Scenario} document
 * ({@code apiVersion: kubesim.io/v1alpha1}); see docs/SCENARIOS.md.
 */
public record Scenario(
    String name,
    String description,
    String source,
    long seed,
    Duration duration,
    ClusterDefinition cluster,
    List<HasMetadata> objects,
    String schedulerConfiguration,
    Map<String, String> settings,
    List<Step> timeline,
    List<Expectation> expectations) {

  public static final String API_VERSION = "kubesim.io/v1alpha1";
  public static final String KIND = "Scenario";

  /** One timeline entry: an action at a virtual time; {@code where} names it in the file. */
  public record Step(Duration at, Action action, String where) {}

  /** What a timeline step does. */
  public sealed interface Action {
    /** The action's name as written in the file. */
    String name();

    /** A short description for the report: "node-down w3-k8s". */
    String describe();
  }

  /** A fault on a node: node-down, node-up, kubelet-stop, kubelet-start, partition, heal. */
  public record NodeFault(String name, String node) implements Action {
    public String describe() {
      return name + " " + node;
    }
  }

  /** A fault on a container: container-crash (with an exit code) or oom. */
  public record ContainerFault(String name, String namespace, String pod, String selector, String container,
      int exitCode) implements Action {
    public String describe() {
      return name + " " + (pod != null ? "pod/" + pod : "pods " + selector) + (container == null ? ""
          : " container " + container);
    }
  }

  /** Creates or updates objects, as {@code kubectl apply}. */
  public record Apply(List<HasMetadata> objects) implements Action {
    public String name() {
      return "apply";
    }

    public String describe() {
      StringBuilder sb = new StringBuilder("apply");
      for (HasMetadata o : objects) {
        sb.append(' ').append(o.getKind().toLowerCase()).append('/').append(o.getMetadata().getName());
      }
      return sb.toString();
    }
  }

  /** Deletes an object ({@code kind/name}), with kubectl's defaults (background propagation). */
  public record Delete(String namespace, String kind, String objectName, String propagationPolicy,
      Long gracePeriodSeconds) implements Action {
    public String name() {
      return "delete";
    }

    public String describe() {
      return "delete " + kind + "/" + objectName;
    }
  }

  /** Sets the replicas of a deployment, replicaset or statefulset. */
  public record Scale(String namespace, String kind, String objectName, int replicas) implements Action {
    public String name() {
      return "scale";
    }

    public String describe() {
      return "scale " + kind + "/" + objectName + " --replicas=" + replicas;
    }
  }

  public record Cordon(String node, boolean cordon) implements Action {
    public String name() {
      return cordon ? "cordon" : "uncordon";
    }

    public String describe() {
      return name() + " " + node;
    }
  }

  /** {@code kubectl drain} with its flags. */
  public record Drain(String node, boolean ignoreDaemonSets, boolean force, boolean deleteEmptyDirData,
      Long gracePeriodSeconds, Duration timeout) implements Action {
    public String name() {
      return "drain";
    }

    public String describe() {
      return "drain " + node + (ignoreDaemonSets ? " --ignore-daemonsets" : "") + (force ? " --force" : "")
          + (deleteEmptyDirData ? " --delete-emptydir-data" : "");
    }
  }

  /** {@code kubectl taint node N key=value:Effect} (a trailing "-" removes). */
  public record Taint(String node, List<String> taints) implements Action {
    public String name() {
      return "taint";
    }

    public String describe() {
      return "taint node " + node + " " + String.join(" ", taints);
    }
  }

  /** {@code kubectl label kind/name key=value} (a trailing "-" removes). */
  public record Label(String namespace, String kind, String objectName, List<String> labels) implements Action {
    public String name() {
      return "label";
    }

    public String describe() {
      return "label " + kind + "/" + objectName + " " + String.join(" ", labels);
    }
  }

  /** {@code kubectl set image kind/name container=image}. */
  public record SetImage(String namespace, String kind, String objectName, String container, String image)
      implements Action {
    public String name() {
      return "set-image";
    }

    public String describe() {
      return "set image " + kind + "/" + objectName + " " + container + "=" + image;
    }
  }

  /** A check at a virtual time. */
  public sealed interface Expectation {
    Duration at();

    String where();

    /** What is expected, for the report: "node w3-k8s Ready=Unknown". */
    String describe();
  }

  /** Bounds on a count: exactly, at least, or at most. */
  public record Count(String op, long value) {
    public static Count parse(String s) {
      String t = s.trim();
      String op = "==";
      for (String candidate : new String[] {">=", "<=", "==", ">", "<", "="}) {
        if (t.startsWith(candidate)) {
          op = candidate.equals("=") ? "==" : candidate;
          t = t.substring(candidate.length()).trim();
          break;
        }
      }
      return new Count(op, Long.parseLong(t));
    }

    public boolean test(long n) {
      return switch (op) {
        case ">=" -> n >= value;
        case "<=" -> n <= value;
        case ">" -> n > value;
        case "<" -> n < value;
        default -> n == value;
      };
    }

    @Override
    public String toString() {
      return op.equals("==") ? Long.toString(value) : op + value;
    }
  }

  /** A node's Ready status, conditions, taints and schedulability. */
  public record NodeExpectation(Duration at, String where, String node, String ready, List<String> taints,
      List<String> noTaints, Boolean unschedulable, Boolean exists) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder("node " + node);
      if (exists != null) {
        sb.append(exists ? " exists" : " does not exist");
      }
      if (ready != null) {
        sb.append(" Ready=").append(ready);
      }
      if (!taints.isEmpty()) {
        sb.append(" tainted ").append(String.join(",", taints));
      }
      if (!noTaints.isEmpty()) {
        sb.append(" not tainted ").append(String.join(",", noTaints));
      }
      if (unschedulable != null) {
        sb.append(unschedulable ? " unschedulable" : " schedulable");
      }
      return sb.toString();
    }
  }

  /**
   * Pods selected by namespace and label selector (or one pod by name), filtered by the given
   * properties; the number that pass is compared with {@code count} (default: at least one, or
   * exactly one for a named pod).
   */
  public record PodsExpectation(Duration at, String where, String namespace, String podName, String selector,
      String phase, Boolean ready, String node, String notNode, String nodeSelector, Boolean terminating,
      String containerState,
      Count restarts, String condition, String conditionStatus, String conditionReason, String messageContains,
      Count count) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder();
      sb.append(podName != null ? "pod " + namespace + "/" + podName : "pods " + namespace + (selector == null
          || selector.isEmpty() ? "" : " " + selector));
      if (phase != null) {
        sb.append(" phase=").append(phase);
      }
      if (ready != null) {
        sb.append(ready ? " ready" : " not ready");
      }
      if (node != null) {
        sb.append(" on ").append(node);
      }
      if (notNode != null) {
        sb.append(" not on ").append(notNode);
      }
      if (nodeSelector != null) {
        sb.append(" on nodes ").append(nodeSelector);
      }
      if (terminating != null) {
        sb.append(terminating ? " terminating" : " not terminating");
      }
      if (containerState != null) {
        sb.append(" state=").append(containerState);
      }
      if (restarts != null) {
        sb.append(" restarts ").append(restarts);
      }
      if (condition != null) {
        sb.append(" ").append(condition).append('=').append(conditionStatus == null ? "*" : conditionStatus);
        if (conditionReason != null) {
          sb.append(" (").append(conditionReason).append(')');
        }
      }
      if (messageContains != null) {
        sb.append(" message~\"").append(messageContains).append('"');
      }
      sb.append(" count ").append(count);
      return sb.toString();
    }
  }

  /** A workload's replica counts (deployment, replicaset, statefulset, daemonset). */
  public record WorkloadExpectation(Duration at, String where, String namespace, String kind, String objectName,
      Map<String, Count> fields) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder(kind + " " + namespace + "/" + objectName);
      fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      return sb.toString();
    }
  }

  /**
   * The scheduler's latest decision for a pod (by name, or every pod a selector picks): the node
   * it chose, the nodes a given filter plugin turned down, the failure message.
   */
  public record SchedulingExpectation(Duration at, String where, String namespace, String podName, String selector,
      String node, Boolean unschedulable, Map<String, String> rejected, String messageContains)
      implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder("scheduling of ");
      sb.append(podName != null ? "pod " + namespace + "/" + podName : "pods " + namespace + " " + selector);
      if (node != null) {
        sb.append(" chose ").append(node);
      }
      if (Boolean.TRUE.equals(unschedulable)) {
        sb.append(" found no node");
      }
      rejected.forEach((n, p) -> sb.append(", ").append(n).append(" rejected by ").append(p));
      if (messageContains != null) {
        sb.append(" message~\"").append(messageContains).append('"');
      }
      return sb.toString();
    }
  }

  /**
   * A Service and its endpoints: whether it exists, its type, its ClusterIP (a prefix such as
   * "10.96.", or "None"), its first node port (a count, or a range "30000-32767"), and the endpoints
   * of its EndpointSlices: all, ready, not ready.
   */
  public record ServiceExpectation(Duration at, String where, String namespace, String name, Boolean exists,
      String type, String clusterIP, String nodePortRange, Count nodePort, Count endpoints, Count readyEndpoints,
      Count notReadyEndpoints) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder("service " + namespace + "/" + name);
      if (exists != null) {
        sb.append(exists ? " exists" : " does not exist");
      }
      if (type != null) {
        sb.append(" type=").append(type);
      }
      if (clusterIP != null) {
        sb.append(" clusterIP=").append(clusterIP).append(clusterIP.equals("None") ? "" : "*");
      }
      if (nodePortRange != null) {
        sb.append(" nodePort in ").append(nodePortRange);
      }
      if (nodePort != null) {
        sb.append(" nodePort ").append(nodePort);
      }
      if (endpoints != null) {
        sb.append(" endpoints ").append(endpoints);
      }
      if (readyEndpoints != null) {
        sb.append(" ready ").append(readyEndpoints);
      }
      if (notReadyEndpoints != null) {
        sb.append(" notReady ").append(notReadyEndpoints);
      }
      return sb.toString();
    }
  }

  /**
   * Any object by kind, namespace and name: whether it exists, and the values of some of its fields,
   * each named by a dotted path ({@code status.phase}, {@code spec.volumeName},
   * {@code status.used.pods}, {@code metadata.annotations[pv.kubernetes.io/bind-completed]},
   * {@code status.conditions[type=ReplicaFailure].reason}).
   */
  public record ObjectExpectation(Duration at, String where, io.kubesim.shared.api.ResourceType type,
      String namespace, String objectName, Boolean exists, Map<String, String> fields) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder(type.singular() + " " + (type.namespaced() ? namespace + "/" : "")
          + objectName);
      if (exists != null) {
        sb.append(exists ? " exists" : " does not exist");
      }
      fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      return sb.toString();
    }
  }

  /** Events seen so far with this reason (and optionally type, object, message). */
  public record EventExpectation(Duration at, String where, String reason, String type, String object,
      String messageContains, Count count) implements Expectation {
    public String describe() {
      StringBuilder sb = new StringBuilder("event " + reason);
      if (type != null) {
        sb.append(" type=").append(type);
      }
      if (object != null) {
        sb.append(" object=").append(object);
      }
      if (messageContains != null) {
        sb.append(" message~\"").append(messageContains).append('"');
      }
      return sb.append(" count ").append(count).toString();
    }
  }
}
