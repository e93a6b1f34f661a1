package io.kubesim.shared.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import scala.concurrent.ExecutionContext;

/**
 * The world a simulation runs in: a FIFO of runnable work (actor mailboxes handed over by the
 * dispatcher), a heap of virtual timers, and the virtual "now".
 *
 * <p>All of it belongs to one thread, the driver. Akka's dispatcher only queues work here (see
 * {@link DrivenExecutorConfigurator}); the driver runs it, in order, when it calls
 * {@link #runUntilIdle()}, {@link #advanceTo(long)} or {@link #step()}. When nothing is runnable the
 * clock jumps to the next due timer, so empty virtual time costs nothing. Work handed in by other
 * threads (HTTP requests, command-line clock controls) goes through {@link #submit(Runnable)} and
 * is taken in by the driver between tasks, so the simulation itself stays single-writer.
 */
public final class VirtualRuntime implements VirtualClock {

  private static final ConcurrentHashMap<String, VirtualRuntime> REGISTRY = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();
  private static final ThreadLocal<VirtualRuntime> CURRENT = new ThreadLocal<>();

  private final String id;
  private final Instant epoch;
  private long nowNanos;
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private long timerSeq;
  private int cancelledInHeap;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private volatile Thread driver;

  private long tasksRun;
  private long timersFired;
  private final AtomicLong foreignEnqueues = new AtomicLong();
  private final List<Throwable> failures = new ArrayList<>();

  /** A runtime whose virtual time zero is {@code epoch}; the calling thread becomes its driver. */
  public VirtualRuntime(Instant epoch) {
    this.id = "vrt-" + IDS.incrementAndGet();
    this.epoch = epoch;
    this.driver = Thread.currentThread();
    CURRENT.set(this);
    REGISTRY.put(id, this);
  }

  /** The runtime the calling thread drives, if any (for log lines written outside an actor). */
  public static VirtualRuntime current() {
    return CURRENT.get();
  }

  /** Finds the runtime named in an actor system's config (key {@code kubesim.runtime-id}). */
  static VirtualRuntime lookup(String id) {
    VirtualRuntime rt = REGISTRY.get(id);
    if (rt == null) {
      throw new IllegalStateException("no virtual runtime registered as '" + id + "'");
    }
    return rt;
  }

  public String id() {
    return id;
  }

  /** Forgets this runtime in the registry; call once its actor system has terminated. */
  public void close() {
    REGISTRY.remove(id);
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  /** Makes the calling thread the driver, e.g. a dedicated thread that serves a running cluster. */
  public void bindDriver() {
    driver = Thread.currentThread();
    CURRENT.set(this);
  }

  public boolean onDriver() {
    return Thread.currentThread() == driver;
  }

  @Override
  public long nanos() {
    return nowNanos;
  }

  @Override
  public Instant epoch() {
    return epoch;
  }

  /** The last instant asked for, with its virtual nanoseconds (immutable: safe to read from any thread). */
  private record Stamp(long nanos, Instant instant) {}

  private Stamp stamp;

  /**
   * The virtual now as an instant, made once per virtual instant: components ask for it many times
   * in a row (the node lifecycle pass once or twice per node) while the clock stands still.
   */
  @Override
  public Instant now() {
    long n = nowNanos;
    Stamp s = stamp;
    if (s == null || s.nanos() != n) {
      s = new Stamp(n, epoch.plusNanos(n));
      stamp = s;
    }
    return s.instant();
  }

  // ---------------------------------------------------------------- work queue

  /** Called by the dispatcher's executor. On the driver it queues; from elsewhere it goes to the inbox. */
  void execute(Runnable task) {
    if (Thread.currentThread() == driver) {
      ready.addLast(task);
    } else {
      foreignEnqueues.incrementAndGet();
      inbox.add(task);
      LockSupport.unpark(driver);
    }
  }

  /**
   * Hands work in from outside the simulation (an HTTP request, a clock command). The driver runs
   * it at its next idle point; the task may send messages to actors, since it runs on the driver.
   */
  public void submit(Runnable task) {
    if (Thread.currentThread() == driver) {
      ready.addLast(task);
    } else {
      inbox.add(task);
      LockSupport.unpark(driver);
    }
  }

  /** Work queued by threads other than the driver through the dispatcher. Zero in a deterministic run. */
  public long foreignEnqueues() {
    return foreignEnqueues.get();
  }

  public long tasksRun() {
    return tasksRun;
  }

  public long timersFired() {
    return timersFired;
  }

  /** True when there is runnable work, here or waiting in the inbox. */
  public boolean hasRunnableWork() {
    return !ready.isEmpty() || !inbox.isEmpty();
  }

  /** Exceptions that escaped tasks; Akka handles actor failures itself, so these indicate bugs. */
  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  private void checkDriver() {
    if (Thread.currentThread() != driver) {
      throw new IllegalStateException(
          "virtual runtime " + id + " is driven by " + driver.getName() + ", not " + Thread.currentThread().getName());
    }
  }

  private void drainInbox() {
    Runnable r;
    while ((r = inbox.poll()) != null) {
      ready.addLast(r);
    }
  }

  /**
   * Runs queued work, and timers due at the current instant (zero-delay timers included), until
   * none is left, without moving the clock. Returns the number of tasks run.
   */
  public long runUntilIdle() {
    checkDriver();
    long n = 0;
    while (true) {
      Runnable r = ready.pollFirst();
      if (r == null) {
        drainInbox();
        r = ready.pollFirst();
        if (r == null) {
          Timer next = peekLive();
          if (next == null || next.due > nowNanos) {
            break;
          }
          fireDue();
          continue;
        }
      }
      try {
        r.run();
      } catch (Throwable t) {
        failures.add(t);
      }
      n++;
    }
    tasksRun += n;
    return n;
  }

  // ---------------------------------------------------------------- timers

  Timer schedule(long delayNanos, long intervalNanos, Runnable task, ExecutionContext ec) {
    checkDriver();
    Timer t = new Timer(this, nowNanos + Math.max(0, delayNanos), timerSeq++, intervalNanos, task, ec);
    timers.add(t);
    return t;
  }

  void timerCancelled() {
    cancelledInHeap++;
    // Lazy deletion keeps cancel O(1); rebuild when the dead entries dominate so memory stays bounded.
    if (cancelledInHeap > 1024 && cancelledInHeap > timers.size() / 2) {
      timers.removeIf(t -> !t.isLive());
      cancelledInHeap = 0;
    }
  }

  private Timer peekLive() {
    Timer t;
    while ((t = timers.peek()) != null && !t.isLive()) {
      timers.poll();
      if (t.isCancelled() && cancelledInHeap > 0) {
        cancelledInHeap--;
      }
    }
    return t;
  }

  /** The virtual instant (nanos) of the next live timer, or {@code Long.MAX_VALUE} when none. */
  public long nextDueNanos() {
    checkDriver();
    Timer t = peekLive();
    return t == null ? Long.MAX_VALUE : t.due;
  }

  /** Live timers waiting in the heap. */
  public int pendingTimers() {
    return timers.size() - cancelledInHeap;
  }

  /** Fires every timer due at or before now, in (due, seq) order. */
  private void fireDue() {
    Timer t;
    while ((t = peekLive()) != null && t.due <= nowNanos) {
      timers.poll();
      if (t.periodic()) {
        // Re-armed before it runs, so that the task may cancel it (fixed-rate semantics).
        t.due += t.intervalNanos;
        timers.add(t);
      } else {
        t.markDone();
      }
      timersFired++;
      try {
        t.ec.execute(t.task);
      } catch (Throwable e) {
        failures.add(e);
      }
    }
  }

  /**
   * Moves the clock to {@code targetNanos}, processing everything due on the way: at each due
   * instant its timers fire and all resulting work runs before the clock moves on. Returns when
   * everything due up to and including the target has been processed.
   */
  public void advanceTo(long targetNanos) {
    checkDriver();
    runUntilIdle();
    while (true) {
      Timer next = peekLive();
      if (next == null || next.due > targetNanos) {
        break;
      }
      nowNanos = Math.max(nowNanos, next.due);
      fireDue();
      runUntilIdle();
    }
    nowNanos = Math.max(nowNanos, targetNanos);
    runUntilIdle();
  }

  public void advance(Duration d) {
    advanceTo(Math.addExact(nowNanos, d.toNanos()));
  }

  public void advanceTo(Instant t) {
    advanceTo(Duration.between(epoch, t).toNanos());
  }

  /** Runs what is runnable, then jumps to the next due instant and fires it. False when no timer is left. */
  public boolean step() {
    checkDriver();
    runUntilIdle();
    Timer next = peekLive();
    if (next == null) {
      return false;
    }
    nowNanos = Math.max(nowNanos, next.due);
    fireDue();
    runUntilIdle();
    return true;
  }

  /**
   * Steps until {@code done} holds or the clock would pass {@code maxNanos}. Returns whether
   * {@code done} held.
   */
  public boolean runUntil(BooleanSupplier done, long maxNanos) {
    checkDriver();
    runUntilIdle();
    while (!done.getAsBoolean()) {
      long next = nextDueNanos();
      if (next > maxNanos || !step()) {
        return done.getAsBoolean();
      }
    }
    return true;
  }
}
