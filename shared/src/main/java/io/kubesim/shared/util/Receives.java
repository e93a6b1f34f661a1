package io.kubesim.shared.util;

import akka.actor.typed.Behavior;
import akka.actor.typed.Signal;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.japi.function.Creator;
import akka.japi.function.Function;
import akka.japi.function.Predicate;
import io.kubesim.shared.util.Receives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A drop-in for Akka's {@code ReceiveBuilder} that finds a message's case by its class.
 *
 * <p>Akka's built receive tries the cases in order for every message, allocating a tuple and two
 * boxed options per case tried, so an actor with twenty cases pays for up to twenty on each
 * message. This one keeps the same rules (cases in the order given, the first whose class is
 * assignable from the message's and whose test passes handles it; no match is unhandled) but works
 * out, once per message class, which cases can match, and then tries only those.
 *
 * <p>Use it where {@code Receives.builder(this)} was: {@code return Receives.builder(this).onMessage(...)
 * .build();}.
 */
public final class Receives {

  private Receives() {}

  /**
   * A builder for {@code owner}'s receive. A case that returns {@code owner} itself (the usual
   * {@code return this;}) keeps the current behavior, as {@code Behaviors.same()} does: Akka takes
   * the owner returned for a new behavior and wraps it again in every interceptor around it (the
   * timers, supervision), four objects and a walk down the stack per message and layer.
   */
  public static <T> Builder<T> builder(AbstractBehavior<T> owner) {
    return new Builder<>(owner);
  }

  /** One case: messages of {@code type} (null: any) passing {@code test} (null: all). */
  private record Case(Class<?> type, Predicate<Object> test, Function<Object, Behavior<?>> handler) {}

  public static final class Builder<T> {
    private final List<Case> messages = new ArrayList<>();
    private final List<Case> signals = new ArrayList<>();
    private final AbstractBehavior<T> owner;

    private Builder(AbstractBehavior<T> owner) {
      this.owner = owner;
    }

    /** Messages of {@code type} and its subtypes. */
    @SuppressWarnings("unchecked")
    public <M extends T> Builder<T> onMessage(Class<M> type, Function<M, Behavior<T>> handler) {
      messages.add(new Case(type, null, (Function<Object, Behavior<?>>) (Function<?, ?>) handler));
      return this;
    }

    /** Messages of {@code type} that pass {@code test}. */
    @SuppressWarnings("unchecked")
    public <M extends T> Builder<T> onMessage(Class<M> type, Predicate<M> test, Function<M, Behavior<T>> handler) {
      messages.add(new Case(type, (Predicate<Object>) (Predicate<?>) test,
          (Function<Object, Behavior<?>>) (Function<?, ?>) handler));
      return this;
    }

    /** Messages equal to {@code message} (an enum constant, a singleton). */
    public Builder<T> onMessageEquals(T message, Creator<Behavior<T>> handler) {
      messages.add(new Case(message.getClass(), message::equals, m -> handler.create()));
      return this;
    }

    /** Any message not handled by an earlier case. */
    @SuppressWarnings("unchecked")
    public Builder<T> onAnyMessage(Function<T, Behavior<T>> handler) {
      messages.add(new Case(null, null, (Function<Object, Behavior<?>>) (Function<?, ?>) handler));
      return this;
    }

    /** Signals of {@code type}. */
    @SuppressWarnings("unchecked")
    public <S extends Signal> Builder<T> onSignal(Class<S> type, Function<S, Behavior<T>> handler) {
      signals.add(new Case(type, null, (Function<Object, Behavior<?>>) (Function<?, ?>) handler));
      return this;
    }

    public Receive<T> build() {
      return new Built<>(owner, messages.toArray(new Case[0]), signals.toArray(new Case[0]));
    }
  }

  private static final class Built<T> extends Receive<T> {
    private static final Case[] NONE = new Case[0];
    private final Case[] messages;
    private final Case[] signals;
    private final AbstractBehavior<T> owner;
    /** Per message class, the cases that can match it, in order (an actor's messages run one at a time). */
    private final Map<Class<?>, Case[]> byClass = new HashMap<>();
    /**
     * The two classes met last, with their cases, asked before the map: most actors alternate
     * between a few message classes (a timer's and the apiserver's answers), and the map of each
     * of a thousand kubelets is cold by the time its next message comes.
     */
    private Class<?> lastClass;
    private Case[] lastCases;
    private Class<?> otherClass;
    private Case[] otherCases;

    Built(AbstractBehavior<T> owner, Case[] messages, Case[] signals) {
      this.owner = owner;
      this.messages = messages;
      this.signals = signals;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Behavior<T> receiveMessage(T msg) throws Exception {
      Class<?> c = msg.getClass();
      if (c != lastClass) {
        Case[] found = c == otherClass ? otherCases : casesOf(c);
        otherClass = lastClass;
        otherCases = lastCases;
        lastClass = c;
        lastCases = found;
      }
      for (Case k : lastCases) {
        if (k.test() == null || k.test().test(msg)) {
          return same((Behavior<T>) k.handler().apply(msg));
        }
      }
      return Behaviors.unhandled();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Behavior<T> receiveSignal(Signal sig) throws Exception {
      for (Case k : signals) {
        if (k.type().isInstance(sig)) {
          return same((Behavior<T>) k.handler().apply(sig));
        }
      }
      return Behaviors.unhandled();
    }

    private Case[] casesOf(Class<?> c) {
      Case[] cases = byClass.get(c);
      if (cases == null) {
        cases = candidates(messages, c);
        byClass.put(c, cases);
      }
      return cases;
    }

    private Behavior<T> same(Behavior<T> next) {
      return next == owner && owner != null ? Behaviors.same() : next;
    }

    private static Case[] candidates(Case[] all, Class<?> c) {
      List<Case> out = new ArrayList<>();
      for (Case k : all) {
        if (k.type() == null || k.type().isAssignableFrom(c)) {
          out.add(k);
        }
      }
      return out.isEmpty() ? NONE : out.toArray(new Case[0]);
    }
  }
}
