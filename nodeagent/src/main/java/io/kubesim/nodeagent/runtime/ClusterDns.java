package io.kubesim.nodeagent.runtime;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's view of the cluster's Services and EndpointSlices, as its kube-proxy and the
 * cluster's CoreDNS (the kubernetes plugin) see them: names to addresses, and where a connection
 * to an address and port goes. The container runtime keeps it current from its watches; a node cut
 * off from the control plane keeps the last view it had.
 *
 * <p>Names (pods' /etc/resolv.conf has the search path and {@code ndots:5}):
 * {@code <svc>.<ns>.svc.cluster.local} is the Service's ClusterIP, or for a headless Service the
 * addresses of its ready endpoints (all of them with publishNotReadyAddresses);
 * {@code <hostname>.<svc>.<ns>.svc.cluster.local} is the endpoint with that hostname (pods with
 * hostname and subdomain, as a StatefulSet's); an ExternalName Service is a CNAME;
 * {@code a-b-c-d.<ns>.pod.cluster.local} is the address a.b.c.d. Names outside the cluster domain do
 * not resolve: the simulated cluster has no upstream resolver.
 */
public final class ClusterDns {

  public static final String DOMAIN = "cluster.local";
  /** The cluster DNS Service's address that /etc/resolv.conf names (kubeadm's 10th address of the range). */
  public static final String NAMESERVER = "10.96.0.10";

  /** The answer to a lookup: the name found, its addresses, or the CNAME target; null fields when not found. */
  public record Answer(String name, List<String> addresses, String canonicalName) {
    public boolean found() {
      return name != null;
    }
  }

  /** Where a TCP connection to an address and port ends up. */
  public enum Reach { OPEN, REFUSED, TIMEOUT }

  /** The outcome of a connection: how it went, and the backend (pod name, address, port) that answered. */
  public record Connection(Reach reach, String backendPod, String backendAddress, int backendPort) {}

  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, Map<String, EndpointSlice>> slicesByService = new TreeMap<>();
  private final Map<String, String> sliceOwner = new TreeMap<>();
  private final Map<String, String> serviceByClusterIp = new TreeMap<>();

  // ---------------------------------------------------------------- keeping the view

  public void put(Service s) {
    String key = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    Service old = services.put(key, s);
    if (old != null) {
      serviceByClusterIp.remove(clusterIp(old));
    }
    String ip = clusterIp(s);
    if (ip != null) {
      serviceByClusterIp.put(ip, key);
    }
  }

  public void remove(Service s) {
    String key = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    Service old = services.remove(key);
    if (old != null) {
      serviceByClusterIp.remove(clusterIp(old));
    }
  }

  public void put(EndpointSlice s) {
    String sliceKey = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    String svc = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels()
        .get("kubernetes.io/service-name");
    remove(s);
    if (svc == null) {
      return;
    }
    String owner = key(s.getMetadata().getNamespace(), svc);
    sliceOwner.put(sliceKey, owner);
    slicesByService.computeIfAbsent(owner, k -> new TreeMap<>()).put(sliceKey, s);
  }

  public void remove(EndpointSlice s) {
    String sliceKey = key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    String owner = sliceOwner.remove(sliceKey);
    if (owner != null) {
      Map<String, EndpointSlice> m = slicesByService.get(owner);
      if (m != null) {
        m.remove(sliceKey);
        if (m.isEmpty()) {
          slicesByService.remove(owner);
        }
      }
    }
  }

  public int serviceCount() {
    return services.size();
  }

  // ---------------------------------------------------------------- names

  /**
   * Resolves a name as the pod's resolver would: a name with fewer than {@code ndots} dots (and
   * no trailing dot) is tried with each search domain first, then as it is.
   */
  public Answer lookup(String name, List<String> search, int ndots) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.endsWith(".")) {
      return lookupFqdn(n.substring(0, n.length() - 1));
    }
    long dots = n.chars().filter(c -> c == '.').count();
    List<String> candidates = new ArrayList<>();
    if (dots >= ndots) {
      candidates.add(n);
    }
    for (String domain : search) {
      candidates.add(n + "." + domain);
    }
    if (dots < ndots) {
      candidates.add(n);
    }
    for (String c : candidates) {
      Answer a = lookupFqdn(c);
      if (a.found()) {
        return a;
      }
    }
    return new Answer(null, List.of(), null);
  }

  /** What CoreDNS's kubernetes plugin answers for a fully qualified name. */
  public Answer lookupFqdn(String fqdn) {
    String suffix = "." + DOMAIN;
    if (!fqdn.endsWith(suffix)) {
      return new Answer(null, List.of(), null);
    }
    String[] labels = fqdn.substring(0, fqdn.length() - suffix.length()).split("\\.");
    // <svc>.<ns>.svc, <hostname>.<svc>.<ns>.svc, <a-b-c-d>.<ns>.pod
    if (labels.length == 3 && labels[2].equals("svc")) {
      Service s = services.get(key(labels[1], labels[0]));
      if (s == null) {
        return new Answer(null, List.of(), null);
      }
      if ("ExternalName".equals(s.getSpec().getType())) {
        return new Answer(fqdn, List.of(), s.getSpec().getExternalName());
      }
      String ip = clusterIp(s);
      if (ip != null) {
        return new Answer(fqdn, List.of(ip), null);
      }
      List<String> ips = new ArrayList<>();
      boolean publish = Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses());
      for (Endpoint e : endpoints(labels[1], labels[0])) {
        if (publish || Boolean.TRUE.equals(e.getConditions().getReady())) {
          for (String a : e.getAddresses()) {
            if (!ips.contains(a)) {
              ips.add(a);
            }
          }
        }
      }
      return ips.isEmpty() ? new Answer(null, List.of(), null) : new Answer(fqdn, ips, null);
    }
    if (labels.length == 4 && labels[3].equals("svc")) {
      Service s = services.get(key(labels[2], labels[1]));
      if (s == null) {
        return new Answer(null, List.of(), null);
      }
      List<String> ips = new ArrayList<>();
      for (Endpoint e : endpoints(labels[2], labels[1])) {
        if (labels[0].equals(e.getHostname()) && e.getAddresses() != null) {
          ips.addAll(e.getAddresses());
        }
      }
      return ips.isEmpty() ? new Answer(null, List.of(), null) : new Answer(fqdn, ips, null);
    }
    if (labels.length == 3 && labels[2].equals("pod")) {
      String ip = labels[0].replace('-', '.');
      return isIpv4(ip) ? new Answer(fqdn, List.of(ip), null) : new Answer(null, List.of(), null);
    }
    return new Answer(null, List.of(), null);
  }

  /** The name a ClusterIP resolves back to, or null. */
  public String reverse(String ip) {
    String key = serviceByClusterIp.get(ip);
    if (key == null) {
      return null;
    }
    int slash = key.indexOf('/');
    return key.substring(slash + 1) + "." + key.substring(0, slash) + ".svc." + DOMAIN;
  }

  // ---------------------------------------------------------------- connections

  /**
   * Where a TCP connection goes, as kube-proxy's rules send it: to a Service's ClusterIP and port,
   * one of its ready endpoints (chosen with {@code pick}, as iptables' random rules), or refused
   * when it has none (kube-proxy's REJECT rule); to an endpoint's address, that pod; to anything
   * else, nowhere (a timeout).
   */
  public Connection connect(String ip, int port, java.util.function.IntUnaryOperator pick) {
    String key = serviceByClusterIp.get(ip);
    if (key != null) {
      Service s = services.get(key);
      ServicePort sp = null;
      for (ServicePort p : s.getSpec().getPorts() == null ? List.<ServicePort>of() : s.getSpec().getPorts()) {
        if (p.getPort() != null && p.getPort() == port && !"UDP".equals(p.getProtocol())) {
          sp = p;
          break;
        }
      }
      if (sp == null) {
        return new Connection(Reach.TIMEOUT, null, null, 0);
      }
      int slash = key.indexOf('/');
      List<String[]> ready = new ArrayList<>();
      String portName = sp.getName() == null ? "" : sp.getName();
      for (EndpointSlice slice : slices(key.substring(0, slash), key.substring(slash + 1))) {
        Integer target = null;
        for (EndpointPort ep : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
          if (portName.equals(ep.getName() == null ? "" : ep.getName())) {
            target = ep.getPort();
          }
        }
        if (target == null || slice.getEndpoints() == null) {
          continue;
        }
        for (Endpoint e : slice.getEndpoints()) {
          if (Boolean.TRUE.equals(e.getConditions().getReady()) && e.getAddresses() != null
              && !e.getAddresses().isEmpty()) {
            ready.add(new String[] {e.getTargetRef() == null ? "" : e.getTargetRef().getName(), e.getAddresses().get(0),
                Integer.toString(target)});
          }
        }
      }
      if (ready.isEmpty()) {
        return new Connection(Reach.REFUSED, null, null, 0);
      }
      String[] b = ready.get(ready.size() == 1 ? 0 : pick.applyAsInt(ready.size()));
      return new Connection(Reach.OPEN, b[0], b[1], Integer.parseInt(b[2]));
    }
    for (Map<String, EndpointSlice> m : slicesByService.values()) {
      for (EndpointSlice slice : m.values()) {
        for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
          if (e.getAddresses() != null && e.getAddresses().contains(ip)) {
            return new Connection(Reach.OPEN, e.getTargetRef() == null ? "" : e.getTargetRef().getName(), ip, port);
          }
        }
      }
    }
    return new Connection(Reach.TIMEOUT, null, null, 0);
  }

  /** Whether an address answers ping: a Service's ClusterIP, or an endpoint's address. */
  public boolean answersPing(String ip) {
    if (serviceByClusterIp.containsKey(ip)) {
      return true;
    }
    for (Map<String, EndpointSlice> m : slicesByService.values()) {
      for (EndpointSlice slice : m.values()) {
        for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
          if (e.getAddresses() != null && e.getAddresses().contains(ip)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- helpers

  private List<EndpointSlice> slices(String ns, String svc) {
    Map<String, EndpointSlice> m = slicesByService.get(key(ns, svc));
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  private List<Endpoint> endpoints(String ns, String svc) {
    Map<String, Endpoint> byAddress = new LinkedHashMap<>();
    for (EndpointSlice s : slices(ns, svc)) {
      for (Endpoint e : s.getEndpoints() == null ? List.<Endpoint>of() : s.getEndpoints()) {
        if (e.getAddresses() != null && !e.getAddresses().isEmpty()) {
          byAddress.putIfAbsent(e.getAddresses().get(0), e);
        }
      }
    }
    return new ArrayList<>(byAddress.values());
  }

  private static String clusterIp(Service s) {
    String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
    return ip == null || ip.isEmpty() || ip.equals("None") ? null : ip;
  }

  private static String key(String ns, String name) {
    return ns + "/" + name;
  }

  public static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
