package io.kubesim.controlplane.apiserver.allocator;

/**
 * An IPv4 service CIDR such as kube-apiserver's {@code --service-cluster-ip-range} (10.96.0.0/12
 * with kubeadm): the addresses a ClusterIP may take are those between the network address and the
 * broadcast address, both excluded, so the first is 10.96.0.1 (the {@code kubernetes} Service's).
 */
public record ServiceCidr(long network, int prefixLength) {

  /** The largest range this simulation allocates from: a /12, as kube-apiserver caps IPv4 ranges at 20 host bits. */
  public static final int MIN_PREFIX = 12;

  public ServiceCidr {
    if (prefixLength < MIN_PREFIX || prefixLength > 30) {
      throw new IllegalArgumentException("service CIDR prefix must be between /" + MIN_PREFIX + " and /30, got /"
          + prefixLength);
    }
  }

  /** Parses "10.96.0.0/12"; the host bits of the address are masked off. */
  public static ServiceCidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("invalid CIDR address: " + cidr);
    }
    long ip = parseIp(cidr.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid CIDR address: " + cidr);
    }
    if (ip < 0 || bits < 0 || bits > 32) {
      throw new IllegalArgumentException("invalid CIDR address: " + cidr);
    }
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return new ServiceCidr(ip & mask, bits);
  }

  /** A dotted IPv4 address as an unsigned 32-bit number, or -1 if it is not one. */
  public static long parseIp(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int b = Integer.parseInt(p);
      if (b > 255) {
        return -1;
      }
      v = (v << 8) | b;
    }
    return v;
  }

  public static String format(long ip) {
    return ((ip >> 24) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 8) & 0xff) + "." + (ip & 0xff);
  }

  /** Every address of the CIDR, network and broadcast included (netutils.RangeSize). */
  public long rangeSize() {
    return 1L << (32 - prefixLength);
  }

  /** The addresses that can be allocated: all but the network and broadcast addresses. */
  public int hosts() {
    return (int) (rangeSize() - 2);
  }

  /** The i-th allocatable address (0 is the network address + 1). */
  public String address(int i) {
    return format(network + 1 + i);
  }

  /** The offset of an address among the allocatable ones, or -1 if it is outside them. */
  public int indexOf(String ip) {
    long v = parseIp(ip);
    if (v < 0) {
      return -1;
    }
    long i = v - network - 1;
    return i < 0 || i >= hosts() ? -1 : (int) i;
  }

  /** Whether the address lies in the CIDR at all (network and broadcast included). */
  public boolean contains(String ip) {
    long v = parseIp(ip);
    return v >= network && v < network + rangeSize();
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }
}
