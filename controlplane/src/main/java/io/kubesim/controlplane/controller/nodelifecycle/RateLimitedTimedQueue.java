package io.kubesim.controlplane.controller.nodelifecycle;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go: a queue of node names ordered by
 * when they may be processed, each name at most once until removed, drained through a token bucket
 * with burst 1 (EvictionRateLimiterBurst). Time is virtual nanoseconds passed in by the caller.
 */
public final class RateLimitedTimedQueue {

  /** One queued name; {@code uid} identifies the node object it was queued for. */
  public record TimedValue(String value, String uid, long addedAt, long processAt, long seq) {}

  /** What processing one value decided: done (leave the queue) or retry after {@code waitNanos}. */
  public record Result(boolean done, long waitNanos) {
    public static final Result DONE = new Result(true, 0);

    public static Result retryAfter(long waitNanos) {
      return new Result(false, waitNanos);
    }
  }

  /** Processes a value; called only when the limiter allows and the value is due. */
  @FunctionalInterface
  public interface Action {
    Result apply(TimedValue value);
  }

  public static final int BURST = 1;

  private final TreeSet<TimedValue> heap = new TreeSet<>((a, b) -> a.processAt != b.processAt
      ? Long.compare(a.processAt, b.processAt) : Long.compare(a.seq, b.seq));
  private final Set<String> set = new HashSet<>();
  private TokenBucket limiter;
  private long seq;

  public RateLimitedTimedQueue(double qps) {
    this.limiter = new TokenBucket(qps, BURST);
  }

  /** Queues the value unless it is already there (or processed and not yet removed). */
  public boolean add(String value, String uid, long now) {
    if (!set.add(value)) {
      return false;
    }
    heap.add(new TimedValue(value, uid, now, now, seq++));
    return true;
  }

  /** Forgets the value, so it can be added again; true if it was known. */
  public boolean remove(String value) {
    if (!set.remove(value)) {
      return false;
    }
    heap.removeIf(v -> v.value().equals(value));
    return true;
  }

  /** Puts a value whose processing failed asynchronously back, due at {@code processAt}. */
  public void retry(TimedValue v, long processAt) {
    if (set.contains(v.value()) && heap.stream().noneMatch(x -> x.value().equals(v.value()))) {
      heap.add(new TimedValue(v.value(), v.uid(), v.addedAt(), processAt, seq++));
    }
  }

  public boolean isEmpty() {
    return heap.isEmpty();
  }

  public int size() {
    return heap.size();
  }

  public double qps() {
    return limiter.qps();
  }

  /**
   * Try: while there is a head, take a token (stop if there is none), stop if the head is not due,
   * process it; a done value leaves the queue but stays known, a failed one is due again after its
   * wait plus a nanosecond.
   */
  public void tryProcess(long now, Action action) {
    while (!heap.isEmpty()) {
      if (!limiter.tryAccept(now)) {
        return;
      }
      TimedValue head = heap.first();
      if (now < head.processAt()) {
        return;
      }
      heap.pollFirst();
      Result r = action.apply(head);
      if (!r.done()) {
        heap.add(new TimedValue(head.value(), head.uid(), head.addedAt(), now + r.waitNanos() + 1, seq++));
      }
    }
  }

  /**
   * SwapLimiter: a new bucket for a new rate; if the current one has no token now, the new one
   * starts empty too (what Go does for burst 1).
   */
  public void swapLimiter(double qps, long now) {
    if (limiter.qps() == (qps <= 0 ? 0 : qps)) {
      return;
    }
    TokenBucket next = new TokenBucket(qps, BURST);
    if (qps > 0 && !limiter.tryAccept(now)) {
      next.tryAccept(now);
    }
    limiter = next;
  }
}
