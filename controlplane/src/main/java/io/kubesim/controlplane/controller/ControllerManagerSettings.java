package io.kubesim.controlplane.controller;

import java.time.Duration;

/**
 * The kube-controller-manager flags kubesim honours, with Kubernetes' defaults
 * (cmd/kube-controller-manager/app/options and pkg/controller/&lt;name&gt;/config/v1alpha1/defaults.go)
 * except where the cluster's own command line says otherwise.
 *
 * @param nodeMonitorPeriod {@code --node-monitor-period} (5s): how often the node lifecycle
 *     controller checks the heartbeats
 * @param nodeMonitorGracePeriod {@code --node-monitor-grace-period}: this cluster runs with 40s
 *     (the default up to v1.31; v1.32 raised it to 50s, PR #126287); a node silent for longer turns
 *     Unknown
 * @param nodeStartupGracePeriod {@code --node-startup-grace-period} (60s): the same for a node that
 *     has never posted its status
 * @param nodeEvictionRate {@code --node-eviction-rate} (0.1/s): NoExecute taints per second in a
 *     healthy zone
 * @param secondaryNodeEvictionRate {@code --secondary-node-eviction-rate} (0.01/s): the rate in a
 *     partially disrupted zone larger than {@code largeClusterSizeThreshold}
 * @param largeClusterSizeThreshold {@code --large-cluster-size-threshold} (50)
 * @param unhealthyZoneThreshold {@code --unhealthy-zone-threshold} (0.55): the share of not-ready
 *     nodes (at least three) that makes a zone partially disrupted
 * @param nodeEvictionPeriod NodeEvictionPeriod (100ms, pkg/controller/nodelifecycle/scheduler/
 *     rate_limited_queue.go): how often the tainting queues are drained
 * @param concurrentReplicaSetSyncs {@code --concurrent-replicaset-syncs} (5)
 * @param concurrentDeploymentSyncs {@code --concurrent-deployment-syncs} (5)
 * @param concurrentGcSyncs {@code --concurrent-gc-syncs} (20)
 * @param concurrentNamespaceSyncs {@code --concurrent-namespace-syncs} (10)
 * @param namespaceSyncPeriod {@code --namespace-sync-period} (5m): the namespace controller's resync
 * @param burstReplicas the ReplicaSet controller's BurstReplicas (500, pkg/controller/replicaset):
 *     the most pods created or deleted in one sync
 * @param terminatedPodGcThreshold {@code --terminated-pod-gc-threshold} (12500)
 * @param podGcPeriod the pod GC's gcCheckPeriod (20s, pkg/controller/podgc/gc_controller.go)
 * @param podGcQuarantine the pod GC's quarantineTime (40s): how long a missing node must stay
 *     missing before its pods are force-deleted
 * @param disruptedPodTimeout the disruption controller's DeletionTimeout (2m): how long an evicted
 *     pod counts as disrupted before it is expected to be gone
 * @param stalePodDisruptionTimeout the disruption controller's stalePodDisruptionTimeout (2m): a
 *     DisruptionTarget condition on a pod that was not deleted is reset after this long
 * @param enableGarbageCollector {@code --enable-garbage-collector} (true)
 * @param concurrentDaemonSetSyncs {@code --concurrent-daemonset-syncs} (2)
 * @param concurrentJobSyncs {@code --concurrent-job-syncs} (5)
 * @param concurrentCronJobSyncs {@code --concurrent-cron-job-syncs} (5)
 * @param concurrentStatefulSetSyncs {@code --concurrent-statefulset-syncs} (5)
 * @param concurrentTtlAfterFinishedSyncs {@code --concurrent-ttl-after-finished-syncs} (5)
 */
public record ControllerManagerSettings(
    Duration nodeMonitorPeriod,
    Duration nodeMonitorGracePeriod,
    Duration nodeStartupGracePeriod,
    double nodeEvictionRate,
    double secondaryNodeEvictionRate,
    int largeClusterSizeThreshold,
    double unhealthyZoneThreshold,
    Duration nodeEvictionPeriod,
    int concurrentReplicaSetSyncs,
    int concurrentDeploymentSyncs,
    int concurrentGcSyncs,
    int concurrentNamespaceSyncs,
    Duration namespaceSyncPeriod,
    int burstReplicas,
    int terminatedPodGcThreshold,
    Duration podGcPeriod,
    Duration podGcQuarantine,
    Duration disruptedPodTimeout,
    Duration stalePodDisruptionTimeout,
    boolean enableGarbageCollector,
    int concurrentDaemonSetSyncs,
    int concurrentJobSyncs,
    int concurrentCronJobSyncs,
    int concurrentStatefulSetSyncs,
    int concurrentTtlAfterFinishedSyncs) {

  /** This cluster's controller-manager: Kubernetes' defaults with {@code --node-monitor-grace-period=40s}. */
  public static final ControllerManagerSettings DEFAULT = new ControllerManagerSettings(
      Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(60), 0.1, 0.01, 50, 0.55,
      Duration.ofMillis(100), 5, 5, 20, 10, Duration.ofMinutes(5), 500, 12_500, Duration.ofSeconds(20),
      Duration.ofSeconds(40), Duration.ofMinutes(2), Duration.ofMinutes(2), true,
      2, 5, 5, 5, 5);

  public ControllerManagerSettings withNodeMonitorGracePeriod(Duration d) {
    return new ControllerManagerSettings(nodeMonitorPeriod, d, nodeStartupGracePeriod, nodeEvictionRate,
        secondaryNodeEvictionRate, largeClusterSizeThreshold, unhealthyZoneThreshold, nodeEvictionPeriod,
        concurrentReplicaSetSyncs, concurrentDeploymentSyncs, concurrentGcSyncs, concurrentNamespaceSyncs,
        namespaceSyncPeriod, burstReplicas, terminatedPodGcThreshold, podGcPeriod, podGcQuarantine,
        disruptedPodTimeout, stalePodDisruptionTimeout, enableGarbageCollector,
        concurrentDaemonSetSyncs, concurrentJobSyncs, concurrentCronJobSyncs, concurrentStatefulSetSyncs,
        concurrentTtlAfterFinishedSyncs);
  }

  public ControllerManagerSettings withNodeEvictionRates(double rate, double secondaryRate) {
    return new ControllerManagerSettings(nodeMonitorPeriod, nodeMonitorGracePeriod, nodeStartupGracePeriod, rate,
        secondaryRate, largeClusterSizeThreshold, unhealthyZoneThreshold, nodeEvictionPeriod,
        concurrentReplicaSetSyncs, concurrentDeploymentSyncs, concurrentGcSyncs, concurrentNamespaceSyncs,
        namespaceSyncPeriod, burstReplicas, terminatedPodGcThreshold, podGcPeriod, podGcQuarantine,
        disruptedPodTimeout, stalePodDisruptionTimeout, enableGarbageCollector,
        concurrentDaemonSetSyncs, concurrentJobSyncs, concurrentCronJobSyncs, concurrentStatefulSetSyncs,
        concurrentTtlAfterFinishedSyncs);
  }

  public ControllerManagerSettings withTerminatedPodGcThreshold(int threshold) {
    return new ControllerManagerSettings(nodeMonitorPeriod, nodeMonitorGracePeriod, nodeStartupGracePeriod,
        nodeEvictionRate, secondaryNodeEvictionRate, largeClusterSizeThreshold, unhealthyZoneThreshold,
        nodeEvictionPeriod, concurrentReplicaSetSyncs, concurrentDeploymentSyncs, concurrentGcSyncs,
        concurrentNamespaceSyncs, namespaceSyncPeriod, burstReplicas, threshold, podGcPeriod, podGcQuarantine,
        disruptedPodTimeout, stalePodDisruptionTimeout, enableGarbageCollector,
        concurrentDaemonSetSyncs, concurrentJobSyncs, concurrentCronJobSyncs, concurrentStatefulSetSyncs,
        concurrentTtlAfterFinishedSyncs);
  }

  /** Kubernetes 1.34's own defaults, {@code --node-monitor-grace-period=50s} included. */
  public static ControllerManagerSettings upstreamDefaults() {
    return DEFAULT.withNodeMonitorGracePeriod(Duration.ofSeconds(50));
  }
}
