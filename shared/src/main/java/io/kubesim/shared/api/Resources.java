package io.kubesim.shared.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of every kind kubesim serves. Names, short names, categories and subresources are
 * those kube-apiserver 1.34 reports in discovery (`kubectl api-resources`), so that kubectl's
 * `get po`, `get deploy` and `get all` resolve as against a real cluster.
 */
public final class Resources {

  private static final Set<String> STATUS = Set.of("status");
  private static final Set<String> STATUS_SCALE = Set.of("status", "scale");
  private static final Set<String> NONE = Set.of();

  public static final ResourceType NAMESPACES = core("Namespace", "namespaces", false, List.of("ns"), List.of(),
      Namespace.class, false, STATUS);
  public static final ResourceType NODES = core("Node", "nodes", false, List.of("no"), List.of(),
      Node.class, false, Set.of("status", "proxy"));
  public static final ResourceType PODS = core("Pod", "pods", true, List.of("po"), List.of("all"), Pod.class, true,
      Set.of("status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy", "ephemeralcontainers",
          "resize"));
  public static final ResourceType EVENTS = core("Event", "events", true, List.of("ev"), List.of(),
      Event.class, false, NONE);
  public static final ResourceType SERVICES = core("Service", "services", true, List.of("svc"), List.of("all"),
      Service.class, false, Set.of("status", "proxy"));
  public static final ResourceType ENDPOINTS = core("Endpoints", "endpoints", true, List.of("ep"), List.of(),
      Endpoints.class, false, NONE);
  public static final ResourceType CONFIGMAPS = core("ConfigMap", "configmaps", true, List.of("cm"), List.of(),
      ConfigMap.class, false, NONE);
  public static final ResourceType SECRETS = core("Secret", "secrets", true, List.of(), List.of(),
      Secret.class, false, NONE);
  public static final ResourceType SERVICEACCOUNTS = core("ServiceAccount", "serviceaccounts", true, List.of("sa"),
      List.of(), ServiceAccount.class, false, Set.of("token"));
  public static final ResourceType PERSISTENTVOLUMES = core("PersistentVolume", "persistentvolumes", false,
      List.of("pv"), List.of(), PersistentVolume.class, false, STATUS);
  public static final ResourceType PERSISTENTVOLUMECLAIMS = core("PersistentVolumeClaim", "persistentvolumeclaims",
      true, List.of("pvc"), List.of(), PersistentVolumeClaim.class, false, STATUS);
  public static final ResourceType RESOURCEQUOTAS = core("ResourceQuota", "resourcequotas", true, List.of("quota"),
      List.of(), ResourceQuota.class, false, STATUS);
  public static final ResourceType LIMITRANGES = core("LimitRange", "limitranges", true, List.of("limits"),
      List.of(), LimitRange.class, false, NONE);

  public static final ResourceType DEPLOYMENTS = apps("Deployment", "deployments", List.of("deploy"),
      Deployment.class, STATUS_SCALE);
  public static final ResourceType REPLICASETS = apps("ReplicaSet", "replicasets", List.of("rs"),
      ReplicaSet.class, STATUS_SCALE);
  public static final ResourceType DAEMONSETS = apps("DaemonSet", "daemonsets", List.of("ds"), DaemonSet.class, STATUS);
  public static final ResourceType STATEFULSETS = apps("StatefulSet", "statefulsets", List.of("sts"),
      StatefulSet.class, STATUS_SCALE);
  public static final ResourceType CONTROLLERREVISIONS = new ResourceType("apps", "v1", "ControllerRevision",
      "controllerrevisions", "controllerrevision", true, List.of(), List.of(), ControllerRevision.class, false, NONE);

  public static final ResourceType JOBS = new ResourceType("batch", "v1", "Job", "jobs", "job", true, List.of(),
      List.of("all"), Job.class, true, STATUS);
  public static final ResourceType CRONJOBS = new ResourceType("batch", "v1", "CronJob", "cronjobs", "cronjob", true,
      List.of("cj"), List.of("all"), CronJob.class, true, STATUS);

  public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease",
      true, List.of(), List.of(), Lease.class, false, NONE);
  /** Where each kubelet keeps its node's Lease, named after the node. */
  public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
  public static final ResourceType PODDISRUPTIONBUDGETS = new ResourceType("policy", "v1", "PodDisruptionBudget",
      "poddisruptionbudgets", "poddisruptionbudget", true, List.of("pdb"), List.of(), PodDisruptionBudget.class, true,
      STATUS);
  public static final ResourceType INGRESSES = new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses",
      "ingress", true, List.of("ing"), List.of(), Ingress.class, true, STATUS);
  public static final ResourceType INGRESSCLASSES = new ResourceType("networking.k8s.io", "v1", "IngressClass",
      "ingressclasses", "ingressclass", false, List.of(), List.of(), IngressClass.class, false, NONE);
  public static final ResourceType ENDPOINTSLICES = new ResourceType("discovery.k8s.io", "v1", "EndpointSlice",
      "endpointslices", "endpointslice", true, List.of(), List.of(), EndpointSlice.class, false, NONE);
  public static final ResourceType PRIORITYCLASSES = new ResourceType("scheduling.k8s.io", "v1", "PriorityClass",
      "priorityclasses", "priorityclass", false, List.of("pc"), List.of(), PriorityClass.class, false, NONE);
  public static final ResourceType STORAGECLASSES = new ResourceType("storage.k8s.io", "v1", "StorageClass",
      "storageclasses", "storageclass", false, List.of("sc"), List.of(), StorageClass.class, false, NONE);

  private static final List<ResourceType> ALL = List.of(
      NAMESPACES, NODES, PODS, EVENTS, SERVICES, ENDPOINTS, CONFIGMAPS, SECRETS, SERVICEACCOUNTS, PERSISTENTVOLUMES,
      PERSISTENTVOLUMECLAIMS, RESOURCEQUOTAS, LIMITRANGES, DEPLOYMENTS, REPLICASETS, DAEMONSETS, STATEFULSETS,
      CONTROLLERREVISIONS, JOBS, CRONJOBS, LEASES, PODDISRUPTIONBUDGETS, INGRESSES, INGRESSCLASSES, ENDPOINTSLICES,
      PRIORITYCLASSES, STORAGECLASSES);

  private static final Map<Class<?>, ResourceType> BY_CLASS = new LinkedHashMap<>();
  private static final Map<String, ResourceType> BY_GVK = new LinkedHashMap<>();
  private static final Map<String, ResourceType> BY_GROUP_PLURAL = new LinkedHashMap<>();

  static {
    for (ResourceType t : ALL) {
      BY_CLASS.put(t.type(), t);
      BY_GVK.put(t.apiVersion() + "/" + t.kind(), t);
      BY_GROUP_PLURAL.put(t.group() + "/" + t.plural(), t);
    }
  }

  private Resources() {}

  private static ResourceType core(String kind, String plural, boolean namespaced, List<String> shortNames,
      List<String> categories, Class<? extends HasMetadata> type, boolean generation, Set<String> sub) {
    return new ResourceType("", "v1", kind, plural, kind.toLowerCase(), namespaced, shortNames, categories, type,
        generation, sub);
  }

  private static ResourceType apps(String kind, String plural, List<String> shortNames,
      Class<? extends HasMetadata> type, Set<String> sub) {
    return new ResourceType("apps", "v1", kind, plural, kind.toLowerCase(), true, shortNames, List.of("all"), type,
        true, sub);
  }

  /** Every kind, in a fixed order (the order discovery lists them in). */
  public static List<ResourceType> all() {
    return ALL;
  }

  /** Kinds grouped by API group, groups in a fixed order; the core group is "". */
  public static Map<String, List<ResourceType>> byGroup() {
    Map<String, List<ResourceType>> groups = new LinkedHashMap<>();
    for (ResourceType t : ALL) {
      groups.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
    }
    groups.replaceAll((g, l) -> Collections.unmodifiableList(l));
    return Collections.unmodifiableMap(groups);
  }

  public static ResourceType of(Class<? extends HasMetadata> type) {
    ResourceType t = BY_CLASS.get(type);
    if (t == null) {
      throw new IllegalArgumentException("kubesim serves no resource of type " + type.getName());
    }
    return t;
  }

  public static ResourceType of(HasMetadata object) {
    return of(object.getClass());
  }

  public static Optional<ResourceType> byKind(String apiVersion, String kind) {
    return Optional.ofNullable(BY_GVK.get(apiVersion + "/" + kind));
  }

  public static Optional<ResourceType> byPlural(String group, String plural) {
    return Optional.ofNullable(BY_GROUP_PLURAL.get(group + "/" + plural));
  }
}
