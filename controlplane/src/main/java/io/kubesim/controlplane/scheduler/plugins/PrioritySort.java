package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.QueueSortPlugin;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo;

/** Orders the active queue by pod priority, highest first, then by time added (plugins/queuesort). */
public final class PrioritySort implements QueueSortPlugin {

  public static final String NAME = "PrioritySort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    int p1 = a.podInfo().priority();
    int p2 = b.podInfo().priority();
    return p1 > p2 || (p1 == p2 && a.timestamp < b.timestamp);
  }
}
