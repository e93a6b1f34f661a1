package io.kubesim.shared.time;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Same program, same seed: the same trace, message for message. The workload is many actors with
 * periodic and one-shot timers of random length, sending each other pings and answering with
 * replies, each actor drawing from its own split of the seed.
 */
class DeterminismTest {

  sealed interface Msg {}

  record Tick(int n) implements Msg {}

  record Ping(int from, int hop, ActorRef<Msg> replyTo) implements Msg {}

  record Pong(int from, int hop) implements Msg {}

  record Peers(List<ActorRef<Msg>> peers) implements Msg {}

  static Behavior<Msg> worker(int id, VirtualClock clock, Seeds seeds, List<String> trace) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      SplittableRandom random = seeds.forComponent("worker-" + id);
      List<ActorRef<Msg>> peers = new ArrayList<>();
      timers.startTimerAtFixedRate("beat", new Tick(0), Duration.ofMillis(100 + random.nextInt(900)));
      return Behaviors.receive(Msg.class)
          .onMessage(Peers.class, p -> {
            peers.addAll(p.peers());
            return Behaviors.same();
          })
          .onMessage(Tick.class, t -> {
            trace.add(clock.nanos() + " " + id + " tick " + t.n());
            if (!peers.isEmpty()) {
              peers.get(random.nextInt(peers.size())).tell(new Ping(id, 0, ctx.getSelf()));
            }
            if (random.nextInt(4) == 0) {
              timers.startSingleTimer("once-" + t.n(), new Tick(t.n() + 1), Duration.ofMillis(random.nextInt(500)));
            }
            return Behaviors.same();
          })
          .onMessage(Ping.class, p -> {
            trace.add(clock.nanos() + " " + id + " ping from " + p.from() + " hop " + p.hop());
            p.replyTo().tell(new Pong(id, p.hop()));
            if (p.hop() < 3 && !peers.isEmpty()) {
              peers.get(random.nextInt(peers.size())).tell(new Ping(id, p.hop() + 1, ctx.getSelf()));
            }
            return Behaviors.same();
          })
          .onMessage(Pong.class, p -> {
            trace.add(clock.nanos() + " " + id + " pong from " + p.from() + " hop " + p.hop());
            return Behaviors.same();
          })
          .build();
    }));
  }

  static List<String> run(long seed) {
    List<String> trace = new ArrayList<>();
    try (Simulation<Void> sim = Simulation.start("determinism", Instant.parse("2026-01-01T00:00:00Z"), seed,
        (clock, seeds) -> Behaviors.setup(ctx -> {
          List<ActorRef<Msg>> workers = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            workers.add(ctx.spawn(worker(i, clock, seeds, trace), "worker-" + i));
          }
          workers.forEach(w -> w.tell(new Peers(workers)));
          return Behaviors.empty();
        }))) {
      sim.runtime().advance(Duration.ofSeconds(60));
      assertThat(sim.runtime().foreignEnqueues()).as("tasks queued from other threads").isZero();
      assertThat(sim.runtime().failures()).isEmpty();
    }
    return trace;
  }

  @Test
  void sameSeedGivesIdenticalTraces() {
    List<String> first = run(42);
    List<String> second = run(42);
    assertThat(first).hasSizeGreaterThan(10_000);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentSeedGivesADifferentTrace() {
    assertThat(run(1)).isNotEqualTo(run(2));
  }
}
