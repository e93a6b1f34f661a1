package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node-failure story, live: a paused {@code kubesim serve}, a Deployment, {@code kubesim
 * fault node-down w3-k8s}, and the clock moved with {@code kubesim clock advance}, while kubectl
 * watches the node go NotReady, get tainted, and its pod replaced elsewhere.
 */
class NodeFailureStoryTest {

  private static ServeFixture serve;
  private static Kubectl kubectl;
  private static KubesimCli kubesim;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(true);
    Path dir = Files.createTempDirectory("kubesim-story");
    Path kubeconfig = serve.kubeconfig(dir.resolve("kubeconfig"));
    kubectl = new Kubectl(kubeconfig, dir.resolve("cache"));
    kubesim = new KubesimCli(kubeconfig);
    Kubectl.binary();
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
    return r.out();
  }

  private static String kubesim(String... args) {
    KubesimCli.Result r = kubesim.run(args);
    assertThat(r.exit()).as("kubesim %s\n%s%s", String.join(" ", args), r.out(), r.err()).isZero();
    return r.out();
  }

  @Test
  void aNodeGoesDownItsPodIsReplacedOnAnotherNode() throws Exception {
    String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
        + "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
        + "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
    Kubectl.Result applied = kubectl.runWithInput(deployment, "apply", "-f", "-");
    assertThat(applied.all()).contains("deployment.apps/web created");
    String onW3 = ok("get", "pods", "-l", "app=web", "--field-selector", "spec.nodeName=w3-k8s", "-o",
        "jsonpath={.items[0].metadata.name}");
    assertThat(onW3).startsWith("web-");

    assertThat(kubesim("fault", "node-down", "w3-k8s")).isEqualTo("node/w3-k8s down\n");

    // 40 s without a heartbeat (--node-monitor-grace-period): Ready goes Unknown and the node
    // gets the NoSchedule taint at once.
    assertThat(kubesim("clock", "advance", "50s")).contains("virtual time 2026-01-01T00:00:50");
    assertThat(ok("get", "nodes")).containsPattern("w3-k8s\\s+NotReady").containsPattern("w1-k8s\\s+Ready");
    assertThat(ok("describe", "node", "w3-k8s")).containsPattern("Taints:\\s+node.kubernetes.io/unreachable:NoSchedule")
        .containsPattern("Ready\\s+Unknown\\s.*NodeStatusUnknown\\s+Kubelet stopped posting node status.");

    // One monitor pass later, the NoExecute taint, through the rate-limited eviction queue.
    kubesim("clock", "advance", "10s");
    assertThat(ok("describe", "node", "w3-k8s")).contains("node.kubernetes.io/unreachable:NoExecute")
        .contains("node.kubernetes.io/unreachable:NoSchedule");

    // The pod tolerates unreachable for 300 s (DefaultTolerationSeconds); then it is evicted, stays
    // Terminating on the unreachable node, and the ReplicaSet's replacement runs elsewhere.
    kubesim("clock", "advance", "5m");
    String pods = ok("get", "pods", "-o", "wide");
    assertThat(pods).containsPattern(onW3 + "\\s+0/1\\s+Terminating\\s+.*\\s+w3-k8s\\s");
    assertThat(pods.lines().filter(l -> l.startsWith("web-") && l.contains(" Running ")).toList()).hasSize(3)
        .allSatisfy(l -> assertThat(l).doesNotContain("w3-k8s"));
    assertThat(ok("get", "events", "--field-selector", "involvedObject.name=" + onW3))
        .contains("Marking for deletion Pod default/" + onW3);
  }
}
