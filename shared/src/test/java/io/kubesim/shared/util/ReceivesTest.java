package io.kubesim.shared.util;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
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
