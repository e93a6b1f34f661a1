package io.kubesim.shared.testing;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;

/** An actor that keeps every message it receives, for a test to read. */
public final class Recorder<T> {
  private final List<T> messages = new ArrayList<>();
  ActorRef<T> ref;

  Behavior<T> behavior() {
    return Behaviors.receiveMessage(m -> {
      messages.add(m);
      return Behaviors.same();
    });
  }

  public ActorRef<T> ref() {
    return ref;
  }

  public List<T> messages() {
    return messages;
  }

  public T last() {
    if (messages.isEmpty()) {
      throw new AssertionError("no message received");
    }
    return messages.get(messages.size() - 1);
  }

  /** The only message received, removed; fails if there is not exactly one. */
  public T single() {
    if (messages.size() != 1) {
      throw new AssertionError("expected one message, got " + messages);
    }
    return messages.remove(0);
  }

  public <M extends T> M single(Class<M> type) {
    T m = single();
    if (!type.isInstance(m)) {
      throw new AssertionError("expected a " + type.getSimpleName() + ", got " + m);
    }
    return type.cast(m);
  }

  public List<T> drain() {
    List<T> out = new ArrayList<>(messages);
    messages.clear();
    return out;
  }
}
