package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decisions of pods/log: which container, whether the kubelet serves its log, how lines are written. */
class PodLogsTest {

  private static Pod pod(String yaml) {
    return Json.YAML.readValue("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n" + yaml,
        Pod.class);
  }

  private static final Pod TWO = pod("spec:\n  initContainers:\n  - {name: setup, image: b}\n  containers:\n"
      + "  - {name: app, image: b}\n  - {name: sidecar, image: b}\n");

  @Test
  void theOnlyContainerIsTheDefault() {
    assertThat(PodLogs.container(pod("spec:\n  containers:\n  - {name: app, image: b}\n"), null)).isEqualTo("app");
  }

  @Test
  void severalContainersNeedOneNamedAndTheErrorListsThemAll() {
    assertThatThrownBy(() -> PodLogs.container(TWO, ""))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.status.getMessage())
            .isEqualTo("a container name must be specified for pod p, choose one of: [setup app sidecar]"));
  }

  @Test
  void theDefaultContainerAnnotationPicksOne() {
    Pod p = TWO.toBuilder().editMetadata().addToAnnotations(PodLogs.DEFAULT_CONTAINER, "sidecar").endMetadata().build();
    assertThat(PodLogs.container(p, null)).isEqualTo("sidecar");
  }

  @Test
  void anUnknownContainerIsNotValid() {
    assertThatThrownBy(() -> PodLogs.container(TWO, "nope"))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.status.getCode()).isEqualTo(400);
          assertThat(e.status.getMessage()).isEqualTo("container nope is not valid for pod p");
        });
    assertThat(PodLogs.container(TWO, "setup")).isEqualTo("setup");
  }

  private static String status(String state, String lastState) {
    return "spec:\n  containers:\n  - {name: app, image: b}\nstatus:\n  containerStatuses:\n  - {name: app, ready: false, "
        + "restartCount: 0, image: b, imageID: '', state: " + state + (lastState == null ? "" : ", lastState: "
        + lastState) + "}\n";
  }

  static Stream<Arguments> kubeletRefusals() {
    String crashed = "{terminated: {exitCode: 1, containerID: 'containerd://c1'}}";
    return Stream.of(
        Arguments.of("running", status("{running: {}}", null), false, null),
        Arguments.of("creating", status("{waiting: {reason: ContainerCreating}}", null), false,
            "container \"app\" in pod \"p\" is waiting to start: ContainerCreating"),
        Arguments.of("image pull failing", status("{waiting: {reason: ErrImagePull}}", null), false,
            "container \"app\" in pod \"p\" is waiting to start: image can't be pulled"),
        Arguments.of("image pull backing off", status("{waiting: {reason: ImagePullBackOff}}", null), false,
            "container \"app\" in pod \"p\" is waiting to start: trying and failing to pull image"),
        Arguments.of("crash loop shows the last run", status("{waiting: {reason: CrashLoopBackOff}}", crashed), false,
            null),
        Arguments.of("no status yet", "spec:\n  containers:\n  - {name: app, image: b}\n", false,
            "container \"app\" in pod \"p\" is not available"),
        Arguments.of("previous of a first run", status("{running: {}}", null), true,
            "previous terminated container \"app\" in pod \"p\" not found"),
        Arguments.of("previous after a crash", status("{running: {}}", crashed), true, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubeletRefusals")
  void theKubeletServesALogOnlyForAContainerThatRan(String what, String yaml, boolean previous, String refusal) {
    assertThat(PodLogs.kubeletRefusal(pod(yaml), "app", previous)).isEqualTo(refusal);
  }

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final List<ClusterProxy.LogLine> LINES = List.of(
      new ClusterProxy.LogLine(T0.plusSeconds(10), "stdout", "one"),
      new ClusterProxy.LogLine(T0.plusSeconds(20), "stderr", "two"),
      new ClusterProxy.LogLine(T0.plusSeconds(30).plusNanos(5_000), "stdout", "three"));

  private static String write(PodLogs.Options o, Instant now, Long tail) {
    return new String(new PodLogs.Writer(o, now).writeAll(PodLogs.tail(LINES, tail)), StandardCharsets.UTF_8);
  }

  private static PodLogs.Options options(boolean timestamps, Long limitBytes, Long sinceSeconds) {
    return new PodLogs.Options(null, false, false, timestamps, null, limitBytes, sinceSeconds, null);
  }

  @Test
  void linesAreWrittenWithTheirNewlines() {
    assertThat(write(options(false, null, null), T0.plusSeconds(60), null)).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void timestampsHaveNineFractionalDigitsAsTheKubeletWritesThem() {
    assertThat(write(options(true, null, null), T0.plusSeconds(60), 1L))
        .isEqualTo("2026-01-01T00:00:30.000005000Z three\n");
  }

  @Test
  void tailKeepsTheLastLines() {
    assertThat(write(options(false, null, null), T0.plusSeconds(60), 2L)).isEqualTo("two\nthree\n");
    assertThat(write(options(false, null, null), T0.plusSeconds(60), 0L)).isEmpty();
  }

  @Test
  void limitBytesCutsInTheMiddleOfALine() {
    assertThat(write(options(false, 6L, null), T0.plusSeconds(60), null)).isEqualTo("one\ntw");
  }

  @Test
  void sinceSecondsCountsBackFromTheVirtualNow() {
    assertThat(write(options(false, null, 40L), T0.plusSeconds(60), null)).isEqualTo("two\nthree\n");
  }
}
