package io.kubesim.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The bench's lean client against a canned server: how it frames answers and counts them. */
class CreateSendersTest {

  /** Answers each request on one keep-alive connection with {@code answer.apply(n)}, n counting from 0. */
  private static URI serve(ServerSocket server, IntFunction<String> answer, List<String> requests) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        for (int n = 0; ; n++) {
          String request = readRequest(in);
          if (request == null) {
            return;
          }
          requests.add(request);
          out.write(answer.apply(n).getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        // the test ends the connection
      }
    });
    t.setDaemon(true);
    t.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** One request: its head up to the blank line, then Content-Length bytes of body. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void sendsEachBodyOnceAndCountsChunkedAndSizedAnswersByStatus() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
      URI base = serve(server, n -> switch (n) {
        // Chunked, split into two chunks, with a chunk extension.
        case 0 -> "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n2\r\n\"}\r\n0\r\n\r\n";
        case 1 -> "HTTP/1.1 409 Conflict\r\nContent-Length: 14\r\n\r\n{\"code\": 409}\n";
        default -> "HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}";
      }, requests);
      AtomicLongArray sentAt = new AtomicLongArray(3);
      CreateSenders senders = CreateSenders.posts(base, "/api/v1/namespaces/bench/pods",
          List.of("{\"n\":0}".getBytes(StandardCharsets.UTF_8), "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
              "{\"n\":2}".getBytes(StandardCharsets.UTF_8)), sentAt);

      senders.run(1);

      assertThat(senders.succeeded()).isEqualTo(2);
      assertThat(senders.failed()).isEqualTo(1);
      assertThat(senders.firstFailure()).startsWith("HTTP/1.1 409 Conflict").contains("{\"code\": 409}");
      assertThat(requests).hasSize(3);
      assertThat(requests.get(1)).startsWith("POST /api/v1/namespaces/bench/pods HTTP/1.1\r\n")
          .contains("Content-Type: application/json\r\n").endsWith("\r\n\r\n{\"n\":1}");
      for (int i = 0; i < 3; i++) {
        assertThat(sentAt.get(i)).as("send instant of body %d", i).isPositive();
      }
    }
  }

  @Test
  void aDeleteHasNoBodyAndNoContentType() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
      URI base = serve(server, n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", requests);
      CreateSenders senders = new CreateSenders(base, List.of(CreateSenders.request(base, "DELETE",
          "/api/v1/namespaces/bench/pods/web-0", new byte[0])), new AtomicLongArray(1));

      senders.run(1);

      assertThat(senders.succeeded()).isEqualTo(1);
      assertThat(requests).singleElement().asString().startsWith("DELETE /api/v1/namespaces/bench/pods/web-0 HTTP/1.1")
          .contains("Content-Length: 0\r\n").doesNotContain("Content-Type").endsWith("\r\n\r\n");
    }
  }

  @Test
  void aServerThatClosesEachConnectionIsAClearError() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      URI base = serve(server, n -> "HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
          new ArrayList<>());

      assertThatThrownBy(() -> CreateSenders.post(base, "/api/v1/namespaces", "{}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closes the connection after each response");
    }
  }

  @Test
  void aRefusedSetUpRequestNamesTheServersAnswer() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      URI base = serve(server, n -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden", new ArrayList<>());

      assertThatThrownBy(() -> CreateSenders.post(base, "/api/v1/namespaces", "{}".getBytes(StandardCharsets.UTF_8)))
          .hasMessageContaining("POST /api/v1/namespaces was refused: HTTP/1.1 403 Forbidden");
    }
  }
}
