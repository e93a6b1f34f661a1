package io.kubesim.controlplane.controller.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatefulSetPlanTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  private static final StatefulSetPlan.Revisions REVS = revisions();

  private static StatefulSetPlan.Revisions revisions() {
    StatefulSet s = StatefulSetControllerTest.web(1, null);
    return new StatefulSetPlan.Revisions("web-old", s.getSpec().getTemplate(), "web-new", s.getSpec().getTemplate());
  }

  /**
   * A pod from a short code: ordinal, then R (Running and Ready), P (Pending), T (terminating,
   * Running), F (Failed); a trailing o marks the old revision.
   */
  private static Pod pod(String code) {
    int ordinal = Integer.parseInt(code.replaceAll("[^0-9]", ""));
    String state = code.replaceAll("[0-9o]", "");
    boolean old = code.endsWith("o");
    PodBuilder b = new PodBuilder().withNewMetadata().withName("web-" + ordinal).withNamespace("default")
        .addToLabels(StatefulPods.REVISION_LABEL, old ? "web-old" : "web-new").endMetadata();
    switch (state) {
      case "R" -> b.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
          .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().endStatus();
      case "T" -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:09:00Z").endMetadata().withNewStatus()
          .withPhase("Running").endStatus();
      case "F" -> b.withNewStatus().withPhase("Failed").endStatus();
      default -> b.withNewStatus().withPhase("Pending").endStatus();
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} replicas={1} pods [{2}] -> {3}")
  @CsvSource(delimiter = '|', value = {
      // policy     | replicas | pods          | steps
      "OrderedReady | 3        | ''            | create web-0",
      "OrderedReady | 3        | 0R            | create web-1",
      "OrderedReady | 3        | 0P            | ''",
      "OrderedReady | 3        | 0R 1T         | ''",
      "OrderedReady | 3        | 0R 1R 2R      | ''",
      "OrderedReady | 3        | 0F 1R         | delete web-0",
      "OrderedReady | 1        | 0R 1R 2R      | delete web-2",
      "OrderedReady | 1        | 0R 1R 2T      | ''",
      "OrderedReady | 1        | 0P 1R 2R      | ''",
      // The first unhealthy pod may be removed by a scale-down.
      "OrderedReady | 2        | 0R 1R 2P      | delete web-2",
      "Parallel     | 3        | ''            | create web-0, create web-1, create web-2",
      "Parallel     | 3        | 0P            | create web-1, create web-2",
      "Parallel     | 1        | 0P 1R 2R      | delete web-2, delete web-1",
      "OrderedReady | 3        | 0Ro 1Ro 2Ro   | delete web-2",
      "OrderedReady | 3        | 0Ro 1Ro 2R    | delete web-1",
      "OrderedReady | 3        | 0Ro 1Ro 2P    | ''",
  })
  void thePassCreatesAndDeletesInOrdinalOrder(String policy, int replicas, String pods, String expected) {
    StatefulSet set = StatefulSetControllerTest.web(replicas, policy);
    List<Pod> list = new ArrayList<>();
    for (String code : pods.isBlank() ? new String[0] : pods.trim().split("\\s+")) {
      list.add(pod(code));
    }
    StatefulSetPlan.Plan plan = StatefulSetPlan.plan(set, list, REVS, NOW);
    List<String> steps = plan.steps().stream()
        .map(s -> s.action().name().toLowerCase() + " " + s.podName()).toList();
    assertThat(String.join(", ", steps)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "partition {0}, ordinal {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "0 | 0 | web-new",
      "2 | 1 | web-old",
      "2 | 2 | web-new",
  })
  void aNewPodBelowThePartitionIsMadeFromTheCurrentRevision(int partition, int ordinal, String revision) {
    StatefulSet set = StatefulSetControllerTest.web(3, null);
    set.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
        .withType("RollingUpdate").withNewRollingUpdate().withPartition(partition).endRollingUpdate().build());
    assertThat(StatefulPods.revisionOf(StatefulSetPlan.versionedPod(set, REVS, ordinal))).isEqualTo(revision);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "web-0    | 0",
      "web-12   | 12",
      "web      | -1",
      "web-x    | -1",
      "my-db-3  | 3",
  })
  void theOrdinalIsTheNumberAfterTheLastDash(String name, int ordinal) {
    assertThat(StatefulPods.ordinal(new PodBuilder().withNewMetadata().withName(name).endMetadata().build()))
        .isEqualTo(ordinal);
  }
}
