package io.kubesim.controlplane.controller.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisruptionBudgetsTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  private static IntOrString v(String s) {
    if (s == null) {
      return null;
    }
    return s.endsWith("%") ? new IntOrString(s) : new IntOrString(Integer.parseInt(s));
  }

  private static List<Pod> pods(int n, String owner) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PodBuilder b = new PodBuilder().withNewMetadata().withName("p" + i).endMetadata();
      if (owner != null) {
        b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName(owner)
            .withUid(owner).withController(true).build()).endMetadata();
      }
      out.add(b.build());
    }
    return out;
  }

  private static PodDisruptionBudget pdb(String min, String max) {
    return new PodDisruptionBudgetBuilder().withNewMetadata().withName("b").endMetadata().withNewSpec()
        .withMinAvailable(v(min)).withMaxUnavailable(v(max)).endSpec().build();
  }

  @ParameterizedTest(name = "minAvailable {0}, maxUnavailable {1}, {2} pods of a controller scaled to {3} -> expected {4}, desired {5}")
  @CsvSource({
      "2,,   3, 5, 3, 2",     // an integer minAvailable counts the pods, not the scale
      "50%,, 3, 5, 5, 3",     // ceil(2.5)
      ",1,   3, 5, 5, 4",
      ",50%, 3, 5, 5, 2",     // ceil(2.5) = 3 unavailable
      ",100%, 3, 4, 4, 0",
      ",7,   3, 4, 4, 0",     // never below zero
  })
  void expectedAndDesiredCounts(String min, String max, int podCount, int scale, int expected, int desired) {
    DisruptionBudgets.Counts c = DisruptionBudgets.expected(pdb(min, max), pods(podCount, "rs"),
        ref -> new DisruptionBudgets.ControllerScale("deploy", scale));
    assertThat(c.error()).isNull();
    assertThat(c.expectedPods()).isEqualTo(expected);
    assertThat(c.desiredHealthy()).isEqualTo(desired);
  }

  @Test
  void podsWithoutAControllerAreUnmanaged() {
    DisruptionBudgets.Counts c = DisruptionBudgets.expected(pdb("50%", null), pods(2, null), ref -> null);
    assertThat(c.unmanagedPods()).containsExactly("p0", "p1");
    assertThat(c.expectedPods()).isZero();
  }

  @Test
  void aControllerThatCannotBeFoundIsAnError() {
    DisruptionBudgets.Counts c = DisruptionBudgets.expected(pdb(null, "1"), pods(1, "rs"), ref -> null);
    assertThat(c.error()).isEqualTo("found no controllers for pod \"p0\"");
  }

  @ParameterizedTest(name = "healthy {0}, desired {1}, expected {2} -> {3}")
  @CsvSource({"3, 2, 3, 1", "2, 2, 3, 0", "1, 2, 3, 0", "3, 0, 0, 0"})
  void disruptionsAllowed(int healthy, int desired, int expected, int allowed) {
    assertThat(DisruptionBudgets.disruptionsAllowed(healthy, desired, expected)).isEqualTo(allowed);
  }

  @Test
  void anEvictedPodStaysDisruptedForTheTimeoutThenIsOverdue() {
    PodDisruptionBudget b = new PodDisruptionBudgetBuilder(pdb("1", null)).withNewStatus()
        .withDisruptedPods(Map.of("p0", "2026-01-01T00:59:00Z", "p1", "2026-01-01T00:57:00Z")).endStatus().build();
    DisruptionBudgets.Disrupted d = DisruptionBudgets.disrupted(b, pods(2, "rs"), NOW, Duration.ofMinutes(2));
    assertThat(d.pods()).containsOnlyKeys("p0");
    assertThat(d.overdue()).containsExactly("p1");
    assertThat(d.recheck()).isEqualTo(Instant.parse("2026-01-01T01:01:00Z"));
  }
}
