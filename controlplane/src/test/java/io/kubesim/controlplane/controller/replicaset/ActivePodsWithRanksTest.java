package io.kubesim.controlplane.controller.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActivePodsWithRanksTest {

  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  /**
   * A pod from a compact spec: node (or -), phase, ready since (seconds ago, or -), deletion cost,
   * rank, restarts, created (seconds ago), uid.
   */
  private static ActivePodsWithRanks.Ranked pod(String spec) {
    String[] f = spec.trim().split(" +");
    PodBuilder b = new PodBuilder().withNewMetadata().withName(f[7]).withUid(f[7])
        .withCreationTimestamp(NOW.minusSeconds(Long.parseLong(f[6])).toString()).endMetadata().withNewSpec()
        .withNodeName(f[0].equals("-") ? null : f[0]).endSpec().withNewStatus().withPhase(f[1]).endStatus();
    if (!f[3].equals("0")) {
      b.editMetadata().addToAnnotations("controller.kubernetes.io/pod-deletion-cost", f[3]).endMetadata();
    }
    if (!f[2].equals("-")) {
      b.editStatus().addNewCondition().withType("Ready").withStatus("True")
          .withLastTransitionTime(NOW.minusSeconds(Long.parseLong(f[2])).toString()).endCondition().endStatus();
    }
    if (!f[5].equals("0")) {
      b.editStatus().addNewContainerStatus().withName("app").withRestartCount(Integer.parseInt(f[5]))
          .endContainerStatus().endStatus();
    }
    return new ActivePodsWithRanks.Ranked(b.build(), Integer.parseInt(f[4]));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unassigned before assigned|n1 Running - 0 0 0 100 a; - Pending - 0 0 0 100 b|b a",
      "pending before unknown before running|n1 Running - 0 0 0 100 a; n1 Unknown - 0 0 0 100 b;"
          + " n1 Pending - 0 0 0 100 c|c b a",
      "not ready before ready|n1 Running 50 0 0 0 100 a; n1 Running - 0 0 0 100 b|b a",
      "lower deletion cost first|n1 Running 50 10 0 0 100 a; n1 Running 50 -5 0 0 100 b|b a",
      "more co-located pods first|n1 Running 50 0 1 0 100 a; n2 Running 50 0 3 0 100 b|b a",
      "ready for less time first|n1 Running 1000 0 0 0 5000 a; n1 Running 10 0 0 0 5000 b|b a",
      "ready in the same log2 bucket: by uid|n1 Running 40 0 0 0 5000 z; n1 Running 50 0 0 0 5000 y|y z",
      "more restarts first|n1 Running 40 0 0 1 5000 a; n1 Running 40 0 0 7 5000 b|b a",
      "newer first|n1 Running 40 0 0 0 100000 a; n1 Running 40 0 0 0 100 b|b a",
  })
  void ordersPodsForDeletion(String rule, String pods, String expected) {
    List<ActivePodsWithRanks.Ranked> ranked = new ArrayList<>();
    for (String spec : pods.split(";")) {
      ranked.add(pod(spec));
    }
    List<String> names = new ArrayList<>();
    for (Pod p : ActivePodsWithRanks.sort(ranked, NOW)) {
      names.add(p.getMetadata().getName());
    }
    assertThat(String.join(" ", names)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "log2 rank of {0} s vs {1} s ago = {2}")
  @CsvSource({"1, 1, 0", "1, 2, -1", "3, 2, 1", "1024, 1, 10", "0, 1, -30"})
  void logarithmicRankDiffComparesPowersOfTwoOfNanoseconds(long a, long b, long diff) {
    assertThat(ActivePodsWithRanks.logRankDiff(NOW.minusSeconds(a), NOW.minusSeconds(b), NOW)).isEqualTo(diff);
  }
}
