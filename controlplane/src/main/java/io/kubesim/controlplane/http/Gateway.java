package io.kubesim.controlplane.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.time.VirtualClock;
import io.kubesim.shared.util.Receives;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP front's door into the simulation. HTTP threads never message simulation actors
 * themselves: they hand a command to {@link io.kubesim.shared.time.VirtualRuntime#submit}, whose
 * task tells it to this actor on the driver thread. The gateway forwards requests to the
 * apiserver and completes each caller's future with the answer (and the virtual instant it came
 * at, for the AGE columns); it is the watcher of every HTTP watch and relays each watch's events
 * to that watch's {@link WatchSink}, which feeds the HTTP stream.
 *
 * <p>Futures are completed here, on the driver thread; the HTTP side must attach its callbacks
 * with an executor of its own ({@code thenApplyAsync(fn, executor)}), never plain ones that
 * would run its work on the driver.
 */
public final class Gateway extends AbstractBehavior<Object> {

  public sealed interface Command {}

  /** Builds the apiserver request with the gateway's reply address and tag. */
  @FunctionalInterface
  public interface RequestFactory {
    Api.Request build(ActorRef<Api.Response> replyTo, long tag);
  }

  /** An answer of the apiserver and the virtual instant it arrived at. */
  public record Answer(Api.Response response, Instant now) {}

  /**
   * Where the events of one watch go. Called on the driver thread: implementations only enqueue
   * (non-blocking) and return.
   */
  public interface WatchSink {
    /** The watch is registered; {@code error} is a Status if the apiserver refused it at once. */
    void established(io.fabric8.kubernetes.api.model.Status error);

    /** One event; false if the sink cannot take it (its consumer is too slow or gone). */
    boolean offer(Api.WatchEvent event, Instant now);

    /** The apiserver ended the watch. */
    void ended();
  }

  /** One request to the apiserver; {@code answer} completes with its response. */
  public record Call(RequestFactory request, CompletableFuture<Answer> answer) implements Command {}

  /** Opens a watch; {@code watchId} is chosen by the caller and unique among its open watches. */
  public record OpenWatch(long watchId, ResourceType type, String namespace, ListOptions options, WatchSink sink)
      implements Command {}

  /** The HTTP client went away: stop the watch. */
  public record CloseWatch(long watchId) implements Command {}

  /**
   * Ends every open HTTP watch, as an apiserver restart would; clients re-watch from their last
   * resourceVersion (and re-list if it is too old).
   */
  public enum CloseAllWatches implements Command { INSTANCE }

  private record ApiAnswer(Api.Response response) implements Command {}

  private record Established(ApiServer.Stats stats) implements Command {}

  /**
   * The gateway's behavior. It takes {@link Command}s, and the apiserver's watch messages
   * ({@link Api.WatchMessage}) straight, without a message adapter: with a hundred HTTP watches
   * every change is a hundred of them, and an adapter wraps each in further objects (the adapted
   * message, a wrapper of its own, two closures) before its function makes a third. Hand out its
   * reference narrowed to {@code ActorRef<Command>}.
   */
  public static Behavior<Object> create(ActorRef<Api.Request> apiserver, VirtualClock clock) {
    // A failure while serving one request must not take the whole HTTP front down with it.
    return Behaviors.supervise(Behaviors.<Object>setup(ctx -> new Gateway(ctx, apiserver, clock)))
        .onFailure(akka.actor.typed.SupervisorStrategy.resume());
  }

  private final ActorRef<Api.Request> apiserver;
  private final VirtualClock clock;
  private final ActorRef<Api.Response> answers;
  private final ActorRef<Api.WatchMessage> events;
  private final Map<Long, CompletableFuture<Answer>> pending = new HashMap<>();
  /** Open watches by id; pending ones also remember an early ERROR (the apiserver refused them). */
  private final Map<Long, Relay> watches = new LinkedHashMap<>();
  /** Watches opened and not yet confirmed, in the order the apiserver will confirm them. */
  private final ArrayDeque<Long> establishing = new ArrayDeque<>();
  private final ActorRef<ApiServer.Stats> confirmations;
  private long nextTag = 1;

  /** The simulation side of one HTTP watch. */
  private static final class Relay {
    final WatchSink sink;
    boolean established;
    io.fabric8.kubernetes.api.model.Status refusal;

    Relay(WatchSink sink) {
      this.sink = sink;
    }
  }

  private Gateway(ActorContext<Object> ctx, ActorRef<Api.Request> apiserver, VirtualClock clock) {
    super(ctx);
    this.apiserver = apiserver;
    this.clock = clock;
    this.answers = ctx.messageAdapter(Api.Response.class, ApiAnswer::new);
    this.events = ctx.getSelf().narrow();
    this.confirmations = ctx.messageAdapter(ApiServer.Stats.class, Established::new);
  }

  @Override
  public Receive<Object> createReceive() {
    return Receives.builder(this)
        .onMessage(Call.class, this::onCall)
        .onMessage(ApiAnswer.class, this::onApiAnswer)
        .onMessage(OpenWatch.class, this::onOpenWatch)
        .onMessage(Established.class, this::onEstablished)
        .onMessage(Api.WatchEvent.class, this::onWatchEvent)
        .onMessage(Api.WatchEnded.class, this::onWatchEnded)
        .onMessage(CloseWatch.class, this::onCloseWatch)
        .onMessageEquals(CloseAllWatches.INSTANCE, this::onCloseAllWatches)
        .build();
  }

  private Behavior<Object> onCall(Call m) {
    long tag = nextTag++;
    pending.put(tag, m.answer());
    apiserver.tell(m.request().build(answers, tag));
    return this;
  }

  private Behavior<Object> onApiAnswer(ApiAnswer m) {
    CompletableFuture<Answer> f = pending.remove(m.response().tag());
    if (f != null) {
      f.complete(new Answer(m.response(), clock.now()));
    }
    return this;
  }

  private Behavior<Object> onOpenWatch(OpenWatch m) {
    watches.put(m.watchId(), new Relay(m.sink()));
    apiserver.tell(new Api.Watch(m.type(), m.namespace(), m.options(), events, m.watchId()));
    // The apiserver answers in order: once this reply is in, anything it sent for the watch at
    // registration (a refusal, the initial events) is already in this mailbox ahead of it.
    establishing.addLast(m.watchId());
    apiserver.tell(new ApiServer.GetStats(confirmations));
    return this;
  }

  private Behavior<Object> onEstablished(Established m) {
    Long id = establishing.pollFirst();
    Relay r = id == null ? null : watches.get(id);
    if (r != null && !r.established) {
      r.established = true;
      r.sink.established(null);
    }
    return this;
  }

  private Behavior<Object> onWatchEnded(Api.WatchEnded m) {
    Relay r = watches.get(m.watchId());
    if (r == null) {
      return this;
    }
    watches.remove(m.watchId());
    if (!r.established && r.refusal != null) {
      r.sink.established(r.refusal);
      return this;
    }
    if (!r.established) {
      r.established = true;
      r.sink.established(null);
    }
    r.sink.ended();
    return this;
  }

  private Behavior<Object> onWatchEvent(Api.WatchEvent e) {
    Relay r = watches.get(e.watchId());
    if (r == null) {
      return this;
    }
    if (!r.established && e.type() == Api.EventType.ERROR && e.error() != null
        && e.error().getCode() != null && e.error().getCode() != 410) {
      // A watch kube-apiserver would refuse with an HTTP error (a bad selector), not a stream.
      r.refusal = e.error();
      return this;
    }
    if (!r.sink.offer(e, clock.now())) {
      // Like the watch cache with a watcher that cannot keep up: the watch is terminated and the
      // client re-watches from its last resourceVersion.
      watches.remove(e.watchId());
      apiserver.tell(new Api.StopWatch(events, e.watchId()));
      r.sink.ended();
    }
    return this;
  }

  private Behavior<Object> onCloseAllWatches() {
    for (Map.Entry<Long, Relay> e : List.copyOf(watches.entrySet())) {
      watches.remove(e.getKey());
      apiserver.tell(new Api.StopWatch(events, e.getKey()));
      if (!e.getValue().established) {
        e.getValue().sink.established(null);
      }
      e.getValue().sink.ended();
    }
    return this;
  }

  private Behavior<Object> onCloseWatch(CloseWatch m) {
    if (watches.remove(m.watchId()) != null) {
      apiserver.tell(new Api.StopWatch(events, m.watchId()));
    }
    return this;
  }
}
