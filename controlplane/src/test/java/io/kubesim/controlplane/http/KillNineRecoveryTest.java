package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.controlplane.launcher.Kubeconfig;
import io.kubesim.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code kubesim serve --data-dir} in a JVM of its own, killed with {@code kill -9} while a client
 * keeps writing, then started again on the same directory: every write that was acknowledged is
 * back (creates, an update, a delete), and the server serves as before.
 */
class KillNineRecoveryTest {

  private static final String CM = "/api/v1/namespaces/default/configmaps";
  private static final int ACKNOWLEDGED_BEFORE_KILL = 100;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A {@code kubesim serve} process: its URL is read from the kubeconfig it writes. */
  private record Server(Process process, String url) {}

  private static Server serve(Path dataDir, Path kubeconfig, Path log) throws Exception {
    Files.deleteIfExists(kubeconfig);
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // C1 only and the serial collector: this JVM lives for seconds, so start-up time is what counts.
    Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath,
        "io.kubesim.controlplane.launcher.Main",
        "serve", "--paused", "--port", "0", "--data-dir", dataDir.toString(), "--kubeconfig", kubeconfig.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("Press Ctrl-C to stop.")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("kubesim serve did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return new Server(p, Kubeconfig.read(kubeconfig).server());
  }

  private static void killNine(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  private HttpResponse<String> send(String url, String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String configMap(String name, String value) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":"
        + "{\"test\":\"kill9\"}},\"data\":{\"v\":\"" + value + "\"}}";
  }

  @Test
  void everyAcknowledgedWriteIsBackAfterKillNine() throws Exception {
    Path dir = Files.createTempDirectory("kubesim-kill9");
    Path data = dir.resolve("data");
    Path kubeconfig = dir.resolve("kubeconfig");
    Server first = serve(data, kubeconfig, dir.resolve("serve-1.log"));
    Set<String> acknowledged = new ConcurrentSkipListSet<>();
    try {
      assertThat(send(first.url(), "POST", CM, configMap("updated", "before")).statusCode()).isEqualTo(201);
      assertThat(send(first.url(), "POST", CM, configMap("deleted", "x")).statusCode()).isEqualTo(201);
      HttpRequest patch = HttpRequest.newBuilder(URI.create(first.url() + CM + "/updated"))
          .header("Content-Type", "application/merge-patch+json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"v\":\"after\"}}")).build();
      assertThat(http.send(patch, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(send(first.url(), "DELETE", CM + "/deleted", null).statusCode()).isEqualTo(200);

      // A writer that does not stop for the kill: creates go on until the connection fails.
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          String name = "cm-" + i;
          try {
            if (send(first.url(), "POST", CM, configMap(name, Integer.toString(i))).statusCode() == 201) {
              acknowledged.add(name);
            }
          } catch (Exception e) {
            return;
          }
        }
      }, "kill9-writer");
      writer.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      killNine(first.process());
      stop.set(true);
      writer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
    } finally {
      first.process().destroyForcibly();
    }

    Server second = serve(data, kubeconfig, dir.resolve("serve-2.log"));
    try {
      HttpResponse<String> list = send(second.url(), "GET", CM + "?labelSelector=test%3Dkill9", null);
      assertThat(list.statusCode()).isEqualTo(200);
      Set<String> back = new TreeSet<>();
      List<String> updated = new ArrayList<>();
      for (JsonNode item : Json.MAPPER.readTree(list.body()).path("items")) {
        String name = item.path("metadata").path("name").asString();
        back.add(name);
        if (name.equals("updated")) {
          updated.add(item.path("data").path("v").asString());
        }
      }
      assertThat(back).containsAll(acknowledged).contains("updated").doesNotContain("deleted");
      assertThat(updated).containsExactly("after");
      assertThat(send(second.url(), "POST", CM, configMap("after-restart", "y")).statusCode()).isEqualTo(201);
      assertThat(send(second.url(), "GET", "/api/v1/nodes/w1-k8s", null).statusCode()).isEqualTo(200);
    } finally {
      second.process().destroy();
      if (!second.process().waitFor(30, TimeUnit.SECONDS)) {
        second.process().destroyForcibly();
      }
    }
  }
}
