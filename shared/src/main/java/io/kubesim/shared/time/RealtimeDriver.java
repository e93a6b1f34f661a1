package io.kubesim.shared.time;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a simulation for an interactive session: a dedicated thread that lets virtual time
 * follow the wall clock times a speed factor, or holds it (paused) and moves it only when told.
 * Work from other threads (HTTP requests) enters through {@link VirtualRuntime#submit}; clock
 * commands enter here and run on the driver thread between tasks.
 *
 * <p>This is the one place where kubesim reads the wall clock for the simulation: to map wall
 * time to virtual time. The simulation itself still sees only virtual time.
 */
public final class RealtimeDriver {

  /** What {@link #status()} reports. */
  public record Status(long virtualNanos, boolean paused, double speed, long pendingTimers) {}

  private volatile VirtualRuntime runtime;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean paused;
  private volatile double speed;
  // Mapping wall -> virtual, re-anchored whenever speed or pause changes (driver thread only).
  private long wallAnchor;
  private long virtualAnchor;
  private volatile Status status;

  /**
   * Starts the driver thread. {@code boot} runs on it first and returns the runtime of the
   * simulation it started (the thread that boots a runtime drives it).
   */
  public RealtimeDriver(double speed, boolean paused, java.util.function.Supplier<VirtualRuntime> boot) {
    this.speed = speed;
    this.paused = paused;
    CompletableFuture<Void> started = new CompletableFuture<>();
    this.thread = new Thread(() -> {
      try {
        runtime = boot.get();
        runtime.bindDriver();
        started.complete(null);
      } catch (Throwable t) {
        started.completeExceptionally(t);
        return;
      }
      loop();
    }, "kubesim-driver");
    thread.setDaemon(true);
    thread.start();
    started.join();
  }

  public VirtualRuntime runtime() {
    return runtime;
  }

  /** Runs {@code command} on the driver thread and returns its result. */
  public <T> CompletableFuture<T> call(java.util.function.Supplier<T> command) {
    CompletableFuture<T> f = new CompletableFuture<>();
    commands.add(() -> {
      try {
        f.complete(command.get());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    LockSupport.unpark(thread);
    return f;
  }

  public CompletableFuture<Status> pause() {
    return call(() -> {
      catchUp();
      paused = true;
      return snapshot();
    });
  }

  public CompletableFuture<Status> resume() {
    return call(() -> {
      paused = false;
      anchor();
      return snapshot();
    });
  }

  public CompletableFuture<Status> setSpeed(double newSpeed) {
    if (!(newSpeed > 0) || Double.isInfinite(newSpeed)) {
      throw new IllegalArgumentException("speed must be a positive number, got " + newSpeed);
    }
    return call(() -> {
      catchUp();
      speed = newSpeed;
      anchor();
      return snapshot();
    });
  }

  /**
   * Moves virtual time forward by {@code d} at once, processing everything due on the way; the
   * future completes when all of it has run, so what a client reads next reflects it.
   */
  public CompletableFuture<Status> advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("cannot advance by a negative duration: " + d);
    }
    return call(() -> {
      catchUp();
      runtime.advance(d);
      anchor();
      return snapshot();
    });
  }

  public Status status() {
    Status s = status;
    return s != null ? s : new Status(0, paused, speed, 0);
  }

  public void stop() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void anchor() {
    wallAnchor = System.nanoTime();
    virtualAnchor = runtime.nanos();
  }

  private long virtualTarget() {
    long wall = System.nanoTime() - wallAnchor;
    return virtualAnchor + (long) (wall * speed);
  }

  /** Brings virtual time up to the wall-clock mapping (when running). */
  private void catchUp() {
    if (!paused) {
      long target = virtualTarget();
      if (target > runtime.nanos()) {
        runtime.advanceTo(target);
      }
    }
  }

  private Status snapshot() {
    Status s = new Status(runtime.nanos(), paused, speed, runtime.pendingTimers());
    status = s;
    return s;
  }

  private void loop() {
    anchor();
    while (!stopped) {
      Runnable c;
      while ((c = commands.poll()) != null) {
        c.run();
      }
      runtime.runUntilIdle();
      catchUp();
      snapshot();
      if (runtime.hasRunnableWork() || !commands.isEmpty()) {
        continue;
      }
      long waitNanos = 100_000_000L;
      if (!paused) {
        long next = runtime.nextDueNanos();
        if (next != Long.MAX_VALUE) {
          long wallUntil = (long) ((next - runtime.nanos()) / speed);
          waitNanos = Math.max(0, Math.min(waitNanos, wallUntil));
        }
      }
      if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      }
    }
  }
}
