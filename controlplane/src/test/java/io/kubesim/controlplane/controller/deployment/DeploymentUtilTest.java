package io.kubesim.controlplane.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeploymentUtilTest {

  private static IntOrString v(String s) {
    return s.endsWith("%") ? new IntOrString(s) : new IntOrString(Integer.parseInt(s));
  }

  private static Deployment rolling(int replicas, String surge, String unavailable) {
    return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
        .withReplicas(replicas).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(v(surge)).withMaxUnavailable(v(unavailable)).endRollingUpdate().endStrategy().endSpec().build();
  }

  private static ReplicaSet rs(String name, int replicas, int available, Map<String, String> annotations) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withAnnotations(annotations)
        .withCreationTimestamp("2026-01-01T00:00:0" + name.length() + "Z").endMetadata().withNewSpec()
        .withReplicas(replicas).endSpec().withNewStatus().withAvailableReplicas(available).withReplicas(replicas)
        .endStatus().build();
  }

  @ParameterizedTest(name = "replicas {0}, maxSurge {1}, maxUnavailable {2} -> surge {3}, unavailable {4}")
  @CsvSource({
      "4, 25%, 25%, 1, 1",
      "10, 25%, 25%, 3, 2",      // surge rounds up (2.5 -> 3), unavailable down (2.5 -> 2)
      "3, 25%, 25%, 1, 0",       // 0.75: surge rounds up to 1, unavailable down to 0
      "1, 0, 25%, 0, 1",         // both resolve to zero: unavailable becomes 1
      "2, 0%, 0%, 0, 1",
      "5, 2, 0, 2, 0",
      "100, 10%, 1, 10, 1",
  })
  void resolveFenceposts(int replicas, String surge, String unavailable, int expectedSurge, int expectedUnavailable) {
    DeploymentUtil.Fenceposts f = DeploymentUtil.resolveFenceposts(v(surge), v(unavailable), replicas);
    assertThat(f.surge()).isEqualTo(expectedSurge);
    assertThat(f.unavailable()).isEqualTo(expectedUnavailable);
  }

  @Test
  void maxUnavailableNeverExceedsReplicas() {
    assertThat(DeploymentUtil.maxUnavailable(rolling(2, "0", "5"))).isEqualTo(2);
    assertThat(DeploymentUtil.maxUnavailable(rolling(0, "1", "1"))).isZero();
  }

  @ParameterizedTest(name = "replicas {0} surge {1}: new {2} + old {3} -> new {4}")
  @CsvSource({
      "4, 1, 0, 4, 1",   // total 4 < 5: grow by min(5 - 4, 4 - 0) = 1
      "4, 1, 1, 4, 1",   // at replicas + surge: no growth
      "4, 1, 1, 3, 2",
      "4, 2, 0, 1, 4",   // min(6 - 1, 4 - 0) = 4
      "10, 3, 5, 8, 5",  // stuck at 13
  })
  void theNewReplicaSetGrowsWithinTheSurge(int replicas, int surge, int newSize, int oldSize, int expected) {
    Deployment d = rolling(replicas, String.valueOf(surge), "1");
    ReplicaSet newRS = rs("new", newSize, 0, Map.of());
    List<ReplicaSet> all = List.of(rs("old", oldSize, oldSize, Map.of()), newRS);
    assertThat(DeploymentUtil.newRSNewReplicas(d, all, newRS)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} of {1} replicas ({2} before): +{3} with {4} added -> {5}")
  @CsvSource({
      "8, 20, 13, 12, 0, 7",    // 8 * 25 / 13 = 15.38 -> 15, +7
      "5, 20, 13, 12, 7, 5",    // 5 * 25 / 13 = 9.6 -> 10, +5 (all that is left)
      "8, 2, 13, -8, 0, -6",    // scaling down: 8 * 3 / 13 = 1.8 -> 2, -6
      "6, 0, 13, -11, 0, -6",   // scaling to zero: all of it
      "0, 20, 13, 12, 0, 0",    // an empty ReplicaSet never grows proportionally
  })
  void proportionalScalingSharesByReplicaSetSize(int size, int replicas, int maxBefore, int toAdd, int added,
      int expected) {
    Deployment d = rolling(replicas, "25%", "25%");
    ReplicaSet r = rs("old", size, size, Map.of("deployment.kubernetes.io/max-replicas", String.valueOf(maxBefore)));
    assertThat(DeploymentUtil.proportion(r, d, toAdd, added)).isEqualTo(expected);
  }

  @Test
  void aNewReplicaSetGetsTheNextRevisionAndTheReplicasAnnotations() {
    Deployment d = rolling(4, "1", "1");
    d.getMetadata().setAnnotations(Map.of("team", "a", "kubectl.kubernetes.io/last-applied-configuration", "{}"));
    ReplicaSet r = rs("new", 0, 0, null);
    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(d, r, "3", false)).isTrue();
    assertThat(r.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "4")
        .containsEntry("deployment.kubernetes.io/max-replicas", "5").containsEntry("team", "a")
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration")
        .doesNotContainKey("deployment.kubernetes.io/revision-history");
  }

  @Test
  void rollingBackToAnOldReplicaSetKeepsItsOldRevisionsInTheHistory() {
    Deployment d = rolling(4, "1", "1");
    ReplicaSet r = rs("back", 0, 0, new java.util.LinkedHashMap<>(Map.of("deployment.kubernetes.io/revision", "1")));
    DeploymentUtil.setNewReplicaSetAnnotations(d, r, "4", true);
    assertThat(r.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "4")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    DeploymentUtil.setNewReplicaSetAnnotations(d, r, "6", true);
    assertThat(r.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "1,4");
  }

  @Test
  void theOldestMatchingReplicaSetIsTheNewOne() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build();
    List<ReplicaSet> rss = new ArrayList<>();
    for (String[] x : new String[][] {{"bb", "nginx:1.28", "h2"}, {"a", "nginx:1.27", "h1"}, {"ccc", "nginx:1.28", "h3"}}) {
      rss.add(new ReplicaSetBuilder().withNewMetadata().withName(x[0]).withUid(x[0]).withCreationTimestamp("2026-01-01T00:00:0"
          + x[0].length() + "Z").endMetadata().withNewSpec().withNewTemplate().withNewMetadata()
          .addToLabels("app", "web").addToLabels("pod-template-hash", x[2]).endMetadata().withNewSpec()
          .addNewContainer().withName("app").withImage(x[1]).endContainer().endSpec().endTemplate().endSpec().build());
    }
    assertThat(DeploymentUtil.findNewReplicaSet(d, rss).getMetadata().getName()).isEqualTo("bb");
    assertThat(DeploymentUtil.findOldReplicaSets(d, rss)).extracting(r -> r.getMetadata().getName())
        .containsExactly("a", "ccc");
  }
}
