package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.controlplane.launcher.Kubeconfig;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A real kubectl 1.35 against {@code kubesim serve} (in-process, free port, clock at real time),
 * command by command as KUBECTL.md lists them, all against one server. The commands that need pods
 * to run (exec, logs, rollout status, drain) are in KubectlWorkloadsTest, whose clock the test moves.
 */
class KubectlConformanceTest {

  private static ServeFixture serve;
  private static Kubectl kubectl;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(false);
    dir = Files.createTempDirectory("kubesim-kubectl-test");
    Path kubeconfig = dir.resolve("kubeconfig");
    Kubeconfig.write(kubeconfig, serve.url(), null);
    kubectl = new Kubectl(kubeconfig, dir.resolve("cache"));
    Kubectl.binary();
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static void pod(String name, String labels) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":"
        + labels + "},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.25\"}]}}";
    assertThat(serve.post("/api/v1/namespaces/default/pods", json).code()).isEqualTo(201);
  }

  @Test
  void versionReportsKubernetes134() throws Exception {
    assertThat(kubectl.ok("version").out()).contains("Client Version: v1.35").contains("Server Version: v1.34.0");
  }

  @Test
  void apiResourcesListsKindsWithShortNames() throws Exception {
    String out = kubectl.ok("api-resources").out();
    assertThat(out).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod")
        .containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
        .containsPattern("nodes\\s+no\\s+v1\\s+false\\s+Node");
  }

  @Test
  void getNodesPrintsStatusRolesAgeAndVersion() throws Exception {
    String out = kubectl.ok("get", "nodes").out();
    assertThat(out).containsPattern("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION")
        .containsPattern("w1-k8s\\s+Ready\\s+<none>\\s+\\S+\\s+v1.34.0");
    assertThat(kubectl.ok("get", "nodes", "-o", "wide").out()).contains("INTERNAL-IP").contains("192.168.1.10")
        .contains("containerd://1.7.27");
  }

  @Test
  void getPodsWidePrintsTheWideColumns() throws Exception {
    pod("wide1", "{\"app\":\"wide\"}");
    String out = kubectl.ok("get", "pods", "-o", "wide").out();
    assertThat(out).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+"
        + "READINESS GATES")
        .containsPattern("wide1\\s+[01]/1\\s+\\S+\\s+0\\s+\\S+\\s+\\S+\\s+\\S+\\s+<none>\\s+<none>");
  }

  @Test
  void getPodAsYamlAndJson() throws Exception {
    pod("yj1", "{\"app\":\"yj\"}");
    assertThat(kubectl.ok("get", "pod", "yj1", "-o", "yaml").out()).contains("kind: Pod").contains("name: yj1")
        .containsPattern("phase: (Pending|Running)");
    JsonNode json = Json.MAPPER.readTree(kubectl.ok("get", "pods", "-o", "json").out());
    assertThat(json.path("kind").asString()).isEqualTo("List");
    assertThat(json.path("items").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void getPodsAcrossNamespacesAddsTheNamespaceColumn() throws Exception {
    pod("all1", "{\"app\":\"all\"}");
    assertThat(kubectl.ok("get", "pods", "-A").out()).containsPattern("NAMESPACE\\s+NAME\\s+READY")
        .containsPattern("default\\s+all1\\s+0/1");
  }

  @Test
  void labelSelectorFiltersOnTheServer() throws Exception {
    pod("sel-a", "{\"app\":\"sel\",\"tier\":\"a\"}");
    pod("sel-b", "{\"app\":\"sel\",\"tier\":\"b\"}");
    String out = kubectl.ok("get", "pods", "-l", "app=sel,tier!=b").out();
    assertThat(out).contains("sel-a").doesNotContain("sel-b");
  }

  @Test
  void fieldSelectorFiltersOnTheServer() throws Exception {
    pod("fs-a", "{\"app\":\"fs\"}");
    pod("fs-b", "{\"app\":\"fs\"}");
    String out = kubectl.ok("get", "pods", "--field-selector", "metadata.name=fs-b,status.phase!=Running").out();
    assertThat(out).contains("fs-b").doesNotContain("fs-a");
  }

  @Test
  void getWatchSeesACreationAndAChange() throws Exception {
    Path out = dir.resolve("watch.out");
    Process p = kubectl.start(out, "get", "pods", "-w", "-l", "app=watched");
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (serve.serving.http().link().openWatches() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      pod("watched1", "{\"app\":\"watched\"}");
      Kubectl.awaitOutput(out, s -> s.contains("watched1"));
      assertThat(Files.readString(out)).containsPattern("watched1\\s+0/1\\s+Pending");
      assertThat(serve.send("PATCH", "/api/v1/namespaces/default/pods/watched1", "application/merge-patch+json",
          "{\"metadata\":{\"labels\":{\"changed\":\"yes\"}}}".getBytes(StandardCharsets.UTF_8)).code())
          .isEqualTo(200);
      Kubectl.awaitOutput(out, s -> s.lines().filter(l -> l.startsWith("watched1 ")).count() >= 2);
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void describePodShowsItsState() throws Exception {
    pod("desc1", "{\"app\":\"desc\"}");
    String out = kubectl.ok("describe", "pod", "desc1").out();
    assertThat(out).containsPattern("Name:\\s+desc1").containsPattern("Status:\\s+Pending")
        .containsPattern("QoS Class:\\s+BestEffort").contains("Events:");
  }

  @Test
  void describeNodeShowsConditionsAndSystemInfo() throws Exception {
    String out = kubectl.ok("describe", "node", "w1-k8s").out();
    assertThat(out).containsPattern("Name:\\s+w1-k8s").contains("KubeletReady")
        .containsPattern("Kubelet Version:\\s+v1.34.0").contains("Non-terminated Pods:");
  }

  @Test
  void createFromFileValidatesOnTheServer() throws Exception {
    String yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: cf1\nspec:\n  containers:\n  - name: app\n"
        + "    image: nginx\n";
    Kubectl.Result r = kubectl.runWithInput(yaml, "create", "-f", "-");
    assertThat(r.all()).contains("pod/cf1 created");
    Kubectl.Result bad = kubectl.runWithInput(yaml.replace("cf1", "cf2").replace("image: nginx",
        "image: nginx\n    bogus: 1"), "create", "-f", "-");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("unknown field \"spec.containers[0].bogus\"");
  }

  @Test
  void applyTwiceThenChangedConfigures() throws Exception {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: one\n";
    assertThat(kubectl.runWithInput(yaml, "apply", "-f", "-").all()).contains("configmap/applied created");
    assertThat(kubectl.runWithInput(yaml, "apply", "-f", "-").all()).contains("configmap/applied unchanged");
    assertThat(kubectl.runWithInput(yaml.replace("k: one", "k: two"), "apply", "-f", "-").all())
        .contains("configmap/applied configured");
    assertThat(kubectl.ok("get", "configmap", "applied", "-o", "jsonpath={.data.k}").out()).isEqualTo("two");
  }

  @Test
  void applyServerSideTwice() throws Exception {
    String yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\nspec:\n  replicas: 2\n"
        + "  selector:\n    matchLabels: {app: ssa}\n  template:\n    metadata:\n      labels: {app: ssa}\n"
        + "    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n";
    assertThat(kubectl.runWithInput(yaml, "apply", "--server-side", "-f", "-").all())
        .contains("deployment.apps/ssa serverside-applied");
    assertThat(kubectl.runWithInput(yaml.replace("replicas: 2", "replicas: 3"), "apply", "--server-side", "-f", "-")
        .all()).contains("deployment.apps/ssa serverside-applied");
    assertThat(kubectl.ok("get", "deploy", "ssa", "-o",
        "jsonpath={.spec.replicas} {.metadata.managedFields[0].manager}")
        .out()).isEqualTo("3 kubectl");
  }

  @Test
  void applyServerSideConflictsWithAnotherManagerUnlessForced() throws Exception {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-conflict\ndata:\n  k: a\n";
    kubectl.ok("apply", "--server-side", "-f", write("c1.yaml", yaml));
    Kubectl.Result r = kubectl.runWithInput(yaml.replace("k: a", "k: b"), "apply", "--server-side",
        "--field-manager=other", "-f", "-");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .data.k");
    assertThat(kubectl.runWithInput(yaml.replace("k: a", "k: b"), "apply", "--server-side", "--field-manager=other",
        "--force-conflicts", "-f", "-").all()).contains("serverside-applied");
  }

  private static String write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toString();
  }

  @Test
  void runCreatesAPod() throws Exception {
    assertThat(kubectl.ok("run", "nginx", "--image=nginx:1.14", "--port", "80").out()).contains("pod/nginx created");
    assertThat(kubectl.ok("get", "pod", "nginx", "-o", "jsonpath={.spec.containers[0].ports[0].containerPort} "
        + "{.metadata.labels.run}").out()).isEqualTo("80 nginx");
  }

  @Test
  void createDeploymentSendsProtobuf() throws Exception {
    Kubectl.Result r = kubectl.ok("create", "deployment", "web", "--image=nginx", "-v=8");
    assertThat(r.all()).contains("deployment.apps/web created").contains("application/vnd.kubernetes.protobuf");
    assertThat(kubectl.ok("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} "
        + "{.spec.selector.matchLabels.app}").out()).isEqualTo("nginx web");
  }

  @Test
  void createNamespaceAndConfigmap() throws Exception {
    assertThat(kubectl.ok("create", "namespace", "team-a").out()).contains("namespace/team-a created");
    assertThat(kubectl.ok("create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast").out())
        .contains("configmap/settings created");
    assertThat(kubectl.ok("get", "cm", "-n", "team-a").out()).containsPattern("settings\\s+1\\s+");
    assertThat(kubectl.ok("get", "ns").out()).containsPattern("team-a\\s+Active");
  }

  @Test
  void deleteRemovesAPod() throws Exception {
    pod("doomed", "{\"app\":\"doomed\"}");
    assertThat(kubectl.ok("delete", "pod", "doomed").out()).contains("pod \"doomed\" deleted");
    Kubectl.Result r = kubectl.run("get", "pod", "doomed");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Error from server (NotFound): pods \"doomed\" not found");
  }

  @Test
  void labelTaintCordonAndUncordonANode() throws Exception {
    assertThat(serve.post("/api/v1/nodes", ServeFixture.node("w9-k8s")).code()).isEqualTo(201);
    assertThat(kubectl.ok("label", "node", "w9-k8s", "disk=ssd").out()).contains("node/w9-k8s labeled");
    assertThat(kubectl.ok("taint", "node", "w9-k8s", "dedicated=gpu:NoSchedule").out()).contains("node/w9-k8s tainted");
    assertThat(kubectl.ok("cordon", "w9-k8s").out()).contains("node/w9-k8s cordoned");
    assertThat(kubectl.ok("get", "node", "w9-k8s").out()).containsPattern("w9-k8s\\s+Ready,SchedulingDisabled");
    assertThat(kubectl.ok("uncordon", "w9-k8s").out()).contains("node/w9-k8s uncordoned");
    assertThat(kubectl.ok("get", "node", "w9-k8s", "-o", "jsonpath={.metadata.labels.disk} {.spec.taints[0].key} "
        + "{.spec.unschedulable}").out()).isEqualTo("ssd dedicated ");
  }

  @Test
  void scaleADeployment() throws Exception {
    kubectl.ok("create", "deployment", "scaled", "--image=nginx");
    assertThat(kubectl.ok("scale", "deployment", "scaled", "--replicas=3").out())
        .contains("deployment.apps/scaled scaled");
    assertThat(kubectl.ok("get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
    assertThat(kubectl.ok("scale", "deployment", "scaled", "--current-replicas=3", "--replicas=1").out())
        .contains("scaled");
    assertThat(kubectl.ok("get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("1");
  }

  @Test
  void getEventsPrintsTheEventColumns() throws Exception {
    String event = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"p.1\"},\"involvedObject\":"
        + "{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"reason\":\"Scheduled\",\"message\":"
        + "\"Successfully assigned default/p to w1-k8s\",\"type\":\"Normal\",\"source\":{\"component\":"
        + "\"default-scheduler\"},\"firstTimestamp\":\"2026-01-01T00:00:00Z\",\"lastTimestamp\":"
        + "\"2026-01-01T00:00:00Z\",\"count\":1}";
    assertThat(serve.post("/api/v1/namespaces/default/events", event).code()).isEqualTo(201);
    assertThat(kubectl.ok("get", "events").out()).containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern("Normal\\s+Scheduled\\s+pod/p\\s+Successfully assigned default/p to w1-k8s");
  }

  @Test
  void curlPostsAPodAsInTheTutorials() throws Exception {
    Path body = Files.writeString(dir.resolve("curl-pod.json"), ServeFixture.pod("curl1"), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
        "-H", "Content-Type: application/json", "--data-binary", "@" + body,
        serve.url() + "/api/v1/namespaces/default/pods").redirectErrorStream(true).start();
    String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(code).isEqualTo("201");
    assertThat(kubectl.ok("get", "pod", "curl1").out()).contains("curl1");
  }
}
