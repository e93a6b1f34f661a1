package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.launcher.Kubeconfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bearer token ({@code --token}, which turns on HTTPS with a self-signed certificate) and
 * kubesim's clock endpoints, on a server whose clock is paused, so that only {@code advance} moves
 * virtual time.
 */
class TokenAndClockTest {

  private static ServeFixture serve;
  private static Path kubeconfig;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(true, "s3cret", ApiServerSettings.DEFAULT);
    dir = Files.createTempDirectory("kubesim-token");
    kubeconfig = serve.kubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static ServeFixture.Reply raw(String path, String... headers) {
    ServeFixture anonymous = serve;
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(serve.url() + path));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      var r = anonymous.client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new ServeFixture.Reply(r.statusCode(), r.body(), r.headers());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void requestsWithoutTheTokenAreUnauthorized() {
    ServeFixture.Reply r = raw("/api/v1/namespaces");
    assertThat(r.code()).isEqualTo(401);
    assertThat(r.json().path("reason").asString()).isEqualTo("Unauthorized");
    assertThat(r.json().path("kind").asString()).isEqualTo("Status");
  }

  @Test
  void requestsWithAWrongTokenAreUnauthorized() {
    assertThat(raw("/api/v1/namespaces", "Authorization", "Bearer wrong").code()).isEqualTo(401);
    assertThat(raw("/version", "Authorization", "Basic czNjcmV0").code()).isEqualTo(401);
  }

  @Test
  void requestsWithTheTokenSucceed() {
    assertThat(raw("/api/v1/namespaces", "Authorization", "Bearer s3cret").code()).isEqualTo(200);
  }

  @Test
  void theWrittenKubeconfigCarriesTheTokenAndTheServingCertificate() throws Exception {
    assertThat(serve.url()).startsWith("https://127.0.0.1:");
    assertThat(Kubeconfig.read(kubeconfig)).isEqualTo(new Kubeconfig.Target(serve.url(), "s3cret",
        serve.serving.certificatePem()));
    assertThat(Files.readString(kubeconfig)).contains("certificate-authority-data: ");
  }

  @Test
  void kubectlWithTheTokenKubeconfigWorks() throws Exception {
    Kubectl.Result r = new Kubectl(kubeconfig, dir.resolve("cache")).run("get", "nodes");
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.out()).containsPattern("w1-k8s\\s+Ready");
  }

  @Test
  void kubectlWithoutTheRightTokenIsUnauthorized() throws Exception {
    // (With no credentials at all, kubectl asks for a user name on its terminal instead.)
    Path wrong = dir.resolve("wrong-token");
    Kubeconfig.write(wrong, serve.url(), "guessed", serve.serving.certificatePem());
    Kubectl.Result r = new Kubectl(wrong, dir.resolve("cache-wrong")).run("get", "nodes");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("error: You must be logged in to the server");
  }

  @Test
  void advanceReturnsOnceTheVirtualTimeIsThereAndDueTimersHaveFired() {
    long before = clockNanos();
    // An Event lives for the apiserver's --event-ttl (1h): its expiry is a timer in virtual time.
    String event = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"ttl.1\"},\"involvedObject\":"
        + "{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"reason\":\"Tested\",\"message\":\"m\","
        + "\"type\":\"Normal\"}";
    assertThat(serve.post("/api/v1/namespaces/default/events", event).code()).isEqualTo(201);
    ServeFixture.Reply r = serve.send("POST", "/kubesim/v1/clock/advance?duration=1h1m", null, null);
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.json().path("paused").asBoolean()).isTrue();
    assertThat(clockNanos() - before).isGreaterThanOrEqualTo(Duration.ofMinutes(61).toNanos());
    assertThat(serve.get("/api/v1/namespaces/default/events/ttl.1").code()).isEqualTo(404);
  }

  @Test
  void theClockCommandAdvancesThroughTheKubeconfig() {
    long before = clockNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(out, true));
      exit = io.kubesim.controlplane.launcher.MainAccess.run("clock", "advance", "5m", "--kubeconfig",
          kubeconfig.toString());
    } finally {
      System.setOut(old);
    }
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("virtual time 2026-01-01T").contains("paused");
    assertThat(clockNanos() - before).isGreaterThanOrEqualTo(Duration.ofMinutes(5).toNanos());
  }

  @Test
  void speedAndResumeAreReported() {
    assertThat(serve.send("POST", "/kubesim/v1/clock/speed?speed=10", null, null).json().path("speed").asDouble())
        .isEqualTo(10.0);
    assertThat(serve.send("POST", "/kubesim/v1/clock/pause", null, null).json().path("paused").asBoolean()).isTrue();
  }

  private static long clockNanos() {
    ServeFixture.Reply r = serve.get("/kubesim/v1/clock");
    assertThat(r.code()).isEqualTo(200);
    java.time.Instant now = java.time.Instant.parse(r.json().path("now").asString());
    return Duration.between(io.kubesim.controlplane.launcher.ClusterSettings.EPOCH, now).toNanos();
  }
}
