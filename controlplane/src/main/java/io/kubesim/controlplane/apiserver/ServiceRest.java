package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.kubesim.controlplane.apiserver.allocator.PortRange;
import io.kubesim.controlplane.apiserver.allocator.RangeAllocator;
import io.kubesim.controlplane.apiserver.allocator.ServiceCidr;
import io.kubesim.controlplane.apiserver.validation.GoValue;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.FieldError;
import io.kubesim.shared.api.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Service REST layer's allocators (pkg/registry/core/service/storage/alloc.go): on create a
 * Service gets its IP family fields, a ClusterIP from the service CIDR (a requested one if it is
 * free and in range) and node ports for NodePort and LoadBalancer types (requested ones if free);
 * an update keeps what was allocated, allocates what a type change needs and releases what it no
 * longer needs; a delete releases everything. Allocation is random in the upper part of each range,
 * from the apiserver's seeded generator, as kube-apiserver's allocators do.
 *
 * <p>The cluster is single-stack IPv4: IPv6 addresses and families are refused with kube-apiserver's
 * messages for a cluster without them.
 */
final class ServiceRest {

  static final String IPV4 = "IPv4";
  static final String IPV6 = "IPv6";
  static final String SINGLE_STACK = "SingleStack";
  static final String REQUIRE_DUAL_STACK = "RequireDualStack";
  static final String NONE = "None";

  /** What an allocation did, to be undone if the write fails or made final when it succeeds. */
  static final class Txn {
    static final Txn NONE = new Txn();

    private final List<Runnable> reverts = new ArrayList<>();
    private final List<Runnable> commits = new ArrayList<>();

    /** The write failed: give back what was allocated for it. */
    void revert() {
      for (int i = reverts.size() - 1; i >= 0; i--) {
        reverts.get(i).run();
      }
      reverts.clear();
      commits.clear();
    }

    /** The write is stored: release what the old object held and the new one does not. */
    void commit() {
      for (Runnable r : commits) {
        r.run();
      }
      reverts.clear();
      commits.clear();
    }
  }

  private final ServiceCidr cidr;
  private final PortRange nodePorts;
  private final RangeAllocator ips;
  private final RangeAllocator ports;

  ServiceRest(ApiServerSettings settings, SplittableRandom random) {
    this.cidr = ServiceCidr.parse(settings.serviceClusterIpRange());
    this.nodePorts = PortRange.parse(settings.serviceNodePortRange());
    // ipallocator.calculateRangeOffset: min(max(16, size/16), 256); portallocator: min(max(16, size/32), 128).
    this.ips = new RangeAllocator(cidr.hosts(), RangeAllocator.rangeOffset(cidr.rangeSize(), 16, 16, 256), random);
    this.ports = new RangeAllocator(nodePorts.size(), RangeAllocator.rangeOffset(nodePorts.size(), 16, 32, 128),
        random);
  }

  ServiceCidr cidr() {
    return cidr;
  }

  PortRange nodePortRange() {
    return nodePorts;
  }

  boolean ipAllocated(String ip) {
    int i = cidr.indexOf(ip);
    return i >= 0 && ips.has(i);
  }

  boolean portAllocated(int port) {
    return nodePorts.contains(port) && ports.has(port - nodePorts.base());
  }

  // ---------------------------------------------------------------- start-up

  /** Marks what a stored Service holds, as the repair controllers rebuild the allocators at start. */
  void restore(Service s) {
    for (String ip : clusterIPs(spec(s))) {
      int i = cidr.indexOf(ip);
      if (i >= 0) {
        ips.allocate(i);
      }
    }
    for (int p : nodePortsOf(s)) {
      if (nodePorts.contains(p)) {
        ports.allocate(p - nodePorts.base());
      }
    }
  }

  // ---------------------------------------------------------------- create

  Txn allocateCreate(Service s, boolean dryRun) {
    Txn txn = new Txn();
    ServiceSpec spec = spec(s);
    syncClusterIP(spec);
    initIpFamilyFields(s, null);
    try {
      allocClusterIPs(s, txn, dryRun);
      initNodePorts(s, txn, dryRun);
      if (needsHealthCheck(spec)) {
        allocHealthCheckNodePort(s, txn, dryRun);
      }
    } catch (RuntimeException e) {
      txn.revert();
      throw e;
    }
    return txn;
  }

  // ---------------------------------------------------------------- update

  Txn allocateUpdate(Service old, Service s, boolean dryRun) {
    Txn txn = new Txn();
    ServiceSpec spec = spec(s);
    ServiceSpec oldSpec = spec(old);
    patchAllocatedValues(old, s);
    syncClusterIP(spec);
    initIpFamilyFields(s, old);
    try {
      boolean wasExternalName = "ExternalName".equals(oldSpec.getType());
      boolean isExternalName = "ExternalName".equals(spec.getType());
      if (wasExternalName && !isExternalName) {
        allocClusterIPs(s, txn, dryRun);
      } else if (!wasExternalName && isExternalName && !isHeadless(oldSpec)) {
        for (String ip : clusterIPs(oldSpec)) {
          txn.commits.add(() -> releaseIp(ip));
        }
      }
      boolean oldNeedsPorts = needsNodePorts(oldSpec);
      boolean newNeedsPorts = needsNodePorts(spec);
      if (oldNeedsPorts && !newNeedsPorts) {
        for (int p : nodePortsOf(old)) {
          txn.commits.add(() -> releasePort(p));
        }
      }
      if (newNeedsPorts) {
        updateNodePorts(old, s, txn, dryRun);
      }
      updateHealthCheckNodePort(old, s, txn, dryRun);
    } catch (RuntimeException e) {
      txn.revert();
      throw e;
    }
    return txn;
  }

  /**
   * A PUT that leaves out what the apiserver allocated keeps it (rest.go patchAllocatedValues):
   * the cluster IPs, node ports matched by port name and not taken by another port, the health
   * check node port.
   */
  private void patchAllocatedValues(Service old, Service s) {
    ServiceSpec o = spec(old);
    ServiceSpec n = spec(s);
    if (!"ExternalName".equals(o.getType()) && !"ExternalName".equals(n.getType())) {
      if (empty(n.getClusterIP())) {
        n.setClusterIP(o.getClusterIP());
      }
      if ((n.getClusterIPs() == null || n.getClusterIPs().isEmpty()) && o.getClusterIPs() != null
          && !o.getClusterIPs().isEmpty()) {
        n.setClusterIPs(new ArrayList<>(o.getClusterIPs()));
      }
    }
    if (needsNodePorts(o) && needsNodePorts(n)) {
      Set<Integer> usedOld = new HashSet<>(nodePortsOf(old));
      Set<Integer> used = new HashSet<>();
      for (int p : nodePortsOf(s)) {
        if (usedOld.contains(p)) {
          used.add(p);
        }
      }
      Map<String, Integer> byName = new HashMap<>();
      for (ServicePort p : list(o.getPorts())) {
        byName.put(str(p.getName()), num(p.getNodePort()));
      }
      for (ServicePort p : list(n.getPorts())) {
        if (num(p.getNodePort()) == 0) {
          int was = byName.getOrDefault(str(p.getName()), 0);
          if (was != 0 && !used.contains(was)) {
            p.setNodePort(was);
          }
        }
      }
    }
    if (needsHealthCheck(o) && needsHealthCheck(n) && num(n.getHealthCheckNodePort()) == 0) {
      n.setHealthCheckNodePort(o.getHealthCheckNodePort());
    }
  }

  // ---------------------------------------------------------------- delete

  /** The Service is gone from the store: its addresses and ports are free again. */
  void release(Service s) {
    ServiceSpec spec = spec(s);
    if (!"ExternalName".equals(spec.getType()) && !isHeadless(spec)) {
      for (String ip : clusterIPs(spec)) {
        releaseIp(ip);
      }
    }
    for (int p : nodePortsOf(s)) {
      releasePort(p);
    }
  }

  // ---------------------------------------------------------------- IP families

  /**
   * alloc.go initIPFamilyFields on a single-stack IPv4 cluster: the policy defaults to
   * SingleStack (RequireDualStack for a headless Service without a selector, which then lists
   * both families, as kube-apiserver does); families are inferred from the requested IPs; IPv6
   * and dual-stack requests are refused.
   */
  private void initIpFamilyFields(Service s, Service old) {
    ServiceSpec spec = spec(s);
    if ("ExternalName".equals(spec.getType())) {
      return;
    }
    boolean selectorless = spec.getSelector() == null || spec.getSelector().isEmpty();
    if (spec.getIpFamilyPolicy() == null) {
      if (old != null && spec(old).getIpFamilyPolicy() != null) {
        spec.setIpFamilyPolicy(spec(old).getIpFamilyPolicy());
      } else if (NONE.equals(spec.getClusterIP()) && selectorless) {
        spec.setIpFamilyPolicy(REQUIRE_DUAL_STACK);
      } else {
        spec.setIpFamilyPolicy(SINGLE_STACK);
      }
    }
    List<FieldError> errors = new ArrayList<>();
    List<String> families = new ArrayList<>(list(spec.getIpFamilies()));
    List<String> ipsRequested = clusterIPs(spec);
    if (SINGLE_STACK.equals(spec.getIpFamilyPolicy())) {
      if (ipsRequested.size() == 2) {
        errors.add(FieldError.invalid("spec.ipFamilyPolicy", spec.getIpFamilyPolicy(),
            "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      }
      if (families.size() == 2) {
        errors.add(FieldError.invalid("spec.ipFamilyPolicy", spec.getIpFamilyPolicy(),
            "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
      }
    }
    for (int i = 0; i < ipsRequested.size(); i++) {
      String ip = ipsRequested.get(i);
      if (NONE.equals(ip)) {
        break;
      }
      String family = ip.contains(":") ? IPV6 : IPV4;
      if (i >= families.size()) {
        if (family.equals(IPV6)) {
          errors.add(FieldError.invalid("spec.clusterIPs[" + i + "]", GoValue.stringSlice(ipsRequested),
              IPV6 + " is not configured on this cluster"));
        } else {
          families.add(family);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw invalid(s, errors);
    }
    if (NONE.equals(spec.getClusterIP()) && selectorless) {
      if (families.isEmpty()) {
        families.add(IPV4);
      }
      if (families.size() < 2 && !SINGLE_STACK.equals(spec.getIpFamilyPolicy())) {
        families.add(families.get(0).equals(IPV4) ? IPV6 : IPV4);
      }
      spec.setIpFamilies(families);
      return;
    }
    if (REQUIRE_DUAL_STACK.equals(spec.getIpFamilyPolicy())) {
      errors.add(FieldError.invalid("spec.ipFamilyPolicy", spec.getIpFamilyPolicy(),
          "this cluster is not configured for dual-stack services"));
    }
    for (int i = 0; i < families.size(); i++) {
      if (!IPV4.equals(families.get(i))) {
        errors.add(FieldError.invalid("spec.ipFamilies[" + i + "]", families.get(i), "not configured on this cluster"));
      }
    }
    if (!errors.isEmpty()) {
      throw invalid(s, errors);
    }
    if (families.isEmpty()) {
      families.add(IPV4);
    }
    spec.setIpFamilies(families);
  }

  // ---------------------------------------------------------------- cluster IPs

  private void allocClusterIPs(Service s, Txn txn, boolean dryRun) {
    ServiceSpec spec = spec(s);
    if ("ExternalName".equals(spec.getType()) || isHeadless(spec)) {
      return;
    }
    String requested = clusterIPs(spec).isEmpty() ? "" : clusterIPs(spec).get(0);
    String ip;
    if (requested.isEmpty()) {
      if (dryRun) {
        // alloc.go: a dry run does not look for a free address; it answers with the range's base.
        ip = ServiceCidr.format(cidr.network());
      } else {
        int i = ips.allocateNext();
        if (i < 0) {
          throw new ApiException(ApiErrors.internal("failed to allocate a serviceIP: range is full"));
        }
        ip = cidr.address(i);
        txn.reverts.add(() -> ips.release(i));
      }
    } else {
      int i = cidr.indexOf(requested);
      String why = null;
      if (i < 0) {
        why = "the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is " + cidr;
      } else if (ips.has(i)) {
        why = "provided IP is already allocated";
      }
      if (why != null) {
        throw invalid(s, List.of(FieldError.invalid("spec.clusterIPs", GoValue.stringSlice(clusterIPs(spec)),
            "failed to allocate IP " + requested + ": " + why)));
      }
      if (!dryRun) {
        ips.allocate(i);
        txn.reverts.add(() -> ips.release(i));
      }
      ip = requested;
    }
    spec.setClusterIP(ip);
    List<String> all = new ArrayList<>(list(spec.getClusterIPs()));
    if (all.isEmpty()) {
      all.add(ip);
    } else {
      all.set(0, ip);
    }
    spec.setClusterIPs(all);
  }

  private void releaseIp(String ip) {
    int i = cidr.indexOf(ip);
    if (i >= 0) {
      ips.release(i);
    }
  }

  // ---------------------------------------------------------------- node ports

  /** alloc.go initNodePorts: ports with the same number share one node port; requested ones are honoured. */
  private void initNodePorts(Service s, Txn txn, boolean dryRun) {
    ServiceSpec spec = spec(s);
    if (!"NodePort".equals(spec.getType()) && !"LoadBalancer".equals(spec.getType())) {
      return;
    }
    boolean allocateNew = shouldAllocateNodePorts(spec);
    Map<Integer, Integer> bySvcPort = new LinkedHashMap<>();
    List<ServicePort> svcPorts = list(spec.getPorts());
    for (int i = 0; i < svcPorts.size(); i++) {
      ServicePort sp = svcPorts.get(i);
      if (num(sp.getNodePort()) == 0 && !allocateNew) {
        continue;
      }
      int port = num(sp.getPort());
      Integer already = bySvcPort.get(port);
      if (already == null) {
        int requested = requestedNodePort(port, svcPorts);
        if (requested != 0) {
          allocatePort(s, i, requested, txn, dryRun);
          sp.setNodePort(requested);
          bySvcPort.put(port, requested);
        } else {
          int np = allocateNextPort(txn, dryRun);
          sp.setNodePort(np);
          bySvcPort.put(port, np);
        }
      } else if (num(sp.getNodePort()) != already) {
        if (num(sp.getNodePort()) == 0) {
          sp.setNodePort(already);
        } else {
          allocatePort(s, i, num(sp.getNodePort()), txn, dryRun);
        }
      }
    }
  }

  /** findRequestedNodePort: the first node port asked for by a service port with this port number. */
  private static int requestedNodePort(int port, List<ServicePort> all) {
    for (ServicePort sp : all) {
      if (num(sp.getPort()) == port && num(sp.getNodePort()) != 0) {
        return num(sp.getNodePort());
      }
    }
    return 0;
  }

  /** alloc.go updateNodePorts: keep the ports still in use, allocate new ones, release the rest on success. */
  private void updateNodePorts(Service old, Service s, Txn txn, boolean dryRun) {
    ServiceSpec spec = spec(s);
    List<Integer> oldPorts = nodePortsOf(old);
    Set<Integer> taken = new HashSet<>();
    boolean allocateNew = shouldAllocateNodePorts(spec);
    List<ServicePort> svcPorts = list(spec.getPorts());
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < svcPorts.size(); i++) {
      ServicePort sp = svcPorts.get(i);
      int np = num(sp.getNodePort());
      if (np == 0 && !allocateNew) {
        continue;
      }
      if (np != 0) {
        if (!oldPorts.contains(np) && !taken.contains(np)) {
          allocatePort(s, i, np, txn, dryRun);
          taken.add(np);
        }
      } else {
        np = allocateNextPort(txn, dryRun);
        sp.setNodePort(np);
      }
      String key = str(sp.getProtocol()) + "/" + np;
      if (seen.contains(key)) {
        throw new ApiException(ApiErrors.internal("duplicate nodePort: {" + str(sp.getProtocol()) + " " + np + "}"));
      }
      seen.add(key);
    }
    List<Integer> now = nodePortsOf(s);
    for (int p : oldPorts) {
      if (!now.contains(p)) {
        txn.commits.add(() -> releasePort(p));
      }
    }
  }

  private void allocHealthCheckNodePort(Service s, Txn txn, boolean dryRun) {
    ServiceSpec spec = spec(s);
    int requested = num(spec.getHealthCheckNodePort());
    if (requested != 0) {
      if (!nodePorts.contains(requested) || ports.has(requested - nodePorts.base())) {
        String why = !nodePorts.contains(requested)
            ? "provided port is not in the valid range. The range of valid ports is " + nodePorts
            : "provided port is already allocated";
        throw new ApiException(ApiErrors.internal("failed to allocate requested HealthCheck NodePort " + requested
            + ": " + why));
      }
      if (!dryRun) {
        ports.allocate(requested - nodePorts.base());
        txn.reverts.add(() -> releasePort(requested));
      }
    } else {
      spec.setHealthCheckNodePort(allocateNextPort(txn, dryRun));
    }
  }

  private void updateHealthCheckNodePort(Service old, Service s, Txn txn, boolean dryRun) {
    boolean needed = needsHealthCheck(spec(old));
    boolean needs = needsHealthCheck(spec(s));
    if (!needed && needs) {
      allocHealthCheckNodePort(s, txn, dryRun);
    } else if (needed && !needs) {
      int was = num(spec(old).getHealthCheckNodePort());
      if (was != 0) {
        txn.commits.add(() -> releasePort(was));
      }
      spec(s).setHealthCheckNodePort(null);
    }
  }

  private void allocatePort(Service s, int index, int port, Txn txn, boolean dryRun) {
    String why = null;
    if (!nodePorts.contains(port)) {
      why = "provided port is not in the valid range. The range of valid ports is " + nodePorts;
    } else if (ports.has(port - nodePorts.base())) {
      why = "provided port is already allocated";
    }
    if (why != null) {
      throw invalid(s, List.of(FieldError.invalid("spec.ports[" + index + "].nodePort", port, why)));
    }
    if (!dryRun) {
      ports.allocate(port - nodePorts.base());
      txn.reverts.add(() -> releasePort(port));
    }
  }

  private int allocateNextPort(Txn txn, boolean dryRun) {
    if (dryRun) {
      return nodePorts.base();
    }
    int i = ports.allocateNext();
    if (i < 0) {
      throw new ApiException(ApiErrors.internal("failed to allocate a nodePort: range is full"));
    }
    txn.reverts.add(() -> ports.release(i));
    return nodePorts.base() + i;
  }

  private void releasePort(int port) {
    if (nodePorts.contains(port)) {
      ports.release(port - nodePorts.base());
    }
  }

  // ---------------------------------------------------------------- the kubernetes Service

  /**
   * The {@code kubernetes} Service that kube-apiserver's bootstrap controller keeps in
   * {@code default} (pkg/controlplane/controller/kubernetesservice): the first address of the
   * service range, port 443 ("https") to the apiserver's secure port.
   */
  Service kubernetesService(int securePort) {
    return new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
        .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(cidr.address(0)).withClusterIPs(cidr.address(0))
        .withSessionAffinity("None").withIpFamilies(IPV4).withIpFamilyPolicy(SINGLE_STACK)
        .withInternalTrafficPolicy("Cluster")
        .addNewPort().withName("https").withProtocol("TCP").withPort(443).withTargetPort(new IntOrString(securePort))
        .endPort().endSpec().build();
  }

  // ---------------------------------------------------------------- helpers

  private static ApiException invalid(Service s, List<FieldError> errors) {
    String name = s.getMetadata() == null ? "" : str(s.getMetadata().getName());
    return new ApiException(ApiErrors.invalid(Resources.SERVICES, name, errors));
  }

  /** The v1 defaulting keeps clusterIP and clusterIPs[0] in step when only one of them is given. */
  private static void syncClusterIP(ServiceSpec spec) {
    List<String> all = list(spec.getClusterIPs());
    if (all.isEmpty() && !empty(spec.getClusterIP())) {
      spec.setClusterIPs(new ArrayList<>(List.of(spec.getClusterIP())));
    } else if (!all.isEmpty() && empty(spec.getClusterIP())) {
      spec.setClusterIP(all.get(0));
    }
  }

  static List<String> clusterIPs(ServiceSpec spec) {
    List<String> all = list(spec.getClusterIPs());
    if (all.isEmpty() && !empty(spec.getClusterIP())) {
      return List.of(spec.getClusterIP());
    }
    return all;
  }

  static boolean isHeadless(ServiceSpec spec) {
    List<String> all = clusterIPs(spec);
    return !all.isEmpty() && NONE.equals(all.get(0));
  }

  private static boolean needsNodePorts(ServiceSpec spec) {
    return "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
  }

  /** LoadBalancer Services may opt out of node ports (allocateLoadBalancerNodePorts: false). */
  private static boolean shouldAllocateNodePorts(ServiceSpec spec) {
    if ("NodePort".equals(spec.getType())) {
      return true;
    }
    return "LoadBalancer".equals(spec.getType()) && !Boolean.FALSE.equals(spec.getAllocateLoadBalancerNodePorts());
  }

  /** pkg/api/service NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
  private static boolean needsHealthCheck(ServiceSpec spec) {
    return "LoadBalancer".equals(spec.getType()) && "Local".equals(spec.getExternalTrafficPolicy());
  }

  /** Every node port the Service holds, health check port included (collectServiceNodePorts). */
  static List<Integer> nodePortsOf(Service s) {
    List<Integer> out = new ArrayList<>();
    ServiceSpec spec = spec(s);
    for (ServicePort p : list(spec.getPorts())) {
      int np = num(p.getNodePort());
      if (np != 0 && !out.contains(np)) {
        out.add(np);
      }
    }
    int hc = num(spec.getHealthCheckNodePort());
    if (hc != 0 && !out.contains(hc)) {
      out.add(hc);
    }
    return out;
  }

  private static ServiceSpec spec(Service s) {
    if (s.getSpec() == null) {
      s.setSpec(new ServiceSpec());
    }
    return s.getSpec();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static int num(Integer i) {
    return i == null ? 0 : i;
  }

  private static String str(String s) {
    return s == null ? "" : s;
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
