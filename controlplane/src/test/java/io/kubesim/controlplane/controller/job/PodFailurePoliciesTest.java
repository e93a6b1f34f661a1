package io.kubesim.controlplane.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodFailurePoliciesTest {

  static Pod failed(int exitCode, String condition) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewStatus()
        .withPhase("Failed").addNewContainerStatus().withName("main").withNewState().withNewTerminated()
        .withExitCode(exitCode).endTerminated().endState().endContainerStatus().endStatus();
    Pod p = b.build();
    if (condition != null) {
      p.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(condition)
          .withStatus("True").build());
    }
    return p;
  }

  static final PodFailurePolicy POLICY = new PodFailurePolicyBuilder()
      .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName("main").withOperator("In")
      .withValues(42).endOnExitCodes().endRule()
      .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").withStatus("True")
      .endOnPodCondition().endRule()
      .addNewRule().withAction("Count").withNewOnExitCodes().withOperator("NotIn").withValues(1, 2).endOnExitCodes()
      .endRule()
      .build();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("exit 42: FailJob", failed(42, null), "FailJob", true,
            "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0"),
        Arguments.of("disrupted: Ignore", failed(1, "DisruptionTarget"), "Ignore", false, null),
        Arguments.of("exit 7: Count", failed(7, null), "Count", true, null),
        Arguments.of("exit 1: no rule, counted", failed(1, null), null, true, null),
        Arguments.of("exit 0 never matches exit codes", failed(0, null), null, true, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theFirstMatchingRuleDecides(String name, Pod pod, String action, boolean counted, String message) {
    PodFailurePolicies.Match m = PodFailurePolicies.match(POLICY, pod);
    assertThat(m.action()).isEqualTo(action);
    assertThat(m.countFailed()).isEqualTo(counted);
    assertThat(m.failJobMessage()).isEqualTo(message);
  }
}
