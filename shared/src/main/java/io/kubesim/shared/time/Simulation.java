package io.kubesim.shared.time;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;

/**
 * An Akka actor system running in virtual time: all its actors run on the driver thread of one
 * {@link VirtualRuntime}, in a fixed order, and its timers read the virtual clock.
 *
 * <p>The configuration follows what a feasibility study of Akka 2.6 found necessary: the
 * dispatchers' executor only queues work, the scheduler is virtual, no logger is an actor (an
 * actor logger would make start-up block on the driver), and the stream materializer is not
 * started eagerly. With that, the system boots on the driver thread itself and not one task is
 * queued from another thread.
 */
public final class Simulation<T> implements AutoCloseable {

  static final String AKKA_CONFIG = String.join("\n",
      "akka.scheduler.implementation = \"" + VirtualScheduler.class.getName() + "\"",
      "akka.actor.default-dispatcher.executor = \"" + DrivenExecutorConfigurator.class.getName() + "\"",
      // > 0 would make the mailbox read System.nanoTime between messages.
      "akka.actor.default-dispatcher.throughput-deadline-time = 0ms",
      // Pinned: it changes how messages of different actors interleave (deterministically).
      "akka.actor.default-dispatcher.throughput = 5",
      "akka.actor.internal-dispatcher = \"akka.actor.default-dispatcher\"",
      "akka.actor.default-blocking-io-dispatcher.executor = \"" + DrivenExecutorConfigurator.class.getName() + "\"",
      "akka.loggers = [\"akka.event.Logging$StandardOutLogger\"]",
      "akka.logging-filter = \"akka.event.DefaultLoggingFilter\"",
      "akka.use-slf4j = off",
      "akka.stdout-loglevel = WARNING",
      "akka.loglevel = WARNING",
      "akka.log-dead-letters = off",
      "akka.log-dead-letters-during-shutdown = off",
      "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
      "akka.jvm-shutdown-hooks = off",
      "akka.library-extensions = [\"akka.serialization.SerializationExtension$\", "
          + "\"akka.actor.typed.internal.adapter.ActorSystemAdapter$LoadTypedExtensions\"]");

  private final VirtualRuntime runtime;
  private final ActorSystem<T> system;
  private final Seeds seeds;

  private Simulation(VirtualRuntime runtime, ActorSystem<T> system, Seeds seeds) {
    this.runtime = runtime;
    this.system = system;
    this.seeds = seeds;
  }

  /**
   * Boots an actor system in virtual time on the calling thread, which becomes the driver, and
   * runs until the guardian has started.
   */
  public static <T> Simulation<T> start(String name, Instant epoch, long seed, GuardianFactory<T> guardian) {
    VirtualRuntime runtime = new VirtualRuntime(epoch);
    Seeds seeds = new Seeds(seed);
    Config config = ConfigFactory.parseString("kubesim.runtime-id = \"" + runtime.id() + "\"\n" + AKKA_CONFIG)
        .withFallback(ConfigFactory.load());
    ActorSystem<T> system = ActorSystem.create(guardian.create(runtime, seeds), name, config);
    runtime.runUntilIdle();
    return new Simulation<>(runtime, system, seeds);
  }

  /** Builds the guardian behaviour from the clock and seeds of the simulation it will run in. */
  @FunctionalInterface
  public interface GuardianFactory<T> {
    Behavior<T> create(VirtualClock clock, Seeds seeds);
  }

  /** Spawns a top-level actor from the driver thread (outside any actor), and lets it start. */
  public <M> akka.actor.typed.ActorRef<M> spawn(Behavior<M> behavior, String name) {
    akka.actor.typed.ActorRef<M> ref = system.systemActorOf(behavior, name, akka.actor.typed.Props.empty());
    runtime.runUntilIdle();
    return ref;
  }

  public VirtualRuntime runtime() {
    return runtime;
  }

  public ActorSystem<T> system() {
    return system;
  }

  public Seeds seeds() {
    return seeds;
  }

  /** Terminates the actor system, driving its shutdown to completion on the driver thread. */
  @Override
  public void close() {
    system.terminate();
    var terminated = system.getWhenTerminated().toCompletableFuture();
    runtime.runUntil(terminated::isDone, Long.MAX_VALUE);
    runtime.close();
  }
}
