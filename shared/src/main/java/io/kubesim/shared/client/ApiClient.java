package io.kubesim.shared.client;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.util.LongMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A component's connection to the apiserver, owned by one actor: the in-process counterpart of
 * client-go's REST client. Calls take a continuation, which runs inside the owning actor when the
 * answer arrives, so it may touch the actor's state.
 *
 * <p>The owning actor routes the messages this client's adapters produce back to
 * {@link #receive(Object)}:
 *
 * <pre>
 *   record FromApi(Object message) implements Command {}
 *   client = ApiClient.create(ctx, apiserver, FromApi::new);
 *   ... .onMessage(FromApi.class, m -> { client.receive(m.message()); return this; })
 * </pre>
 */
public final class ApiClient {

  private final ActorRef<Api.Request> apiserver;
  private final ActorRef<Api.Response> replies;
  private final ActorRef<Api.WatchMessage> watchEvents;
  private final LongMap<Consumer<Api.Response>> pending = new LongMap<>();
  private final Map<Long, Consumer<Api.WatchMessage>> watches = new HashMap<>();
  private long nextTag = 1;
  private long nextWatchId = 1;
  private boolean connected = true;

  private ApiClient(ActorRef<Api.Request> apiserver, ActorRef<Api.Response> replies,
      ActorRef<Api.WatchMessage> watchEvents) {
    this.apiserver = apiserver;
    this.replies = replies;
    this.watchEvents = watchEvents;
  }

  public static <C> ApiClient create(ActorContext<C> ctx, ActorRef<Api.Request> apiserver,
      Function<Object, C> wrap) {
    ActorRef<Api.Response> replies = ctx.messageAdapter(Api.Response.class, wrap::apply);
    ActorRef<Api.WatchMessage> events = ctx.messageAdapter(Api.WatchMessage.class, wrap::apply);
    return new ApiClient(apiserver, replies, events);
  }

  /** Delivers an answer or a watch event to the call or watch it belongs to. */
  public void receive(Object message) {
    if (!connected) {
      // Cut off from the control plane: whatever was in flight is lost.
      return;
    }
    if (message instanceof Api.Response r) {
      Consumer<Api.Response> k = pending.remove(r.tag());
      if (k != null) {
        k.accept(r);
      }
    } else if (message instanceof Api.WatchMessage w) {
      Consumer<Api.WatchMessage> handler = watches.get(w.watchId());
      if (handler != null) {
        if (w instanceof Api.WatchEnded) {
          watches.remove(w.watchId());
        }
        handler.accept(w);
      }
    } else {
      throw new IllegalArgumentException("not an apiserver message: " + message);
    }
  }

  /**
   * Models the network between this component and the control plane. While disconnected, requests
   * are not sent and answers and watch events are lost; calls in flight never complete, and the
   * component notices only by its own timers, as a real client does.
   */
  public void setConnected(boolean connected) {
    this.connected = connected;
    if (!connected) {
      pending.clear();
      for (Consumer<Api.WatchMessage> h : Map.copyOf(watches).values()) {
        h.accept(new Api.WatchEnded(-1));
      }
      watches.clear();
    }
  }

  public boolean connected() {
    return connected;
  }

  /** Requests awaiting an answer. */
  public int inFlight() {
    return pending.size();
  }

  private long call(Consumer<Api.Response> k) {
    long tag = nextTag++;
    if (connected) {
      pending.put(tag, k);
    }
    return tag;
  }

  private void send(Api.Request r) {
    if (connected) {
      apiserver.tell(r);
    }
  }

  public void create(HasMetadata object, Consumer<Api.Response> k) {
    create(object, WriteOptions.DEFAULT, k);
  }

  public void create(HasMetadata object, WriteOptions options, Consumer<Api.Response> k) {
    send(new Api.Create(object, options, replies, call(k)));
  }

  public void get(ResourceType type, String namespace, String name, Consumer<Api.Response> k) {
    send(new Api.Get(type, namespace, name, replies, call(k)));
  }

  public void list(ResourceType type, String namespace, ListOptions options, Consumer<Api.Response> k) {
    send(new Api.List(type, namespace, options, replies, call(k)));
  }

  public void update(HasMetadata object, Consumer<Api.Response> k) {
    send(new Api.Update(object, null, WriteOptions.DEFAULT, replies, call(k)));
  }

  public void updateStatus(HasMetadata object, Consumer<Api.Response> k) {
    send(new Api.Update(object, "status", WriteOptions.DEFAULT, replies, call(k)));
  }

  /** PUT to a subresource other than status, e.g. {@code namespaces/<ns>/finalize}. */
  public void update(HasMetadata object, String subresource, Consumer<Api.Response> k) {
    send(new Api.Update(object, subresource, WriteOptions.DEFAULT, replies, call(k)));
  }

  public void patch(ResourceType type, String namespace, String name, PatchType patchType, String body,
      Consumer<Api.Response> k) {
    send(new Api.Patch(type, namespace, name, null, patchType, body, WriteOptions.DEFAULT, replies, call(k)));
  }

  public void patchStatus(ResourceType type, String namespace, String name, PatchType patchType, String body,
      Consumer<Api.Response> k) {
    send(new Api.Patch(type, namespace, name, "status", patchType, body, WriteOptions.DEFAULT, replies, call(k)));
  }

  public void delete(ResourceType type, String namespace, String name, DeleteOptions options,
      Consumer<Api.Response> k) {
    send(new Api.Delete(type, namespace, name, options, replies, call(k)));
  }

  public void bind(Binding binding, Consumer<Api.Response> k) {
    send(new Api.Bind(binding, replies, call(k)));
  }

  public void evict(String namespace, String name, DeleteOptions options, Consumer<Api.Response> k) {
    send(new Api.Evict(namespace, name, options, false, replies, call(k)));
  }

  /** Opens a watch whose events go to {@code handler}; returns its id for {@link #stopWatch(long)}. */
  public long watch(ResourceType type, String namespace, ListOptions options, Consumer<Api.WatchMessage> handler) {
    long id = nextWatchId++;
    if (connected) {
      watches.put(id, handler);
      apiserver.tell(new Api.Watch(type, namespace, options, watchEvents, id));
    }
    return id;
  }

  public void stopWatch(long watchId) {
    if (watches.remove(watchId) != null) {
      apiserver.tell(new Api.StopWatch(watchEvents, watchId));
    }
  }
}
