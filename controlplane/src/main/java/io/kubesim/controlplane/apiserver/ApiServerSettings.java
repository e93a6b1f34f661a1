package io.kubesim.controlplane.apiserver;

import java.time.Duration;

/**
 * The apiserver's flags, with kube-apiserver's defaults.
 *
 * @param defaultNotReadyTolerationSeconds {@code --default-not-ready-toleration-seconds} (300): the
 *     DefaultTolerationSeconds admission plugin gives every pod this toleration of
 *     node.kubernetes.io/not-ready:NoExecute
 * @param defaultUnreachableTolerationSeconds {@code --default-unreachable-toleration-seconds} (300)
 * @param eventTtl {@code --event-ttl} (1h): Events expire from the store after this long
 * @param watchCacheCapacity events kept per kind for watches resuming from a resourceVersion;
 *     older ones get 410 Gone and must re-list, as with kube-apiserver's watch cache
 * @param bookmarkInterval how often watchers that allow bookmarks get one (about a minute, as the
 *     watch cache does)
 * @param serviceClusterIpRange {@code --service-cluster-ip-range} (10.96.0.0/12, kubeadm's default
 *     serviceSubnet): where ClusterIPs come from; its first address is the {@code kubernetes}
 *     Service's
 * @param serviceNodePortRange {@code --service-node-port-range} (30000-32767)
 * @param advertiseAddress {@code --advertise-address}: the address the {@code kubernetes} Service's
 *     endpoints point at (the control-plane node's); null for none
 * @param securePort {@code --secure-port} (6443): the {@code kubernetes} Service's targetPort
 */
public record ApiServerSettings(
    long defaultNotReadyTolerationSeconds,
    long defaultUnreachableTolerationSeconds,
    Duration eventTtl,
    int watchCacheCapacity,
    Duration bookmarkInterval,
    String serviceClusterIpRange,
    String serviceNodePortRange,
    String advertiseAddress,
    int securePort) {

  public static final ApiServerSettings DEFAULT =
      new ApiServerSettings(300, 300, Duration.ofHours(1), 10_000, Duration.ofMinutes(1), "10.96.0.0/12",
          "30000-32767", null, 6443);

  public ApiServerSettings withWatchCacheCapacity(int capacity) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        capacity, bookmarkInterval, serviceClusterIpRange, serviceNodePortRange, advertiseAddress, securePort);
  }

  public ApiServerSettings withServiceRanges(String clusterIpRange, String nodePortRange) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        watchCacheCapacity, bookmarkInterval, clusterIpRange, nodePortRange, advertiseAddress, securePort);
  }

  public ApiServerSettings withAdvertiseAddress(String address) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        watchCacheCapacity, bookmarkInterval, serviceClusterIpRange, serviceNodePortRange, address, securePort);
  }
}
