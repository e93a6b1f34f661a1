package io.kubesim.controlplane.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.time.Simulation;
import java.util.function.BiConsumer;

/**
 * The closed-loop load of the benchmarks: an actor that keeps {@code window} requests in flight
 * until {@code total} have been answered. {@code send(i, self)} issues request i with this actor
 * as the reply target; any reply lets it send the next.
 */
final class LoadDriver {

  /** Filled in as the load runs; read after the simulation is idle. */
  static final class Progress {
    long answered;
    long failures;
    boolean done;
  }

  private LoadDriver() {}

  /**
   * Creates the "default" ServiceAccount of namespace "default", as the serviceaccount controller
   * would in a cluster: ServiceAccount admission holds back pods until it exists.
   */
  static void defaultServiceAccount(Simulation<Void> sim, ActorRef<Api.Request> api) {
    Progress progress = new Progress();
    ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace("default").endMetadata().build();
    sim.spawn(LoadDriver.<Api.Response>create(1, 1,
        (i, self) -> api.tell(new Api.Create(sa, WriteOptions.DEFAULT, self, i)), r -> r instanceof Api.Failed, progress), "service-account");
    sim.runtime().runUntilIdle();
    if (!progress.done || progress.failures > 0) {
      throw new IllegalStateException("cannot create the default ServiceAccount");
    }
  }

  static <R> Behavior<R> create(long total, int window, BiConsumer<Long, ActorRef<R>> send,
      java.util.function.Predicate<R> isFailure, Progress progress) {
    return Behaviors.setup(ctx -> {
      long[] sent = {0};
      while (sent[0] < Math.min(window, total)) {
        send.accept(sent[0]++, ctx.getSelf());
      }
      return Behaviors.receiveMessage(reply -> {
        progress.answered++;
        if (isFailure.test(reply)) {
          progress.failures++;
        }
        if (sent[0] < total) {
          send.accept(sent[0]++, ctx.getSelf());
        }
        if (progress.answered == total) {
          progress.done = true;
          return Behaviors.stopped();
        }
        return Behaviors.same();
      });
    });
  }
}
