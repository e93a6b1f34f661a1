package io.kubesim.controlplane.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.model.PodQos;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The quota evaluators kube-apiserver and the resourcequota controller share
 * (pkg/quota/v1/evaluator/core and k8s.io/apiserver/pkg/quota/v1/generic): pods, services and
 * persistent volume claims are measured by what they ask for; every other kind is counted as
 * {@code count/<resource>[.<group>]}, with the legacy names {@code configmaps}, {@code secrets}
 * and {@code resourcequotas} for those kinds. Events are not subject to quota.
 */
public final class Evaluators {

  public static final String PODS = "pods";
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String REQUESTS_CPU = "requests.cpu";
  public static final String REQUESTS_MEMORY = "requests.memory";
  public static final String REQUESTS_EPHEMERAL_STORAGE = "requests.ephemeral-storage";
  public static final String LIMITS_CPU = "limits.cpu";
  public static final String LIMITS_MEMORY = "limits.memory";
  public static final String LIMITS_EPHEMERAL_STORAGE = "limits.ephemeral-storage";
  public static final String SERVICES = "services";
  public static final String SERVICES_NODEPORTS = "services.nodeports";
  public static final String SERVICES_LOADBALANCERS = "services.loadbalancers";
  public static final String PERSISTENTVOLUMECLAIMS = "persistentvolumeclaims";
  public static final String REQUESTS_STORAGE = "requests.storage";
  /** The infix of per-storage-class quota names: gold.storageclass.storage.k8s.io/requests.storage. */
  public static final String STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

  private static final String HUGEPAGES_PREFIX = "hugepages-";
  private static final String REQUESTS_PREFIX = "requests.";
  private static final String REQUESTS_HUGEPAGES_PREFIX = "requests.hugepages-";

  /**
   * The names whose presence in a quota makes every container declare them: "it was a mistake, but
   * if a quota tracks cpu or memory related resources, the incoming pod is required to have those
   * values set" (pods.go validationSet).
   */
  static final Set<String> VALIDATION_SET = Set.of(CPU, MEMORY, REQUESTS_CPU, REQUESTS_MEMORY, LIMITS_CPU,
      LIMITS_MEMORY);

  private static final Map<ResourceType, Evaluator> BY_TYPE = new LinkedHashMap<>();

  static {
    BY_TYPE.put(Resources.PODS, new PodEvaluator());
    BY_TYPE.put(Resources.SERVICES, new ServiceEvaluator());
    BY_TYPE.put(Resources.PERSISTENTVOLUMECLAIMS, new PvcEvaluator());
    for (ResourceType t : Resources.all()) {
      if (t.namespaced() && t != Resources.EVENTS && !BY_TYPE.containsKey(t)) {
        BY_TYPE.put(t, new ObjectCountEvaluator(t));
      }
    }
  }

  private Evaluators() {}

  /** The evaluator of a kind, or null for kinds quota ignores (events, cluster-scoped kinds). */
  public static Evaluator of(ResourceType type) {
    return BY_TYPE.get(type);
  }

  /** Every evaluator, in the registry's order. */
  public static Collection<Evaluator> all() {
    return BY_TYPE.values();
  }

  /** generic.ObjectCountQuotaResourceNameFor: count/pods, count/deployments.apps. */
  public static String objectCountName(ResourceType type) {
    return "count/" + type.groupResource();
  }

  // ---------------------------------------------------------------- pods

  static final class PodEvaluator implements Evaluator {
    private static final List<String> RESOURCES = List.of("count/pods", CPU, MEMORY, EPHEMERAL_STORAGE,
        REQUESTS_CPU, REQUESTS_MEMORY, REQUESTS_EPHEMERAL_STORAGE, LIMITS_CPU, LIMITS_MEMORY,
        LIMITS_EPHEMERAL_STORAGE, PODS);

    @Override
    public ResourceType type() {
      return Resources.PODS;
    }

    @Override
    public boolean handles(String operation) {
      // Pods are charged on create (and on an in-place resize, which kubesim does not model).
      return "CREATE".equals(operation);
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      List<String> out = new ArrayList<>();
      for (String n : names) {
        if (RESOURCES.contains(n) || n.startsWith(HUGEPAGES_PREFIX) || n.startsWith(REQUESTS_HUGEPAGES_PREFIX)
            || (n.startsWith(REQUESTS_PREFIX) && !isNative(n))) {
          out.add(n);
        }
      }
      return out;
    }

    @Override
    public Map<String, Parsed> usage(HasMetadata object, Instant now) {
      Pod pod = (Pod) object;
      TreeMap<String, Parsed> result = new TreeMap<>();
      // count/pods tracks every pod in storage; "pods" only those not at the end of their life
      result.put("count/pods", ResourceLists.count(1));
      if (!chargedForCompute(pod, now)) {
        return result;
      }
      return ResourceLists.add(result, computeUsage(podRequests(pod), podLimits(pod)));
    }

    @Override
    public String constraints(Collection<String> required, HasMetadata object) {
      Pod pod = (Pod) object;
      Set<String> requiredSet = new TreeSet<>();
      for (String r : required) {
        if (VALIDATION_SET.contains(r)) {
          requiredSet.add(r);
        }
      }
      if (requiredSet.isEmpty() || pod.getSpec() == null) {
        return null;
      }
      Map<String, TreeSet<String>> missing = new TreeMap<>();
      List<Container> all = new ArrayList<>(list(pod.getSpec().getContainers()));
      all.addAll(list(pod.getSpec().getInitContainers()));
      for (Container c : all) {
        Set<String> has = computeUsage(ResourceLists.parse(requests(c)), ResourceLists.parse(limits(c))).keySet();
        for (String r : requiredSet) {
          if (!has.contains(r)) {
            missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.getName());
          }
        }
      }
      if (missing.isEmpty()) {
        return null;
      }
      List<String> parts = new ArrayList<>();
      missing.forEach((r, containers) -> parts.add(r + " for: " + String.join(",", containers)));
      return "must specify " + String.join("; ", parts);
    }

    @Override
    public boolean matchesScope(ScopedResourceSelectorRequirement selector, HasMetadata object) {
      Pod pod = (Pod) object;
      PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
      return switch (selector.getScopeName()) {
        case "Terminating" -> terminating(spec);
        case "NotTerminating" -> !terminating(spec);
        case "BestEffort" -> "BestEffort".equals(PodQos.of(pod));
        case "NotBestEffort" -> !"BestEffort".equals(PodQos.of(pod));
        case "PriorityClass" -> priorityClassMatches(selector, spec.getPriorityClassName());
        case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(spec);
        default -> false;
      };
    }

    private static boolean terminating(PodSpec spec) {
      return spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() >= 0;
    }

    private static boolean priorityClassMatches(ScopedResourceSelectorRequirement s, String className) {
      boolean has = className != null && !className.isEmpty();
      List<String> values = list(s.getValues());
      return switch (s.getOperator() == null ? "" : s.getOperator()) {
        case "Exists" -> has;
        case "DoesNotExist" -> !has;
        case "In" -> has && values.contains(className);
        case "NotIn" -> !has || !values.contains(className);
        default -> false;
      };
    }

    private static boolean crossNamespaceAffinity(PodSpec spec) {
      if (spec.getAffinity() == null) {
        return false;
      }
      List<PodAffinityTerm> required = new ArrayList<>();
      List<WeightedPodAffinityTerm> preferred = new ArrayList<>();
      if (spec.getAffinity().getPodAffinity() != null) {
        required.addAll(list(spec.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()));
        preferred.addAll(list(
            spec.getAffinity().getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()));
      }
      if (spec.getAffinity().getPodAntiAffinity() != null) {
        required.addAll(list(
            spec.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()));
        preferred.addAll(list(
            spec.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()));
      }
      for (PodAffinityTerm t : required) {
        if (!list(t.getNamespaces()).isEmpty() || t.getNamespaceSelector() != null) {
          return true;
        }
      }
      for (WeightedPodAffinityTerm w : preferred) {
        PodAffinityTerm t = w.getPodAffinityTerm();
        if (t != null && (!list(t.getNamespaces()).isEmpty() || t.getNamespaceSelector() != null)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * QuotaV1Pod: a pod is charged for compute unless it has finished, or has been terminating for
   * longer than its grace period (stuck on a lost node, it should not block its replacement).
   */
  public static boolean chargedForCompute(Pod pod, Instant now) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    var meta = pod.getMetadata();
    if (meta.getDeletionTimestamp() != null && meta.getDeletionGracePeriodSeconds() != null) {
      Instant deletion = Times.parse(meta.getDeletionTimestamp());
      if (deletion != null && now.isAfter(deletion.plusSeconds(meta.getDeletionGracePeriodSeconds()))) {
        return false;
      }
    }
    return true;
  }

  /** podComputeUsageHelper: what requests and limits charge, under their quota names. */
  static TreeMap<String, Parsed> computeUsage(Map<String, Parsed> requests, Map<String, Parsed> limits) {
    TreeMap<String, Parsed> result = new TreeMap<>();
    result.put(PODS, ResourceLists.count(1));
    Parsed v;
    if ((v = requests.get(CPU)) != null) {
      result.put(CPU, v);
      result.put(REQUESTS_CPU, v);
    }
    if ((v = limits.get(CPU)) != null) {
      result.put(LIMITS_CPU, v);
    }
    if ((v = requests.get(MEMORY)) != null) {
      result.put(MEMORY, v);
      result.put(REQUESTS_MEMORY, v);
    }
    if ((v = limits.get(MEMORY)) != null) {
      result.put(LIMITS_MEMORY, v);
    }
    if ((v = requests.get(EPHEMERAL_STORAGE)) != null) {
      result.put(EPHEMERAL_STORAGE, v);
      result.put(REQUESTS_EPHEMERAL_STORAGE, v);
    }
    if ((v = limits.get(EPHEMERAL_STORAGE)) != null) {
      result.put(LIMITS_EPHEMERAL_STORAGE, v);
    }
    for (Map.Entry<String, Parsed> e : requests.entrySet()) {
      String name = e.getKey();
      if (name.startsWith(HUGEPAGES_PREFIX)) {
        result.put(name, e.getValue());
        result.put(REQUESTS_PREFIX + name, e.getValue());
      } else if (isExtended(name)) {
        result.put(REQUESTS_PREFIX + name, e.getValue());
      }
    }
    return result;
  }

  /** helper.IsNativeResource: no domain, or a kubernetes.io domain. */
  static boolean isNative(String name) {
    int slash = name.indexOf('/');
    return slash < 0 || name.substring(0, slash).endsWith("kubernetes.io");
  }

  /** helper.IsExtendedResourceName: a domain-qualified name outside kubernetes.io, not itself a quota name. */
  static boolean isExtended(String name) {
    return !isNative(name) && !name.startsWith(REQUESTS_PREFIX);
  }

  /** resourcehelper.PodRequests: app containers summed, init containers as their peak, plus overhead. */
  public static TreeMap<String, Parsed> podRequests(Pod pod) {
    return podTotals(pod, true, true);
  }

  /** resourcehelper.PodLimits: as requests; the overhead adds only to resources that have a limit. */
  public static TreeMap<String, Parsed> podLimits(Pod pod) {
    return podTotals(pod, false, true);
  }

  /** The same, with or without the pod's overhead (LimitRanger's own podRequests leaves it out). */
  public static TreeMap<String, Parsed> podRequests(Pod pod, boolean withOverhead) {
    return podTotals(pod, true, withOverhead);
  }

  public static TreeMap<String, Parsed> podLimits(Pod pod, boolean withOverhead) {
    return podTotals(pod, false, withOverhead);
  }

  private static TreeMap<String, Parsed> podTotals(Pod pod, boolean requests, boolean withOverhead) {
    TreeMap<String, Parsed> total = new TreeMap<>();
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return total;
    }
    for (Container c : list(spec.getContainers())) {
      total = ResourceLists.add(total, ResourceLists.parse(requests ? requests(c) : limits(c)));
    }
    TreeMap<String, Parsed> restartable = new TreeMap<>();
    TreeMap<String, Parsed> init = new TreeMap<>();
    for (Container c : list(spec.getInitContainers())) {
      TreeMap<String, Parsed> own = ResourceLists.parse(requests ? requests(c) : limits(c));
      TreeMap<String, Parsed> effective;
      if ("Always".equals(c.getRestartPolicy())) {
        // a sidecar runs beside the app containers: it adds to them
        total = ResourceLists.add(total, own);
        restartable = ResourceLists.add(restartable, own);
        effective = restartable;
      } else {
        effective = ResourceLists.add(own, restartable);
      }
      maxInto(init, effective);
    }
    maxInto(total, init);
    if (withOverhead && spec.getOverhead() != null && !spec.getOverhead().isEmpty()) {
      TreeMap<String, Parsed> overhead = ResourceLists.parse(spec.getOverhead());
      total = ResourceLists.add(total, requests ? overhead : ResourceLists.mask(overhead, total.keySet()));
    }
    return total;
  }

  /** maxResourceList: each name takes the larger quantity. */
  private static void maxInto(Map<String, Parsed> list, Map<String, Parsed> other) {
    other.forEach((k, v) -> {
      Parsed cur = list.get(k);
      if (cur == null || v.compareTo(cur) > 0) {
        list.put(k, v);
      }
    });
  }

  private static Map<String, io.fabric8.kubernetes.api.model.Quantity> requests(Container c) {
    return c.getResources() == null ? null : c.getResources().getRequests();
  }

  private static Map<String, io.fabric8.kubernetes.api.model.Quantity> limits(Container c) {
    return c.getResources() == null ? null : c.getResources().getLimits();
  }

  // ---------------------------------------------------------------- services

  static final class ServiceEvaluator implements Evaluator {
    private static final List<String> RESOURCES = List.of("count/services", SERVICES, SERVICES_NODEPORTS,
        SERVICES_LOADBALANCERS);

    @Override
    public ResourceType type() {
      return Resources.SERVICES;
    }

    @Override
    public boolean handles(String operation) {
      return "CREATE".equals(operation) || "UPDATE".equals(operation);
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      return ResourceLists.intersection(names, Set.copyOf(RESOURCES));
    }

    @Override
    public Map<String, Parsed> usage(HasMetadata object, Instant now) {
      Service svc = (Service) object;
      TreeMap<String, Parsed> result = new TreeMap<>();
      result.put(SERVICES, ResourceLists.count(1));
      result.put("count/services", ResourceLists.count(1));
      String type = svc.getSpec() == null || svc.getSpec().getType() == null ? "ClusterIP" : svc.getSpec().getType();
      List<ServicePort> ports = svc.getSpec() == null ? List.of() : list(svc.getSpec().getPorts());
      if (type.equals("NodePort")) {
        result.put(SERVICES_NODEPORTS, ResourceLists.count(ports.size()));
      } else if (type.equals("LoadBalancer")) {
        long nodePorts = ports.size();
        if (Boolean.FALSE.equals(svc.getSpec().getAllocateLoadBalancerNodePorts())) {
          // only the ports that ask for a node port explicitly
          nodePorts = ports.stream().filter(p -> p.getNodePort() != null && p.getNodePort() != 0).count();
        }
        result.put(SERVICES_NODEPORTS, ResourceLists.count(nodePorts));
        result.put(SERVICES_LOADBALANCERS, ResourceLists.count(1));
      }
      return result;
    }
  }

  // ---------------------------------------------------------------- persistent volume claims

  static final class PvcEvaluator implements Evaluator {
    @Override
    public ResourceType type() {
      return Resources.PERSISTENTVOLUMECLAIMS;
    }

    @Override
    public boolean handles(String operation) {
      return "CREATE".equals(operation) || "UPDATE".equals(operation);
    }

    @Override
    public List<String> matchingResources(Collection<String> names) {
      List<String> out = new ArrayList<>();
      for (String n : names) {
        if (n.equals(PERSISTENTVOLUMECLAIMS) || n.equals("count/persistentvolumeclaims")
            || n.equals(REQUESTS_STORAGE)
            || (n.contains(STORAGE_CLASS_SUFFIX) && (n.endsWith("/" + REQUESTS_STORAGE)
                || n.endsWith("/" + PERSISTENTVOLUMECLAIMS)))) {
          out.add(n);
        }
      }
      return out;
    }

    @Override
    public Map<String, Parsed> usage(HasMetadata object, Instant now) {
      PersistentVolumeClaim pvc = (PersistentVolumeClaim) object;
      TreeMap<String, Parsed> result = new TreeMap<>();
      result.put(PERSISTENTVOLUMECLAIMS, ResourceLists.count(1));
      result.put("count/persistentvolumeclaims", ResourceLists.count(1));
      String className = StorageHelpers.claimClass(pvc);
      if (!className.isEmpty()) {
        result.put(className + STORAGE_CLASS_SUFFIX + PERSISTENTVOLUMECLAIMS, ResourceLists.count(1));
      }
      Parsed storage = pvc.getSpec() == null || pvc.getSpec().getResources() == null ? null
          : ResourceLists.parse(pvc.getSpec().getResources().getRequests() == null ? null
              : pvc.getSpec().getResources().getRequests().get("storage"));
      if (storage != null) {
        result.put(REQUESTS_STORAGE, storage);
        if (!className.isEmpty()) {
          result.put(className + STORAGE_CLASS_SUFFIX + REQUESTS_STORAGE, storage);
        }
      }
      return result;
    }
  }

  // ---------------------------------------------------------------- every other kind

  /** generic.NewObjectCountEvaluator: one object, one count. */
  static final class ObjectCountEvaluator implements Evaluator {
    /** The names kept for kinds quota counted before count/ existed (core/v1 quota install.go). */
    private static final Map<String, String> ALIASES = Map.of("configmaps", "configmaps", "secrets", "secrets",
        "resourcequotas", "resourcequotas", "replicationcontrollers", "replicationcontrollers");

    private final ResourceType type;
    private final List<String> names;

    ObjectCountEvaluator(ResourceType type) {
      this.type = type;
      List<String> n = new ArrayList<>();
      n.add(objectCountName(type));
      if (type.group().isEmpty() && ALIASES.containsKey(type.plural())) {
        n.add(ALIASES.get(type.plural()));
      }
      this.names = List.copyOf(n);
    }

    @Override
    public ResourceType type() {
      return type;
    }

    @Override
    public boolean handles(String operation) {
      return "CREATE".equals(operation);
    }

    @Override
    public List<String> matchingResources(Collection<String> input) {
      return ResourceLists.intersection(input, Set.copyOf(names));
    }

    @Override
    public Map<String, Parsed> usage(HasMetadata object, Instant now) {
      TreeMap<String, Parsed> result = new TreeMap<>();
      for (String n : names) {
        result.put(n, ResourceLists.count(1));
      }
      return result;
    }
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
