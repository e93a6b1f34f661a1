package io.kubesim.shared.time;

import akka.actor.Cancellable;
import scala.concurrent.ExecutionContext;

/**
 * One entry of the virtual timer queue, ordered by (due, seq) so that timers due at the same
 * instant fire in the order they were scheduled, the same way on every run. It is also the
 * {@link Cancellable} handed back to Akka; cancellation is lazy (the entry stays in the heap and
 * is skipped when it reaches the top).
 */
final class Timer implements Cancellable, Comparable<Timer> {
  long due;
  final long seq;
  final long intervalNanos;
  final Runnable task;
  final ExecutionContext ec;
  private final VirtualRuntime runtime;
  private boolean cancelled;
  private boolean done;

  Timer(VirtualRuntime runtime, long due, long seq, long intervalNanos, Runnable task, ExecutionContext ec) {
    this.runtime = runtime;
    this.due = due;
    this.seq = seq;
    this.intervalNanos = intervalNanos;
    this.task = task;
    this.ec = ec;
  }

  @Override
  public int compareTo(Timer o) {
    int c = Long.compare(due, o.due);
    return c != 0 ? c : Long.compare(seq, o.seq);
  }

  boolean isLive() {
    return !cancelled && !done;
  }

  boolean periodic() {
    return intervalNanos > 0;
  }

  void markDone() {
    done = true;
  }

  @Override
  public boolean cancel() {
    if (cancelled || done) {
      return false;
    }
    cancelled = true;
    runtime.timerCancelled();
    return true;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
