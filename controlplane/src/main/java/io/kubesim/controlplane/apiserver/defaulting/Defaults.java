package io.kubesim.controlplane.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ClientIPConfig;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apiserver's defaulting of the built-in kinds, as kube-apiserver 1.34 applies it when it
 * decodes a request body: the SetDefaults_* functions of pkg/apis/&lt;group&gt;/v1/defaults.go, the
 * generated zz_generated.defaults.go walks that reach every nested PodSpec, container, probe and
 * volume, and the create-time defaults of the registry strategies (Namespace finalizer, Pod phase
 * and QoS class). {@link #apply} mutates the object in place.
 *
 * <p>Not done here, because other parts of the apiserver do them: the Pod {@code priority} and
 * {@code preemptionPolicy} (Priority admission), {@code serviceAccountName} and the token volume
 * (ServiceAccount admission), Service {@code clusterIP(s)}, {@code ipFamilies},
 * {@code ipFamilyPolicy} and node ports (the Service REST layer's allocators),
 * {@code metadata.generation}, {@code uid} and {@code creationTimestamp} (the generic registry).
 */
public final class Defaults {

  private Defaults() {}

  /** Applies the defaults of the object's kind; kinds without defaults are left as they are. */
  public static void apply(HasMetadata obj) {
    if (obj instanceof Pod p) {
      pod(p);
    } else if (obj instanceof Deployment d) {
      deployment(d);
    } else if (obj instanceof ReplicaSet rs) {
      replicaSet(rs);
    } else if (obj instanceof DaemonSet ds) {
      daemonSet(ds);
    } else if (obj instanceof StatefulSet s) {
      statefulSet(s);
    } else if (obj instanceof Job j) {
      job(j);
    } else if (obj instanceof CronJob cj) {
      cronJob(cj);
    } else if (obj instanceof Service s) {
      service(s);
    } else if (obj instanceof Namespace n) {
      namespace(n);
    } else if (obj instanceof Secret s) {
      if (s.getType() == null || s.getType().isEmpty()) {
        s.setType("Opaque");
      }
    } else if (obj instanceof PersistentVolume pv) {
      persistentVolume(pv);
    } else if (obj instanceof PersistentVolumeClaim pvc) {
      persistentVolumeClaim(pvc);
    } else if (obj instanceof Endpoints ep) {
      for (EndpointSubset ss : list(ep.getSubsets())) {
        for (EndpointPort port : list(ss.getPorts())) {
          if (empty(port.getProtocol())) {
            port.setProtocol("TCP");
          }
        }
      }
    } else if (obj instanceof EndpointSlice es) {
      for (var port : list(es.getPorts())) {
        if (port.getName() == null) {
          port.setName("");
        }
        if (port.getProtocol() == null) {
          port.setProtocol("TCP");
        }
      }
    } else if (obj instanceof Node n) {
      if (n.getStatus() != null && (n.getStatus().getAllocatable() == null || n.getStatus().getAllocatable().isEmpty())
          && n.getStatus().getCapacity() != null && !n.getStatus().getCapacity().isEmpty()) {
        n.getStatus().setAllocatable(new LinkedHashMap<>(n.getStatus().getCapacity()));
      }
    } else if (obj instanceof LimitRange lr) {
      if (lr.getSpec() != null) {
        for (LimitRangeItem item : list(lr.getSpec().getLimits())) {
          limitRangeItem(item);
        }
      }
    } else if (obj instanceof PriorityClass pc) {
      if (pc.getPreemptionPolicy() == null) {
        pc.setPreemptionPolicy("PreemptLowerPriority");
      }
    } else if (obj instanceof StorageClass sc) {
      if (sc.getReclaimPolicy() == null) {
        sc.setReclaimPolicy("Delete");
      }
      if (sc.getVolumeBindingMode() == null) {
        sc.setVolumeBindingMode("Immediate");
      }
    } else if (obj instanceof PodTemplate pt) {
      if (pt.getTemplate() != null) {
        podTemplateSpec(pt.getTemplate());
      }
    } else if (obj instanceof ReplicationController rc) {
      replicationController(rc);
    }
  }

  // ---------------------------------------------------------------- Pod

  private static void pod(Pod pod) {
    if (pod.getSpec() == null) {
      pod.setSpec(new PodSpec());
    }
    PodSpec spec = pod.getSpec();
    // SetDefaults_Pod: requests default to limits, for Pods only (not templates).
    for (Container c : list(spec.getContainers())) {
      requestsFromLimits(c.getResources());
    }
    for (Container c : list(spec.getInitContainers())) {
      requestsFromLimits(c.getResources());
    }
    if (spec.getEnableServiceLinks() == null) {
      spec.setEnableServiceLinks(true);
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      hostNetworkPorts(spec.getContainers());
      hostNetworkPorts(spec.getInitContainers());
    }
    podSpec(spec);
    for (EphemeralContainer ec : list(spec.getEphemeralContainers())) {
      if (empty(ec.getImagePullPolicy())) {
        ec.setImagePullPolicy(pullPolicyFor(ec.getImage()));
      }
      if (empty(ec.getTerminationMessagePath())) {
        ec.setTerminationMessagePath("/dev/termination-log");
      }
      if (empty(ec.getTerminationMessagePolicy())) {
        ec.setTerminationMessagePolicy("File");
      }
      for (ContainerPort port : list(ec.getPorts())) {
        if (empty(port.getProtocol())) {
          port.setProtocol("TCP");
        }
      }
      env(ec.getEnv());
    }
    // The Pod strategy's PrepareForCreate: a new Pod starts Pending, with its QoS class computed.
    if (isNew(pod.getMetadata())) {
      if (pod.getStatus() == null) {
        pod.setStatus(new PodStatus());
      }
      if (empty(pod.getStatus().getPhase())) {
        pod.getStatus().setPhase("Pending");
      }
      if (empty(pod.getStatus().getQosClass())) {
        pod.getStatus().setQosClass(qosClass(spec));
      }
    }
  }

  private static void requestsFromLimits(ResourceRequirements rr) {
    if (rr == null || rr.getLimits() == null || rr.getLimits().isEmpty()) {
      return;
    }
    Map<String, Quantity> requests = rr.getRequests() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(rr.getRequests());
    for (Map.Entry<String, Quantity> e : rr.getLimits().entrySet()) {
      if (!requests.containsKey(e.getKey())) {
        requests.put(e.getKey(), new Quantity(e.getValue().getAmount(), e.getValue().getFormat()));
      }
    }
    rr.setRequests(requests);
  }

  private static void hostNetworkPorts(List<Container> containers) {
    for (Container c : list(containers)) {
      for (ContainerPort port : list(c.getPorts())) {
        if (port.getHostPort() == null || port.getHostPort() == 0) {
          port.setHostPort(port.getContainerPort());
        }
      }
    }
  }

  /** The QoS class qos.GetPodQOS computes from cpu and memory requests and limits. */
  static String qosClass(PodSpec spec) {
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    List<Container> all = new ArrayList<>(list(spec.getInitContainers()));
    all.addAll(list(spec.getContainers()));
    for (Container c : all) {
      ResourceRequirements rr = c.getResources() == null ? new ResourceRequirements() : c.getResources();
      for (String r : List.of("cpu", "memory")) {
        BigDecimal req = amount(rr.getRequests(), r);
        if (req != null && req.signum() != 0) {
          requests.merge(r, req, BigDecimal::add);
        }
        BigDecimal lim = amount(rr.getLimits(), r);
        if (lim != null && lim.signum() != 0) {
          limits.merge(r, lim, BigDecimal::add);
        } else {
          guaranteed = false;
        }
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return "BestEffort";
    }
    if (guaranteed) {
      boolean equal = requests.keySet().equals(limits.keySet());
      for (Map.Entry<String, BigDecimal> e : requests.entrySet()) {
        equal &= limits.containsKey(e.getKey()) && limits.get(e.getKey()).compareTo(e.getValue()) == 0;
      }
      if (equal) {
        return "Guaranteed";
      }
    }
    return "Burstable";
  }

  private static BigDecimal amount(Map<String, Quantity> m, String key) {
    if (m == null || m.get(key) == null) {
      return null;
    }
    try {
      return Quantity.getAmountInBytes(m.get(key));
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- PodSpec and templates

  private static void podTemplateSpec(PodTemplateSpec t) {
    if (t.getSpec() == null) {
      t.setSpec(new PodSpec());
    }
    podSpec(t.getSpec());
  }

  /** SetDefaults_PodSpec and the generated walk over volumes and containers. */
  private static void podSpec(PodSpec spec) {
    if (empty(spec.getDnsPolicy())) {
      spec.setDnsPolicy("ClusterFirst");
    }
    if (empty(spec.getRestartPolicy())) {
      spec.setRestartPolicy("Always");
    }
    if (spec.getSecurityContext() == null) {
      spec.setSecurityContext(new PodSecurityContext());
    }
    if (spec.getTerminationGracePeriodSeconds() == null) {
      spec.setTerminationGracePeriodSeconds(30L);
    }
    if (empty(spec.getSchedulerName())) {
      spec.setSchedulerName("default-scheduler");
    }
    for (Volume v : list(spec.getVolumes())) {
      volume(v);
    }
    for (Container c : list(spec.getInitContainers())) {
      container(c);
    }
    for (Container c : list(spec.getContainers())) {
      container(c);
    }
  }

  private static void volume(Volume v) {
    if (noSource(v)) {
      v.setEmptyDir(new EmptyDirVolumeSource());
    }
    if (v.getHostPath() != null && v.getHostPath().getType() == null) {
      v.getHostPath().setType("");
    }
    if (v.getSecret() != null && v.getSecret().getDefaultMode() == null) {
      v.getSecret().setDefaultMode(0644);
    }
    if (v.getConfigMap() != null && v.getConfigMap().getDefaultMode() == null) {
      v.getConfigMap().setDefaultMode(0644);
    }
    if (v.getDownwardAPI() != null) {
      if (v.getDownwardAPI().getDefaultMode() == null) {
        v.getDownwardAPI().setDefaultMode(0644);
      }
      for (var item : list(v.getDownwardAPI().getItems())) {
        fieldRef(item.getFieldRef());
      }
    }
    if (v.getProjected() != null) {
      if (v.getProjected().getDefaultMode() == null) {
        v.getProjected().setDefaultMode(0644);
      }
      for (var source : list(v.getProjected().getSources())) {
        if (source.getDownwardAPI() != null) {
          for (var item : list(source.getDownwardAPI().getItems())) {
            fieldRef(item.getFieldRef());
          }
        }
        if (source.getServiceAccountToken() != null && source.getServiceAccountToken().getExpirationSeconds() == null) {
          source.getServiceAccountToken().setExpirationSeconds(3600L);
        }
      }
    }
    if (v.getIscsi() != null) {
      if (empty(v.getIscsi().getIscsiInterface())) {
        v.getIscsi().setIscsiInterface("default");
      }
    }
    if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null
        && v.getEphemeral().getVolumeClaimTemplate().getSpec() != null) {
      pvcSpec(v.getEphemeral().getVolumeClaimTemplate().getSpec());
    }
    if (v.getImage() != null && empty(v.getImage().getPullPolicy())) {
      v.getImage().setPullPolicy(pullPolicyFor(v.getImage().getReference()));
    }
  }

  private static boolean noSource(Volume v) {
    var tree = io.kubesim.shared.json.Json.tree(v);
    for (var it = tree.propertyNames().iterator(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("name") && !tree.get(f).isNull()) {
        return false;
      }
    }
    return true;
  }

  private static void fieldRef(ObjectFieldSelector ref) {
    if (ref != null && empty(ref.getApiVersion())) {
      ref.setApiVersion("v1");
    }
  }

  /** SetDefaults_Container and the generated defaults of its ports, env, probes and handlers. */
  private static void container(Container c) {
    if (empty(c.getImagePullPolicy())) {
      c.setImagePullPolicy(pullPolicyFor(c.getImage()));
    }
    if (empty(c.getTerminationMessagePath())) {
      c.setTerminationMessagePath("/dev/termination-log");
    }
    if (empty(c.getTerminationMessagePolicy())) {
      c.setTerminationMessagePolicy("File");
    }
    for (ContainerPort port : list(c.getPorts())) {
      if (empty(port.getProtocol())) {
        port.setProtocol("TCP");
      }
    }
    env(c.getEnv());
    probe(c.getLivenessProbe());
    probe(c.getReadinessProbe());
    probe(c.getStartupProbe());
    if (c.getLifecycle() != null) {
      handler(c.getLifecycle().getPostStart());
      handler(c.getLifecycle().getPreStop());
    }
  }

  private static void env(List<EnvVar> env) {
    for (EnvVar ev : list(env)) {
      if (ev.getValueFrom() != null) {
        fieldRef(ev.getValueFrom().getFieldRef());
      }
    }
  }

  private static void probe(Probe p) {
    if (p == null) {
      return;
    }
    if (p.getTimeoutSeconds() == null || p.getTimeoutSeconds() == 0) {
      p.setTimeoutSeconds(1);
    }
    if (p.getPeriodSeconds() == null || p.getPeriodSeconds() == 0) {
      p.setPeriodSeconds(10);
    }
    if (p.getSuccessThreshold() == null || p.getSuccessThreshold() == 0) {
      p.setSuccessThreshold(1);
    }
    if (p.getFailureThreshold() == null || p.getFailureThreshold() == 0) {
      p.setFailureThreshold(3);
    }
    httpGet(p.getHttpGet());
  }

  private static void handler(LifecycleHandler h) {
    if (h != null) {
      httpGet(h.getHttpGet());
    }
  }

  private static void httpGet(HTTPGetAction a) {
    if (a == null) {
      return;
    }
    if (empty(a.getPath())) {
      a.setPath("/");
    }
    if (empty(a.getScheme())) {
      a.setScheme("HTTP");
    }
  }

  /**
   * The pull policy parsers.ParseImageName implies: Always when the tag is "latest", which is also
   * the tag of a reference with neither tag nor digest; IfNotPresent otherwise (a digest without a
   * tag counts as pinned).
   */
  public static String pullPolicyFor(String image) {
    return "latest".equals(imageTag(image)) ? "Always" : "IfNotPresent";
  }

  static String imageTag(String image) {
    if (image == null) {
      return "latest";
    }
    String ref = image.trim();
    String digest = "";
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    String tag = colon > slash ? ref.substring(colon + 1) : "";
    if (tag.isEmpty() && digest.isEmpty()) {
      return "latest";
    }
    return tag;
  }

  // ---------------------------------------------------------------- apps

  private static void deployment(Deployment d) {
    if (d.getSpec() == null) {
      d.setSpec(new DeploymentSpec());
    }
    DeploymentSpec spec = d.getSpec();
    if (spec.getReplicas() == null) {
      spec.setReplicas(1);
    }
    if (spec.getStrategy() == null) {
      spec.setStrategy(new DeploymentStrategy());
    }
    DeploymentStrategy strategy = spec.getStrategy();
    if (empty(strategy.getType())) {
      strategy.setType("RollingUpdate");
    }
    if (strategy.getType().equals("RollingUpdate")) {
      if (strategy.getRollingUpdate() == null) {
        strategy.setRollingUpdate(new RollingUpdateDeployment());
      }
      if (strategy.getRollingUpdate().getMaxUnavailable() == null) {
        strategy.getRollingUpdate().setMaxUnavailable(new IntOrString("25%"));
      }
      if (strategy.getRollingUpdate().getMaxSurge() == null) {
        strategy.getRollingUpdate().setMaxSurge(new IntOrString("25%"));
      }
    }
    if (spec.getRevisionHistoryLimit() == null) {
      spec.setRevisionHistoryLimit(10);
    }
    if (spec.getProgressDeadlineSeconds() == null) {
      spec.setProgressDeadlineSeconds(600);
    }
    if (spec.getTemplate() != null) {
      podTemplateSpec(spec.getTemplate());
    }
  }

  private static void replicaSet(ReplicaSet rs) {
    if (rs.getSpec() == null) {
      rs.setSpec(new ReplicaSetSpec());
    }
    if (rs.getSpec().getReplicas() == null) {
      rs.getSpec().setReplicas(1);
    }
    if (rs.getSpec().getTemplate() != null) {
      podTemplateSpec(rs.getSpec().getTemplate());
    }
  }

  private static void daemonSet(DaemonSet ds) {
    if (ds.getSpec() == null) {
      ds.setSpec(new DaemonSetSpec());
    }
    DaemonSetSpec spec = ds.getSpec();
    if (spec.getUpdateStrategy() == null) {
      spec.setUpdateStrategy(new DaemonSetUpdateStrategy());
    }
    DaemonSetUpdateStrategy us = spec.getUpdateStrategy();
    if (empty(us.getType())) {
      us.setType("RollingUpdate");
    }
    if (us.getType().equals("RollingUpdate")) {
      if (us.getRollingUpdate() == null) {
        us.setRollingUpdate(new RollingUpdateDaemonSet());
      }
      if (us.getRollingUpdate().getMaxUnavailable() == null) {
        us.getRollingUpdate().setMaxUnavailable(new IntOrString(1));
      }
      if (us.getRollingUpdate().getMaxSurge() == null) {
        us.getRollingUpdate().setMaxSurge(new IntOrString(0));
      }
    }
    if (spec.getRevisionHistoryLimit() == null) {
      spec.setRevisionHistoryLimit(10);
    }
    if (spec.getTemplate() != null) {
      podTemplateSpec(spec.getTemplate());
    }
  }

  private static void statefulSet(StatefulSet s) {
    if (s.getSpec() == null) {
      s.setSpec(new StatefulSetSpec());
    }
    StatefulSetSpec spec = s.getSpec();
    if (empty(spec.getPodManagementPolicy())) {
      spec.setPodManagementPolicy("OrderedReady");
    }
    if (spec.getUpdateStrategy() == null) {
      spec.setUpdateStrategy(new StatefulSetUpdateStrategy());
    }
    StatefulSetUpdateStrategy us = spec.getUpdateStrategy();
    if (empty(us.getType())) {
      us.setType("RollingUpdate");
      if (us.getRollingUpdate() == null) {
        us.setRollingUpdate(new RollingUpdateStatefulSetStrategy());
      }
    }
    if (us.getType().equals("RollingUpdate") && us.getRollingUpdate() != null && us.getRollingUpdate().getPartition() == null) {
      us.getRollingUpdate().setPartition(0);
    }
    if (spec.getPersistentVolumeClaimRetentionPolicy() == null) {
      spec.setPersistentVolumeClaimRetentionPolicy(new StatefulSetPersistentVolumeClaimRetentionPolicy());
    }
    var retention = spec.getPersistentVolumeClaimRetentionPolicy();
    if (empty(retention.getWhenDeleted())) {
      retention.setWhenDeleted("Retain");
    }
    if (empty(retention.getWhenScaled())) {
      retention.setWhenScaled("Retain");
    }
    if (spec.getReplicas() == null) {
      spec.setReplicas(1);
    }
    if (spec.getRevisionHistoryLimit() == null) {
      spec.setRevisionHistoryLimit(10);
    }
    if (spec.getTemplate() != null) {
      podTemplateSpec(spec.getTemplate());
    }
    for (PersistentVolumeClaim claim : list(spec.getVolumeClaimTemplates())) {
      persistentVolumeClaim(claim);
    }
  }

  private static void replicationController(ReplicationController rc) {
    if (rc.getSpec() == null) {
      return;
    }
    var spec = rc.getSpec();
    Map<String, String> labels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null ? null
        : spec.getTemplate().getMetadata().getLabels();
    if (labels != null) {
      if (spec.getSelector() == null || spec.getSelector().isEmpty()) {
        spec.setSelector(new LinkedHashMap<>(labels));
      }
      if (rc.getMetadata() != null && (rc.getMetadata().getLabels() == null || rc.getMetadata().getLabels().isEmpty())) {
        rc.getMetadata().setLabels(new LinkedHashMap<>(labels));
      }
    }
    if (spec.getReplicas() == null) {
      spec.setReplicas(1);
    }
    if (spec.getTemplate() != null) {
      podTemplateSpec(spec.getTemplate());
    }
  }

  // ---------------------------------------------------------------- batch

  private static void job(Job j) {
    if (j.getSpec() == null) {
      j.setSpec(new JobSpec());
    }
    JobSpec spec = j.getSpec();
    if (spec.getCompletions() == null && spec.getParallelism() == null) {
      spec.setCompletions(1);
      spec.setParallelism(1);
    }
    if (spec.getParallelism() == null) {
      spec.setParallelism(1);
    }
    if (spec.getBackoffLimit() == null) {
      spec.setBackoffLimit(spec.getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : 6);
    }
    Map<String, String> templateLabels = spec.getTemplate() == null || spec.getTemplate().getMetadata() == null ? null
        : spec.getTemplate().getMetadata().getLabels();
    if (templateLabels != null) {
      if (j.getMetadata() == null) {
        j.setMetadata(new ObjectMeta());
      }
      if (j.getMetadata().getLabels() == null || j.getMetadata().getLabels().isEmpty()) {
        j.getMetadata().setLabels(new LinkedHashMap<>(templateLabels));
      }
    }
    if (spec.getCompletionMode() == null) {
      spec.setCompletionMode("NonIndexed");
    }
    if (spec.getSuspend() == null) {
      spec.setSuspend(false);
    }
    if (spec.getPodFailurePolicy() != null) {
      for (var rule : list(spec.getPodFailurePolicy().getRules())) {
        for (var pattern : list(rule.getOnPodConditions())) {
          if (empty(pattern.getStatus())) {
            pattern.setStatus("True");
          }
        }
      }
    }
    if (spec.getPodReplacementPolicy() == null) {
      spec.setPodReplacementPolicy(spec.getPodFailurePolicy() != null ? "Failed" : "TerminatingOrFailed");
    }
    if (spec.getManualSelector() == null) {
      spec.setManualSelector(false);
    }
    if (spec.getTemplate() != null) {
      podTemplateSpec(spec.getTemplate());
    }
  }

  private static void cronJob(CronJob cj) {
    if (cj.getSpec() == null) {
      cj.setSpec(new CronJobSpec());
    }
    CronJobSpec spec = cj.getSpec();
    if (empty(spec.getConcurrencyPolicy())) {
      spec.setConcurrencyPolicy("Allow");
    }
    if (spec.getSuspend() == null) {
      spec.setSuspend(false);
    }
    if (spec.getSuccessfulJobsHistoryLimit() == null) {
      spec.setSuccessfulJobsHistoryLimit(3);
    }
    if (spec.getFailedJobsHistoryLimit() == null) {
      spec.setFailedJobsHistoryLimit(1);
    }
    if (spec.getJobTemplate() != null && spec.getJobTemplate().getSpec() != null
        && spec.getJobTemplate().getSpec().getTemplate() != null) {
      podTemplateSpec(spec.getJobTemplate().getSpec().getTemplate());
    }
  }

  // ---------------------------------------------------------------- core

  private static void service(Service s) {
    if (s.getSpec() == null) {
      s.setSpec(new ServiceSpec());
    }
    ServiceSpec spec = s.getSpec();
    if (empty(spec.getSessionAffinity())) {
      spec.setSessionAffinity("None");
    }
    if (spec.getSessionAffinity().equals("None")) {
      spec.setSessionAffinityConfig(null);
    }
    if (spec.getSessionAffinity().equals("ClientIP")) {
      SessionAffinityConfig cfg = spec.getSessionAffinityConfig();
      if (cfg == null || cfg.getClientIP() == null || cfg.getClientIP().getTimeoutSeconds() == null) {
        spec.setSessionAffinityConfig(new SessionAffinityConfig(new ClientIPConfig(10800)));
      }
    }
    if (empty(spec.getType())) {
      spec.setType("ClusterIP");
    }
    for (ServicePort sp : list(spec.getPorts())) {
      if (empty(sp.getProtocol())) {
        sp.setProtocol("TCP");
      }
      IntOrString tp = sp.getTargetPort();
      boolean unset = tp == null || (tp.getIntVal() != null && tp.getIntVal() == 0)
          || (tp.getIntVal() == null && (tp.getStrVal() == null || tp.getStrVal().isEmpty()));
      if (unset) {
        sp.setTargetPort(new IntOrString(sp.getPort() == null ? 0 : sp.getPort()));
      }
    }
    String type = spec.getType();
    boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
        || (type.equals("ClusterIP") && !list(spec.getExternalIPs()).isEmpty());
    if (externallyAccessible && empty(spec.getExternalTrafficPolicy())) {
      spec.setExternalTrafficPolicy("Cluster");
    }
    if (spec.getInternalTrafficPolicy() == null
        && (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP"))) {
      spec.setInternalTrafficPolicy("Cluster");
    }
    if (type.equals("LoadBalancer")) {
      if (spec.getAllocateLoadBalancerNodePorts() == null) {
        spec.setAllocateLoadBalancerNodePorts(true);
      }
      if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null) {
        for (var ing : list(s.getStatus().getLoadBalancer().getIngress())) {
          if (!empty(ing.getIp()) && ing.getIpMode() == null) {
            ing.setIpMode("VIP");
          }
        }
      }
    }
  }

  private static void namespace(Namespace n) {
    ObjectMeta meta = n.getMetadata();
    if (meta != null && !empty(meta.getName())) {
      Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
      labels.put("kubernetes.io/metadata.name", meta.getName());
      meta.setLabels(labels);
    }
    if (n.getStatus() == null) {
      n.setStatus(new NamespaceStatus());
    }
    if (empty(n.getStatus().getPhase())) {
      n.getStatus().setPhase("Active");
    }
    // The Namespace strategy's PrepareForCreate requires the "kubernetes" finalizer on new namespaces.
    if (isNew(meta)) {
      if (n.getSpec() == null) {
        n.setSpec(new NamespaceSpec());
      }
      List<String> finalizers = new ArrayList<>(list(n.getSpec().getFinalizers()));
      if (!finalizers.contains("kubernetes")) {
        finalizers.add("kubernetes");
      }
      n.getSpec().setFinalizers(finalizers);
    }
  }

  private static void persistentVolume(PersistentVolume pv) {
    if (pv.getStatus() == null) {
      pv.setStatus(new PersistentVolumeStatus());
    }
    if (empty(pv.getStatus().getPhase())) {
      pv.getStatus().setPhase("Pending");
    }
    if (pv.getSpec() == null) {
      return;
    }
    if (empty(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
      pv.getSpec().setPersistentVolumeReclaimPolicy("Retain");
    }
    if (pv.getSpec().getVolumeMode() == null) {
      pv.getSpec().setVolumeMode("Filesystem");
    }
    if (pv.getSpec().getHostPath() != null && pv.getSpec().getHostPath().getType() == null) {
      pv.getSpec().getHostPath().setType("");
    }
  }

  private static void persistentVolumeClaim(PersistentVolumeClaim pvc) {
    if (pvc.getStatus() == null) {
      pvc.setStatus(new PersistentVolumeClaimStatus());
    }
    if (empty(pvc.getStatus().getPhase())) {
      pvc.getStatus().setPhase("Pending");
    }
    if (pvc.getSpec() == null) {
      pvc.setSpec(new PersistentVolumeClaimSpec());
    }
    pvcSpec(pvc.getSpec());
  }

  private static void pvcSpec(PersistentVolumeClaimSpec spec) {
    if (spec.getVolumeMode() == null) {
      spec.setVolumeMode("Filesystem");
    }
  }

  private static void limitRangeItem(LimitRangeItem item) {
    if (!"Container".equals(item.getType())) {
      return;
    }
    Map<String, Quantity> def = item.getDefault() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item.getDefault());
    Map<String, Quantity> defReq = item.getDefaultRequest() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item.getDefaultRequest());
    for (Map.Entry<String, Quantity> e : map(item.getMax()).entrySet()) {
      def.putIfAbsent(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Quantity> e : def.entrySet()) {
      defReq.putIfAbsent(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Quantity> e : map(item.getMin()).entrySet()) {
      defReq.putIfAbsent(e.getKey(), e.getValue());
    }
    item.setDefault(def);
    item.setDefaultRequest(defReq);
  }

  // ---------------------------------------------------------------- helpers

  /** An object not yet stored: the create-time strategy defaults apply to it. */
  private static boolean isNew(ObjectMeta meta) {
    return meta == null || empty(meta.getResourceVersion());
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static <V> Map<String, V> map(Map<String, V> m) {
    return m == null ? Map.of() : m;
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
