package io.kubesim.controlplane.http;

import akka.NotUsed;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A watch over HTTP: the gateway's relay offers events into a bounded queue (never blocking the
 * driver), and the queue's stream serialises them, on HTTP threads, as one JSON object per line
 * in a chunked response ({@code {"type":"ADDED","object":{...}}}). Table watches print each
 * object as a one-row Table, with the column definitions in the first event only, as
 * kube-apiserver does. timeoutSeconds is honoured in wall time here, as the client measures it.
 */
final class WatchStream {

  /** One event and the virtual instant it came at (for AGE in Table rows). */
  private record Item(Api.WatchEvent event, Instant now) {}

  private WatchStream() {}

  static CompletionStage<HttpResponse> open(SimulationLink link, Materializer mat, HttpSettings settings,
      ResourceType type, String namespace, ListOptions options, Negotiation neg, Render.Include include,
      WebSocketUpgrade webSocket) {
    Pair<BoundedSourceQueue<Item>, Source<Item, NotUsed>> pair =
        Source.<Item>queue(settings.watchQueueEvents()).preMaterialize(mat);
    BoundedSourceQueue<Item> queue = pair.first();
    CompletableFuture<Status> established = new CompletableFuture<>();
    Gateway.WatchSink sink = new Gateway.WatchSink() {
      @Override
      public void established(Status error) {
        established.complete(error);
      }

      @Override
      public boolean offer(Api.WatchEvent event, Instant now) {
        return Queues.offer(queue, new Item(event, now));
      }

      @Override
      public void ended() {
        Queues.complete(queue);
      }
    };
    long id = link.openWatch(type, namespace, options, sink);
    return established.thenApplyAsync(error -> {
      if (error != null) {
        Queues.complete(queue);
        return Render.status(error);
      }
      Encoder encoder = new Encoder(type, neg, include);
      Source<ByteString, NotUsed> bytes = pair.second().map(encoder::encode);
      if (options.timeoutSeconds() != null && options.timeoutSeconds() > 0) {
        bytes = bytes.takeWithin(Duration.ofSeconds(options.timeoutSeconds()));
      }
      Source<ByteString, NotUsed> stream = bytes.watchTermination((m, done) -> {
        done.whenComplete((d, t) -> link.closeWatch(id));
        return m;
      });
      if (webSocket != null) {
        // serveWatchHandler over a websocket: each event is one text message; the client sends
        // nothing, and closing its side ends the watch.
        Source<Message, NotUsed> messages = stream.map(b -> (Message) TextMessage.create(b.utf8String()));
        return webSocket.handleMessagesWith(Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), messages));
      }
      ContentType ct = neg.table() ? Render.tableType(neg) : ContentTypes.APPLICATION_JSON;
      return HttpResponse.create().withStatus(200).withEntity(HttpEntities.createChunked(ct, stream));
    }, link.executor());
  }

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

    ByteString encode(Item item) {
      Api.WatchEvent e = item.event();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", e.type().name());
      if (e.type() == Api.EventType.ERROR) {
        out.put("object", e.error());
      } else if (neg.table()) {
        HasMetadata o = e.object();
        List<HasMetadata> rows = e.type() == Api.EventType.BOOKMARK ? List.of() : List.of(o);
        out.put("object", Render.table(type, rows, o.getMetadata().getResourceVersion(), null, neg, include,
            item.now(), !columnsSent));
        columnsSent = true;
      } else if (neg.metadataOnly()) {
        out.put("object", Render.partial(e.object()));
      } else {
        out.put("object", e.object());
      }
      byte[] b = Json.writeBytes(out);
      byte[] line = new byte[b.length + 1];
      System.arraycopy(b, 0, line, 0, b.length);
      line[b.length] = '\n';
      return ByteString.fromArrayUnsafe(line);
    }
  }
}
