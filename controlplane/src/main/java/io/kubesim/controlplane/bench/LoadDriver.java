package io.kubesim.controlplane.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
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
