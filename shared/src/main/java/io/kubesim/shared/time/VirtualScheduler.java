package io.kubesim.shared.time;

import akka.actor.Cancellable;
import akka.actor.Scheduler;
import akka.event.LoggingAdapter;
import com.typesafe.config.Config;
import java.util.concurrent.ThreadFactory;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Akka's system scheduler, reading the virtual clock. Installed through
 * {@code akka.scheduler.implementation}; Akka builds it by reflection with this constructor. Every
 * other scheduling method of {@link Scheduler} (fixed delay, the ActorRef and java.time overloads)
 * is a default method built on these two, so actors keep using ordinary
 * {@code Behaviors.withTimers} and their timers run in virtual time.
 */
public final class VirtualScheduler implements Scheduler {

  private final VirtualRuntime runtime;

  public VirtualScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    this.runtime = VirtualRuntime.lookup(config.getString("kubesim.runtime-id"));
  }

  @Override
  public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    return runtime.schedule(delay.toNanos(), 0, runnable, executor);
  }

  @Override
  public Cancellable schedule(
      FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
    if (interval.toNanos() <= 0) {
      throw new IllegalArgumentException("a repeating timer needs a positive interval, got " + interval);
    }
    return runtime.schedule(initialDelay.toNanos(), interval.toNanos(), runnable, executor);
  }

  @Override
  public double maxFrequency() {
    return 1.0e9;
  }
}
