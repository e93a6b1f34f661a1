package io.kubesim.controlplane.apiserver;

import java.time.Duration;

/**
 * The apiserver's flags, with kube-apiserver's defaults.
 *
 * @param defaultNotReadyTolerationSeconds {@code --default-not-ready-toleration-seconds} (300): the
 *     DefaultTolerationSeconds admission plugin gives every pod this toleration of
 *     node.kubernetes.io/not-ready:NoExecute
 * @param defaultUnreachableTolerationSeconds {@code --default-unreachable-toleration-seconds} (300)
 * @param eventTtl {@code --event-ttl} (1h): Events expire from the store after this long
 * @param watchCacheCapacity events kept per kind for watches resuming from a resourceVersion;
 *     older ones get 410 Gone and must re-list, as with kube-apiserver's watch cache
 * @param bookmarkInterval how often watchers that allow bookmarks get one (about a minute, as the
 *     watch cache does)
 */
public record ApiServerSettings(
    long defaultNotReadyTolerationSeconds,
    long defaultUnreachableTolerationSeconds,
    Duration eventTtl,
    int watchCacheCapacity,
    Duration bookmarkInterval) {

  public static final ApiServerSettings DEFAULT =
      new ApiServerSettings(300, 300, Duration.ofHours(1), 10_000, Duration.ofMinutes(1));

  public ApiServerSettings withWatchCacheCapacity(int capacity) {
    return new ApiServerSettings(defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds, eventTtl,
        capacity, bookmarkInterval);
  }
}
