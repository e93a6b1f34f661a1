package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubesim fault}, {@code kubesim logs} and {@code kubesim explain} against a running serve. */
class KubesimCommandsTest {

  private static ServeFixture serve;
  private static Kubectl kubectl;
  private static KubesimCli kubesim;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(true);
    Path dir = Files.createTempDirectory("kubesim-commands");
    Path kubeconfig = serve.kubeconfig(dir.resolve("kubeconfig"));
    kubectl = new Kubectl(kubeconfig, dir.resolve("cache"));
    kubesim = new KubesimCli(kubeconfig);
    Kubectl.binary();
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static String runningPod(String name, String node) throws Exception {
    String yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  nodeSelector:\n"
        + "    kubernetes.io/hostname: " + node + "\n  containers:\n  - name: app\n    image: busybox:1.36\n"
        + "    command: [\"sh\", \"-c\", \"echo up; sleep 3600\"]\n";
    assertThat(kubectl.runWithInput(yaml, "apply", "-f", "-").exit()).isZero();
    serve.advance(Duration.ofSeconds(20));
    return name;
  }

  @Test
  void faultPrintsWhatHappenedAndFailsOnNonsense() {
    KubesimCli.Result unknownNode = kubesim.run("fault", "node-down", "w9-k8s");
    assertThat(unknownNode.exit()).isEqualTo(1);
    assertThat(unknownNode.err()).isEqualTo("error: no node named \"w9-k8s\"\n");
    KubesimCli.Result unknownFault = kubesim.run("fault", "reboot", "w1-k8s");
    assertThat(unknownFault.exit()).isEqualTo(1);
    assertThat(unknownFault.err()).contains("unknown fault \"reboot\"");
    KubesimCli.Result healed = kubesim.run("fault", "heal", "w1-k8s");
    assertThat(healed.exit()).isEqualTo(1);
    assertThat(healed.err()).isEqualTo("error: node w1-k8s is not partitioned\n");
  }

  @Test
  void logsAndExecFailAsTheApiserverFailsToDialAnUnreachableKubelet() throws Exception {
    runningPod("reach1", "w2-k8s");
    assertThat(kubesim.run("fault", "kubelet-stop", "w2-k8s").out()).isEqualTo("kubelet on w2-k8s stopped\n");
    try {
      Kubectl.Result logs = kubectl.run("logs", "reach1");
      assertThat(logs.exit()).isNotZero();
      assertThat(logs.err()).matches("(?s)Error from server: Get \"https://[0-9.]+:10250/containerLogs/default/reach1/"
          + "app\": dial tcp [0-9.]+:10250: connect: connection refused\n");
    } finally {
      assertThat(kubesim.run("fault", "kubelet-start", "w2-k8s").out()).isEqualTo("kubelet on w2-k8s started\n");
    }
    assertThat(kubesim.run("fault", "partition", "w2-k8s").out()).isEqualTo("node/w2-k8s partitioned\n");
    try {
      Kubectl.Result exec = kubectl.run("exec", "reach1", "--", "env");
      assertThat(exec.exit()).isNotZero();
      assertThat(exec.err()).contains("error dialing backend: dial tcp").contains(":10250: i/o timeout");
    } finally {
      assertThat(kubesim.run("fault", "heal", "w2-k8s").out()).isEqualTo("node/w2-k8s healed\n");
    }
    assertThat(kubectl.run("logs", "reach1").out()).isEqualTo("up\n");
  }

  @Test
  void logsPrintTheComponentsLinesInVirtualTimeOrder() {
    serve.advance(Duration.ofSeconds(1));
    KubesimCli.Result all = kubesim.run("logs");
    assertThat(all.exit()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.contains(" scheduler] ")).anyMatch(l -> l.contains(" kubelet/w1-k8s] "));
    List<String> times = lines.stream().map(l -> l.substring(1, 21)).toList();
    assertThat(times).isSorted();
    KubesimCli.Result kubelets = kubesim.run("logs", "--component", "kubelet");
    assertThat(kubelets.out().lines().toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(l).containsPattern("^[IWE]\\d{4} \\S+ kubelet/\\S+\\] "));
    KubesimCli.Result one = kubesim.run("logs", "--component", "kubelet/w3-k8s");
    assertThat(one.out().lines().toList()).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" kubelet/w3-k8s] "));
  }

  @Test
  void logsFollowSendsNewLinesAsComponentsWriteThem() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(serve.url()
        + "/kubesim/v1/logs?follow=true&component=fault-injector")).build();
    HttpResponse<InputStream> resp = serve.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(resp.statusCode()).isEqualTo(200);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (l.contains("Network partition") && l.contains("w3-k8s")) {
              return l;
            }
          }
          return null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(kubesim.run("fault", "partition", "w3-k8s").exit()).isZero();
      try {
        assertThat(line.get(30, TimeUnit.SECONDS)).contains(" fault-injector] \"Network partition: node cut off from "
            + "the control plane\" node=\"w3-k8s\"");
      } finally {
        kubesim.run("fault", "heal", "w3-k8s");
      }
    }
  }

  @Test
  void explainSaysWhyThePodWentWhereItWent() throws Exception {
    kubectl.run("run", "explained1", "--image=nginx:1.27");
    KubesimCli.Result r = kubesim.run("explain", "pod", "explained1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Pod default/explained1: attempt 1, profile default-scheduler, at ")
        .containsPattern("Scheduled on w\\d-k8s \\(4 nodes, 4 evaluated, 3 feasible\\)")
        .containsPattern("\\* w\\d-k8s\\s+passed")
        .containsPattern("m-k8s\\s+TaintToleration: node\\(s\\) had untolerated taint "
            + "\\{node-role.kubernetes.io/control-plane: \\}");
    assertThat(kubesim.run("explain", "pod/explained1").out()).isEqualTo(r.out());
  }

  @Test
  void explainSaysWhenTheSchedulerHasNothingToSay() {
    KubesimCli.Result staticPod = kubesim.run("explain", "pod", "etcd-m-k8s", "-n", "kube-system");
    assertThat(staticPod.exit()).isEqualTo(1);
    assertThat(staticPod.err()).isEqualTo("error: the scheduler has no decision for pod kube-system/etcd-m-k8s: it did "
        + "not place it; it is the mirror of a static pod of m-k8s\n");
    KubesimCli.Result missing = kubesim.run("explain", "pod", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: pods \"nope\" not found\n");
  }
}
