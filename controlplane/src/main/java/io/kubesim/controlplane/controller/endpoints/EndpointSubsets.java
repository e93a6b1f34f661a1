package io.kubesim.controlplane.controller.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.endpointslice.EndpointSlices;
import io.kubesim.controlplane.apiserver.allocator.ServiceCidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the legacy Endpoints controller computes (pkg/controller/endpoint/endpoints_controller.go
 * syncService and pkg/api/v1/endpoints RepackSubsets), as a pure function: one address per
 * selected pod with an IP, in {@code addresses} when the pod is Ready and in
 * {@code notReadyAddresses} otherwise; terminating pods are left out (unless the Service publishes
 * not-ready addresses); addresses with the same ports share a subset.
 */
public final class EndpointSubsets {

  /** maxCapacity: an Endpoints object holds at most this many addresses. */
  public static final int MAX_CAPACITY = 1000;
  public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";

  private EndpointSubsets() {}

  public static List<EndpointSubset> compute(Service svc, List<Pod> pods) {
    boolean publish = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    boolean headless = "None".equals(svc.getSpec().getClusterIP());
    List<ServicePort> svcPorts = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    // Port set key -> (ports, ready addresses, not-ready addresses).
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!EndpointSlices.shouldPodBeInEndpoints(pod, publish)) {
        continue;
      }
      EndpointAddress address = address(pod, svc);
      boolean ready = publish || Pods.isReady(pod);
      if (svcPorts.isEmpty()) {
        if (headless) {
          group(groups, List.of()).add(address, ready);
        }
        continue;
      }
      for (ServicePort sp : svcPorts) {
        int port = EndpointSlices.findPort(pod, sp);
        if (port < 0) {
          continue;
        }
        EndpointPort ep = new EndpointPortBuilder().withName(sp.getName() == null || sp.getName().isEmpty() ? null
            : sp.getName()).withPort(port).withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
            .withAppProtocol(sp.getAppProtocol()).build();
        group(groups, List.of(ep)).add(address, ready);
      }
    }
    return repack(groups);
  }

  private static EndpointAddress address(Pod pod, Service svc) {
    EndpointAddressBuilder b = new EndpointAddressBuilder().withIp(EndpointSlices.podIp(pod))
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    String node = Pods.nodeName(pod);
    if (!node.isEmpty()) {
      b.withNodeName(node);
    }
    if (EndpointSlices.shouldSetHostname(pod, svc)) {
      b.withHostname(pod.getSpec().getHostname());
    }
    return b.build();
  }

  private static final class Group {
    final List<EndpointPort> ports = new ArrayList<>();
    final Map<String, EndpointAddress> ready = new TreeMap<>();
    final Map<String, EndpointAddress> notReady = new TreeMap<>();

    void add(EndpointAddress a, boolean isReady) {
      (isReady ? ready : notReady).put(a.getIp() + "/" + a.getTargetRef().getUid(), a);
    }
  }

  private static Group group(Map<String, Group> groups, List<EndpointPort> ports) {
    String key = portKey(ports);
    return groups.computeIfAbsent(key, k -> {
      Group g = new Group();
      g.ports.addAll(ports);
      return g;
    });
  }

  private static String portKey(List<EndpointPort> ports) {
    StringBuilder sb = new StringBuilder();
    for (EndpointPort p : ports) {
      sb.append(p.getName()).append('/').append(p.getProtocol()).append('/').append(p.getPort()).append(';');
    }
    return sb.toString();
  }

  /**
   * RepackSubsets: an address that appears with several ports gets one subset with all of them;
   * addresses with the same port set share it; addresses sorted by IP, subsets by their ports.
   */
  private static List<EndpointSubset> repack(Map<String, Group> byPort) {
    // Address (ready or not) -> its ports.
    Map<String, EndpointAddress> addresses = new TreeMap<>();
    Map<String, Boolean> readiness = new TreeMap<>();
    Map<String, List<EndpointPort>> portsOf = new TreeMap<>();
    for (Group g : byPort.values()) {
      for (var e : g.ready.entrySet()) {
        addresses.put(e.getKey(), e.getValue());
        readiness.put(e.getKey(), true);
        portsOf.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(g.ports);
      }
      for (var e : g.notReady.entrySet()) {
        addresses.put(e.getKey(), e.getValue());
        readiness.putIfAbsent(e.getKey(), false);
        portsOf.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(g.ports);
      }
    }
    Map<String, Group> bySet = new TreeMap<>();
    for (var e : addresses.entrySet()) {
      List<EndpointPort> ports = new ArrayList<>(portsOf.get(e.getKey()));
      ports.sort(Comparator.comparing(p -> String.valueOf(p.getName()) + "/" + p.getProtocol() + "/" + p.getPort()));
      String key = portKey(ports);
      Group g = bySet.computeIfAbsent(key, k -> {
        Group n = new Group();
        n.ports.addAll(ports);
        return n;
      });
      g.add(e.getValue(), readiness.get(e.getKey()));
    }
    List<EndpointSubset> out = new ArrayList<>();
    for (Group g : bySet.values()) {
      EndpointSubsetBuilder b = new EndpointSubsetBuilder();
      if (!g.ready.isEmpty()) {
        b.withAddresses(sortByIp(g.ready.values()));
      }
      if (!g.notReady.isEmpty()) {
        b.withNotReadyAddresses(sortByIp(g.notReady.values()));
      }
      if (!g.ports.isEmpty()) {
        b.withPorts(g.ports);
      }
      out.add(b.build());
    }
    return out;
  }

  private static List<EndpointAddress> sortByIp(java.util.Collection<EndpointAddress> in) {
    List<EndpointAddress> l = new ArrayList<>(in);
    l.sort(Comparator.comparingLong((EndpointAddress a) -> ServiceCidr.parseIp(a.getIp()))
        .thenComparing(a -> a.getTargetRef().getUid() == null ? "" : a.getTargetRef().getUid()));
    return l;
  }

  /** The number of addresses, ready or not. */
  public static int count(List<EndpointSubset> subsets) {
    int n = 0;
    for (EndpointSubset s : subsets) {
      n += (s.getAddresses() == null ? 0 : s.getAddresses().size())
          + (s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size());
    }
    return n;
  }

  /** truncateEndpoints: cut to {@link #MAX_CAPACITY} addresses, ready ones kept first. */
  public static List<EndpointSubset> truncate(List<EndpointSubset> subsets) {
    int budget = MAX_CAPACITY;
    List<EndpointSubset> out = new ArrayList<>();
    for (EndpointSubset s : subsets) {
      List<EndpointAddress> ready = s.getAddresses() == null ? List.of() : s.getAddresses();
      int keep = Math.min(budget, ready.size());
      budget -= keep;
      out.add(new EndpointSubsetBuilder(s).withAddresses(keep == 0 ? null : new ArrayList<>(ready.subList(0, keep)))
          .build());
    }
    for (int i = 0; i < out.size(); i++) {
      EndpointSubset s = out.get(i);
      List<EndpointAddress> notReady = s.getNotReadyAddresses() == null ? List.of() : s.getNotReadyAddresses();
      int keep = Math.min(budget, notReady.size());
      budget -= keep;
      out.set(i, new EndpointSubsetBuilder(s).withNotReadyAddresses(keep == 0 ? null
          : new ArrayList<>(notReady.subList(0, keep))).build());
    }
    out.removeIf(s -> (s.getAddresses() == null || s.getAddresses().isEmpty())
        && (s.getNotReadyAddresses() == null || s.getNotReadyAddresses().isEmpty()));
    return out;
  }
}
