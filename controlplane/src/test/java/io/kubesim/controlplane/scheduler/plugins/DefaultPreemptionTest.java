package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static io.kubesim.controlplane.scheduler.plugins.Make.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DefaultPreemption: who is evicted, from which node, and the message when preemption cannot help. */
class DefaultPreemptionTest {

  static Pod pod(String name, int priority, String cpu) {
    return Make.pod(name, List.of(req("cpu", cpu))).editMetadata().addToLabels("app", name).endMetadata()
        .editSpec().withPriority(priority).endSpec().build();
  }

  static ClusterFixture twoNodes() {
    return new ClusterFixture().nodes(node("n1", "cpu", "4", "memory", "8Gi", "pods", "110").build(),
        node("n2", "cpu", "4", "memory", "8Gi", "pods", "110").build());
  }

  @Test
  void evictsOnlyAsManyLowPriorityPodsAsNeeded() {
    ClusterFixture c = twoNodes().pod(pod("a", 10, "1"), "n1").pod(pod("b", 20, "1"), "n1").pod(pod("c", 30, "2"), "n1")
        .pod(pod("x", 100, "4"), "n2");
    PostFilterPlugin.Result r = c.postFilter(c.framework(), pod("big", 50, "2"));
    assertThat(r.status().success()).isTrue();
    assertThat(r.nominatedNodeName()).isEqualTo("n1");
    // c (30) and b (20) are reprieved first; room for 2 CPUs needs only... c is 2 CPU: keeping c needs a and b gone
    assertThat(c.actions).containsExactlyInAnyOrder("preempt default/b on n1 for default/big",
        "preempt default/a on n1 for default/big");
  }

  @Test
  void prefersTheNodeWhoseHighestVictimHasTheLowestPriority() {
    ClusterFixture c = twoNodes().pod(pod("a", 10, "4"), "n1").pod(pod("b", 20, "4"), "n2");
    PostFilterPlugin.Result r = c.postFilter(c.framework(), pod("big", 50, "2"));
    assertThat(r.nominatedNodeName()).isEqualTo("n1");
    assertThat(c.actions).containsExactly("preempt default/a on n1 for default/big");
  }

  @Test
  void prefersNodesWhereNoDisruptionBudgetIsViolated() {
    ClusterFixture c = twoNodes().pod(pod("a", 10, "4"), "n1").pod(pod("b", 20, "4"), "n2");
    c.pdbs.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("a").withNamespace("default").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "a").endSelector().endSpec().withNewStatus()
        .withDisruptionsAllowed(0).endStatus().build());
    PostFilterPlugin.Result r = c.postFilter(c.framework(), pod("big", 50, "2"));
    assertThat(r.nominatedNodeName()).isEqualTo("n2");
  }

  @Test
  void findsNoVictimsAmongPodsOfEqualOrHigherPriority() {
    ClusterFixture c = twoNodes().pod(pod("a", 50, "4"), "n1").pod(pod("b", 60, "4"), "n2");
    PostFilterPlugin.Result r = c.postFilter(c.framework(), pod("big", 50, "2"));
    assertThat(r.status().message()).isEqualTo(
        "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
    assertThat(r.nominatedNodeName()).isEmpty();
    assertThat(c.actions).isEmpty();
  }

  @Test
  void isNotHelpfulWhenTheFiltersRuleNodesOutForGood() {
    ClusterFixture c = twoNodes();
    c.node(node("m", "cpu", "4", "memory", "8Gi", "pods", "110").editSpec()
        .withTaints(new Taint("NoSchedule", "node-role.kubernetes.io/control-plane", null, null)).endSpec().build());
    c.pod(pod("a", 10, "4"), "n1").pod(pod("b", 20, "4"), "n2");
    PostFilterPlugin.Result r = c.postFilter(c.framework(), pod("big", 50, "5"));
    // 5 CPUs exceed every node: unresolvable everywhere
    assertThat(r.status().message()).isEqualTo(
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  }

  @Test
  void aPodThatNeverPreemptsSaysSo() {
    ClusterFixture c = twoNodes().pod(pod("a", 10, "4"), "n1").pod(pod("b", 10, "4"), "n2");
    Pod p = new io.fabric8.kubernetes.api.model.PodBuilder(pod("big", 50, "2")).editSpec()
        .withPreemptionPolicy("Never").endSpec().build();
    assertThat(c.postFilter(c.framework(), p).status().message())
        .isEqualTo("preemption: not eligible due to preemptionPolicy=Never.");
  }

  @Test
  void victimsAreReprievedMostImportantFirst() {
    List<PodInfo> pods = new java.util.ArrayList<>(List.of(PodInfo.of(pod("a", 10, "1")),
        PodInfo.of(pod("b", 30, "1")), PodInfo.of(pod("c", 20, "1"))));
    pods.sort(DefaultPreemption.MORE_IMPORTANT);
    assertThat(pods).extracting(PodInfo::name).containsExactly("b", "c", "a");
  }
}
