package io.kubesim.controlplane.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.shared.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** LimitRanger's defaulting and its messages (plugin/pkg/admission/limitranger/admission.go). */
class LimitRangerTest {

  static LimitRange range(String items) {
    return Json.YAML.readValue("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: default}\n"
        + "spec:\n  limits:\n" + items, LimitRange.class);
  }

  static Pod pod(String resources) {
    return Json.YAML.readValue("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n"
        + "  containers:\n  - name: app\n    image: nginx\n    resources: {" + resources + "}\n", Pod.class);
  }

  static final LimitRange DEFAULTS = range("  - type: Container\n    default: {cpu: 500m, memory: 256Mi}\n"
      + "    defaultRequest: {cpu: 250m, memory: 128Mi}\n");

  private static String res(Container c, String kind, String name) {
    var m = "limits".equals(kind) ? c.getResources().getLimits() : c.getResources().getRequests();
    return m == null || m.get(name) == null ? null : m.get(name).toString();
  }

  @Test
  void missingRequestsAndLimitsComeFromTheDefaults() {
    Pod p = pod("");
    LimitRanger.mutatePod(p, List.of(DEFAULTS));
    Container c = p.getSpec().getContainers().get(0);
    assertThat(res(c, "limits", "cpu")).isEqualTo("500m");
    assertThat(res(c, "limits", "memory")).isEqualTo("256Mi");
    assertThat(res(c, "requests", "cpu")).isEqualTo("250m");
    assertThat(res(c, "requests", "memory")).isEqualTo("128Mi");
    assertThat(p.getMetadata().getAnnotations()).containsEntry("kubernetes.io/limit-ranger",
        "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app");
  }

  @Test
  void whatTheContainerDeclaresIsKept() {
    Pod p = pod("requests: {cpu: 100m}, limits: {memory: 1Gi}");
    LimitRanger.mutatePod(p, List.of(DEFAULTS));
    Container c = p.getSpec().getContainers().get(0);
    assertThat(res(c, "requests", "cpu")).isEqualTo("100m");
    assertThat(res(c, "limits", "memory")).isEqualTo("1Gi");
    assertThat(res(c, "limits", "cpu")).isEqualTo("500m");
    assertThat(p.getMetadata().getAnnotations()).containsEntry("kubernetes.io/limit-ranger",
        "LimitRanger plugin set: memory request for container app; cpu limit for container app");
  }

  @Test
  void aPodThatGetsNothingCarriesNoAnnotation() {
    Pod p = pod("requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}");
    LimitRanger.mutatePod(p, List.of(DEFAULTS));
    assertThat(p.getMetadata().getAnnotations()).doesNotContainKey(LimitRanger.ANNOTATION);
  }

  static Stream<Arguments> violations() {
    String bounds = "  - type: Container\n    max: {cpu: \"1\", memory: 1Gi}\n    min: {cpu: 100m}\n"
        + "    maxLimitRequestRatio: {cpu: \"4\"}\n";
    return Stream.of(
        Arguments.of("a limit over the maximum", bounds, "requests: {cpu: 500m}, limits: {cpu: \"2\", memory: 1Gi}",
            "maximum cpu usage per Container is 1, but limit is 2"),
        Arguments.of("a request under the minimum", bounds, "requests: {cpu: 50m}, limits: {cpu: 100m, memory: 1Gi}",
            "minimum cpu usage per Container is 100m, but request is 50m"),
        Arguments.of("no limit where a maximum is set", bounds, "requests: {cpu: 500m}, limits: {cpu: \"1\"}",
            "maximum memory usage per Container is 1Gi.  No limit is specified"),
        Arguments.of("a limit too far above the request", bounds,
            "requests: {cpu: 200m}, limits: {cpu: \"1\", memory: 1Gi}",
            "cpu max limit to request ratio per Container is 4, but provided ratio is 5.000000"),
        Arguments.of("two errors are listed together", bounds, "requests: {cpu: 50m}, limits: {cpu: \"2\", memory: 1Gi}",
            "[minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 1, "
                + "but limit is 2, cpu max limit to request ratio per Container is 4, but provided ratio is 40.000000]"),
        Arguments.of("the sum over a Pod", "  - type: Pod\n    max: {cpu: 300m}\n",
            "requests: {cpu: 200m}, limits: {cpu: 400m}", "maximum cpu usage per Pod is 300m, but limit is 400m"),
        Arguments.of("within every bound", bounds, "requests: {cpu: 500m}, limits: {cpu: \"1\", memory: 1Gi}", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void refusesAPodWithKubernetesMessage(String what, String items, String resources, String message) {
    assertThat(LimitRanger.validatePod(pod(resources), List.of(range(items)))).isEqualTo(message);
  }

  @Test
  void aClaimIsHeldToTheStorageBounds() {
    LimitRange lr = range("  - type: PersistentVolumeClaim\n    min: {storage: 1Gi}\n    max: {storage: 5Gi}\n");
    PersistentVolumeClaim small = Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: "
        + "{name: d, namespace: default}\nspec:\n  resources: {requests: {storage: 500Mi}}\n",
        PersistentVolumeClaim.class);
    assertThat(LimitRanger.validatePvc(small, List.of(lr)))
        .isEqualTo("minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi");
  }
}
