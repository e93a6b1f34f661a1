package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The fields each kind can be selected by with a fieldSelector, and how to read them: the field
 * label conversions and GetAttrs functions of kube-apiserver's registries. Every kind has
 * metadata.name and metadata.namespace; the rest are per kind (pods: spec.nodeName, status.phase,
 * ...; events: involvedObject.*, reason, type, ...).
 */
final class FieldAttributes {

  private static final Set<String> META = Set.of("metadata.name", "metadata.namespace");

  private static final Map<ResourceType, Set<String>> EXTRA = Map.of(
      Resources.PODS, Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"),
      Resources.NODES, Set.of("spec.unschedulable"),
      Resources.NAMESPACES, Set.of("status.phase"),
      Resources.EVENTS, Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
      Resources.REPLICASETS, Set.of("status.replicas"),
      Resources.SECRETS, Set.of("type"),
      Resources.JOBS, Set.of("status.successful"));

  private FieldAttributes() {}

  static boolean supported(ResourceType type, String field) {
    return META.contains(field) || EXTRA.getOrDefault(type, Set.of()).contains(field);
  }

  /** Returns a reader of the fields of objects of this kind. */
  static BiFunction<HasMetadata, String, String> reader() {
    return FieldAttributes::get;
  }

  static String get(HasMetadata o, String field) {
    switch (field) {
      case "metadata.name":
        return o.getMetadata().getName();
      case "metadata.namespace":
        return o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
      default:
        break;
    }
    if (o instanceof Pod p) {
      return pod(p, field);
    }
    if (o instanceof Event e) {
      return event(e, field);
    }
    if (o instanceof Node n) {
      return "spec.unschedulable".equals(field)
          ? String.valueOf(n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) : null;
    }
    if (o instanceof Namespace n) {
      return n.getStatus() == null ? "" : nz(n.getStatus().getPhase());
    }
    if (o instanceof ReplicaSet rs) {
      return String.valueOf(rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0
          : rs.getStatus().getReplicas());
    }
    if (o instanceof Secret s) {
      return nz(s.getType());
    }
    if (o instanceof Job j) {
      return String.valueOf(j.getStatus() == null || j.getStatus().getSucceeded() == null ? 0
          : j.getStatus().getSucceeded());
    }
    return null;
  }

  private static String pod(Pod p, String field) {
    var spec = p.getSpec();
    var status = p.getStatus();
    return switch (field) {
      case "spec.nodeName" -> spec == null ? "" : nz(spec.getNodeName());
      case "spec.restartPolicy" -> spec == null ? "" : nz(spec.getRestartPolicy());
      case "spec.schedulerName" -> spec == null ? "" : nz(spec.getSchedulerName());
      case "spec.serviceAccountName" -> spec == null ? "" : nz(spec.getServiceAccountName());
      case "spec.hostNetwork" -> String.valueOf(spec != null && Boolean.TRUE.equals(spec.getHostNetwork()));
      case "status.phase" -> status == null ? "" : nz(status.getPhase());
      case "status.podIP", "status.podIPs" -> status == null ? "" : nz(status.getPodIP());
      case "status.nominatedNodeName" -> status == null ? "" : nz(status.getNominatedNodeName());
      default -> null;
    };
  }

  private static String event(Event e, String field) {
    ObjectReference ref = e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
    return switch (field) {
      case "involvedObject.kind" -> nz(ref.getKind());
      case "involvedObject.namespace" -> nz(ref.getNamespace());
      case "involvedObject.name" -> nz(ref.getName());
      case "involvedObject.uid" -> nz(ref.getUid());
      case "involvedObject.apiVersion" -> nz(ref.getApiVersion());
      case "involvedObject.resourceVersion" -> nz(ref.getResourceVersion());
      case "involvedObject.fieldPath" -> nz(ref.getFieldPath());
      case "reason" -> nz(e.getReason());
      case "reportingComponent" -> nz(e.getReportingComponent());
      case "source" -> e.getSource() == null ? "" : nz(e.getSource().getComponent());
      case "type" -> nz(e.getType());
      default -> null;
    };
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
