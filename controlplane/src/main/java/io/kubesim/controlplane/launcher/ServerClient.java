package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.http.TlsIdentity;
import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;

/**
 * How kubesim's own commands (clock, fault, logs, explain) reach a running {@code kubesim serve}:
 * the server, bearer token and certificate authority of a kubeconfig, as kubectl would use them.
 */
final class ServerClient {

  private final Path kubeconfig;
  private final Kubeconfig.Target target;
  private final HttpClient client;

  private ServerClient(Path kubeconfig, Kubeconfig.Target target, HttpClient client) {
    this.kubeconfig = kubeconfig;
    this.target = target;
    this.client = client;
  }

  static ServerClient of(Path kubeconfig) throws IOException {
    Kubeconfig.Target target = Kubeconfig.read(kubeconfig);
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10));
    if (target.certificateAuthority() != null) {
      b.sslContext(TlsIdentity.trusting(target.certificateAuthority()));
    }
    return new ServerClient(kubeconfig, target, b.build());
  }

  String server() {
    return target.server();
  }

  private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target.server() + pathAndQuery));
    if (timeout != null) {
      req.timeout(timeout);
    }
    if (target.token() != null) {
      req.header("Authorization", "Bearer " + target.token());
    }
    return req;
  }

  /** A request answered with a body; a non-2xx answer becomes an IOException with the Status message. */
  String send(String method, String pathAndQuery, String jsonBody) throws IOException, InterruptedException {
    HttpRequest.Builder req = request(pathAndQuery, Duration.ofMinutes(10));
    if (jsonBody != null) {
      req.header("Content-Type", "application/json");
    }
    req.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(jsonBody));
    HttpResponse<String> resp = exchange(req.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException(message(resp.body()));
    }
    return resp.body();
  }

  /** A streamed text answer, line by line (logs -f). */
  Stream<String> lines(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> resp = exchange(request(pathAndQuery, null).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    if (resp.statusCode() / 100 != 2) {
      String body = String.join("\n", resp.body().toList());
      throw new IOException(message(body));
    }
    return resp.body();
  }

  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try {
      return client.send(req, handler);
    } catch (ConnectException e) {
      throw new IOException("cannot reach kubesim at " + target.server() + " (is `kubesim serve` running?)");
    } catch (SSLException e) {
      throw new IOException("TLS with " + target.server() + " failed: " + e.getMessage() + " (is " + kubeconfig
          + " the kubeconfig this `kubesim serve` wrote?)");
    }
  }

  /** The message of a Status body, or the body itself. */
  static String message(String body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n.has("message")) {
        return n.path("message").asString();
      }
    } catch (RuntimeException e) {
      // not JSON
    }
    return body.trim();
  }
}
