package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Hostile input: every request of the corpus gets a 4xx answer whose body is a Status, the server
 * keeps serving, and the cluster's state (its revision) is untouched.
 */
class HostileInputTest {

  private static ServeFixture serve;

  @BeforeAll
  static void start() {
    serve = ServeFixture.start(true);
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private record Case(String what, String method, String path, String contentType, byte[] body) {}

  private static Case c(String what, String method, String path, String contentType, String body) {
    return new Case(what, method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static final String PODS = "/api/v1/namespaces/default/pods";

  private static String yamlBomb() {
    StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    String prev = "a";
    for (char ch = 'b'; ch <= 'k'; ch++) {
      sb.append(ch).append(": &").append(ch).append(" [");
      for (int i = 0; i < 9; i++) {
        sb.append(i > 0 ? "," : "").append('*').append(prev);
      }
      sb.append("]\n");
      prev = String.valueOf(ch);
    }
    return sb.toString();
  }

  private static List<Case> corpus() {
    byte[] huge = new byte[4 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    String deep = "[".repeat(5000) + "]".repeat(5000);
    return List.of(
        c("malformed JSON", "POST", PODS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":"),
        c("not an object", "POST", PODS, "application/json", "[1,2,3]"),
        c("empty body", "POST", PODS, "application/json", ""),
        c("deep nesting", "POST", PODS, "application/json", deep),
        c("YAML bomb", "POST", PODS, "application/yaml", yamlBomb()),
        new Case("body over 3 MiB", "POST", PODS, "application/json", huge),
        c("wrong type for containers", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":\"no\"}}"),
        c("wrong type for a name", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":{\"a\":1}}}"),
        c("invalid name", "POST", PODS, "application/json", ServeFixture.pod("Bad_Name!")),
        c("missing containers", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"nocontainers\"},\"spec\":{}}"),
        c("kind of another resource", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}"),
        c("unknown apiVersion", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v9\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"s\"}}"),
        c("namespace mismatch", "POST", PODS, "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"m\",\"namespace\":\"kube-system\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}}"),
        c("name mismatch on PUT", "PUT", PODS + "/a", "application/json", ServeFixture.pod("b")),
        c("unknown resource", "GET", "/api/v1/namespaces/default/widgets", null, null),
        c("unknown group", "GET", "/apis/example.com/v1/things", null, null),
        c("cluster-scoped kind under a namespace", "GET", "/api/v1/namespaces/default/nodes", null, null),
        c("encoded slash in a name", "GET", PODS + "/a%2Fb", null, null),
        c("percent in a name", "GET", PODS + "/a%25b", null, null),
        c("missing object", "GET", PODS + "/nope", null, null),
        c("text/plain body", "POST", PODS, "text/plain", ServeFixture.pod("tp")),
        c("unknown patch type", "PATCH", PODS + "/x", "application/xml", "<a/>"),
        c("malformed merge patch", "PATCH", PODS + "/x", "application/merge-patch+json", "{"),
        c("json patch that is not a list", "PATCH", "/api/v1/namespaces/default", "application/json-patch+json",
            "{\"op\":\"add\"}"),
        c("bad label selector", "GET", PODS + "?labelSelector=a%20in%20(", null, null),
        c("unsupported field selector", "GET", PODS + "?fieldSelector=spec.bogus%3Dx", null, null),
        c("negative limit", "GET", PODS + "?limit=-1", null, null),
        c("non-numeric limit", "GET", PODS + "?limit=ten", null, null),
        c("non-numeric resourceVersion", "GET", PODS + "?resourceVersion=abc", null, null),
        c("negative resourceVersion", "GET", PODS + "?resourceVersion=-5", null, null),
        c("overflowing resourceVersion", "GET", PODS + "?resourceVersion=99999999999999999999999", null, null),
        c("bad resourceVersionMatch", "GET", PODS + "?resourceVersionMatch=Sometimes&resourceVersion=1", null, null),
        c("garbage continue token", "GET", PODS + "?limit=1&continue=%25%25garbage", null, null),
        c("bad watch flag", "GET", PODS + "?watch=perhaps", null, null),
        c("negative timeoutSeconds", "GET", PODS + "?watch=true&timeoutSeconds=-3", null, null),
        c("watch with a bad selector", "GET", PODS + "?watch=true&labelSelector=%3D%3D", null, null),
        c("bad dryRun", "POST", PODS + "?dryRun=Maybe", "application/json", ServeFixture.pod("dr")),
        c("bad fieldValidation", "POST", PODS + "?fieldValidation=Loose", "application/json", ServeFixture.pod("fv")),
        c("strict unknown field", "POST", PODS + "?fieldValidation=Strict", "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"st\"},\"spec\":{\"containers\":"
                + "[{\"name\":\"a\",\"image\":\"b\",\"bogus\":true}]}}"),
        c("garbage protobuf", "POST", PODS, "application/vnd.kubernetes.protobuf", "k8s\0garbage\u00ff\u00ff"),
        c("protobuf without magic", "POST", PODS, "application/vnd.kubernetes.protobuf", "nope"),
        c("POST on an object", "POST", PODS + "/x", "application/json", ServeFixture.pod("x")),
        c("bad clock duration", "POST", "/kubesim/v1/clock/advance?duration=soon", null, null),
        c("bad clock speed", "POST", "/kubesim/v1/clock/speed?speed=-2", null, null),
        c("eviction name mismatch", "POST", PODS + "/x/eviction", "application/json",
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"y\"}}"),
        c("negative scale", "PUT", "/apis/apps/v1/namespaces/default/deployments/d/scale", null,
            "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"d\"},\"spec\":"
                + "{\"replicas\":-1}}"),
        c("logs of a missing pod", "GET", PODS + "/x/log", null, null),
        c("port-forward", "POST", PODS + "/x/portforward", null, null));
  }

  @Test
  void everyHostileRequestGetsA4xxStatusAndChangesNothing() {
    String before = revision();
    for (Case k : corpus()) {
      ServeFixture.Reply r = serve.sendOnNewConnection(k.method(), k.path(), k.contentType(), k.body());
      assertThat(r.code()).as("%s: %s", k.what(), r.body()).isBetween(400, 499);
      JsonNode status = r.json();
      assertThat(status.path("kind").asString()).as(k.what()).isEqualTo("Status");
      assertThat(status.path("status").asString()).as(k.what()).isEqualTo("Failure");
      assertThat(status.path("code").asInt()).as(k.what()).isEqualTo(r.code());
      assertThat(status.path("message").asString()).as(k.what()).isNotEmpty();
    }
    assertThat(serve.get("/version").code()).isEqualTo(200);
    assertThat(revision()).isEqualTo(before);
  }

  @Test
  void oversizedBodiesGet413WithKubernetesMessage() {
    byte[] huge = new byte[3 * 1024 * 1024 + 1];
    ServeFixture.Reply r = serve.sendOnNewConnection("POST", PODS, "application/json", huge);
    assertThat(r.code()).isEqualTo(413);
    assertThat(r.json().path("message").asString()).isEqualTo("Request entity too large: limit is 3145728");
  }

  @Test
  void oversizedBodiesAreReadToTheEndSoTheClientGetsEvery413OnOneConnection() {
    byte[] huge = new byte[3 * 1024 * 1024 + 1];
    for (int i = 0; i < 5; i++) {
      assertThat(serve.send("POST", PODS, "application/json", huge).code()).as("attempt %d", i).isEqualTo(413);
    }
    assertThat(serve.get("/version").code()).isEqualTo(200);
  }

  @Test
  void mismatchedNamespaceIsRefusedWithKubernetesMessage() {
    ServeFixture.Reply r = serve.post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"m\","
        + "\"namespace\":\"kube-system\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}}");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json().path("message").asString())
        .isEqualTo("the namespace of the provided object does not match the namespace sent on the request");
  }

  @Test
  void dotSegmentsAreNoResourceNames() {
    for (String name : List.of(".", "..", "a/b", "a%b")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResourceApi.checkPathSegment("resource", name))
          .isInstanceOf(StatusException.class).hasMessageStartingWith("invalid resource name \"" + name + "\"");
    }
  }

  /** The cluster's revision: any write would move it. */
  private static String revision() {
    return serve.get("/api/v1/namespaces").json().path("metadata").path("resourceVersion").asString();
  }
}
