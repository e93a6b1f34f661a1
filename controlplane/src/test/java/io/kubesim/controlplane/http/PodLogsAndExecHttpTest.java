package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.shared.json.Json;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * pods/log and pods/exec on the wire: the log options, kube-apiserver's and the kubelet's errors,
 * and exec's WebSocket channel framing (v5.channel.k8s.io) with its final Status.
 */
class PodLogsAndExecHttpTest {

  private static final String PODS = "/api/v1/namespaces/default/pods";

  private static ServeFixture serve;

  @BeforeAll
  static void start() {
    serve = ServeFixture.start(true);
    create("counter", "i=0; while true; do echo \"line $i\"; i=$((i+1)); sleep 10; done", null);
    create("twins", "sleep 3600", "{\"name\":\"sidecar\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"3600\"]}");
    serve.advance(Duration.ofSeconds(61));
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static void create(String name, String script, String secondContainer) {
    String containers = "{\"name\":\"app\",\"image\":\"busybox:1.36\",\"command\":[\"sh\",\"-c\",\"" + script.replace("\"",
        "\\\"") + "\"],\"env\":[{\"name\":\"COLOR\",\"value\":\"blue\"}]}" + (secondContainer == null ? "" : ","
        + secondContainer);
    ServeFixture.Reply r = serve.post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":{\"containers\":[" + containers + "]}}");
    assertThat(r.code()).as(r.body()).isEqualTo(201);
  }

  @Test
  void logsAreTheContainersLinesAsPlainText() {
    ServeFixture.Reply r = serve.get(PODS + "/counter/log");
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).startsWith("line 0\nline 1\n").endsWith("line 5\n");
  }

  @Test
  void tailLinesKeepsTheLastLines() {
    assertThat(serve.get(PODS + "/counter/log?tailLines=2").body()).isEqualTo("line 4\nline 5\n");
    assertThat(serve.get(PODS + "/counter/log?tailLines=0").body()).isEmpty();
  }

  @Test
  void timestampsPrefixEachLineWithItsVirtualTime() {
    String body = serve.get(PODS + "/counter/log?tailLines=1&timestamps=true").body();
    assertThat(body).matches("2026-01-01T00:00:5\\d\\.\\d{9}Z line 5\n");
  }

  @Test
  void limitBytesCutsTheOutput() {
    assertThat(serve.get(PODS + "/counter/log?limitBytes=10").body()).isEqualTo("line 0\nlin");
  }

  @Test
  void sinceSecondsKeepsTheRecentLines() {
    String body = serve.get(PODS + "/counter/log?sinceSeconds=25").body();
    assertThat(body.lines().toList()).hasSizeBetween(2, 3).last().isEqualTo("line 5");
  }

  @Test
  void invalidOptionsAreRejectedAsKubeApiserverDoes() {
    ServeFixture.Reply r = serve.get(PODS + "/counter/log?tailLines=-1");
    assertThat(r.code()).isEqualTo(422);
    assertThat(r.json().path("message").asString()).isEqualTo("PodLogOptions \"counter\" is invalid: tailLines: "
        + "Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void aPodWithSeveralContainersNeedsOneNamed() {
    ServeFixture.Reply r = serve.get(PODS + "/twins/log");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json().path("message").asString())
        .isEqualTo("a container name must be specified for pod twins, choose one of: [app sidecar]");
    assertThat(serve.get(PODS + "/twins/log?container=sidecar").code()).isEqualTo(200);
    ServeFixture.Reply bad = serve.get(PODS + "/twins/log?container=nope");
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.json().path("message").asString()).isEqualTo("container nope is not valid for pod twins");
  }

  @Test
  void previousLogsOfAContainerThatNeverRestartedAreNotFound() {
    ServeFixture.Reply r = serve.get(PODS + "/counter/log?previous=true");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json().path("message").asString())
        .isEqualTo("previous terminated container \"app\" in pod \"counter\" not found");
  }

  @Test
  void logsOfAMissingPodAreNotFound() {
    ServeFixture.Reply r = serve.get(PODS + "/ghost/log");
    assertThat(r.code()).isEqualTo(404);
    assertThat(r.json().path("message").asString()).isEqualTo("pods \"ghost\" not found");
  }

  /** A v5.channel.k8s.io client: collects the frames, sends stdin and its close signal. */
  private static final class ExecClient implements WebSocket.Listener {
    final List<byte[]> frames = new ArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        synchronized (frames) {
          frames.add(partial.toByteArray());
        }
        partial.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    String channel(int c) {
      StringBuilder sb = new StringBuilder();
      synchronized (frames) {
        for (byte[] f : frames) {
          if (f.length > 0 && f[0] == c) {
            sb.append(new String(f, 1, f.length - 1, StandardCharsets.UTF_8));
          }
        }
      }
      return sb.toString();
    }
  }

  private static WebSocket exec(ExecClient client, String query) throws Exception {
    URI uri = URI.create(serve.url().replaceFirst("^http", "ws") + PODS + "/counter/exec?" + query);
    return serve.client.newWebSocketBuilder().subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
        .buildAsync(uri, client).get(30, TimeUnit.SECONDS);
  }

  @Test
  void execSpeaksV5ChannelsAndEndsWithASuccessStatus() throws Exception {
    ExecClient client = new ExecClient();
    WebSocket ws = exec(client, "command=printenv&command=COLOR&stdout=true&stderr=true");
    assertThat(ws.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
    assertThat(client.closed.get(30, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    assertThat(client.channel(1)).isEqualTo("blue\n");
    JsonNode status = Json.MAPPER.readTree(client.channel(3));
    assertThat(status.path("status").asString()).isEqualTo("Success");
  }

  @Test
  void execOfAFailingCommandEndsWithItsExitCode() throws Exception {
    ExecClient client = new ExecClient();
    exec(client, "command=sh&command=-c&command=echo+oops+%3E%262%3B+exit+7&stdout=true&stderr=true");
    client.closed.get(30, TimeUnit.SECONDS);
    assertThat(client.channel(2)).isEqualTo("oops\n");
    JsonNode status = Json.MAPPER.readTree(client.channel(3));
    assertThat(status.path("status").asString()).isEqualTo("Failure");
    assertThat(status.path("reason").asString()).isEqualTo("NonZeroExitCode");
    assertThat(status.path("details").path("causes").get(0).path("reason").asString()).isEqualTo("ExitCode");
    assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo("7");
  }

  @Test
  void execWithStdinRunsTheShellsInputOnceItIsClosed() throws Exception {
    ExecClient client = new ExecClient();
    WebSocket ws = exec(client, "command=sh&stdin=true&stdout=true&stderr=true");
    ws.sendBinary(ByteBuffer.wrap("\0echo from stdin\nprintenv COLOR\n".getBytes(StandardCharsets.UTF_8)), true)
        .get(10, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0}), true).get(10, TimeUnit.SECONDS);
    client.closed.get(30, TimeUnit.SECONDS);
    assertThat(client.channel(1)).isEqualTo("from stdin\nblue\n");
    assertThat(Json.MAPPER.readTree(client.channel(3)).path("status").asString()).isEqualTo("Success");
  }

  @Test
  void execOverSpdyIsRefusedClearly() throws Exception {
    // The JDK's client will not send an Upgrade header: speak HTTP/1.1 by hand, as kubectl's SPDY
    // fallback does.
    URI url = URI.create(serve.url());
    try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
      socket.getOutputStream().write(("POST " + PODS + "/counter/exec?command=env&stdout=true HTTP/1.1\r\n"
          + "Host: " + url.getHost() + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
          + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout(30_000);
      java.io.InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 400 ");
      int length = Integer.parseInt(head.toString().replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
      JsonNode status = Json.MAPPER.readTree(in.readNBytes(length));
      assertThat(status.path("message").asString()).contains("exec over SPDY/3.1 is not supported by kubesim");
    }
  }

  @Test
  void execWithoutAnUpgradeIsABadRequest() {
    ServeFixture.Reply r = serve.get(PODS + "/counter/exec?command=env&stdout=true");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json().path("message").asString()).isEqualTo("Upgrade request required");
  }
}
