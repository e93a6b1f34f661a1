package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** InterPodAffinity: required affinity and anti-affinity by topology, their symmetry, and the preferred score. */
class InterPodAffinityTest {

  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";

  static Node zoned(String name, String zone) {
    var b = node(name, "cpu", "8", "memory", "16Gi", "pods", "110");
    if (zone != null) {
      b.editMetadata().addToLabels(ZONE, zone).endMetadata();
    }
    return b.build();
  }

  static PodAffinityTerm term(String topologyKey, String key, String value) {
    return new PodAffinityTermBuilder().withNewLabelSelector().addToMatchLabels(key, value).endLabelSelector()
        .withTopologyKey(topologyKey).build();
  }

  static Pod labelled(String name, String app) {
    return Make.pod(name).editMetadata().addToLabels("app", app).endMetadata().build();
  }

  static Pod affinity(String name, String app, List<PodAffinityTerm> required, List<PodAffinityTerm> anti) {
    return Make.pod(name).editMetadata().addToLabels("app", app).endMetadata().editSpec().withNewAffinity()
        .withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(required).endPodAffinity()
        .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(anti).endPodAntiAffinity()
        .endAffinity().endSpec().build();
  }

  static Pod preferring(String name, String app, List<WeightedPodAffinityTerm> aff,
      List<WeightedPodAffinityTerm> anti) {
    return Make.pod(name).editMetadata().addToLabels("app", app).endMetadata().editSpec().withNewAffinity()
        .withNewPodAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(aff).endPodAffinity()
        .withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(anti).endPodAntiAffinity()
        .endAffinity().endSpec().build();
  }

  static ClusterFixture threeNodesTwoZones() {
    return new ClusterFixture().nodes(zoned("n1", "a"), zoned("n2", "a"), zoned("n3", "b"));
  }

  @Test
  void requiredAffinityNeedsAMatchingPodInTheSameZone() {
    ClusterFixture c = threeNodesTwoZones().pod(labelled("db", "db"), "n1");
    Pod p = affinity("web", "web", List.of(term(ZONE, "app", "db")), List.of());
    assertThat(c.reasons(p)).isEqualTo(Map.of("n1", "", "n2", "", "n3", InterPodAffinity.ERR_REASON_AFFINITY));
  }

  @Test
  void theFirstPodOfAGroupWithAffinityToItselfMayGoAnywhereWithTheTopologyLabel() {
    ClusterFixture c = threeNodesTwoZones().node(zoned("n4", null));
    Pod p = affinity("web", "web", List.of(term(ZONE, "app", "web")), List.of());
    assertThat(c.reasons(p))
        .isEqualTo(Map.of("n1", "", "n2", "", "n3", "", "n4", InterPodAffinity.ERR_REASON_AFFINITY));
  }

  @Test
  void requiredAntiAffinityKeepsThePodOutOfTheMatchingZone() {
    ClusterFixture c = threeNodesTwoZones().pod(labelled("web-0", "web"), "n1");
    Pod p = affinity("web-1", "web", List.of(), List.of(term(ZONE, "app", "web")));
    assertThat(c.reasons(p)).isEqualTo(Map.of("n1", InterPodAffinity.ERR_REASON_ANTI_AFFINITY,
        "n2", InterPodAffinity.ERR_REASON_ANTI_AFFINITY, "n3", ""));
  }

  @Test
  void anExistingPodsAntiAffinityRepelsTheIncomingPod() {
    ClusterFixture c = threeNodesTwoZones()
        .pod(affinity("loner", "loner", List.of(), List.of(term(HOST, "app", "web"))), "n1");
    assertThat(c.reasons(labelled("web", "web")))
        .isEqualTo(Map.of("n1", InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY, "n2", "", "n3", ""));
  }

  @Test
  void namespaceSelectorLooksInTheSelectedNamespaces() {
    ClusterFixture c = threeNodesTwoZones().namespace("prod", Map.of("env", "prod"));
    Pod db = Make.pod("db").editMetadata().withNamespace("prod").addToLabels("app", "db").endMetadata().build();
    c.pod(db, "n3");
    PodAffinityTerm inProd = new PodAffinityTermBuilder(term(ZONE, "app", "db")).withNewNamespaceSelector()
        .addToMatchLabels("env", "prod").endNamespaceSelector().build();
    assertThat(c.reasons(affinity("web", "web", List.of(inProd), List.of())))
        .isEqualTo(Map.of("n1", InterPodAffinity.ERR_REASON_AFFINITY, "n2", InterPodAffinity.ERR_REASON_AFFINITY,
            "n3", ""));
    // without the selector the term looks only in the pod's own namespace, where no db runs
    assertThat(c.reasons(affinity("web", "web", List.of(term(ZONE, "app", "db")), List.of())).get("n3"))
        .isEqualTo(InterPodAffinity.ERR_REASON_AFFINITY);
  }

  @Test
  void preferredAffinityScoresTheZoneWithMatchingPods() {
    ClusterFixture c = threeNodesTwoZones().pod(labelled("db", "db"), "n3");
    Pod p = preferring("web", "web", List.of(new WeightedPodAffinityTerm(term(ZONE, "app", "db"), 5)), List.of());
    assertThat(c.rawScore(c.framework(), InterPodAffinity.NAME, p)).isEqualTo(Map.of("n1", 0L, "n2", 0L, "n3", 5L));
    assertThat(c.score(InterPodAffinity.NAME, p)).isEqualTo(Map.of("n1", 0L, "n2", 0L, "n3", 100L));
  }

  @Test
  void preferredAntiAffinityScoresTheZoneWithMatchingPodsLowest() {
    ClusterFixture c = threeNodesTwoZones().pod(labelled("web-0", "web"), "n1");
    Pod p = preferring("web-1", "web", List.of(), List.of(new WeightedPodAffinityTerm(term(ZONE, "app", "web"), 10)));
    assertThat(c.score(InterPodAffinity.NAME, p)).isEqualTo(Map.of("n1", 0L, "n2", 0L, "n3", 100L));
  }

  @Test
  void existingPodsPreferredTermsCountSymmetrically() {
    ClusterFixture c = threeNodesTwoZones()
        .pod(preferring("cache", "cache", List.of(new WeightedPodAffinityTerm(term(HOST, "app", "web"), 10)),
            List.of()), "n2");
    assertThat(c.score(InterPodAffinity.NAME, labelled("web", "web")))
        .isEqualTo(Map.of("n1", 0L, "n2", 100L, "n3", 0L));
  }

  @Test
  void existingPodsRequiredAffinityCountsWithTheHardWeight() {
    ClusterFixture c = threeNodesTwoZones()
        .pod(affinity("cache", "cache", List.of(term(ZONE, "app", "web")), List.of()), "n3");
    assertThat(c.rawScore(c.framework(), InterPodAffinity.NAME, labelled("web", "web")))
        .isEqualTo(Map.of("n1", 0L, "n2", 0L, "n3", 1L));
  }

  @Test
  void skipsScoringWhenNoAffinityIsInvolved() {
    ClusterFixture c = threeNodesTwoZones().pod(labelled("db", "db"), "n1");
    assertThat(c.score(InterPodAffinity.NAME, labelled("web", "web"))).isEmpty();
  }
}
