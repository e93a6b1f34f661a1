package io.kubesim.nodeagent.kubelet;

import java.time.Duration;

/**
 * The kubelet's configuration: KubeletConfiguration's defaults (pkg/kubelet/apis/config/v1beta1/
 * defaults.go) and the kubelet's built-in constants, each with where it comes from. Image pull
 * times belong to the container runtime: {@code RuntimeSettings.defaultPullDuration} (5 s).
 *
 * @param nodeStatusUpdateFrequency how often the node status is computed (defaults.go: 10s)
 * @param nodeStatusReportFrequency how often an unchanged status is posted anyway (defaults.go: 5m)
 * @param nodeLeaseDurationSeconds the Lease's leaseDurationSeconds (defaults.go: 40)
 * @param nodeLeaseRenewIntervalFraction renew interval = fraction × duration (kubelet.go
 *     nodeLeaseRenewIntervalFraction: 0.25, so every 10 s)
 * @param syncFrequency how often every pod worker re-syncs without a cause (defaults.go: 1m)
 * @param fileCheckFrequency how often the static pod path is re-read (defaults.go: 20s)
 * @param maxPods pods the node admits (defaults.go: 110)
 * @param crashLoopBackOffInitial first restart delay (kubelet.go backOffPeriod: 10s)
 * @param crashLoopBackOffMax longest restart delay (kuberuntime MaxContainerBackOff: 300s); a container
 *     that ran for twice this long (10 min) starts again from the initial delay (flowcontrol.Backoff)
 * @param imagePullBackOffInitial first delay after a failed pull (kubelet.go imageBackOff: 10s)
 * @param imagePullBackOffMax longest delay between pulls (kubelet.go imageBackOff: 300s)
 * @param heartbeatTimeout timeout of lease and node-status requests (kubelet server.go: the
 *     heartbeat client's timeout is nodeStatusUpdateFrequency, at most the lease duration: 10s)
 * @param statusSyncPeriod how often the status manager reconciles pod statuses with the
 *     apiserver (status_manager.go syncPeriod: 10s)
 * @param evictionHardMemory memory kept free by hard eviction, taken off allocatable
 *     (defaults.go evictionHard memory.available: 100Mi)
 * @param evictionHardNodefsPercent disk kept free by hard eviction, taken off allocatable
 *     ephemeral-storage (defaults.go evictionHard nodefs.available: 10%)
 * @param kubeletPort the kubelet's port in status.daemonEndpoints (ports.KubeletPort: 10250)
 * @param kubeletVersion reported in nodeInfo
 * @param containerRuntimeVersion reported in nodeInfo
 * @param osImage reported in nodeInfo
 * @param kernelVersion reported in nodeInfo
 * @param apiServerUrl the server in the kubelet's kubeconfig, as it appears in request errors
 *     (kubeadm's control-plane endpoint: the default cluster's m-k8s at 192.168.1.10:6443)
 */
public record KubeletSettings(
    Duration nodeStatusUpdateFrequency,
    Duration nodeStatusReportFrequency,
    int nodeLeaseDurationSeconds,
    double nodeLeaseRenewIntervalFraction,
    Duration syncFrequency,
    Duration fileCheckFrequency,
    int maxPods,
    Duration crashLoopBackOffInitial,
    Duration crashLoopBackOffMax,
    Duration imagePullBackOffInitial,
    Duration imagePullBackOffMax,
    Duration heartbeatTimeout,
    Duration statusSyncPeriod,
    String evictionHardMemory,
    int evictionHardNodefsPercent,
    int kubeletPort,
    String kubeletVersion,
    String containerRuntimeVersion,
    String osImage,
    String kernelVersion,
    String apiServerUrl) {

  public static final KubeletSettings DEFAULT = new KubeletSettings(
      Duration.ofSeconds(10),
      Duration.ofMinutes(5),
      40,
      0.25,
      Duration.ofMinutes(1),
      Duration.ofSeconds(20),
      110,
      Duration.ofSeconds(10),
      Duration.ofSeconds(300),
      Duration.ofSeconds(10),
      Duration.ofSeconds(300),
      Duration.ofSeconds(10),
      Duration.ofSeconds(10),
      "100Mi",
      10,
      10250,
      "v1.34.0",
      "containerd://1.7.27",
      "Ubuntu 24.04.2 LTS",
      "6.8.0-60-generic",
      "https://192.168.1.10:6443");

  /** The lease renew interval: 0.25 × 40 s = 10 s. */
  public Duration leaseRenewInterval() {
    return Duration.ofMillis((long) (nodeLeaseDurationSeconds * 1000L * nodeLeaseRenewIntervalFraction));
  }

  public KubeletSettings withMaxPods(int n) {
    return new KubeletSettings(nodeStatusUpdateFrequency, nodeStatusReportFrequency, nodeLeaseDurationSeconds,
        nodeLeaseRenewIntervalFraction, syncFrequency, fileCheckFrequency, n, crashLoopBackOffInitial,
        crashLoopBackOffMax, imagePullBackOffInitial, imagePullBackOffMax, heartbeatTimeout, statusSyncPeriod,
        evictionHardMemory, evictionHardNodefsPercent, kubeletPort, kubeletVersion, containerRuntimeVersion, osImage,
        kernelVersion, apiServerUrl);
  }

  public KubeletSettings withFileCheckFrequency(Duration d) {
    return new KubeletSettings(nodeStatusUpdateFrequency, nodeStatusReportFrequency, nodeLeaseDurationSeconds,
        nodeLeaseRenewIntervalFraction, syncFrequency, d, maxPods, crashLoopBackOffInitial, crashLoopBackOffMax,
        imagePullBackOffInitial, imagePullBackOffMax, heartbeatTimeout, statusSyncPeriod, evictionHardMemory,
        evictionHardNodefsPercent, kubeletPort, kubeletVersion, containerRuntimeVersion, osImage, kernelVersion,
        apiServerUrl);
  }
}
