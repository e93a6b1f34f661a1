package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real kubectl 1.35 against the whole emulated cluster (scheduler, controllers, kubelets and
 * their simulated containers) behind {@code kubesim serve}, with the clock paused and moved by the
 * test: pods reach Running, the kubelet's events, logs (once and followed), exec, rollout status,
 * drain through the Eviction API against a disruption budget, events.
 */
class KubectlWorkloadsTest {

  private static ServeFixture serve;
  private static Kubectl kubectl;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    serve = ServeFixture.start(true);
    dir = Files.createTempDirectory("kubesim-workloads");
    kubectl = new Kubectl(serve.kubeconfig(dir.resolve("kubeconfig")), dir.resolve("cache"));
    Kubectl.binary();
  }

  @AfterAll
  static void stop() {
    serve.close();
  }

  private static Kubectl.Result ok(String... args) throws Exception {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
    return r;
  }

  private static void apply(String yaml) throws Exception {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exit()).as(r.all()).isZero();
  }

  private static String pod(String name, String command, String extraSpec) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + extraSpec
        + "  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", " + quote(command)
        + "]\n    env:\n    - name: GREETING\n      value: hello from " + name + "\n";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Starts kubectl, and moves the clock on a second at a time while it runs, as if the cluster ran ahead. */
  private static Kubectl.Result whileTheClockRuns(Path out, String... args) throws Exception {
    Process p = kubectl.start(out, args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (p.isAlive() && System.nanoTime() < deadline) {
      serve.advance(Duration.ofSeconds(1));
      p.waitFor(50, TimeUnit.MILLISECONDS);
    }
    if (p.isAlive()) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
    }
    return new Kubectl.Result(p.exitValue(), Files.readString(out), "");
  }

  private static void waitFor(Path file, Predicate<String> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && condition.test(Files.readString(file))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not met; output so far:\n" + Files.readString(file));
  }

  @Test
  void podsReachRunningAndWaitSeesThemReady() throws Exception {
    apply(pod("ready1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    assertThat(ok("wait", "--for=condition=Ready", "pod/ready1", "--timeout=30s").out())
        .contains("pod/ready1 condition met");
    assertThat(ok("get", "pod", "ready1").out()).containsPattern("ready1\\s+1/1\\s+Running\\s+0");
  }

  @Test
  void describePodShowsTheSchedulerAndKubeletEvents() throws Exception {
    // An image no other test uses, so that this node pulls it.
    apply(pod("described1", "sleep 3600", "").replace("busybox:1.36", "busybox:1.37"));
    serve.advance(Duration.ofSeconds(20));
    String out = ok("describe", "pod", "described1").out();
    // kubectl 1.35 prefixes a kubelet event's message with the container's field path.
    String kubelet = "\\s+\\S+\\s+kubelet\\s+(spec.containers\\{app\\}: )?";
    assertThat(out).containsPattern("Status:\\s+Running")
        .containsPattern("Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned "
            + "default/described1 to w\\d-k8s")
        .containsPattern("Normal\\s+Pulling" + kubelet + "Pulling image \"busybox:1.37\"")
        .containsPattern("Normal\\s+Pulled" + kubelet + "Successfully pulled image \"busybox:1.37\" in ")
        .containsPattern("Normal\\s+Created" + kubelet + "Created container: app")
        .containsPattern("Normal\\s+Started" + kubelet + "Started container app");
  }

  @Test
  void logsPrintWhatTheContainerWrote() throws Exception {
    apply(pod("hello1", "echo hello; sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    assertThat(ok("logs", "hello1").out()).isEqualTo("hello\n");
    assertThat(ok("logs", "hello1", "--timestamps").out())
        .matches("2026-01-01T00:\\d\\d:\\d\\d\\.\\d{9}Z hello\n");
  }

  @Test
  void logsFollowEndsWhenTheContainerExits() throws Exception {
    apply(pod("follow1", "echo start; sleep 20; echo done", "  restartPolicy: Never\n"));
    serve.advance(Duration.ofSeconds(10));
    Path out = dir.resolve("follow1.out");
    Process p = kubectl.start(out, "logs", "-f", "follow1");
    try {
      waitFor(out, s -> s.contains("start"));
      assertThat(p.isAlive()).as("logs -f keeps following a running container").isTrue();
      serve.advance(Duration.ofSeconds(30));
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("logs -f ends when the container exits").isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readString(out)).isEqualTo("start\ndone\n");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void logsOfAContainerStillBeingCreatedSayWhy() throws Exception {
    // An image no node has yet: its pull takes a few (virtual) seconds.
    apply(pod("slow1", "sleep 3600", "").replace("busybox:1.36", "busybox:1.35"));
    serve.advance(Duration.ofSeconds(2));
    Kubectl.Result r = kubectl.run("logs", "slow1");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Error from server (BadRequest): container \"app\" in pod \"slow1\" is waiting to "
        + "start: ContainerCreating");
  }

  @Test
  void execEnvPrintsTheContainersEnvironment() throws Exception {
    apply(pod("exec1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    assertThat(ok("exec", "exec1", "--", "env").out()).contains("HOSTNAME=exec1\n")
        .contains("GREETING=hello from exec1\n").contains("PATH=/usr/local/sbin:");
  }

  @Test
  void execReportsTheCommandsExitCode() throws Exception {
    apply(pod("exec2", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    Kubectl.Result r = kubectl.run("exec", "exec2", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("out\n");
    assertThat(r.err()).contains("err\n").contains("command terminated with exit code 3");
  }

  @Test
  void execRunsAScriptFromStdinInAShell() throws Exception {
    apply(pod("exec3", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    Kubectl.Result r = kubectl.runWithInput("echo one\nhostname\nexit 4\n", "exec", "-i", "exec3", "--", "sh");
    assertThat(r.out()).isEqualTo("one\nexec3\n");
    assertThat(r.exit()).isEqualTo(4);
  }

  @Test
  void portForwardIsRefusedWithAClearMessage() throws Exception {
    apply(pod("pf1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    Kubectl.Result r = kubectl.run("port-forward", "pod/pf1", "18080:80");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("port-forward is not supported by kubesim");
  }

  @Test
  void rolloutStatusFinishesOnceTheNewPodsAreAvailable() throws Exception {
    ok("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
    serve.advance(Duration.ofSeconds(30));
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=30s").out())
        .contains("deployment \"web\" successfully rolled out");
    ok("set", "image", "deployment/web", "nginx=nginx:1.28");
    Kubectl.Result r = whileTheClockRuns(dir.resolve("rollout.out"), "rollout", "status", "deployment/web",
        "--timeout=60s");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("deployment \"web\" successfully rolled out");
    assertThat(ok("get", "deployment", "web", "-o", "jsonpath={.status.updatedReplicas}/{.status.availableReplicas}")
        .out()).isEqualTo("2/2");
  }

  @Test
  void drainEvictsThroughTheEvictionApiAndWaitsForTheDisruptionBudget() throws Exception {
    ok("create", "deployment", "guarded", "--image=nginx:1.27", "--replicas=2");
    serve.advance(Duration.ofSeconds(30));
    apply("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: guarded\nspec:\n  maxUnavailable: 0\n"
        + "  selector:\n    matchLabels:\n      app: guarded\n");
    String node = ok("get", "pods", "-l", "app=guarded", "-o", "jsonpath={.items[0].spec.nodeName}").out();
    assertThat(node).matches("w\\d-k8s");

    Path out = dir.resolve("drain.out");
    Process drain = kubectl.start(out, "drain", node, "--ignore-daemonsets", "--force", "--timeout=90s");
    try {
      waitFor(out, s -> s.contains("error when evicting pods/\"guarded-") && s.contains("(will retry after 5s): "
          + "Cannot evict pod as it would violate the pod's disruption budget."));
      assertThat(drain.isAlive()).as("drain keeps retrying on 429").isTrue();

      // Relax the budget. This cluster runs no disruption controller yet, so the test also writes
      // the status that controller would compute for the relaxed budget.
      ok("patch", "pdb", "guarded", "--type=merge", "-p", "{\"spec\":{\"maxUnavailable\":2}}");
      String generation = ok("get", "pdb", "guarded", "-o", "jsonpath={.metadata.generation}").out();
      ok("patch", "pdb", "guarded", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"observedGeneration\":"
          + generation + ",\"disruptionsAllowed\":2,\"currentHealthy\":2,\"desiredHealthy\":0,\"expectedPods\":2}}");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (drain.isAlive() && System.nanoTime() < deadline) {
        serve.advance(Duration.ofSeconds(1));
        drain.waitFor(50, TimeUnit.MILLISECONDS);
      }
      assertThat(drain.isAlive()).as("drain finished:\n%s", Files.readString(out)).isFalse();
      assertThat(drain.exitValue()).as(Files.readString(out)).isZero();
      assertThat(Files.readString(out)).contains("node/" + node + " cordoned").containsPattern("evicting pod "
          + "default/guarded-").containsPattern("pod/guarded-\\S+ evicted").contains("node/" + node + " drained");
      assertThat(ok("get", "pods", "-l", "app=guarded", "--field-selector", "spec.nodeName=" + node).all())
          .contains("No resources found");
    } finally {
      drain.destroyForcibly();
      ok("uncordon", node);
    }
  }

  @Test
  void getEventsListsWhatTheComponentsRecorded() throws Exception {
    apply(pod("evented1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    String out = ok("get", "events", "--field-selector", "involvedObject.name=evented1").out();
    assertThat(out).containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern("Normal\\s+Scheduled\\s+pod/evented1\\s+Successfully assigned default/evented1 to w\\d-k8s")
        .containsPattern("Normal\\s+Started\\s+pod/evented1\\s+Started container app");
  }
}
