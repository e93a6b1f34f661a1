package io.kubesim.controlplane.apiserver;

import java.time.Duration;
import java.util.List;

/**
 * The apiserver's flags, with kube-apiserver's defaults.
 *
 * @param defaultNotReadyTolerationSeconds {@code --default-not-ready-toleration-seconds} (300): the
 *     DefaultTolerationSeconds admission plugin gives every pod this toleration of
 *     node.kubernetes.io/not-ready:NoExecute
 * @param defaultUnreachableTolerationSeconds {@code --default-unreachable-toleration-seconds} (300)
 * @param eventTtl {@code --event-ttl} (1h): Events expire from the store after this long, and up to
 *     60 s more: they share etcd leases (see {@link EtcdLeases})
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
 * @param disableAdmissionPlugins {@code --disable-admission-plugins} (none): admission plugins of
 *     the default set to turn off, by name: {@code ServiceAccount}, {@code LimitRanger},
 *     {@code DefaultStorageClass}, {@code StorageObjectInUseProtection}, {@code ResourceQuota}
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
    int securePort,
    List<String> disableAdmissionPlugins) {

  /** The admission plugin that defaults serviceAccountName and refuses pods whose account does not exist. */
  public static final String SERVICE_ACCOUNT = "ServiceAccount";
  public static final String LIMIT_RANGER = "LimitRanger";
  public static final String DEFAULT_STORAGE_CLASS = "DefaultStorageClass";
  public static final String STORAGE_OBJECT_IN_USE_PROTECTION = "StorageObjectInUseProtection";
  public static final String RESOURCE_QUOTA = "ResourceQuota";

  public static final ApiServerSettings DEFAULT =
      new ApiServerSettings(300, 300, Duration.ofHours(1), 10_000, Duration.ofMinutes(1), "10.96.0.0/12",
          "30000-32767", null, 6443, List.of());

  public ApiServerSettings {
    disableAdmissionPlugins = List.copyOf(disableAdmissionPlugins);
  }

  public ApiServerSettings withWatchCacheCapacity(int capacity) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        capacity, bookmarkInterval, serviceClusterIpRange, serviceNodePortRange, advertiseAddress, securePort,
        disableAdmissionPlugins);
  }

  public ApiServerSettings withServiceRanges(String clusterIpRange, String nodePortRange) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        watchCacheCapacity, bookmarkInterval, clusterIpRange, nodePortRange, advertiseAddress, securePort,
        disableAdmissionPlugins);
  }

  public ApiServerSettings withAdvertiseAddress(String address) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        watchCacheCapacity, bookmarkInterval, serviceClusterIpRange, serviceNodePortRange, address, securePort,
        disableAdmissionPlugins);
  }

  /** These settings with the named admission plugins turned off. */
  public ApiServerSettings withDisabledAdmissionPlugins(String... plugins) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        watchCacheCapacity, bookmarkInterval, serviceClusterIpRange, serviceNodePortRange, advertiseAddress,
        securePort, List.of(plugins));
  }

  public boolean admissionEnabled(String plugin) {
    return !disableAdmissionPlugins.contains(plugin);
  }
}
