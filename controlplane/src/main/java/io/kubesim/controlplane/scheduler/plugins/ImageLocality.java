package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.ImageState;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import java.util.Map;

/**
 * Prefers nodes that already have the pod's images (plugins/imagelocality), from the images the
 * kubelet lists in node.status.images. Each image counts its size scaled by the share of nodes that
 * have it, so that a node is not favoured for an image every node has; the sum is clamped between
 * 23 MiB and 1000 MiB per container and mapped onto 0..100.
 */
public final class ImageLocality implements ScorePlugin {

  public static final String NAME = "ImageLocality";

  private static final long MB = 1024L * 1024;
  /** Below this, an image is too small to be worth favouring a node for. */
  static final long MIN_THRESHOLD = 23 * MB;
  static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

  private final Handle handle;

  public ImageLocality(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return score(pod.images(), handle.cluster().nodes().size(), node);
  }

  @Override
  public void scoreAll(CycleState state, PodInfo pod, NodeInfo[] nodes, int n, long[] out) {
    String[] images = pod.images();
    int totalNodes = handle.cluster().nodes().size();
    for (int i = 0; i < n; i++) {
      out[i] = score(images, totalNodes, nodes[i]);
    }
  }

  private static long score(String[] images, int totalNodes, NodeInfo node) {
    Map<String, ImageState> states = node.imageStates();
    long sum = 0;
    if (!states.isEmpty()) {
      for (String image : images) {
        ImageState s = states.get(image);
        if (s != null) {
          double spread = (double) s.numNodes() / totalNodes;
          sum += (long) (s.size() * spread);
        }
      }
    }
    return calculatePriority(sum, images.length);
  }

  static long calculatePriority(long sumScores, int numContainers) {
    long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
    if (sumScores < MIN_THRESHOLD) {
      sumScores = MIN_THRESHOLD;
    } else if (sumScores > maxThreshold) {
      sumScores = maxThreshold;
    }
    if (maxThreshold == MIN_THRESHOLD) {
      return 0;
    }
    return MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
  }
}
