package io.kubesim.controlplane.scheduler.framework;

/**
 * An image some nodes have pulled (framework.ImageStateSummary): its size and on how many nodes it
 * is. Shared by every node that lists it, so the count is always current.
 */
public final class ImageState {
  private final long size;
  private int numNodes;

  public ImageState(long size) {
    this.size = size;
  }

  public long size() {
    return size;
  }

  public int numNodes() {
    return numNodes;
  }

  public void setNumNodes(int n) {
    numNodes = n;
  }
}
