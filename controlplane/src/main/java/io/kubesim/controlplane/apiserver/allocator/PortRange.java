package io.kubesim.controlplane.apiserver.allocator;

/** kube-apiserver's {@code --service-node-port-range}, "30000-32767" by default; both ends included. */
public record PortRange(int base, int size) {

  public PortRange {
    if (base < 1 || size < 1 || base + size - 1 > 65535) {
      throw new IllegalArgumentException("invalid port range: " + base + "+" + size);
    }
  }

  /** Parses "30000-32767" or "30000+2768", as k8s.io/apimachinery/pkg/util/net.ParsePortRange. */
  public static PortRange parse(String s) {
    try {
      int dash = s.indexOf('-');
      int plus = s.indexOf('+');
      if (dash > 0) {
        int low = Integer.parseInt(s.substring(0, dash).trim());
        int high = Integer.parseInt(s.substring(dash + 1).trim());
        if (high < low) {
          throw new IllegalArgumentException("invalid port range: " + s);
        }
        return new PortRange(low, high - low + 1);
      }
      if (plus > 0) {
        return new PortRange(Integer.parseInt(s.substring(0, plus).trim()),
            Integer.parseInt(s.substring(plus + 1).trim()) + 1);
      }
      int single = Integer.parseInt(s.trim());
      return new PortRange(single, 1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port range: " + s);
    }
  }

  public int last() {
    return base + size - 1;
  }

  public boolean contains(int port) {
    return port >= base && port <= last();
  }

  /** As PortRange.String(): "30000-32767". */
  @Override
  public String toString() {
    return base + "-" + last();
  }
}
