package io.kubesim.controlplane.store;

import java.time.Duration;

/**
 * How much history the store keeps.
 *
 * @param compactionInterval kube-apiserver compacts etcd every 5 minutes
 *     ({@code --etcd-compaction-interval}), each time up to the revision it saw at the previous
 *     compaction, so at least one interval of history is always there
 * @param maxHistory a bound on retained changes whatever their age, so that a burst of writes
 *     cannot grow memory without limit; the oldest go first
 */
public record StoreSettings(Duration compactionInterval, int maxHistory) {

  public static final StoreSettings DEFAULT = new StoreSettings(Duration.ofMinutes(5), 20_000);

  public StoreSettings {
    if (maxHistory < 1) {
      throw new IllegalArgumentException("maxHistory must be positive, got " + maxHistory);
    }
  }
}
