package io.kubesim.controlplane.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.shared.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The dotted paths of {@code object} expectations: keys, bracketed keys, list indexes and list elements by field. */
class ObjectFieldPathTest {

  private static final JsonNode RS = Json.YAML.readTree("metadata:\n  name: web\n"
      + "  annotations: {deployment.kubernetes.io/revision: \"2\"}\n"
      + "spec:\n  template:\n    spec:\n      containers:\n      - {name: app, image: nginx}\n"
      + "      - {name: side, image: busybox}\n"
      + "status:\n  conditions:\n  - {type: ReplicaFailure, status: \"True\", reason: FailedCreate}\n");

  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of("metadata.name", "web"),
        Arguments.of("metadata.annotations[deployment.kubernetes.io/revision]", "2"),
        Arguments.of("spec.template.spec.containers[1].image", "busybox"),
        Arguments.of("spec.template.spec.containers[name=app].image", "nginx"),
        Arguments.of("status.conditions[type=ReplicaFailure].reason", "FailedCreate"),
        Arguments.of("status.conditions[type=Available].reason", null),
        Arguments.of("spec.template.spec.containers[7].image", null),
        Arguments.of("status.replicas", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void findsTheValueAtThePath(String path, String expected) {
    JsonNode v = Expectations.at(RS, path);
    assertThat(v == null || v.isMissingNode() || v.isNull() ? null : v.asString()).isEqualTo(expected);
  }
}
