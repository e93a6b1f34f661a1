package io.kubesim.shared.testing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.kubesim.shared.time.Seeds;
import io.kubesim.shared.time.Simulation;
import io.kubesim.shared.time.VirtualRuntime;
import java.time.Duration;
import java.time.Instant;

/**
 * A simulation for tests: the test thread is the driver, actors are spawned directly, and
 * {@link Recorder}s stand in for the actors that receive answers. Time moves only when the test
 * says so.
 */
public final class SimTestKit implements AutoCloseable {

  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final Simulation<Void> sim;
  private int names;

  private SimTestKit(long seed) {
    this.sim = Simulation.start("test", EPOCH, seed, (clock, seeds) -> Behaviors.empty());
  }

  public static SimTestKit start() {
    return new SimTestKit(1);
  }

  public static SimTestKit start(long seed) {
    return new SimTestKit(seed);
  }

  public VirtualRuntime runtime() {
    return sim.runtime();
  }

  public Seeds seeds() {
    return sim.seeds();
  }

  public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
    ActorRef<T> ref = sim.system().systemActorOf(behavior, name, Props.empty());
    sim.runtime().runUntilIdle();
    return ref;
  }

  public <T> Recorder<T> recorder() {
    Recorder<T> r = new Recorder<>();
    r.ref = spawn(r.behavior(), "recorder-" + (++names));
    return r;
  }

  /** Runs everything runnable without moving the clock. */
  public void settle() {
    sim.runtime().runUntilIdle();
  }

  public void advance(Duration d) {
    sim.runtime().advance(d);
  }

  @Override
  public void close() {
    sim.close();
  }
}
