package io.kubesim.controlplane.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * pkg/controller/controller_utils.go UIDTrackingControllerExpectations: what a controller is
 * still waiting to see in its informer after its own creates and deletes, so that it does not act
 * twice on a stale cache. Creations are counted; deletions are tracked by pod key, so that each is
 * observed exactly once. Expectations expire after five minutes (ExpectationsTimeout).
 */
public final class Expectations {

  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private static final class Exp {
    long add;
    final Set<String> deletes = new LinkedHashSet<>();
    long timestampNanos;
  }

  private final Map<String, Exp> byKey = new HashMap<>();
  private final io.kubesim.shared.time.VirtualClock clock;

  public Expectations(io.kubesim.shared.time.VirtualClock clock) {
    this.clock = clock;
  }

  /** Whether the controller may act: nothing pending, or what was pending is over five minutes old. */
  public boolean satisfied(String key) {
    Exp e = byKey.get(key);
    if (e == null) {
      return true;
    }
    if (e.add <= 0 && e.deletes.isEmpty()) {
      return true;
    }
    return clock.nanos() - e.timestampNanos > TIMEOUT.toNanos();
  }

  public void expectCreations(String key, int n) {
    Exp e = new Exp();
    e.add = n;
    e.timestampNanos = clock.nanos();
    Exp old = byKey.put(key, e);
    if (old != null) {
      e.deletes.addAll(old.deletes);
    }
  }

  public void expectDeletions(String key, Iterable<String> podKeys) {
    Exp e = byKey.computeIfAbsent(key, k -> new Exp());
    e.add = 0;
    e.deletes.clear();
    for (String p : podKeys) {
      e.deletes.add(p);
    }
    e.timestampNanos = clock.nanos();
  }

  public void creationObserved(String key) {
    Exp e = byKey.get(key);
    if (e != null) {
      e.add--;
    }
  }

  public void deletionObserved(String key, String podKey) {
    Exp e = byKey.get(key);
    if (e != null) {
      e.deletes.remove(podKey);
    }
  }

  public void delete(String key) {
    byKey.remove(key);
  }
}
