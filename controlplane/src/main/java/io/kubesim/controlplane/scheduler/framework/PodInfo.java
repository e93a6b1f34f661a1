package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler needs from it worked out once (framework.PodInfo): its requests
 * (actual and non-zero), host ports, priority, and its pod affinity terms parsed. Built when a pod
 * enters the queue or the cache, so that the per-node hot path reads fields, not the API object.
 * The pod object itself is shared with the informer and never changed.
 */
public final class PodInfo {

  private static final String[] NO_STRINGS = new String[0];

  private final Pod pod;
  private final String namespace;
  private final String name;
  private final String key;
  private final String uid;
  private final Map<String, String> labels;
  private final int priority;
  private final Resource requests;
  private final long nonZeroCpu;
  private final long nonZeroMemory;
  private final List<ContainerPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<AffinityTerm.Weighted> preferredAffinity;
  private final List<AffinityTerm.Weighted> preferredAntiAffinity;
  private RequiredNodeAffinity requiredNodeAffinity;
  private String[] images;

  private PodInfo(Pod pod) {
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace() == null ? "" : pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.key = namespace + "/" + name;
    this.uid = pod.getMetadata().getUid();
    this.labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    PodSpec spec = pod.getSpec();
    this.priority = spec == null || spec.getPriority() == null ? 0 : spec.getPriority();
    this.requests = Resource.podRequests(spec, false);
    Resource nonZero = Resource.podRequests(spec, true);
    this.nonZeroCpu = nonZero.milliCpu;
    this.nonZeroMemory = nonZero.memory;
    this.hostPorts = hostPorts(spec);
    Affinity a = spec == null ? null : spec.getAffinity();
    List<PodAffinityTerm> reqAff = a == null || a.getPodAffinity() == null ? null
        : a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    List<PodAffinityTerm> reqAnti = a == null || a.getPodAntiAffinity() == null ? null
        : a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    List<WeightedPodAffinityTerm> prefAff = a == null || a.getPodAffinity() == null ? null
        : a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    List<WeightedPodAffinityTerm> prefAnti = a == null || a.getPodAntiAffinity() == null ? null
        : a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    this.requiredAffinity = terms(reqAff);
    this.requiredAntiAffinity = terms(reqAnti);
    this.preferredAffinity = weighted(prefAff);
    this.preferredAntiAffinity = weighted(prefAnti);
  }

  public static PodInfo of(Pod pod) {
    return new PodInfo(pod);
  }

  private List<AffinityTerm> terms(List<PodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (PodAffinityTerm t : terms) {
      if (t != null) {
        out.add(AffinityTerm.of(t, namespace, labels));
      }
    }
    return List.copyOf(out);
  }

  private List<AffinityTerm.Weighted> weighted(List<WeightedPodAffinityTerm> terms) {
    if (terms == null || terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
    for (WeightedPodAffinityTerm t : terms) {
      if (t != null && t.getPodAffinityTerm() != null) {
        out.add(new AffinityTerm.Weighted(AffinityTerm.of(t.getPodAffinityTerm(), namespace, labels),
            t.getWeight() == null ? 0 : t.getWeight()));
      }
    }
    return List.copyOf(out);
  }

  /** Container ports with a host port, init containers first (schedutil.GetHostPorts). */
  private static List<ContainerPort> hostPorts(PodSpec spec) {
    if (spec == null) {
      return List.of();
    }
    List<ContainerPort> out = null;
    for (List<Container> cs : new List[] {spec.getInitContainers(), spec.getContainers()}) {
      if (cs == null) {
        continue;
      }
      for (Container c : cs) {
        if (c.getPorts() == null) {
          continue;
        }
        for (ContainerPort p : c.getPorts()) {
          if (p.getHostPort() != null && p.getHostPort() > 0) {
            if (out == null) {
              out = new ArrayList<>(2);
            }
            out.add(p);
          }
        }
      }
    }
    return out == null ? List.of() : out;
  }

  public Pod pod() {
    return pod;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  /** namespace/name */
  public String key() {
    return key;
  }

  public String uid() {
    return uid;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public int priority() {
    return priority;
  }

  /** The pod's requests as NodeResourcesFit's filter counts them (no defaults for missing requests). */
  public Resource requests() {
    return requests;
  }

  /** CPU with 100m for each container that requests none: what scoring and NodeInfo.NonZeroRequested count. */
  public long nonZeroCpu() {
    return nonZeroCpu;
  }

  public long nonZeroMemory() {
    return nonZeroMemory;
  }

  public List<ContainerPort> hostPorts() {
    return hostPorts;
  }

  public List<Toleration> tolerations() {
    List<Toleration> t = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
    return t == null ? List.of() : t;
  }

  public String nodeName() {
    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
  }

  public boolean terminating() {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public List<AffinityTerm> requiredAffinityTerms() {
    return requiredAffinity;
  }

  public List<AffinityTerm> requiredAntiAffinityTerms() {
    return requiredAntiAffinity;
  }

  public List<AffinityTerm.Weighted> preferredAffinityTerms() {
    return preferredAffinity;
  }

  public List<AffinityTerm.Weighted> preferredAntiAffinityTerms() {
    return preferredAntiAffinity;
  }

  /** Has pod affinity or anti-affinity of any kind (NodeInfo.PodsWithAffinity). */
  public boolean hasAffinity() {
    Affinity a = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
    return a != null && (a.getPodAffinity() != null || a.getPodAntiAffinity() != null);
  }

  public boolean hasRequiredAntiAffinity() {
    return !requiredAntiAffinity.isEmpty();
  }

  /** The pod's nodeSelector and required node affinity, parsed on first use. */
  public RequiredNodeAffinity requiredNodeAffinity() {
    if (requiredNodeAffinity == null) {
      requiredNodeAffinity = RequiredNodeAffinity.of(pod);
    }
    return requiredNodeAffinity;
  }

  /** Image names of init and app containers, with ":latest" added where no tag is given (ImageLocality). */
  public String[] images() {
    if (images == null) {
      List<String> out = new ArrayList<>();
      PodSpec spec = pod.getSpec();
      if (spec != null) {
        for (List<Container> cs : new List[] {spec.getInitContainers(), spec.getContainers()}) {
          if (cs != null) {
            for (Container c : cs) {
              out.add(normalizedImageName(c.getImage() == null ? "" : c.getImage()));
            }
          }
        }
      }
      images = out.isEmpty() ? NO_STRINGS : out.toArray(String[]::new);
    }
    return images;
  }

  /** imagelocality.normalizedImageName: a name without a tag gets ":latest". */
  public static String normalizedImageName(String name) {
    if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
      return name + ":latest";
    }
    return name;
  }

  /** When the pod started (status.startTime), or null if it has not. */
  public Instant startTime() {
    String st = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (st == null || st.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(st);
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
