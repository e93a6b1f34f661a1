package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.shared.json.Json;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Watches on the wire: the watch-list form (sendInitialEvents, ended by the initial-events-end
 * bookmark) and watches over WebSocket, one event per text message, as fabric8's informers use.
 */
class WatchHttpTest {

  private static final String CM = "/api/v1/namespaces/default/configmaps";

  private static ServeFixture serve;

  @BeforeAll
  static void start() {
    serve = ServeFixture.start(true);
    for (String name : List.of("a", "b")) {
      assertThat(serve.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
          + "\",\"labels\":{\"watched\":\"yes\"}}}").code()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  @Test
  void watchListSendsTheStateThenTheInitialEventsEndBookmark() {
    ServeFixture.Reply r = serve.get(CM + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        + "&allowWatchBookmarks=true&labelSelector=watched%3Dyes&timeoutSeconds=1");
    assertThat(r.code()).isEqualTo(200);
    List<JsonNode> events = r.body().lines().map(Json.MAPPER::readTree).toList();
    assertThat(events).extracting(e -> e.path("type").asString()).containsExactly("ADDED", "ADDED", "BOOKMARK");
    assertThat(events.get(2).path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end")
        .asString()).isEqualTo("true");
  }

  @Test
  void aWatchOverWebSocketSendsOneEventPerTextMessage() throws Exception {
    List<String> messages = new ArrayList<>();
    ClosingListener listener = new ClosingListener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          synchronized (messages) {
            messages.add(partial.toString());
          }
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }
    };
    URI uri = URI.create(serve.url().replaceFirst("^http", "ws") + CM + "?watch=true&resourceVersion=0"
        + "&labelSelector=watched%3Dyes&timeoutSeconds=1");
    serve.client.newWebSocketBuilder().buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
    assertThat(listener.closed.get(30, TimeUnit.SECONDS)).as("the server ends the watch at timeoutSeconds").isNotNull();
    assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(Json.MAPPER.readTree(m).path("type").asString())
        .isEqualTo("ADDED"));
  }

  @Test
  void aWebSocketWatchAnswersPingsAndTheClientsCloseAndIsThenReleased() throws Exception {
    CompletableFuture<String> pong = new CompletableFuture<>();
    ClosingListener listener = new ClosingListener() {
      @Override
      public CompletionStage<?> onPong(WebSocket ws, java.nio.ByteBuffer message) {
        pong.complete(java.nio.charset.StandardCharsets.UTF_8.decode(message).toString());
        ws.request(1);
        return null;
      }
    };
    int before = serve.serving.http().link().openWatches();
    URI uri = URI.create(serve.url().replaceFirst("^http", "ws") + CM + "?watch=true&labelSelector=watched%3Dno");
    WebSocket ws = serve.client.newWebSocketBuilder().buildAsync(uri, listener).get(30, TimeUnit.SECONDS);

    ws.sendPing(java.nio.ByteBuffer.wrap("still there?".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(pong.get(30, TimeUnit.SECONDS)).isEqualTo("still there?");

    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
    assertThat(listener.closed.get(30, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (serve.serving.http().link().openWatches() > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(serve.serving.http().link().openWatches()).as("the watch is stopped").isEqualTo(before);
  }

  /** A websocket listener that records the close code the server sends. */
  private abstract static class ClosingListener implements WebSocket.Listener {
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }
  }
}
