package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The host ports in use on a node, by host IP, protocol and port (framework.HostPortInfo). An
 * empty host IP means 0.0.0.0 and an empty protocol TCP; a port bound on 0.0.0.0 conflicts with
 * the same protocol and port on every IP.
 */
public final class HostPortInfo {

  static final String ALL_IPS = "0.0.0.0";

  private final Map<String, Set<String>> byIp = new HashMap<>();

  public boolean isEmpty() {
    return byIp.isEmpty();
  }

  public void add(ContainerPort p) {
    byIp.computeIfAbsent(ip(p), k -> new HashSet<>()).add(protocolPort(p));
  }

  public void remove(ContainerPort p) {
    String ip = ip(p);
    Set<String> set = byIp.get(ip);
    if (set != null) {
      set.remove(protocolPort(p));
      if (set.isEmpty()) {
        byIp.remove(ip);
      }
    }
  }

  /** Whether binding this port would clash with one in use (HostPortInfo.CheckConflict). */
  public boolean conflicts(ContainerPort p) {
    if (p.getHostPort() == null || p.getHostPort() <= 0) {
      return false;
    }
    String ip = ip(p);
    String pp = protocolPort(p);
    if (ip.equals(ALL_IPS)) {
      for (Set<String> s : byIp.values()) {
        if (s.contains(pp)) {
          return true;
        }
      }
      return false;
    }
    Set<String> all = byIp.get(ALL_IPS);
    if (all != null && all.contains(pp)) {
      return true;
    }
    Set<String> same = byIp.get(ip);
    return same != null && same.contains(pp);
  }

  public HostPortInfo copy() {
    HostPortInfo c = new HostPortInfo();
    byIp.forEach((k, v) -> c.byIp.put(k, new HashSet<>(v)));
    return c;
  }

  private static String ip(ContainerPort p) {
    return p.getHostIP() == null || p.getHostIP().isEmpty() ? ALL_IPS : p.getHostIP();
  }

  private static String protocolPort(ContainerPort p) {
    String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
    return proto + "/" + p.getHostPort();
  }
}
