package io.kubesim.controlplane.scheduler.framework;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A pod waiting in the scheduling queue, with its queue bookkeeping (framework.QueuedPodInfo):
 * when it was (re)added, how many attempts it has had, which plugins turned it down last time
 * (so that only events those plugins care about bring it back), and its backoff expiry.
 */
public final class QueuedPodInfo {

  /** Where in the queue the pod is. */
  public enum Place { NONE, ACTIVE, BACKOFF, ERROR_BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

  private PodInfo podInfo;
  /** Virtual nanoseconds when the pod was last added to the queue. */
  public long timestamp;
  public int attempts;
  public final Set<String> unschedulablePlugins = new LinkedHashSet<>();
  public final Set<String> pendingPlugins = new LinkedHashSet<>();
  /** The PreEnqueue plugin keeping the pod out of the active queue, or null. */
  public String gatingPlugin;
  public long backoffExpiration;
  /** Tie-breaker for pods added at the same virtual instant: arrival order. */
  public long seq;
  public Place place = Place.NONE;

  public QueuedPodInfo(PodInfo podInfo, long timestamp, long seq) {
    this.podInfo = podInfo;
    this.timestamp = timestamp;
    this.seq = seq;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  public void setPodInfo(PodInfo p) {
    this.podInfo = p;
  }

  public boolean gated() {
    return gatingPlugin != null;
  }

  public String key() {
    return podInfo.key();
  }

  @Override
  public String toString() {
    return podInfo.key() + "@" + place;
  }
}
