package io.kubesim.controlplane.http;

import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.launcher.ClusterDefinition;
import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.launcher.Kubeconfig;
import io.kubesim.controlplane.launcher.Serving;
import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** A {@code kubesim serve} started in-process on a free loopback port, and a small HTTP client for it. */
final class ServeFixture implements AutoCloseable {

  final Serving serving;
  final HttpClient client;
  final String token;

  private ServeFixture(Serving serving, String token) {
    this.serving = serving;
    this.token = token;
    this.client = newClient();
  }

  private HttpClient newClient() {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10));
    if (serving.certificatePem() != null) {
      b.sslContext(TlsIdentity.trusting(serving.certificatePem()));
    }
    return b.build();
  }

  /**
   * One request on a connection of its own: a server may close a connection after refusing a
   * request whose body it did not read (RFC 9112 section 9.6; akka-http does after a 413), and a
   * pooled client could otherwise send the next request on the closing connection.
   */
  Reply sendOnNewConnection(String method, String path, String contentType, byte[] body) {
    return send(newClient(), method, path, contentType, body);
  }

  static ServeFixture start(boolean paused) {
    return start(paused, null, ApiServerSettings.DEFAULT);
  }

  static ServeFixture start(boolean paused, String token, ApiServerSettings apiserver) {
    ClusterSettings cs = ClusterSettings.defaults(7).withApiServer(apiserver);
    HttpSettings hs = HttpSettings.defaults().withPort(0).withToken(token);
    return new ServeFixture(Serving.start(ClusterDefinition.defaultCluster(), cs, hs, 1.0, paused), token);
  }

  String url() {
    return serving.url();
  }

  /** Writes a kubeconfig for this server (its token and certificate, if any) and returns its path. */
  Path kubeconfig(Path file) throws IOException {
    Kubeconfig.write(file, url(), token, serving.certificatePem());
    return file;
  }

  /** Moves the virtual clock (the server must be paused for the move to be exact). */
  void advance(Duration d) {
    try {
      serving.driver().advance(d).get(5, java.util.concurrent.TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("advance " + d + " failed", e);
    }
  }

  record Reply(int code, String body, java.net.http.HttpHeaders headers) {
    JsonNode json() {
      return Json.MAPPER.readTree(body);
    }
  }

  Reply send(String method, String path, String contentType, byte[] body, String... headers) {
    return send(client, method, path, contentType, body, headers);
  }

  private Reply send(HttpClient client, String method, String path, String contentType, byte[] body,
      String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Reply put(String path, String json) {
    return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static String node(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":"
        + "{\"kubernetes.io/hostname\":\"" + name + "\"}},\"status\":{\"conditions\":[{\"type\":\"Ready\","
        + "\"status\":\"True\",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\","
        + "\"lastHeartbeatTime\":\"2026-01-01T00:00:00Z\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}],"
        + "\"nodeInfo\":{\"kubeletVersion\":\"v1.34.0\",\"osImage\":\"Ubuntu 24.04\",\"kernelVersion\":\"6.8.0\","
        + "\"containerRuntimeVersion\":\"containerd://1.7.27\",\"machineID\":\"\",\"systemUUID\":\"\",\"bootID\":\"\","
        + "\"kubeProxyVersion\":\"\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"},"
        + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"192.168.1.10\"}]}}";
  }

  static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"web\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.25\"}]}}";
  }

  @Override
  public void close() {
    serving.close();
  }
}
