package io.kubesim.controlplane.controller.daemonset;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * client-go's flowcontrol.Backoff as the DaemonSet controller uses it for failed daemon pods
 * (NewBackOff(1s, 15m)): each deletion of a failed pod on a node doubles the wait before the next
 * one, so that the controller does not hot-loop against a kubelet that keeps rejecting its pods; an
 * entry idle for twice the maximum starts over.
 */
final class FailedPodsBackoff {

  private record Entry(long backoffNanos, long lastUpdateNanos) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  FailedPodsBackoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** IsInBackOffSinceUpdate: less than the current backoff has passed since the last update. */
  boolean inBackoff(String key, long nowNanos) {
    Entry e = entries.get(key);
    if (e == null || expired(e, nowNanos)) {
      return false;
    }
    return nowNanos - e.lastUpdateNanos() < e.backoffNanos();
  }

  Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : Duration.ofNanos(e.backoffNanos());
  }

  /** Next: the first time (or after expiry) the initial backoff, else double it up to the maximum. */
  void next(String key, long nowNanos) {
    Entry e = entries.get(key);
    long b;
    if (e == null || expired(e, nowNanos)) {
      b = initial.toNanos();
    } else {
      b = Math.min(e.backoffNanos() * 2, max.toNanos());
    }
    entries.put(key, new Entry(b, nowNanos));
  }

  private boolean expired(Entry e, long nowNanos) {
    return nowNanos - e.lastUpdateNanos() > 2 * max.toNanos();
  }

  /** GC: forgets entries idle for twice the maximum. */
  void gc(long nowNanos) {
    entries.values().removeIf(e -> expired(e, nowNanos));
  }
}
