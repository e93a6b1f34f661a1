package io.kubesim.controlplane.controller;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * client-go's rate-limiting work queue (k8s.io/client-go/util/workqueue), owned by one actor: a
 * key added while queued is not queued twice; a key added while it is being processed is processed
 * once more afterwards, never concurrently; at most {@code workers} keys are processed at a time
 * (the controller's {@code --concurrent-*-syncs}); a failed key comes back after the longer of a
 * per-key exponential backoff of 5 ms doubling to 1000 s and the queue's overall token bucket of
 * 10 per second with a burst of 100 (DefaultControllerRateLimiter: MaxOf the two);
 * {@code addAfter} keeps the earliest of several pending delays.
 *
 * <p>Processing a key is asynchronous: the sync function receives a {@link Done} to call once its
 * last apiserver answer is in, with whether it succeeded. The owning actor routes the two private
 * messages the queue asks for (a drain request and a delayed add) to {@link #drain()} and
 * {@link #onDelayed(String)}.
 *
 * @param <C> the owning actor's command type
 */
public final class WorkQueue<C> {

  /** Reports the end of one key's processing. */
  @FunctionalInterface
  public interface Done {
    void done(boolean ok);
  }

  /** The sync function: reconcile {@code key}, then call {@code done}. */
  @FunctionalInterface
  public interface Sync {
    void sync(String key, Done done);
  }

  private static final Duration BASE_DELAY = Duration.ofMillis(5);
  private static final Duration MAX_DELAY = Duration.ofSeconds(1000);
  /** DefaultControllerRateLimiter's BucketRateLimiter: rate.NewLimiter(10, 100). */
  private static final double BUCKET_QPS = 10;
  private static final double BUCKET_BURST = 100;

  private final String name;
  private final ActorRef<C> self;
  private final TimerScheduler<C> timers;
  private final C drainMessage;
  private final Function<String, C> delayedAdd;
  private final int workers;
  private Sync sync;

  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> processing = new LinkedHashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Long> waitingUntil = new HashMap<>();
  private final io.kubesim.shared.time.VirtualClock clock;
  private double bucketTokens = BUCKET_BURST;
  private long bucketLastNanos;
  private boolean drainRequested;
  private boolean started;

  public WorkQueue(String name, ActorRef<C> self, TimerScheduler<C> timers, io.kubesim.shared.time.VirtualClock clock,
      C drainMessage, Function<String, C> delayedAdd, int workers) {
    this.name = name;
    this.self = self;
    this.timers = timers;
    this.clock = clock;
    this.drainMessage = drainMessage;
    this.delayedAdd = delayedAdd;
    this.workers = Math.max(1, workers);
  }

  public String name() {
    return name;
  }

  /** Starts the workers (after the caches have synced, as controllers do). */
  public void start(Sync sync) {
    this.sync = sync;
    this.started = true;
    requestDrain();
  }

  public void add(String key) {
    if (!dirty.add(key)) {
      return;
    }
    if (processing.contains(key)) {
      return;
    }
    queue.addLast(key);
    requestDrain();
  }

  /** Adds the key after {@code delay}; of several pending delays for one key the earliest wins. */
  public void addAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    long due = clock.nanos() + delay.toNanos();
    Long pending = waitingUntil.get(key);
    if (pending != null && pending <= due) {
      return;
    }
    waitingUntil.put(key, due);
    timers.startSingleTimer(new TimerKey(name, key), delayedAdd.apply(key), delay);
  }

  /** Adds the key after its backoff, which doubles with each consecutive failure. */
  public void addRateLimited(String key) {
    int n = failures.merge(key, 1, Integer::sum) - 1;
    long nanos = BASE_DELAY.toNanos();
    for (int i = 0; i < n && nanos < MAX_DELAY.toNanos(); i++) {
      nanos *= 2;
    }
    long itemDelay = Math.min(nanos, MAX_DELAY.toNanos());
    addAfter(key, Duration.ofNanos(Math.max(itemDelay, reserveBucket())));
  }

  /** rate.Limiter.Reserve().Delay(): takes a token, possibly ahead of time, and says how long to wait for it. */
  private long reserveBucket() {
    long now = clock.nanos();
    bucketTokens = Math.min(BUCKET_BURST, bucketTokens + (now - bucketLastNanos) / 1e9 * BUCKET_QPS);
    bucketLastNanos = now;
    bucketTokens -= 1;
    return bucketTokens >= 0 ? 0 : (long) Math.ceil(-bucketTokens / BUCKET_QPS * 1e9);
  }

  /** Clears the key's failure count. */
  public void forget(String key) {
    failures.remove(key);
  }

  public int numRequeues(String key) {
    return failures.getOrDefault(key, 0);
  }

  /** The owning actor's handler for the delayed-add message. */
  public void onDelayed(String key) {
    waitingUntil.remove(key);
    add(key);
  }

  public int length() {
    return queue.size();
  }

  public boolean isProcessing(String key) {
    return processing.contains(key);
  }

  private void requestDrain() {
    if (started && !drainRequested && !queue.isEmpty() && processing.size() < workers) {
      drainRequested = true;
      self.tell(drainMessage);
    }
  }

  /** The owning actor's handler for the drain message: hands queued keys to free workers. */
  public void drain() {
    drainRequested = false;
    while (started && !queue.isEmpty() && processing.size() < workers) {
      String key = queue.pollFirst();
      dirty.remove(key);
      processing.add(key);
      boolean[] finished = {false};
      try {
        sync.sync(key, ok -> {
          if (finished[0]) {
            return;
          }
          finished[0] = true;
          finish(key, ok);
        });
      } catch (RuntimeException e) {
        if (!finished[0]) {
          finished[0] = true;
          finish(key, false);
        }
        throw e;
      }
    }
  }

  private void finish(String key, boolean ok) {
    processing.remove(key);
    if (ok) {
      forget(key);
    } else {
      addRateLimited(key);
    }
    if (dirty.contains(key)) {
      queue.addLast(key);
    }
    requestDrain();
  }

  private record TimerKey(String queue, String key) {}

  /** A helper for sync functions that fire several requests and finish when all have answered. */
  public static Consumer<Boolean> all(int count, Done done) {
    if (count == 0) {
      done.done(true);
      return ok -> {};
    }
    int[] left = {count};
    boolean[] allOk = {true};
    return ok -> {
      allOk[0] &= ok;
      if (--left[0] == 0) {
        done.done(allOk[0]);
      }
    };
  }
}
