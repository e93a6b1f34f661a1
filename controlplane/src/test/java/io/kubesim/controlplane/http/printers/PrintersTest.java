package io.kubesim.controlplane.http.printers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server-side printing, case by case as kube-apiserver's printers.go prints them: the pod STATUS
 * column through init containers, crash loops, exits, deletion and lost nodes; node STATUS and
 * ROLES; deployment and event rows.
 */
class PrintersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  private static <T extends HasMetadata> T yaml(String text, Class<T> type) {
    return Json.YAML.readValue(text, type);
  }

  private static Pod pod(String spec, String status) {
    return yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n"
        + "  creationTimestamp: \"2026-01-01T00:00:00Z\"\n" + spec + status, Pod.class);
  }

  private static final String ONE = "spec:\n  containers:\n  - {name: app, image: busybox}\n";
  private static final String TWO_INITS = "spec:\n  initContainers:\n  - {name: i1, image: busybox}\n"
      + "  - {name: i2, image: busybox}\n  containers:\n  - {name: app, image: busybox}\n";

  private static String waiting(String name, String reason) {
    return "  - {name: " + name + ", ready: false, restartCount: 0, image: busybox, imageID: '', state: {waiting: "
        + "{reason: " + reason + "}}}\n";
  }

  private static String terminated(String name, String reason, int code) {
    return "  - {name: " + name + ", ready: false, restartCount: 0, image: busybox, imageID: '', state: {terminated: "
        + "{reason: " + reason + ", exitCode: " + code + "}}}\n";
  }

  private static String running(String name, boolean ready) {
    return "  - {name: " + name + ", ready: " + ready + ", restartCount: 0, image: busybox, imageID: '', state: "
        + "{running: {startedAt: \"2026-01-01T00:00:05Z\"}}}\n";
  }

  static Stream<Arguments> podStatuses() {
    return Stream.of(
        Arguments.of("first of two init containers waiting", pod(TWO_INITS, "status:\n  phase: Pending\n"
            + "  initContainerStatuses:\n" + waiting("i1", "PodInitializing") + waiting("i2", "PodInitializing")
            + "  containerStatuses:\n" + waiting("app", "PodInitializing")), "0/1", "Init:0/2"),
        Arguments.of("second init container running", pod(TWO_INITS, "status:\n  phase: Pending\n"
            + "  initContainerStatuses:\n" + terminated("i1", "Completed", 0) + running("i2", false)
            + "  containerStatuses:\n" + waiting("app", "PodInitializing")), "0/1", "Init:1/2"),
        Arguments.of("init container crash-looping", pod(TWO_INITS, "status:\n  phase: Pending\n"
            + "  initContainerStatuses:\n" + waiting("i1", "CrashLoopBackOff") + waiting("i2", "PodInitializing")
            + "  containerStatuses:\n" + waiting("app", "PodInitializing")), "0/1", "Init:CrashLoopBackOff"),
        Arguments.of("init container failed", pod(TWO_INITS, "status:\n  phase: Pending\n"
            + "  initContainerStatuses:\n" + terminated("i1", "Error", 1) + waiting("i2", "PodInitializing")),
            "0/1", "Init:Error"),
        Arguments.of("init done, app container starting", pod(TWO_INITS, "status:\n  phase: Pending\n"
            + "  conditions:\n  - {type: Initialized, status: 'True'}\n"
            + "  initContainerStatuses:\n" + terminated("i1", "Completed", 0) + terminated("i2", "Completed", 0)
            + "  containerStatuses:\n" + waiting("app", "PodInitializing")), "0/1", "PodInitializing"),
        Arguments.of("pulling the image", pod(ONE, "status:\n  phase: Pending\n  containerStatuses:\n"
            + waiting("app", "ContainerCreating")), "0/1", "ContainerCreating"),
        Arguments.of("running and ready", pod(ONE, "status:\n  phase: Running\n  conditions:\n"
            + "  - {type: Ready, status: 'True'}\n  containerStatuses:\n" + running("app", true)), "1/1", "Running"),
        Arguments.of("crash loop", pod(ONE, "status:\n  phase: Running\n  containerStatuses:\n"
            + waiting("app", "CrashLoopBackOff")), "0/1", "CrashLoopBackOff"),
        Arguments.of("exited 0 with restartPolicy Never", pod(ONE, "status:\n  phase: Succeeded\n  containerStatuses:\n"
            + terminated("app", "Completed", 0)), "0/1", "Completed"),
        Arguments.of("exited 1", pod(ONE, "status:\n  phase: Failed\n  containerStatuses:\n"
            + terminated("app", "Error", 1)), "0/1", "Error"),
        Arguments.of("killed by the kernel", pod(ONE, "status:\n  phase: Running\n  containerStatuses:\n"
            + terminated("app", "OOMKilled", 137)), "0/1", "OOMKilled"),
        Arguments.of("terminated without a reason", pod(ONE, "status:\n  phase: Failed\n  containerStatuses:\n"
            + "  - {name: app, ready: false, restartCount: 0, image: b, imageID: '', state: {terminated: "
            + "{exitCode: 2}}}\n"), "0/1", "ExitCode:2"),
        Arguments.of("one container done, the other running but the pod not ready",
            pod("spec:\n  containers:\n  - {name: a, image: b}\n  - {name: c, image: b}\n", "status:\n  phase: "
                + "Running\n  conditions:\n  - {type: Ready, status: 'False'}\n  containerStatuses:\n"
                + terminated("a", "Completed", 0) + running("c", true)), "1/2", "NotReady"),
        Arguments.of("being deleted", pod(ONE.replace("spec:", "spec:\n  terminationGracePeriodSeconds: 30"), "status:\n"
            + "  phase: Running\n  containerStatuses:\n" + running("app", true)).toBuilder().editMetadata()
            .withDeletionTimestamp("2026-01-01T00:59:50Z").endMetadata().build(), "1/1", "Terminating"),
        Arguments.of("deleted on a node that is lost", pod(ONE, "status:\n  phase: Running\n  reason: NodeLost\n"
            + "  containerStatuses:\n" + running("app", true)).toBuilder().editMetadata()
            .withDeletionTimestamp("2026-01-01T00:59:50Z").endMetadata().build(), "1/1", "Unknown"),
        Arguments.of("waiting for its scheduling gates", pod(ONE, "status:\n  phase: Pending\n  conditions:\n"
            + "  - {type: PodScheduled, status: 'False', reason: SchedulingGated}\n"), "0/1", "SchedulingGated"));
  }

  @ParameterizedTest(name = "{0}: {2} {3}")
  @MethodSource("podStatuses")
  void podReadyAndStatusColumns(String what, Pod pod, String ready, String status) {
    Row row = Printers.of(Resources.PODS).row(pod, NOW);
    assertThat(row.cells().get(1)).isEqualTo(ready);
    assertThat(row.cells().get(2)).isEqualTo(status);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podStatuses")
  void finishedPodsCarryACompletedRowCondition(String what, Pod pod, String ready, String status) {
    Row row = Printers.of(Resources.PODS).row(pod, NOW);
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
    assertThat(row.conditions()).hasSize(finished ? 1 : 0);
  }

  @org.junit.jupiter.api.Test
  void restartsShowWhenTheLastOneWas() {
    Pod p = pod(ONE, "status:\n  phase: Running\n  containerStatuses:\n  - {name: app, ready: false, restartCount: 4, "
        + "image: b, imageID: '', state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, "
        + "reason: Error, finishedAt: \"2026-01-01T00:59:20Z\"}}}\n");
    assertThat(Printers.of(Resources.PODS).row(p, NOW).cells()).containsExactly("p", "0/1", "CrashLoopBackOff",
        "4 (40s ago)", "60m", "<none>", "<none>", "<none>", "<none>");
  }

  private static Node node(String extra) {
    return yaml("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n"
        + "  labels: {node-role.kubernetes.io/control-plane: '', kubernetes.io/hostname: n1}\n" + extra, Node.class);
  }

  static Stream<Arguments> nodeStatuses() {
    String ready = "status:\n  conditions:\n  - {type: Ready, status: 'True'}\n";
    return Stream.of(
        Arguments.of("ready", node(ready), "Ready"),
        Arguments.of("cordoned", node("spec:\n  unschedulable: true\n" + ready), "Ready,SchedulingDisabled"),
        Arguments.of("not ready", node("status:\n  conditions:\n  - {type: Ready, status: 'False'}\n"), "NotReady"),
        Arguments.of("unreachable and cordoned", node("spec:\n  unschedulable: true\nstatus:\n  conditions:\n"
            + "  - {type: Ready, status: Unknown}\n"), "NotReady,SchedulingDisabled"),
        Arguments.of("never reported", node(""), "Unknown"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("nodeStatuses")
  void nodeStatusColumn(String what, Node node, String status) {
    Row row = Printers.of(Resources.NODES).row(node, NOW);
    assertThat(row.cells().get(1)).isEqualTo(status);
    assertThat(row.cells().get(2)).isEqualTo("control-plane");
  }

  @org.junit.jupiter.api.Test
  void nodeWideColumnsComeFromItsStatus() {
    Node n = node("status:\n  conditions:\n  - {type: Ready, status: 'True'}\n  addresses:\n"
        + "  - {type: InternalIP, address: 192.168.1.101}\n  nodeInfo: {kubeletVersion: v1.34.0, osImage: Ubuntu 24.04, "
        + "kernelVersion: 6.8.0, containerRuntimeVersion: 'containerd://1.7.27', machineID: '', systemUUID: '', "
        + "bootID: '', kubeProxyVersion: '', operatingSystem: linux, architecture: amd64}\n");
    assertThat(Printers.of(Resources.NODES).row(n, NOW).cells()).containsExactly("n1", "Ready", "control-plane",
        "60m", "v1.34.0", "192.168.1.101", "<none>", "Ubuntu 24.04", "6.8.0", "containerd://1.7.27");
  }

  @org.junit.jupiter.api.Test
  void deploymentRowCountsReadyUpdatedAndAvailableReplicas() {
    Deployment d = yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
        + "  creationTimestamp: \"2026-01-01T00:55:00Z\"\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n"
        + "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n"
        + "      - {name: nginx, image: 'nginx:1.27'}\n      - {name: log, image: busybox}\n"
        + "status:\n  replicas: 3\n  readyReplicas: 2\n  updatedReplicas: 1\n  availableReplicas: 2\n", Deployment.class);
    assertThat(Printers.of(Resources.DEPLOYMENTS).row(d, NOW).cells()).containsExactly("web", "2/3", 1L, 2L, "5m",
        "nginx,log", "nginx:1.27,busybox", "app=web");
  }

  @org.junit.jupiter.api.Test
  void eventRowNamesTheObjectAndTheReporter() {
    Event e = yaml("apiVersion: v1\nkind: Event\nmetadata:\n  name: p.1\n  namespace: default\ninvolvedObject:\n"
        + "  {kind: Pod, name: p, namespace: default, fieldPath: 'spec.containers{app}'}\nreason: Pulled\n"
        + "message: 'Container image \"nginx\" already present on machine'\ntype: Normal\nsource: {component: kubelet, "
        + "host: w1-k8s}\nfirstTimestamp: \"2026-01-01T00:50:00Z\"\nlastTimestamp: \"2026-01-01T00:58:00Z\"\ncount: 3\n",
        Event.class);
    assertThat(Printers.of(Resources.EVENTS).row(e, NOW).cells()).containsExactly("2m", "Normal", "Pulled", "pod/p",
        "spec.containers{app}", "kubelet, w1-k8s", "Container image \"nginx\" already present on machine", "10m", 3L,
        "p.1");
  }

  @org.junit.jupiter.api.Test
  void everyPrinterHasAsManyCellsAsColumns() {
    for (var pair : List.of(List.<Object>of(Resources.PODS, pod(ONE, "")), List.<Object>of(Resources.NODES, node("")))) {
      Printer p = Printers.of((io.kubesim.shared.api.ResourceType) pair.get(0));
      assertThat(p.row((HasMetadata) pair.get(1), NOW).cells()).hasSameSizeAs(p.columns());
    }
  }
}
