package io.kubesim.controlplane.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.time.Simulation;
import java.time.Instant;

/**
 * Store writes per second with watchers attached: a closed loop of creates (one key each) with a
 * window of requests in flight, every change delivered to each watcher, all on the simulation's
 * one driver thread.
 */
public final class StoreBench {

  /** @param cpuSeconds CPU time of the simulation's driver thread (the caller) over the same span */
  public record Result(long writes, int watchers, long eventsDelivered, double seconds, double cpuSeconds) {
    public double writesPerSecond() {
      return writes / seconds;
    }

    public double writesPerCpuSecond() {
      return writes / cpuSeconds;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private StoreBench() {}

  public static Result run(long writes, int watchers, int window) {
    try (Simulation<Void> sim = Simulation.start("store-bench", Instant.parse("2026-01-01T00:00:00Z"), 1,
        (clock, seeds) -> Behaviors.empty())) {
      ActorRef<Store.Command> store = sim.spawn(Store.create(StoreSettings.DEFAULT), "store");
      long[] delivered = {0};
      for (int i = 0; i < watchers; i++) {
        ActorRef<Store.WatchMessage> w = sim.spawn(Behaviors.<Store.WatchMessage>receiveMessage(m -> {
          delivered[0]++;
          return Behaviors.same();
        }), "watcher-" + i);
        store.tell(new Store.Watch("/registry/", 0, w, i));
      }
      sim.runtime().runUntilIdle();
      String value = "x".repeat(512);
      LoadDriver.Progress progress = new LoadDriver.Progress();
      long t0 = System.nanoTime();
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      sim.spawn(LoadDriver.<Store.Response>create(writes, window,
          (i, self) -> store.tell(new Store.Create("/registry/pods/bench/p-" + i, value, null, self, i)),
          r -> r instanceof Store.Failed, progress), "load");
      sim.runtime().runUntilIdle();
      long t1 = System.nanoTime();
      long cpu1 = THREADS.getCurrentThreadCpuTime();
      if (!progress.done || progress.failures > 0) {
        throw new IllegalStateException("store benchmark did not complete: " + progress.answered + " answers, "
            + progress.failures + " failures");
      }
      return new Result(writes, watchers, delivered[0], (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
    }
  }
}
