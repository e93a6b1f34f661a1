package io.kubesim.controlplane.http;

import akka.NotUsed;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A watch over HTTP: the gateway's relay offers events into a bounded {@link WatchFeed} (never
 * blocking the driver), whose stage serialises them, on HTTP threads, as one JSON object per line
 * in a chunked response ({@code {"type":"ADDED","object":{...}}}) or one websocket text frame per
 * event. Table watches print each
 * object as a one-row Table, with the column definitions in the first event only, as
 * kube-apiserver does. timeoutSeconds is honoured in wall time here, as the client measures it.
 */
final class WatchStream {

  /** One event and the virtual instant it came at (for AGE in Table rows). */
  private record Item(Api.WatchEvent event, Instant now) {}

  private WatchStream() {}

  static CompletionStage<HttpResponse> open(SimulationLink link, HttpSettings settings,
      ResourceType type, String namespace, ListOptions options, Negotiation neg, Render.Include include,
      WebSocketUpgrade webSocket) {
    WatchFeed<Item> feed = new WatchFeed<>(settings.watchQueueEvents());
    CompletableFuture<Status> established = new CompletableFuture<>();
    Gateway.WatchSink sink = new Gateway.WatchSink() {
      @Override
      public void established(Status error) {
        established.complete(error);
      }

      @Override
      public boolean offer(Api.WatchEvent event, Instant now) {
        return feed.offer(new Item(event, now));
      }

      @Override
      public void ended() {
        feed.end();
      }
    };
    long id = link.openWatch(type, namespace, options, sink);
    return established.thenApplyAsync(error -> {
      if (error != null) {
        feed.end();
        return Render.status(error);
      }
      Encoder encoder = new Encoder(type, neg, include);
      Duration timeout = options.timeoutSeconds() != null && options.timeoutSeconds() > 0
          ? Duration.ofSeconds(options.timeoutSeconds()) : null;
      Runnable stopped = () -> link.closeWatch(id);
      if (webSocket != null) {
        // serveWatchHandler over a websocket: each event is one text message; the client sends
        // nothing, and closing its side ends the watch.
        Flow<ByteString, ByteString, NotUsed> frames = Flow.fromGraph(feed.stage(
            item -> encoder.encode(item).frame(), true, timeout, stopped));
        return upgrade(webSocket, frames);
      }
      ContentType ct = neg.table() ? Render.tableType(neg) : ContentTypes.APPLICATION_JSON;
      Source<ByteString, ?> lines = Source.<ByteString>maybe().via(feed.stage(item -> encoder.encode(item).bytes(),
          false, timeout, stopped));
      return HttpResponse.create().withStatus(200).withEntity(HttpEntities.createChunked(ct, lines));
    }, link.executor());
  }

  /**
   * The handshake response akka-http makes for a websocket, with the connection after it handed
   * to {@code frames} as raw bytes rather than to akka-http's message layer (which runs every
   * message through a sub-stream of its own: with a hundred watchers, most of the HTTP front's
   * work). The header that carries the handler is akka-http's internal
   * {@code UpgradeToOtherProtocolResponseHeader} (akka-http 10.2, Handshake.buildResponse);
   * its websocket layer does the same with its own frame stack.
   */
  private static HttpResponse upgrade(WebSocketUpgrade webSocket, Flow<ByteString, ByteString, NotUsed> frames) {
    HttpResponse handshake = webSocket.handleMessagesWith(Flow.fromSinkAndSource(Sink.<Message>ignore(),
        Source.<Message>empty()));
    return handshake.removeHeader("UpgradeToOtherProtocolResponseHeader")
        .addHeader(new akka.http.impl.engine.server.UpgradeToOtherProtocolResponseHeader(
            frames.<Object>mapMaterializedValue(m -> m).asScala()));
  }

  /** One event as it goes out: a JSON line, and the same line as a websocket text frame (made once, on demand). */
  static final class Encoded {
    private final ByteString bytes;
    private volatile ByteString frame;

    Encoded(ByteString bytes) {
      this.bytes = bytes;
    }

    ByteString bytes() {
      return bytes;
    }

    ByteString frame() {
      ByteString f = frame;
      if (f == null) {
        // A race makes the same frame twice; harmless.
        f = WebSocketFrames.frame(WebSocketFrames.TEXT, bytes);
        frame = f;
      }
      return f;
    }
  }

  /**
   * The plain JSON of recent events, shared by every watch: the watchers of a resource all get the
   * same immutable object for a change, so it is serialised once, not once per watcher (with 100
   * watchers, serialising was most of the HTTP front's work). Direct-mapped on the object's
   * identity; a slot taken by another event only means encoding again. Slots hold immutable
   * entries, so threads may race on them without locks.
   */
  static final class SharedEncodings {
    private static final int SLOTS = 4096;

    private record Entry(Api.EventType type, HasMetadata object, Encoded encoded) {}

    private final Entry[] slots = new Entry[SLOTS];

    Encoded get(Api.EventType type, HasMetadata object, java.util.function.Supplier<Encoded> encode) {
      int i = System.identityHashCode(object) & (SLOTS - 1);
      Entry e = slots[i];
      if (e != null && e.object == object && e.type == type) {
        return e.encoded;
      }
      Encoded made = encode.get();
      slots[i] = new Entry(type, object, made);
      return made;
    }
  }

  /** {"type":"...","object":...} around the object's shared JSON, as the mapper writes the same map. */
  static Encoded sharedLine(Api.EventType type, HasMetadata object) {
    byte[] head = ("{\"type\":\"" + type.name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
    byte[] json = ObjectJson.of(object);
    byte[] line = new byte[head.length + json.length + 2];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(json, 0, line, head.length, json.length);
    line[line.length - 2] = '}';
    line[line.length - 1] = '\n';
    return new Encoded(ByteString.fromArrayUnsafe(line));
  }

  private static final SharedEncodings SHARED = new SharedEncodings();

  /** Serialises events; remembers whether the column definitions went out already. */
  private static final class Encoder {
    private final ResourceType type;
    private final Negotiation neg;
    private final Render.Include include;
    private boolean columnsSent;

    Encoder(ResourceType type, Negotiation neg, Render.Include include) {
      this.type = type;
      this.neg = neg;
      this.include = include;
    }

    Encoded encode(Item item) {
      Api.WatchEvent e = item.event();
      if (e.type() == Api.EventType.ERROR) {
        return line(e.type(), e.error());
      }
      if (neg.table()) {
        HasMetadata o = e.object();
        List<HasMetadata> rows = e.type() == Api.EventType.BOOKMARK ? List.of() : List.of(o);
        Encoded table = line(e.type(), Render.table(type, rows, o.getMetadata().getResourceVersion(), null, neg,
            include, item.now(), !columnsSent));
        columnsSent = true;
        return table;
      }
      if (neg.metadataOnly()) {
        return line(e.type(), Render.partial(e.object()));
      }
      return SHARED.get(e.type(), e.object(), () -> sharedLine(e.type(), e.object()));
    }

    private static Encoded line(Api.EventType type, Object object) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("type", type.name());
      event.put("object", object);
      return withNewline(Json.writeBytes(event));
    }

    private static Encoded withNewline(byte[] b) {
      byte[] line = new byte[b.length + 1];
      System.arraycopy(b, 0, line, 0, b.length);
      line[b.length] = '\n';
      return new Encoded(ByteString.fromArrayUnsafe(line));
    }
  }
}
