package io.kubesim.nodeagent.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * client-go's flowcontrol.Backoff (util/flowcontrol/backoff.go) without jitter, as the kubelet
 * uses it for container restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff): per key,
 * a delay that starts at {@code initial}, doubles on every {@link #next} up to {@code max}, and is
 * forgotten when the event being backed off comes more than twice {@code max} after the last
 * update (a container that ran for more than 10 minutes starts again from 10 s).
 */
public final class Backoff {

  private record Entry(Duration backoff, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** Records one more failure of {@code id} at {@code eventTime}: the next delay doubles, or restarts at the initial one. */
  public void next(String id, Instant eventTime, Instant now) {
    Entry e = entries.get(id);
    Duration d;
    if (e == null || hasExpired(eventTime, e.lastUpdate())) {
      d = initial;
    } else {
      d = e.backoff().multipliedBy(2);
      if (d.compareTo(max) > 0) {
        d = max;
      }
    }
    entries.put(id, new Entry(d, now));
  }

  /** Whether {@code now} is still within the delay counted from {@code eventTime} (the container's finishedAt). */
  public boolean isInBackOffSince(String id, Instant eventTime, Instant now) {
    Entry e = entries.get(id);
    if (e == null || hasExpired(eventTime, e.lastUpdate())) {
      return false;
    }
    return Duration.between(eventTime, now).compareTo(e.backoff()) < 0;
  }

  /** Whether {@code now} is still within the delay counted from the last {@link #next} (image pulls). */
  public boolean isInBackOffSinceUpdate(String id, Instant now) {
    Entry e = entries.get(id);
    if (e == null || hasExpired(now, e.lastUpdate())) {
      return false;
    }
    return Duration.between(e.lastUpdate(), now).compareTo(e.backoff()) < 0;
  }

  /** The current delay of {@code id}, zero if none. */
  public Duration get(String id) {
    Entry e = entries.get(id);
    return e == null ? Duration.ZERO : e.backoff();
  }

  /** When the delay counted from {@code eventTime} ends. */
  public Instant expiry(String id, Instant eventTime) {
    return eventTime.plus(get(id));
  }

  /** When the delay counted from the last update ends. */
  public Instant expiryFromUpdate(String id) {
    Entry e = entries.get(id);
    return e == null ? Instant.MIN : e.lastUpdate().plus(e.backoff());
  }

  public void reset(String id) {
    entries.remove(id);
  }

  /** Forgets keys not updated for twice the maximum delay (Backoff.GC). */
  public void gc(Instant now) {
    if (entries.isEmpty()) {
      return;
    }
    entries.values().removeIf(e -> hasExpired(now, e.lastUpdate()));
  }

  private boolean hasExpired(Instant eventTime, Instant lastUpdate) {
    return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }
}
