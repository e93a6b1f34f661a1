package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real kubectl 1.35 against the whole emulated cluster (scheduler, controllers, kubelets and
 * their simulated containers) behind {@code kubesim serve}, with the clock paused and moved by the
 * test: pods reach Running, the kubelet's events, logs (once and followed), exec, rollout status,
 * drain through the Eviction API against a disruption budget and past a DaemonSet's pods, events,
 * and the server-side columns of services, endpoints, DaemonSets, Jobs, claims and ingresses.
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

  @Test
  void podsReachRunningAndWaitSeesThemReady() throws Exception {
    apply(pod("ready1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    assertThat(kubectl.ok("wait", "--for=condition=Ready", "pod/ready1", "--timeout=30s").out())
        .contains("pod/ready1 condition met");
    assertThat(kubectl.ok("get", "pod", "ready1").out()).containsPattern("ready1\\s+1/1\\s+Running\\s+0");
  }

  @Test
  void describePodShowsTheSchedulerAndKubeletEvents() throws Exception {
    // An image no other test uses, so that this node pulls it.
    apply(pod("described1", "sleep 3600", "").replace("busybox:1.36", "busybox:1.37"));
    serve.advance(Duration.ofSeconds(20));
    String out = kubectl.ok("describe", "pod", "described1").out();
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
    assertThat(kubectl.ok("logs", "hello1").out()).isEqualTo("hello\n");
    assertThat(kubectl.ok("logs", "hello1", "--timestamps").out())
        .matches("2026-01-01T00:\\d\\d:\\d\\d\\.\\d{9}Z hello\n");
  }

  @Test
  void logsFollowEndsWhenTheContainerExits() throws Exception {
    apply(pod("follow1", "echo start; sleep 20; echo done", "  restartPolicy: Never\n"));
    serve.advance(Duration.ofSeconds(10));
    Path out = dir.resolve("follow1.out");
    Process p = kubectl.start(out, "logs", "-f", "follow1");
    try {
      Kubectl.awaitOutput(out, s -> s.contains("start"));
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
    assertThat(kubectl.ok("exec", "exec1", "--", "env").out()).contains("HOSTNAME=exec1\n")
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
    kubectl.ok("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
    serve.advance(Duration.ofSeconds(30));
    assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=30s").out())
        .contains("deployment \"web\" successfully rolled out");
    kubectl.ok("set", "image", "deployment/web", "nginx=nginx:1.28");
    Kubectl.Result r = whileTheClockRuns(dir.resolve("rollout.out"), "rollout", "status", "deployment/web",
        "--timeout=60s");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("deployment \"web\" successfully rolled out");
    assertThat(kubectl.ok("get", "deployment", "web", "-o",
        "jsonpath={.status.updatedReplicas}/{.status.availableReplicas}")
        .out()).isEqualTo("2/2");
  }

  @Test
  void drainEvictsThroughTheEvictionApiAndWaitsForTheDisruptionBudget() throws Exception {
    kubectl.ok("create", "deployment", "guarded", "--image=nginx:1.27", "--replicas=2");
    serve.advance(Duration.ofSeconds(30));
    apply("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: guarded\nspec:\n  maxUnavailable: 0\n"
        + "  selector:\n    matchLabels:\n      app: guarded\n");
    String node = kubectl.ok("get", "pods", "-l", "app=guarded", "-o", "jsonpath={.items[0].spec.nodeName}").out();
    assertThat(node).matches("w\\d-k8s");

    Path out = dir.resolve("drain.out");
    Process drain = kubectl.start(out, "drain", node, "--ignore-daemonsets", "--force", "--timeout=90s");
    try {
      Kubectl.awaitOutput(out, s -> s.contains("error when evicting pods/\"guarded-")
          && s.contains("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."));
      assertThat(drain.isAlive()).as("drain keeps retrying on 429").isTrue();

      // Relax the budget; the disruption controller recomputes its status as the clock moves on.
      kubectl.ok("patch", "pdb", "guarded", "--type=merge", "-p", "{\"spec\":{\"maxUnavailable\":2}}");

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (drain.isAlive() && System.nanoTime() < deadline) {
        serve.advance(Duration.ofSeconds(1));
        drain.waitFor(50, TimeUnit.MILLISECONDS);
      }
      assertThat(drain.isAlive()).as("drain finished:\n%s", Files.readString(out)).isFalse();
      assertThat(drain.exitValue()).as(Files.readString(out)).isZero();
      assertThat(Files.readString(out)).contains("node/" + node + " cordoned").containsPattern("evicting pod "
          + "default/guarded-").containsPattern("pod/guarded-\\S+ evicted").contains("node/" + node + " drained");
      assertThat(kubectl.ok("get", "pods", "-l", "app=guarded", "--field-selector", "spec.nodeName=" + node).all())
          .contains("No resources found");
    } finally {
      drain.destroyForcibly();
      kubectl.ok("uncordon", node);
    }
  }

  private static String daemonSet(String name, String drill) {
    return "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n"
        + "    matchLabels: {app: " + name + "}\n  template:\n    metadata:\n      labels: {app: " + name + ", drill: "
        + drill + "}\n    spec:\n      containers:\n      - name: agent\n        image: busybox:1.36\n"
        + "        command: [\"sh\", \"-c\", \"sleep 3600\"]\n";
  }

  @Test
  void drainLeavesDaemonSetPodsAndWithForceDeletesPodsWithoutAController() throws Exception {
    apply(daemonSet("agent", "ds"));
    apply(pod("loner", "sleep 3600", "  nodeSelector:\n    kubernetes.io/hostname: w1-k8s\n")
        .replace("  name: loner\n", "  name: loner\n  labels: {drill: ds}\n"));
    serve.advance(Duration.ofSeconds(20));
    String agent = kubectl.ok("get", "pods", "-l", "app=agent", "--field-selector", "spec.nodeName=w1-k8s", "-o",
        "jsonpath={.items[0].metadata.name}").out();
    assertThat(agent).startsWith("agent-");
    try {
      Kubectl.Result r = whileTheClockRuns(dir.resolve("drain-ds.out"), "drain", "w1-k8s", "--ignore-daemonsets",
          "--force", "--pod-selector=drill=ds", "--timeout=60s");
      assertThat(r.exit()).as(r.out()).isZero();
      assertThat(r.out()).contains("node/w1-k8s cordoned")
          .containsPattern("Warning: .*ignoring DaemonSet-managed Pods: default/" + agent)
          .containsPattern("Warning: .*deleting Pods that declare no controller: default/loner")
          .contains("evicting pod default/loner").contains("pod/loner evicted").contains("node/w1-k8s drained")
          .doesNotContain("evicting pod default/" + agent);
      assertThat(kubectl.ok("get", "pod", agent).out()).containsPattern(agent + "\\s+1/1\\s+Running");
      assertThat(kubectl.run("get", "pod", "loner").err()).contains("pods \"loner\" not found");
    } finally {
      kubectl.ok("uncordon", "w1-k8s");
    }
  }

  @Test
  void getDaemonSetsPrintsDesiredCurrentReadyUpToDateAndAvailable() throws Exception {
    apply(daemonSet("logger", "none"));
    serve.advance(Duration.ofSeconds(20));
    // Three workers; the control-plane node's NoSchedule taint keeps the daemon off m-k8s.
    assertThat(kubectl.ok("get", "ds", "logger").out())
        .containsPattern("NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+NODE SELECTOR\\s+AGE")
        .containsPattern("logger\\s+3\\s+3\\s+3\\s+3\\s+3\\s+<none>\\s+\\d+s");
  }

  @Test
  void getJobsPrintsStatusCompletionsAndDuration() throws Exception {
    apply("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n"
        + "      restartPolicy: Never\n      containers:\n      - name: work\n        image: busybox:1.36\n"
        + "        command: [\"sh\", \"-c\", \"echo working; sleep 5\"]\n");
    assertThat(kubectl.ok("get", "jobs", "once").out())
        .containsPattern("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE")
        .containsPattern("once\\s+Running\\s+0/1\\s+");
    serve.advance(Duration.ofSeconds(40));
    assertThat(kubectl.ok("get", "jobs", "once").out()).containsPattern("once\\s+Complete\\s+1/1\\s+\\d+s\\s+40s");
  }

  @Test
  void getServicesPrintsTypeClusterIpExternalIpAndPorts() throws Exception {
    kubectl.ok("create", "service", "clusterip", "front", "--tcp=80:8080");
    kubectl.ok("create", "service", "nodeport", "front-np", "--tcp=80:8080");
    kubectl.ok("create", "service", "loadbalancer", "front-lb", "--tcp=443:8443");
    String ip = "\\d+\\.\\d+\\.\\d+\\.\\d+";
    assertThat(kubectl.ok("get", "svc", "front", "front-np", "front-lb").out())
        .containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE")
        .containsPattern("front\\s+ClusterIP\\s+" + ip + "\\s+<none>\\s+80/TCP\\s+")
        .containsPattern("front-np\\s+NodePort\\s+" + ip + "\\s+<none>\\s+80:3\\d{4}/TCP\\s+")
        .containsPattern("front-lb\\s+LoadBalancer\\s+" + ip + "\\s+<pending>\\s+443:3\\d{4}/TCP\\s+");
  }

  @Test
  void getEndpointsPrintsTheReadyAddressesAndTheDeprecationWarning() throws Exception {
    kubectl.ok("create", "deployment", "backend", "--image=nginx:1.27", "--replicas=2");
    kubectl.ok("create", "service", "clusterip", "backend", "--tcp=80:8080");
    serve.advance(Duration.ofSeconds(30));
    Kubectl.Result r = kubectl.ok("get", "endpoints", "backend");
    assertThat(r.err()).isEqualTo("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 "
        + "EndpointSlice\n");
    String address = "\\d+\\.\\d+\\.\\d+\\.\\d+:8080";
    assertThat(r.out()).containsPattern("NAME\\s+ENDPOINTS\\s+AGE")
        .containsPattern("backend\\s+" + address + "," + address + "\\s+\\d+s");
  }

  @Test
  void getPersistentVolumeClaimsPrintsTheBoundVolume() throws Exception {
    apply("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n"
        + "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n");
    serve.advance(Duration.ofSeconds(5));
    assertThat(kubectl.ok("get", "pvc", "data").out())
        .containsPattern("NAME\\s+STATUS\\s+VOLUME\\s+CAPACITY\\s+ACCESS MODES\\s+STORAGECLASS\\s+"
            + "VOLUMEATTRIBUTESCLASS\\s+AGE")
        .containsPattern("data\\s+Bound\\s+pvc-[0-9a-f-]{36}\\s+1Gi\\s+RWO\\s+standard\\s+<unset>\\s+\\d+s");
  }

  @Test
  void getIngressesPrintsClassHostsAddressAndPorts() throws Exception {
    apply("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: site\nspec:\n"
        + "  ingressClassName: nginx\n  tls:\n  - hosts: [site.example.com]\n  rules:\n  - host: site.example.com\n"
        + "    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n"
        + "          service: {name: front, port: {number: 80}}\n");
    // No ingress controller publishes an address, so ADDRESS is empty, as on a cluster without one.
    assertThat(kubectl.ok("get", "ingress", "site").out())
        .containsPattern("NAME\\s+CLASS\\s+HOSTS\\s+ADDRESS\\s+PORTS\\s+AGE")
        .containsPattern("site\\s+nginx\\s+site\\.example\\.com\\s+80, 443\\s+\\S+");
  }

  @Test
  void getEventsListsWhatTheComponentsRecorded() throws Exception {
    apply(pod("evented1", "sleep 3600", ""));
    serve.advance(Duration.ofSeconds(20));
    String out = kubectl.ok("get", "events", "--field-selector", "involvedObject.name=evented1").out();
    assertThat(out).containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern("Normal\\s+Scheduled\\s+pod/evented1\\s+Successfully assigned default/evented1 to w\\d-k8s")
        .containsPattern("Normal\\s+Started\\s+pod/evented1\\s+Started container app");
  }
}
