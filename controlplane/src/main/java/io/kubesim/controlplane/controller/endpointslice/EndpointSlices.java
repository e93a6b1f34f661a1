package io.kubesim.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kubesim.controlplane.controller.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the EndpointSlice controller computes, as pure functions (pkg/controller/endpointslice
 * reconciler.go and staging/src/k8s.io/endpointslice utils.go): the endpoint of each pod a Service
 * selects, its ports resolved from the Service's targetPorts, and the creates, updates and deletes
 * that bring the Service's slices to that state with little churn.
 */
public final class EndpointSlices {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  /** {@code --max-endpoints-per-slice} (100). */
  public static final int DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

  private EndpointSlices() {}

  /** The slices to write: new ones (named by generateName), changed ones, and ones to remove. */
  public record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    public boolean isEmpty() {
      return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }
  }

  // ---------------------------------------------------------------- pods

  /**
   * ShouldPodBeInEndpoints: a pod that has an IP and has not finished; terminating pods only when
   * asked (slices keep them, with terminating=true; the legacy Endpoints drop them).
   */
  public static boolean shouldPodBeInEndpoints(Pod pod, boolean includeTerminating) {
    String phase = Pods.phase(pod);
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    if (pod.getStatus() == null || ((pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty())
        && (pod.getStatus().getPodIPs() == null || pod.getStatus().getPodIPs().isEmpty()))) {
      return false;
    }
    return includeTerminating || !Pods.terminating(pod);
  }

  public static String podIp(Pod pod) {
    if (pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()) {
      return pod.getStatus().getPodIP();
    }
    return pod.getStatus().getPodIPs().get(0).getIp();
  }

  /**
   * podutil.FindPort: a numeric targetPort as it is; a named one looked up among the ports of the
   * pod's containers (and restartable init containers) with the service port's protocol; -1 when
   * the pod has no such port.
   */
  public static int findPort(Pod pod, ServicePort sp) {
    IntOrString target = sp.getTargetPort();
    String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
    if (target == null) {
      return sp.getPort() == null ? -1 : sp.getPort();
    }
    if (target.getStrVal() == null) {
      return target.getIntVal() == null ? -1 : target.getIntVal();
    }
    String name = target.getStrVal();
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      containers.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        if ("Always".equals(c.getRestartPolicy())) {
          containers.add(c);
        }
      }
    }
    for (Container c : containers) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
        if (name.equals(p.getName()) && protocol.equals(pp)) {
          return p.getContainerPort();
        }
      }
    }
    return -1;
  }

  /** getEndpointPorts: one port per service port the pod has, named as the service port. */
  public static List<EndpointPort> endpointPorts(Service svc, Pod pod) {
    List<EndpointPort> out = new ArrayList<>();
    if (svc.getSpec().getPorts() == null) {
      return out;
    }
    for (ServicePort sp : svc.getSpec().getPorts()) {
      int port = findPort(pod, sp);
      if (port < 0) {
        continue;
      }
      out.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName()).withPort(port)
          .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).withAppProtocol(sp.getAppProtocol())
          .build());
    }
    return out;
  }

  /** endpointutil.ShouldSetHostname: the pod's hostname, when its subdomain is this Service. */
  public static boolean shouldSetHostname(Pod pod, Service svc) {
    return pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
        && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())
        && Objects.equals(svc.getMetadata().getNamespace(), pod.getMetadata().getNamespace());
  }

  /**
   * podToEndpoint: ready when the pod is Ready and not terminating, serving when it is Ready,
   * terminating when it is being deleted; publishNotReadyAddresses makes it ready and serving
   * whatever its state.
   */
  public static Endpoint endpoint(Pod pod, Node node, Service svc) {
    boolean publish = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    boolean serving = publish || Pods.isReady(pod);
    boolean terminating = Pods.terminating(pod);
    boolean ready = publish || (serving && !terminating);
    EndpointBuilder b = new EndpointBuilder().withAddresses(podIp(pod)).withNewConditions().withReady(ready)
        .withServing(serving).withTerminating(terminating).endConditions()
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    String nodeName = Pods.nodeName(pod);
    if (!nodeName.isEmpty()) {
      b.withNodeName(nodeName);
    }
    if (node != null && node.getMetadata().getLabels() != null) {
      String zone = node.getMetadata().getLabels().get(ZONE_LABEL);
      if (zone != null && !zone.isEmpty()) {
        b.withZone(zone);
      }
    }
    if (shouldSetHostname(pod, svc)) {
      b.withHostname(pod.getSpec().getHostname());
    }
    return b.build();
  }

  // ---------------------------------------------------------------- slices

  /** The labels a managed slice carries: the Service's, the service name, the manager, headless. */
  public static Map<String, String> sliceLabels(Service svc) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (svc.getMetadata().getLabels() != null) {
      labels.putAll(svc.getMetadata().getLabels());
    }
    labels.put(SERVICE_NAME_LABEL, svc.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, CONTROLLER_NAME);
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put(HEADLESS_LABEL, "");
    } else {
      labels.remove(HEADLESS_LABEL);
    }
    return labels;
  }

  /** Whether the slice is one this controller manages for the Service. */
  public static boolean managedBy(EndpointSlice s, String serviceName) {
    Map<String, String> l = s.getMetadata().getLabels();
    return l != null && CONTROLLER_NAME.equals(l.get(MANAGED_BY_LABEL))
        && (serviceName == null || serviceName.equals(l.get(SERVICE_NAME_LABEL)));
  }

  /** getEndpointSlicePrefix: the Service's name (cut to 58 characters) and a dash. */
  static String generateName(Service svc) {
    String name = svc.getMetadata().getName();
    return (name.length() > 58 ? name.substring(0, 58) : name) + "-";
  }

  private static EndpointSlice newSlice(Service svc, List<EndpointPort> ports, List<Endpoint> endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withGenerateName(generateName(svc))
        .withNamespace(svc.getMetadata().getNamespace()).withLabels(sliceLabels(svc))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
            .withName(svc.getMetadata().getName()).withUid(svc.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata().withAddressType("IPv4").withPorts(ports).withEndpoints(endpoints).build();
  }

  private static String portsKey(List<EndpointPort> ports) {
    if (ports == null) {
      return "<placeholder>";
    }
    StringBuilder sb = new StringBuilder();
    for (EndpointPort p : ports) {
      sb.append(p.getName()).append('/').append(p.getProtocol()).append('/').append(p.getPort()).append('/')
          .append(p.getAppProtocol()).append(';');
    }
    return sb.toString();
  }

  private static String endpointKey(Endpoint e) {
    String ref = e.getTargetRef() == null ? "" : e.getTargetRef().getNamespace() + "/" + e.getTargetRef().getName();
    return ref + "@" + String.join(",", e.getAddresses());
  }

  /**
   * The reconciler: the desired endpoints of the Service, grouped by their port set, laid over the
   * existing slices. An endpoint stays in the slice that has it (updated if it changed); slices
   * left empty go; new endpoints fill the slices being updated first, then one existing slice with
   * room for all of them, then new slices of at most {@code maxPerSlice}. A Service that selects
   * nothing keeps one placeholder slice, without ports or endpoints.
   *
   * @param pods the pods the Service's selector picks, in a stable order
   * @param nodes the nodes by name (for the zone)
   * @param existing the slices this controller manages for the Service
   */
  public static Plan reconcile(Service svc, List<Pod> pods, Function<String, Node> nodes,
      List<EndpointSlice> existing, int maxPerSlice) {
    // Desired endpoints by port set, in pod order.
    Map<String, List<EndpointPort>> portsByKey = new LinkedHashMap<>();
    Map<String, Map<String, Endpoint>> desired = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!shouldPodBeInEndpoints(pod, true)) {
        continue;
      }
      List<EndpointPort> ports = endpointPorts(svc, pod);
      String pk = portsKey(ports);
      portsByKey.putIfAbsent(pk, ports);
      Endpoint e = endpoint(pod, nodes.apply(Pods.nodeName(pod)), svc);
      desired.computeIfAbsent(pk, k -> new LinkedHashMap<>()).put(endpointKey(e), e);
    }
    Map<String, String> labels = sliceLabels(svc);
    List<EndpointSlice> create = new ArrayList<>();
    List<EndpointSlice> update = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    List<EndpointSlice> placeholders = new ArrayList<>();
    Map<String, List<EndpointSlice>> existingByKey = new LinkedHashMap<>();
    for (EndpointSlice s : existing) {
      if ((s.getPorts() == null || s.getPorts().isEmpty()) && (s.getEndpoints() == null
          || s.getEndpoints().isEmpty())) {
        placeholders.add(s);
        continue;
      }
      existingByKey.computeIfAbsent(portsKey(s.getPorts() == null ? List.of() : s.getPorts()),
          k -> new ArrayList<>()).add(s);
    }
    for (Map.Entry<String, List<EndpointSlice>> g : existingByKey.entrySet()) {
      if (!desired.containsKey(g.getKey())) {
        delete.addAll(g.getValue());
      }
    }
    for (Map.Entry<String, Map<String, Endpoint>> g : desired.entrySet()) {
      Map<String, Endpoint> wanted = new LinkedHashMap<>(g.getValue());
      List<EndpointPort> ports = portsByKey.get(g.getKey());
      List<EndpointSlice> updating = new ArrayList<>();
      List<EndpointSlice> unchanged = new ArrayList<>();
      for (EndpointSlice s : existingByKey.getOrDefault(g.getKey(), List.of())) {
        List<Endpoint> kept = new ArrayList<>();
        boolean changed = false;
        for (Endpoint e : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
          Endpoint want = wanted.remove(endpointKey(e));
          if (want == null) {
            changed = true;
          } else {
            kept.add(want);
            changed |= !want.equals(e);
          }
        }
        if (kept.isEmpty()) {
          delete.add(s);
          continue;
        }
        boolean labelsChanged = !labels.equals(s.getMetadata().getLabels());
        if (changed || labelsChanged) {
          updating.add(new EndpointSliceBuilder(s).editMetadata().withLabels(labels).endMetadata()
              .withEndpoints(kept).build());
        } else {
          unchanged.add(s);
        }
      }
      List<Endpoint> remaining = new ArrayList<>(wanted.values());
      // 1. Into the slices already being updated, while they have room.
      for (int i = 0; i < updating.size() && !remaining.isEmpty(); i++) {
        EndpointSlice s = updating.get(i);
        List<Endpoint> eps = new ArrayList<>(s.getEndpoints());
        while (eps.size() < maxPerSlice && !remaining.isEmpty()) {
          eps.add(remaining.remove(0));
        }
        updating.set(i, new EndpointSliceBuilder(s).withEndpoints(eps).build());
      }
      // 2. All of the rest into one unchanged slice with room for them.
      if (!remaining.isEmpty()) {
        for (int i = 0; i < unchanged.size(); i++) {
          EndpointSlice s = unchanged.get(i);
          if (s.getEndpoints().size() + remaining.size() <= maxPerSlice) {
            List<Endpoint> eps = new ArrayList<>(s.getEndpoints());
            eps.addAll(remaining);
            remaining.clear();
            updating.add(new EndpointSliceBuilder(s).editMetadata().withLabels(labels).endMetadata()
                .withEndpoints(eps).build());
            break;
          }
        }
      }
      // 3. New slices for what is left.
      while (!remaining.isEmpty()) {
        int n = Math.min(maxPerSlice, remaining.size());
        create.add(newSlice(svc, ports, new ArrayList<>(remaining.subList(0, n))));
        remaining.subList(0, n).clear();
      }
      update.addAll(updating);
    }
    // A Service that selects nothing keeps a single placeholder slice.
    boolean anyLeft = !create.isEmpty() || !update.isEmpty();
    if (!anyLeft) {
      for (List<EndpointSlice> l : existingByKey.values()) {
        for (EndpointSlice s : l) {
          if (!delete.contains(s)) {
            anyLeft = true;
          }
        }
      }
    }
    if (anyLeft) {
      delete.addAll(placeholders);
    } else if (placeholders.isEmpty()) {
      create.add(newSlice(svc, List.of(), List.of()));
    } else {
      for (int i = 1; i < placeholders.size(); i++) {
        delete.add(placeholders.get(i));
      }
      EndpointSlice keep = placeholders.get(0);
      if (!labels.equals(keep.getMetadata().getLabels())) {
        update.add(new EndpointSliceBuilder(keep).editMetadata().withLabels(labels).endMetadata().build());
      }
    }
    // Creates become updates of slices that would otherwise be deleted (reconciler.go finalize),
    // so a placeholder turns into the first real slice rather than being replaced.
    for (int i = 0; i < delete.size() && !create.isEmpty(); ) {
      EndpointSlice gone = delete.get(i);
      if (!"IPv4".equals(gone.getAddressType()) || !ownedBy(gone, svc)) {
        i++;
        continue;
      }
      EndpointSlice fresh = create.remove(create.size() - 1);
      update.add(new EndpointSliceBuilder(fresh).editMetadata().withName(gone.getMetadata().getName())
          .withGenerateName(gone.getMetadata().getGenerateName()).withUid(gone.getMetadata().getUid())
          .withResourceVersion(gone.getMetadata().getResourceVersion())
          .withCreationTimestamp(gone.getMetadata().getCreationTimestamp()).endMetadata().build());
      delete.remove(i);
    }
    return new Plan(create, update, delete);
  }

  private static boolean ownedBy(EndpointSlice s, Service svc) {
    if (s.getMetadata().getOwnerReferences() == null) {
      return false;
    }
    for (var ref : s.getMetadata().getOwnerReferences()) {
      if ("Service".equals(ref.getKind()) && Objects.equals(ref.getUid(), svc.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }
}
