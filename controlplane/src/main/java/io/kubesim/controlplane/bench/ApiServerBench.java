package io.kubesim.controlplane.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Simulation;
import java.time.Instant;

/**
 * Pod creates per second through the apiserver's internal protocol: each create is defaulted,
 * admitted, validated, written to the store and fanned out to the watchers (informer-style watches
 * of all pods) before its answer, all on the simulation's one driver thread.
 */
public final class ApiServerBench {

  /** @param cpuSeconds CPU time of the simulation's driver thread (the caller) over the same span */
  public record Result(long creates, int watchers, long eventsDelivered, double seconds, double cpuSeconds) {
    public double createsPerSecond() {
      return creates / seconds;
    }

    public double createsPerCpuSecond() {
      return creates / cpuSeconds;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private ApiServerBench() {}

  /** A pod as a Deployment's template would make it: labels, one container with requests. */
  static Pod typicalPod(long i) {
    return new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("default")
        .addToLabels("app", "web").addToLabels("pod-template-hash", "6d8f9c7b5").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").addNewPort()
        .withContainerPort(80).endPort().withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model
            .Quantity("100m")).addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi"))
        .endResources().endContainer().endSpec().build();
  }

  public static Result run(long creates, int watchers, int window) {
    try (Simulation<Void> sim = Simulation.start("apiserver-bench", Instant.parse("2026-01-01T00:00:00Z"), 1,
        (clock, seeds) -> Behaviors.empty())) {
      ActorRef<Store.Command> store = sim.spawn(Store.create(StoreSettings.DEFAULT, ApiServer.VERSIONER), "store");
      ActorRef<Api.Request> api = sim.spawn(ApiServer.create(store, sim.runtime(),
          sim.seeds().forComponent("apiserver"), ApiServerSettings.DEFAULT,
          new Klog("apiserver", sim.runtime(), LogSink.NONE)), "apiserver");
      long[] delivered = {0};
      for (int i = 0; i < watchers; i++) {
        ActorRef<Api.WatchMessage> w = sim.spawn(Behaviors.<Api.WatchMessage>receiveMessage(m -> {
          delivered[0]++;
          return Behaviors.same();
        }), "watcher-" + i);
        api.tell(new Api.Watch(Resources.PODS, null, ListOptions.ALL, w, i));
      }
      sim.runtime().runUntilIdle();
      LoadDriver.defaultServiceAccount(sim, api);
      // The client's objects are built before the clock starts: this measures the apiserver.
      Pod[] pods = new Pod[(int) creates];
      for (int i = 0; i < pods.length; i++) {
        pods[i] = typicalPod(i);
      }
      LoadDriver.Progress progress = new LoadDriver.Progress();
      long t0 = System.nanoTime();
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      sim.spawn(LoadDriver.<Api.Response>create(creates, window,
          (i, self) -> api.tell(new Api.Create(pods[(int) (long) i], WriteOptions.DEFAULT, self, i)),
          r -> r instanceof Api.Failed, progress), "load");
      sim.runtime().runUntilIdle();
      long t1 = System.nanoTime();
      long cpu1 = THREADS.getCurrentThreadCpuTime();
      if (!progress.done || progress.failures > 0) {
        throw new IllegalStateException("apiserver benchmark did not complete: " + progress.answered + " answers, "
            + progress.failures + " failures");
      }
      return new Result(creates, watchers, delivered[0], (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
    }
  }
}
