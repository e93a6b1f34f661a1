package io.kubesim.controlplane.controller;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Simulation;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * How fast the controller-manager runs a cluster, in virtual seconds per wall second: a store, an
 * apiserver and the controller-manager, with a stand-in for the scheduler and the kubelets that
 * binds each new pod round robin, reports it Running and Ready at once, and renews every node's
 * lease every 10 s. Phase 1 rolls out {@code deployments} Deployments of {@code replicas} each;
 * phase 2 idles the cluster through an hour of virtual time.
 *
 * <pre>java -cp ... io.kubesim.controlplane.controller.ControllerManagerBench [nodes] [deployments] [replicas]</pre>
 */
public final class ControllerManagerBench {

  private static int counter;

  /**
   * The driver thread's CPU time: the whole simulation runs on it, so this is what a run costs,
   * undisturbed by whatever else the machine is doing.
   */
  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private ControllerManagerBench() {}

  public record Result(int nodes, int pods, double rolloutVirtualSeconds, double rolloutWallSeconds,
      double idleWallSeconds) {
    public double idleCompression() {
      return 3600 / idleWallSeconds;
    }
  }

  /** The stand-in for the scheduler and every kubelet. */
  static Behavior<Object> fleet(ComponentContext cc, int nodes) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ApiClient client = ApiClient.create(ctx, cc.apiserver(), m -> m);
      int[] next = {0};
      Informer<Pod> pods = Informer.of(client, Resources.PODS, Pod.class, new Informer.Handler<>() {
        @Override
        public void onAdd(Pod p) {
          if (Pods.nodeName(p).isEmpty() && p.getMetadata().getDeletionTimestamp() == null) {
            String node = "w" + (next[0]++ % nodes);
            client.bind(new BindingBuilder().withNewMetadata().withName(p.getMetadata().getName())
                .withNamespace(p.getMetadata().getNamespace()).endMetadata().withNewTarget().withKind("Node")
                .withName(node).endTarget().build(), r -> {
                  if (r instanceof Api.Failed f) {
                    System.err.println("bind: " + f.message());
                  }
                });
          }
        }

        @Override
        public void onUpdate(Pod old, Pod p) {
          if (!Pods.nodeName(p).isEmpty() && Pods.nodeName(old).isEmpty()) {
            String now = Times.rfc3339(cc.clock().now());
            client.updateStatus(new PodBuilder(p).editStatus().withPhase("Running").withConditions(
                new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(now).build())
                .endStatus().build(), r -> {
                  if (r instanceof Api.Failed f) {
                    System.err.println("status: " + f.message());
                  }
                });
          } else if (p.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
            client.delete(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
                new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder().withGracePeriodSeconds(0L).build(),
                r -> { });
          }
        }
      });
      pods.start();
      String now = Times.rfc3339(cc.clock().now());
      for (int i = 0; i < nodes; i++) {
        Node n = new NodeBuilder().withNewMetadata().withName("w" + i).endMetadata().withNewStatus()
            .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").withLastHeartbeatTime(now)
            .withLastTransitionTime(now).endCondition().endStatus().build();
        client.create(n, r -> { });
        client.create(lease(cc, "w" + i), r -> { });
      }
      timers.startTimerWithFixedDelay("renew", "renew", Duration.ofSeconds(10));
      return Behaviors.receiveMessage(m -> {
        if ("renew".equals(m)) {
          String renew = Times.micro(cc.clock().now());
          for (int i = 0; i < nodes; i++) {
            client.patch(Resources.LEASES, "kube-node-lease", "w" + i, io.kubesim.shared.api.PatchType.MERGE_PATCH,
                "{\"spec\":{\"renewTime\":\"" + renew + "\"}}", r -> { });
          }
        } else {
          client.receive(m);
        }
        return Behaviors.same();
      });
    }));
  }

  private static Lease lease(ComponentContext cc, String node) {
    return new LeaseBuilder().withNewMetadata().withName(node).withNamespace("kube-node-lease").endMetadata()
        .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40)
        .withRenewTime(cc.clock().now().atZone(ZoneOffset.UTC)).endSpec().build();
  }

  public static Result run(int nodes, int deployments, int replicas) {
    try (Simulation<Void> sim = Simulation.start("controller-manager-bench", Instant.parse("2026-01-01T00:00:00Z"), 1,
        (clock, seeds) -> Behaviors.empty())) {
      ActorRef<Store.Command> store = sim.spawn(Store.create(StoreSettings.DEFAULT, ApiServer.VERSIONER), "store");
      ActorRef<Api.Request> api = sim.spawn(ApiServer.create(store, sim.runtime(), sim.seeds().forComponent("apiserver"),
          ApiServerSettings.DEFAULT, new Klog("apiserver", sim.runtime(), LogSink.NONE)), "apiserver");
      ComponentContext cc = new ComponentContext(api, sim.runtime(), sim.seeds(), LogSink.NONE);
      sim.spawn(fleet(cc, nodes), "fleet");
      sim.runtime().runUntilIdle();
      sim.spawn(ControllerManager.create(cc, ControllerManagerSettings.DEFAULT), "kube-controller-manager");
      sim.runtime().advance(Duration.ofSeconds(1));

      long t0 = cpuNanos();
      long v0 = sim.runtime().nanos();
      ActorRef<Api.Response> sink = sim.spawn(Behaviors.<Api.Response>receiveMessage(m -> Behaviors.same()), "sink");
      for (int d = 0; d < deployments; d++) {
        Deployment dep = new DeploymentBuilder().withNewMetadata().withName("app-" + d).withNamespace("default")
            .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "app-" + d)
            .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "app-" + d).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
            .endTemplate().endSpec().build();
        api.tell(new Api.Create(dep, io.kubesim.shared.api.WriteOptions.DEFAULT, sink, d));
      }
      int total = deployments * replicas;
      while (readyPods(sim, api) < total) {
        if (sim.runtime().nanos() - v0 > Duration.ofMinutes(30).toNanos()) {
          throw new IllegalStateException("the rollout did not finish in 30 virtual minutes: " + readyPods(sim, api)
              + " of " + total + " pods ready");
        }
        sim.runtime().advance(Duration.ofSeconds(1));
      }
      double rolloutWall = (cpuNanos() - t0) / 1e9;
      double rolloutVirtual = (sim.runtime().nanos() - v0) / 1e9;

      long t1 = cpuNanos();
      sim.runtime().advance(Duration.ofHours(1));
      double idleWall = (cpuNanos() - t1) / 1e9;
      return new Result(nodes, total, rolloutVirtual, rolloutWall, idleWall);
    }
  }

  private static int readyPods(Simulation<Void> sim, ActorRef<Api.Request> api) {
    int[] ready = {0};
    boolean[] answered = {false};
    ActorRef<Api.Response> r = sim.spawn(Behaviors.<Api.Response>receiveMessage(m -> {
      if (m instanceof Api.Listed l) {
        for (var o : l.items()) {
          if (Pods.isReady((Pod) o) && o.getMetadata().getDeletionTimestamp() == null) {
            ready[0]++;
          }
        }
      }
      answered[0] = true;
      return Behaviors.stopped();
    }), "count-" + (++counter));
    api.tell(new Api.List(Resources.PODS, "default", io.kubesim.shared.api.ListOptions.ALL, r, 0));
    sim.runtime().runUntilIdle();
    return answered[0] ? ready[0] : 0;
  }

  /** The same cluster's idle hour with no controller-manager: the cost of the apiserver and the lease traffic alone. */
  public static double idleBaseline(int nodes) {
    try (Simulation<Void> sim = Simulation.start("controller-manager-bench", Instant.parse("2026-01-01T00:00:00Z"), 1,
        (clock, seeds) -> Behaviors.empty())) {
      ActorRef<Store.Command> store = sim.spawn(Store.create(StoreSettings.DEFAULT, ApiServer.VERSIONER), "store");
      ActorRef<Api.Request> api = sim.spawn(ApiServer.create(store, sim.runtime(), sim.seeds().forComponent("apiserver"),
          ApiServerSettings.DEFAULT, new Klog("apiserver", sim.runtime(), LogSink.NONE)), "apiserver");
      ComponentContext cc = new ComponentContext(api, sim.runtime(), sim.seeds(), LogSink.NONE);
      sim.spawn(fleet(cc, nodes), "fleet");
      sim.runtime().advance(Duration.ofSeconds(1));
      long t1 = cpuNanos();
      sim.runtime().advance(Duration.ofHours(1));
      return (cpuNanos() - t1) / 1e9;
    }
  }

  public static void main(String[] args) {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int deployments = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int replicas = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    run(Math.min(nodes, 50), 2, 50);
    Result r = run(nodes, deployments, replicas);
    double baseline = idleBaseline(nodes);
    System.out.printf(Locale.ROOT, "controller-manager  %,d nodes, %,d pods: rollout (%.0f virtual s) in %.1f CPU s; "
            + "idle hour in %.1f CPU s (%.0fx), of which apiserver and lease renewals alone %.1f s%n", r.nodes(),
        r.pods(), r.rolloutVirtualSeconds(), r.rolloutWallSeconds(), r.idleWallSeconds(), r.idleCompression(),
        baseline);
  }
}
