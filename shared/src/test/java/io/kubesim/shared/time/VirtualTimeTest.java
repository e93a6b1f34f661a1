package io.kubesim.shared.time;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The clock's three ways of moving, and Akka timers running on it. */
class VirtualTimeTest {

  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private Simulation<Void> sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  sealed interface Msg {}

  record Tick(String name) implements Msg {}

  record Start(Duration delay, String name, boolean chain) implements Msg {}

  /** Records "<virtual ms>:<name>" for each timer it receives; a chained tick re-arms at zero delay. */
  static Behavior<Msg> recorder(VirtualClock clock, List<String> seen) {
    return Behaviors.withTimers(timers -> Behaviors.receive(Msg.class)
        .onMessage(Start.class, s -> {
          timers.startSingleTimer(s.name(), new Tick(s.name() + (s.chain() ? "+" : "")), s.delay());
          return Behaviors.same();
        })
        .onMessage(Tick.class, t -> {
          seen.add(clock.nanos() / 1_000_000 + ":" + t.name());
          if (t.name().endsWith("+") && t.name().length() < 4) {
            timers.startSingleTimer(t.name() + "x", new Tick(t.name() + "+"), Duration.ZERO);
          }
          return Behaviors.same();
        })
        .build());
  }

  private ActorRef<Msg> start(List<String> seen) {
    sim = Simulation.start("t", EPOCH, 1, (clock, seeds) -> Behaviors.empty());
    return sim.spawn(recorder(sim.runtime(), seen), "recorder");
  }

  @Test
  void advanceReturnsOnlyWhenEverythingDueUpToTheInstantHasRun() {
    List<String> seen = new ArrayList<>();
    ActorRef<Msg> r = start(seen);
    r.tell(new Start(Duration.ofSeconds(5), "a", false));
    r.tell(new Start(Duration.ofSeconds(3), "c", true));
    r.tell(new Start(Duration.ofSeconds(6), "later", false));
    sim.runtime().runUntilIdle();

    sim.runtime().advance(Duration.ofSeconds(5));

    // The chain re-arms itself at zero delay: all of it runs at 3 s, before advance returns.
    assertThat(seen).containsExactly("3000:c+", "3000:c++", "3000:c+++", "5000:a");
    assertThat(sim.runtime().now()).isEqualTo(EPOCH.plusSeconds(5));
  }

  @Test
  void nowIsTheEpochPlusTheVirtualNanosAfterEveryMove() {
    List<String> seen = new ArrayList<>();
    start(seen);
    VirtualRuntime rt = sim.runtime();
    assertThat(rt.now()).isEqualTo(EPOCH);
    assertThat(rt.now()).isSameAs(rt.now());
    rt.advance(java.time.Duration.ofMillis(1500));
    assertThat(rt.now()).isEqualTo(EPOCH.plusMillis(1500));
    rt.advance(java.time.Duration.ofNanos(1));
    assertThat(rt.now()).isEqualTo(EPOCH.plusMillis(1500).plusNanos(1));
    assertThat(rt.now()).isEqualTo(rt.epoch().plusNanos(rt.nanos()));
  }

  @Test
  void timersDueAtTheSameInstantFireInTheOrderTheyWereStarted() {
    List<String> seen = new ArrayList<>();
    ActorRef<Msg> r = start(seen);
    for (String n : List.of("c", "a", "b")) {
      r.tell(new Start(Duration.ofMillis(300), n, false));
    }
    sim.runtime().advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly("300:c", "300:a", "300:b");
  }

  @Test
  void stepJumpsStraightToTheNextDueTimer() {
    List<String> seen = new ArrayList<>();
    ActorRef<Msg> r = start(seen);
    r.tell(new Start(Duration.ofHours(2), "far", false));
    sim.runtime().runUntilIdle();
    assertThat(sim.runtime().step()).isTrue();
    assertThat(seen).containsExactly("7200000:far");
    assertThat(sim.runtime().elapsed()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void runUntilStopsAtTheConditionOrTheLimit() {
    List<String> seen = new ArrayList<>();
    ActorRef<Msg> r = start(seen);
    r.tell(new Start(Duration.ofSeconds(1), "x", false));
    r.tell(new Start(Duration.ofSeconds(10), "y", false));
    boolean met = sim.runtime().runUntil(() -> seen.size() == 1, Duration.ofMinutes(1).toNanos());
    assertThat(met).isTrue();
    assertThat(sim.runtime().elapsed()).isEqualTo(Duration.ofSeconds(1));
    boolean never = sim.runtime().runUntil(() -> seen.size() == 3, Duration.ofSeconds(5).toNanos());
    assertThat(never).isFalse();
    assertThat(seen).containsExactly("1000:x");
  }

  @Test
  void aRestartedTimerReplacesTheOldOne() {
    List<String> seen = new ArrayList<>();
    ActorRef<Msg> r = start(seen);
    r.tell(new Start(Duration.ofSeconds(5), "k", false));
    sim.runtime().advance(Duration.ofSeconds(2));
    r.tell(new Start(Duration.ofSeconds(5), "k", false));
    sim.runtime().advance(Duration.ofSeconds(10));
    assertThat(seen).containsExactly("7000:k");
  }

  @Test
  void aPausedRealtimeDriverMovesOnlyWhenAdvancedAndReportsWhenDone() throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    @SuppressWarnings("unchecked")
    ActorRef<Msg>[] ref = new ActorRef[1];
    Simulation<?>[] holder = new Simulation[1];
    RealtimeDriver driver = new RealtimeDriver(1.0, true, () -> {
      holder[0] = Simulation.start("rt", EPOCH, 1, (clock, seeds) -> Behaviors.empty());
      ref[0] = ((Simulation<?>) holder[0]).spawn(recorder(holder[0].runtime(), seen), "recorder");
      return holder[0].runtime();
    });
    try {
      driver.call(() -> {
        ref[0].tell(new Start(Duration.ofSeconds(50), "heartbeat-missed", false));
        return null;
      }).get();
      RealtimeDriver.Status s = driver.advance(Duration.ofSeconds(49)).get();
      assertThat(s.virtualNanos()).isEqualTo(Duration.ofSeconds(49).toNanos());
      assertThat(seen).isEmpty();
      s = driver.advance(Duration.ofSeconds(1)).get();
      assertThat(seen).containsExactly("50000:heartbeat-missed");
      assertThat(s.paused()).isTrue();
    } finally {
      driver.call(() -> {
        holder[0].close();
        return null;
      }).get();
      driver.stop();
    }
  }

  @Test
  void aRunningRealtimeDriverLetsVirtualTimeFollowTheWallClockTimesItsSpeed() throws Exception {
    Simulation<?>[] holder = new Simulation[1];
    RealtimeDriver driver = new RealtimeDriver(1000.0, false, () -> {
      holder[0] = Simulation.start("rt", EPOCH, 1, (clock, seeds) -> Behaviors.empty());
      return holder[0].runtime();
    });
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (driver.status().virtualNanos() < Duration.ofSeconds(5).toNanos() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(driver.status().virtualNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(5).toNanos());
      RealtimeDriver.Status paused = driver.pause().get();
      Thread.sleep(50);
      assertThat(driver.status().virtualNanos()).isEqualTo(paused.virtualNanos());
    } finally {
      driver.call(() -> {
        holder[0].close();
        return null;
      }).get();
      driver.stop();
    }
  }
}
