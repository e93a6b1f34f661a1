package io.kubesim.shared.util;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.kubesim.shared.testing.SimTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceivesTest {

  interface Msg {}

  interface Write extends Msg {}

  record Update(String name) implements Write {}

  record Delete(String name) implements Write {}

  record Get(String name) implements Msg {}

  enum Tick implements Msg { FAST, SLOW }

  private final List<String> ran = new ArrayList<>();

  private Behavior<Msg> ran(String what) {
    ran.add(what);
    return Behaviors.same();
  }

  @Test
  void theFirstCaseInDeclarationOrderThatMatchesHandlesTheMessage() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessage(Write.class, m -> ran("write"))
        .onMessage(Update.class, m -> ran("update"))
        .onMessage(Get.class, m -> ran("get"))
        .build();
    r.receiveMessage(new Update("a"));
    r.receiveMessage(new Delete("a"));
    r.receiveMessage(new Get("a"));
    r.receiveMessage(new Update("b"));
    assertThat(ran).containsExactly("write", "write", "get", "write");
  }

  @Test
  void messagesOfAlternatingClassesEachFindTheirOwnCases() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessage(Update.class, m -> ran("update " + m.name()))
        .onMessage(Write.class, m -> ran("write " + m))
        .onMessage(Get.class, m -> ran("get " + m.name()))
        .onMessageEquals(Tick.FAST, () -> ran("fast"))
        .build();
    r.receiveMessage(new Update("a"));
    r.receiveMessage(new Get("b"));
    r.receiveMessage(new Update("c"));
    r.receiveMessage(new Get("d"));
    r.receiveMessage(new Delete("e"));
    r.receiveMessage(new Get("f"));
    r.receiveMessage(new Update("g"));
    r.receiveMessage(Tick.FAST);
    assertThat(r.receiveMessage(Tick.SLOW)).isSameAs(Behaviors.unhandled());
    r.receiveMessage(new Delete("h"));
    assertThat(ran).containsExactly("update a", "get b", "update c", "get d", "write Delete[name=e]", "get f",
        "update g", "fast", "write Delete[name=h]");
  }

  @Test
  void aTestThatFailsPassesTheMessageToTheNextCaseOfItsClassEachTime() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessage(Update.class, m -> m.name().startsWith("x"), m -> ran("x-update"))
        .onMessage(Write.class, m -> ran("write"))
        .build();
    r.receiveMessage(new Update("xa"));
    r.receiveMessage(new Update("a"));
    r.receiveMessage(new Update("xb"));
    assertThat(ran).containsExactly("x-update", "write", "x-update");
  }

  @Test
  void onMessageEqualsMatchesOnlyThatMessage() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessageEquals(Tick.SLOW, () -> ran("slow"))
        .onMessageEquals(Tick.FAST, () -> ran("fast"))
        .build();
    r.receiveMessage(Tick.FAST);
    r.receiveMessage(Tick.SLOW);
    r.receiveMessage(Tick.FAST);
    assertThat(ran).containsExactly("fast", "slow", "fast");
  }

  @Test
  void aMessageNoCaseMatchesIsUnhandledUnlessACatchAllFollows() throws Exception {
    Receive<Msg> narrow = Receives.<Msg>builder(null).onMessage(Get.class, m -> ran("get")).build();
    assertThat(narrow.receiveMessage(new Update("a"))).isSameAs(Behaviors.unhandled());
    assertThat(narrow.receiveMessage(Tick.FAST)).isSameAs(Behaviors.unhandled());
    assertThat(ran).isEmpty();

    Receive<Msg> any = Receives.<Msg>builder(null)
        .onMessage(Get.class, m -> ran("get"))
        .onAnyMessage(m -> ran("any " + m))
        .build();
    any.receiveMessage(new Get("a"));
    any.receiveMessage(Tick.SLOW);
    assertThat(ran).containsExactly("get", "any SLOW");
  }

  @Test
  void whatTheHandlerReturnsIsTheNextBehavior() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessage(Get.class, m -> Behaviors.stopped())
        .onMessage(Update.class, m -> Behaviors.same())
        .build();
    assertThat(r.receiveMessage(new Get("a"))).isSameAs(Behaviors.stopped());
    assertThat(r.receiveMessage(new Update("a"))).isSameAs(Behaviors.same());
  }

  /** An actor that counts, and reports its count to {@code reports} when its timer fires. */
  static final class Counter extends AbstractBehavior<Msg> {
    static Counter last;
    private final TimerScheduler<Msg> timers;
    private final List<String> reports;
    private int count;

    Counter(ActorContext<Msg> ctx, TimerScheduler<Msg> timers, List<String> reports) {
      super(ctx);
      this.timers = timers;
      this.reports = reports;
      last = this;
    }

    @Override
    public Receive<Msg> createReceive() {
      return Receives.builder(this)
          .onMessage(Update.class, m -> {
            count++;
            timers.startSingleTimer(Tick.SLOW, Duration.ofSeconds(1));
            return this;
          })
          .onMessageEquals(Tick.SLOW, () -> {
            reports.add("count " + count);
            return this;
          })
          .onMessage(Delete.class, m -> Behaviors.stopped())
          .onSignal(PostStop.class, s -> {
            reports.add("stopped at " + count);
            return this;
          })
          .build();
    }
  }

  @Test
  void aCaseReturningItsOwnBehaviorKeepsTheCurrentOneAsSameDoes() throws Exception {
    List<String> reports = new ArrayList<>();
    try (SimTestKit kit = SimTestKit.start()) {
      ActorRef<Msg> counter = kit.spawn(Behaviors.<Msg>withTimers(timers ->
          Behaviors.setup(ctx -> new Counter(ctx, timers, reports))), "counter");
      Counter owner = Counter.last;
      Receive<Msg> receive = owner.createReceive();
      assertThat(receive.receiveMessage(Tick.SLOW)).isSameAs(Behaviors.same());
      assertThat(receive.receiveMessage(new Delete("x"))).isSameAs(Behaviors.stopped());
      reports.clear();
      // Through the timers' interceptor: the state and the timer survive every message.
      counter.tell(new Update("a"));
      counter.tell(new Update("b"));
      kit.settle();
      kit.advance(Duration.ofSeconds(2));
      counter.tell(new Update("c"));
      kit.advance(Duration.ofSeconds(2));
      counter.tell(new Delete("x"));
      kit.settle();
      assertThat(reports).containsExactly("count 2", "count 3", "stopped at 3");
    }
  }

  @Test
  void signalsGoToTheirCaseAndTheRestAreUnhandled() throws Exception {
    Receive<Msg> r = Receives.<Msg>builder(null)
        .onMessage(Get.class, m -> ran("get"))
        .onSignal(PostStop.class, s -> ran("stopped"))
        .build();
    r.receiveSignal(PostStop.instance());
    assertThat(r.receiveSignal(PreRestart.instance())).isSameAs(Behaviors.unhandled());
    assertThat(ran).containsExactly("stopped");
  }
}
