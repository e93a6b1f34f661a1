package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.kubesim.nodeagent.staticpod.StaticPodSource;

/**
 * One node as the cluster definition gives it: an ordinary Node manifest (name, labels, taints,
 * addresses, capacity; what a kubelet is started with through its flags and config), the pod CIDR
 * its pods get their IPs from, and where its static pods come from.
 */
public record NodeConfig(Node node, String podCidr, StaticPodSource staticPods) {

  /** The node's pod CIDR is taken from {@code spec.podCIDR} (10.244.0.0/24 when it has none); no static pods. */
  public static NodeConfig of(Node node) {
    return of(node, StaticPodSource.none());
  }

  public static NodeConfig of(Node node, StaticPodSource staticPods) {
    String cidr = node.getSpec() != null && node.getSpec().getPodCIDR() != null ? node.getSpec().getPodCIDR()
        : "10.244.0.0/24";
    return new NodeConfig(node, cidr, staticPods);
  }

  public String name() {
    return node.getMetadata().getName();
  }

  /** The InternalIP from the manifest's addresses (127.0.0.1 when it has none). */
  public String internalIp() {
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          return a.getAddress();
        }
      }
    }
    return "127.0.0.1";
  }
}
