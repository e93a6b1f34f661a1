package io.kubesim.controlplane.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.scheduler.Scheduler;
import io.kubesim.controlplane.scheduler.SchedulerConfiguration;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Simulation;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pods placed per second: a store, an apiserver and the scheduler with the default plugins in one
 * simulation; N nodes (three zones) are created through the apiserver, then M typical pods (100m
 * CPU, 128 MiB). Measured in wall time from the first pod create to the last binding a pod watcher
 * sees: every create, scheduling cycle, binding and Scheduled event goes through the apiserver on
 * the simulation's one driver thread. With {@code precreate}, the pods exist before the scheduler
 * starts, and the clock starts with the scheduler: scheduling and binding alone.
 */
public final class SchedulerBench {

  /**
   * @param seconds wall time from the start to the last binding
   * @param cpuSeconds CPU time of the simulation's driver thread over the same span: the figure
   *     that does not depend on what else the machine is doing (GC threads not included)
   */
  public record Result(int nodes, int pods, boolean precreated, double seconds, double cpuSeconds, long bound) {
    public double podsPerSecond() {
      return pods / seconds;
    }

    public double podsPerCpuSecond() {
      return pods / cpuSeconds;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private SchedulerBench() {}

  static Node node(int i) {
    Map<String, Quantity> cap = new LinkedHashMap<>();
    cap.put("cpu", new Quantity("32"));
    cap.put("memory", new Quantity("128Gi"));
    cap.put("pods", new Quantity("110"));
    String name = "node-" + i;
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)).endMetadata().withNewSpec().endSpec()
        .withNewStatus().withCapacity(cap).withAllocatable(cap).endStatus().build();
  }

  /** Counts pods as they are bound, and notes the wall time of the last. */
  static final class Bindings {
    final Set<String> bound = new HashSet<>();
    long lastNanos;
    long lastCpuNanos;
  }

  public static Result run(int nodes, int pods, boolean precreate) {
    try (Simulation<Void> sim = Simulation.start("scheduler-bench", Instant.parse("2026-01-01T00:00:00Z"), 1,
        (clock, seeds) -> Behaviors.empty())) {
      ActorRef<Store.Command> store = sim.spawn(Store.create(StoreSettings.DEFAULT, ApiServer.VERSIONER), "store");
      ActorRef<Api.Request> api = sim.spawn(ApiServer.create(store, sim.runtime(),
          sim.seeds().forComponent("apiserver"), ApiServerSettings.DEFAULT,
          new Klog("apiserver", sim.runtime(), LogSink.NONE)), "apiserver");
      LoadDriver.Progress nodeProgress = new LoadDriver.Progress();
      sim.spawn(LoadDriver.<Api.Response>create(nodes, 500,
          (i, self) -> api.tell(new Api.Create(node(i.intValue()), WriteOptions.DEFAULT, self, i)),
          r -> r instanceof Api.Failed, nodeProgress), "nodes");
      sim.runtime().runUntilIdle();
      LoadDriver.defaultServiceAccount(sim, api);
      if (nodeProgress.failures > 0) {
        throw new IllegalStateException("node creates failed: " + nodeProgress.failures);
      }
      Bindings bindings = new Bindings();
      ActorRef<Api.WatchMessage> watcher = sim.spawn(Behaviors.<Api.WatchMessage>receiveMessage(m -> {
        if (m instanceof Api.WatchEvent e && e.object() instanceof Pod p && p.getSpec().getNodeName() != null
            && bindings.bound.add(p.getMetadata().getName())) {
          bindings.lastNanos = System.nanoTime();
          bindings.lastCpuNanos = THREADS.getCurrentThreadCpuTime();
        }
        return Behaviors.same();
      }), "binding-watcher");
      api.tell(new Api.Watch(Resources.PODS, null, ListOptions.ALL, watcher, 1));
      ComponentContext ctx = new ComponentContext(api, sim.runtime(), sim.seeds(), LogSink.NONE);
      // The client's objects are built before the clock starts, as in the apiserver benchmark.
      Pod[] podObjects = new Pod[pods];
      for (int i = 0; i < pods; i++) {
        podObjects[i] = ApiServerBench.typicalPod(i);
      }
      long t0;
      long cpu0;
      LoadDriver.Progress podProgress = new LoadDriver.Progress();
      if (precreate) {
        createPods(sim, api, podObjects, podProgress);
        sim.runtime().runUntilIdle();
        t0 = System.nanoTime();
        cpu0 = THREADS.getCurrentThreadCpuTime();
        sim.spawn(Scheduler.create(ctx, SchedulerConfiguration.defaults()), "scheduler");
      } else {
        sim.spawn(Scheduler.create(ctx, SchedulerConfiguration.defaults()), "scheduler");
        sim.runtime().runUntilIdle();
        t0 = System.nanoTime();
        cpu0 = THREADS.getCurrentThreadCpuTime();
        createPods(sim, api, podObjects, podProgress);
      }
      sim.runtime().runUntilIdle();
      if (podProgress.failures > 0 || bindings.bound.size() != pods) {
        throw new IllegalStateException("scheduler benchmark did not complete: " + bindings.bound.size() + " of "
            + pods + " pods bound, " + podProgress.failures + " creates failed");
      }
      return new Result(nodes, pods, precreate, (bindings.lastNanos - t0) / 1e9,
          (bindings.lastCpuNanos - cpu0) / 1e9, bindings.bound.size());
    }
  }

  private static void createPods(Simulation<Void> sim, ActorRef<Api.Request> api, Pod[] pods,
      LoadDriver.Progress progress) {
    sim.spawn(LoadDriver.<Api.Response>create(pods.length, 1000,
        (i, self) -> api.tell(new Api.Create(pods[(int) (long) i], WriteOptions.DEFAULT, self, i)),
        r -> r instanceof Api.Failed, progress), "pods");
  }
}
