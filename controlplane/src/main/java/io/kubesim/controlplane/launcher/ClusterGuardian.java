package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.store.Store;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Seeds;
import io.kubesim.shared.time.VirtualClock;

/**
 * The root of a simulated cluster: it starts the store and the apiserver (then the scheduler,
 * the controller-manager and one kubelet and container runtime per node), and carries out the
 * faults that stop and start them.
 */
final class ClusterGuardian {

  interface Command {}

  /** The references the cluster's owner needs, filled in as the guardian starts its children. */
  static final class Wiring {
    ActorRef<Store.Command> store;
    ActorRef<Api.Request> apiserver;
  }

  private ClusterGuardian() {}

  static Behavior<Command> create(ClusterDefinition definition, ClusterSettings settings, VirtualClock clock,
      Seeds seeds, LogSink logs, Wiring wiring) {
    return Behaviors.setup(ctx -> {
      wiring.store = ctx.spawn(Store.create(settings.store(), ApiServer.VERSIONER), "etcd");
      wiring.apiserver = ctx.spawn(ApiServer.create(wiring.store, clock, seeds.forComponent("apiserver"),
          settings.apiserver(), new Klog("apiserver", clock, logs)), "kube-apiserver");
      return Behaviors.receiveMessage(m -> Behaviors.same());
    });
  }
}
