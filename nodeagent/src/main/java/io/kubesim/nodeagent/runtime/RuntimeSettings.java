package io.kubesim.nodeagent.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The simulated containerd's timings and image store.
 *
 * @param defaultPullDuration how long pulling an image takes when {@code pullDurations} does not
 *     say: 5 s, about what a 50-70 MB image such as nginx takes over a home or lab connection
 * @param pullDurations per-image pull times, keyed by the image as written in the pod or by its
 *     normalized name ("docker.io/library/nginx:1.27")
 * @param preloadedImages images present on the node from the start: the pause image and what
 *     {@code kubeadm config images pull} puts on a node
 * @param missingImages images the registry does not have: pulling them fails with containerd's
 *     "not found" error (ErrImagePull, then ImagePullBackOff)
 * @param repullDuration a pull of an image already present only checks the manifest: 300 ms
 * @param sandboxStartDuration RunPodSandbox (pause container + CNI): about a second in a kubeadm
 *     lab with a bridge CNI
 * @param maxLogLinesPerContainer log lines kept per container, oldest dropped first (the kubelet's
 *     containerLogMaxSize of 10Mi, counted in lines)
 * @param clusterDns whether the node watches Services and EndpointSlices (as its kube-proxy and the
 *     cluster's CoreDNS do) so that its containers can resolve and reach Services; off only for
 *     benchmarks of huge clusters that have no Services
 */
public record RuntimeSettings(
    Duration defaultPullDuration,
    Map<String, Duration> pullDurations,
    Set<String> preloadedImages,
    Set<String> missingImages,
    Duration repullDuration,
    Duration sandboxStartDuration,
    int maxLogLinesPerContainer,
    boolean clusterDns) {

  /** The images of a kubeadm v1.34 node (kubeadm config images list). */
  public static final Set<String> KUBEADM_IMAGES = Set.of(
      "registry.k8s.io/pause:3.10.1",
      "registry.k8s.io/etcd:3.6.4-0",
      "registry.k8s.io/kube-apiserver:v1.34.0",
      "registry.k8s.io/kube-controller-manager:v1.34.0",
      "registry.k8s.io/kube-scheduler:v1.34.0",
      "registry.k8s.io/kube-proxy:v1.34.0",
      "registry.k8s.io/coredns/coredns:v1.12.1");

  /** The pause image every sandbox runs (containerd 1.7's sandbox_image for Kubernetes 1.34). */
  public static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1";

  public static final RuntimeSettings DEFAULT = new RuntimeSettings(Duration.ofSeconds(5), Map.of(), KUBEADM_IMAGES,
      Set.of(), Duration.ofMillis(300), Duration.ofSeconds(1), 10_000, true);

  public RuntimeSettings withPullDuration(String image, Duration d) {
    java.util.Map<String, Duration> m = new java.util.TreeMap<>(pullDurations);
    m.put(image, d);
    return new RuntimeSettings(defaultPullDuration, m, preloadedImages, missingImages, repullDuration,
        sandboxStartDuration, maxLogLinesPerContainer, clusterDns);
  }

  public RuntimeSettings withDefaultPullDuration(Duration d) {
    return new RuntimeSettings(d, pullDurations, preloadedImages, missingImages, repullDuration, sandboxStartDuration,
        maxLogLinesPerContainer, clusterDns);
  }

  public RuntimeSettings withPreloadedImages(Set<String> images) {
    return new RuntimeSettings(defaultPullDuration, pullDurations, images, missingImages, repullDuration,
        sandboxStartDuration, maxLogLinesPerContainer, clusterDns);
  }

  public RuntimeSettings withMissingImages(Set<String> images) {
    return new RuntimeSettings(defaultPullDuration, pullDurations, preloadedImages, images, repullDuration,
        sandboxStartDuration, maxLogLinesPerContainer, clusterDns);
  }

  public RuntimeSettings withSandboxStartDuration(Duration d) {
    return new RuntimeSettings(defaultPullDuration, pullDurations, preloadedImages, missingImages, repullDuration, d,
        maxLogLinesPerContainer, clusterDns);
  }

  public RuntimeSettings withClusterDns(boolean on) {
    return new RuntimeSettings(defaultPullDuration, pullDurations, preloadedImages, missingImages, repullDuration,
        sandboxStartDuration, maxLogLinesPerContainer, on);
  }

  Duration pullDuration(String image) {
    Duration d = pullDurations.get(image);
    if (d == null) {
      d = pullDurations.get(Images.normalize(image));
    }
    return d == null ? defaultPullDuration : d;
  }

  boolean missing(String image) {
    return missingImages.contains(image) || missingImages.contains(Images.normalize(image));
  }
}
