package io.kubesim.controlplane.controller.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaemonPodsTest {

  static DaemonSet ds(Map<String, String> nodeSelector, List<Toleration> tolerations, boolean hostNetwork) {
    return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("kube-system").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector().withNewTemplate()
        .withNewMetadata().addToLabels("app", "agent").endMetadata().withNewSpec().withNodeSelector(nodeSelector)
        .withTolerations(tolerations).withHostNetwork(hostNetwork).addNewContainer().withName("agent")
        .withImage("fluentd").endContainer().endSpec().endTemplate().endSpec().build();
  }

  static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec()
        .withTaints(taints).endSpec().build();
  }

  static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  static Toleration tolerate(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  static Stream<Arguments> eligibility() {
    Map<String, String> worker = Map.of("kubernetes.io/hostname", "w1");
    Map<String, String> ssd = Map.of("kubernetes.io/hostname", "w1", "disk", "ssd");
    return Stream.of(
        Arguments.of("an untainted node", node("w1", worker), ds(null, null, false), true, true),
        Arguments.of("the control plane's NoSchedule taint, untolerated",
            node("m", worker, taint("node-role.kubernetes.io/control-plane", "NoSchedule")),
            ds(null, null, false), false, true),
        Arguments.of("the control plane's taint, tolerated",
            node("m", worker, taint("node-role.kubernetes.io/control-plane", "NoSchedule")),
            ds(null, List.of(tolerate("node-role.kubernetes.io/control-plane", "NoSchedule")), false), true, true),
        Arguments.of("an untolerated NoExecute taint", node("w1", worker, taint("dedicated", "NoExecute")),
            ds(null, null, false), false, false),
        Arguments.of("unreachable NoExecute: tolerated by every daemon pod",
            node("w1", worker, taint("node.kubernetes.io/unreachable", "NoExecute")), ds(null, null, false), true,
            true),
        Arguments.of("not-ready NoExecute: tolerated", node("w1", worker, taint("node.kubernetes.io/not-ready",
            "NoExecute")), ds(null, null, false), true, true),
        Arguments.of("cordoned: unschedulable tolerated",
            node("w1", worker, taint("node.kubernetes.io/unschedulable", "NoSchedule")), ds(null, null, false), true,
            true),
        Arguments.of("disk pressure tolerated", node("w1", worker, taint("node.kubernetes.io/disk-pressure",
            "NoSchedule")), ds(null, null, false), true, true),
        Arguments.of("memory pressure tolerated", node("w1", worker, taint("node.kubernetes.io/memory-pressure",
            "NoSchedule")), ds(null, null, false), true, true),
        Arguments.of("pid pressure tolerated", node("w1", worker, taint("node.kubernetes.io/pid-pressure",
            "NoSchedule")), ds(null, null, false), true, true),
        Arguments.of("network unavailable: not tolerated without hostNetwork",
            node("w1", worker, taint("node.kubernetes.io/network-unavailable", "NoSchedule")),
            ds(null, null, false), false, true),
        Arguments.of("network unavailable: tolerated with hostNetwork",
            node("w1", worker, taint("node.kubernetes.io/network-unavailable", "NoSchedule")),
            ds(null, null, true), true, true),
        Arguments.of("PreferNoSchedule never keeps a daemon pod off", node("w1", worker, taint("x", "PreferNoSchedule")),
            ds(null, null, false), true, true),
        Arguments.of("nodeSelector matches", node("w1", ssd), ds(Map.of("disk", "ssd"), null, false), true, true),
        Arguments.of("nodeSelector does not match: the pod goes", node("w1", worker),
            ds(Map.of("disk", "ssd"), null, false), false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eligibility")
  void nodeShouldRunDaemonPodFollowsSelectorAffinityTaintsAndTolerations(String name, Node node, DaemonSet ds,
      boolean shouldRun, boolean shouldContinueRunning) {
    DaemonPods.Eligibility e = DaemonPods.nodeShouldRunDaemonPod(node, ds);
    assertThat(e.shouldRun()).as("shouldRun").isEqualTo(shouldRun);
    assertThat(e.shouldContinueRunning()).as("shouldContinueRunning").isEqualTo(shouldContinueRunning);
  }

  @Test
  void requiredNodeAffinityOfTheTemplateCounts() {
    DaemonSet d = ds(null, null, false);
    d.getSpec().getTemplate().getSpec().setAffinity(DaemonPods.pinToNode(null, "w2"));
    assertThat(DaemonPods.nodeShouldRunDaemonPod(node("w1", Map.of()), d).shouldRun()).isFalse();
    assertThat(DaemonPods.nodeShouldRunDaemonPod(node("w2", Map.of()), d).shouldRun()).isTrue();
  }

  @Test
  void everyDaemonPodToleratesNodeProblemsWithoutTolerationSeconds() {
    io.fabric8.kubernetes.api.model.PodSpec spec = new io.fabric8.kubernetes.api.model.PodSpec();
    DaemonPods.addDaemonTolerations(spec);
    List<String> got = new ArrayList<>();
    for (Toleration t : spec.getTolerations()) {
      assertThat(t.getTolerationSeconds()).isNull();
      assertThat(t.getOperator()).isEqualTo("Exists");
      got.add(t.getKey() + ":" + t.getEffect());
    }
    assertThat(got).containsExactly("node.kubernetes.io/not-ready:NoExecute",
        "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/disk-pressure:NoSchedule",
        "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/pid-pressure:NoSchedule",
        "node.kubernetes.io/unschedulable:NoSchedule");
  }

  @Test
  void anEqualTolerationIsReplacedNotDuplicated() {
    io.fabric8.kubernetes.api.model.PodSpec spec = new io.fabric8.kubernetes.api.model.PodSpec();
    spec.setTolerations(new ArrayList<>(List.of(tolerate("node.kubernetes.io/unreachable", "NoExecute"))));
    DaemonPods.addDaemonTolerations(spec);
    assertThat(spec.getTolerations()).filteredOn(t -> "node.kubernetes.io/unreachable".equals(t.getKey()))
        .hasSize(1);
  }

  @Test
  void thePinningAffinityReplacesRequiredTermsAndNamesTheTargetNode() {
    Pod p = new PodBuilder().withNewMetadata().withName("agent-x").endMetadata().withNewSpec().endSpec().build();
    p.getSpec().setAffinity(DaemonPods.pinToNode(null, "w3"));
    assertThat(DaemonPods.targetNodeName(p)).isEqualTo("w3");
    var term = p.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    assertThat(term).hasSize(1);
    assertThat(term.get(0).getMatchFields().get(0).getKey()).isEqualTo("metadata.name");
    p.getSpec().setNodeName("w1");
    assertThat(DaemonPods.targetNodeName(p)).isEqualTo("w1");
  }

  @Test
  void aPodIsUpdatedWhenItCarriesTheCurrentHashOrGeneration() {
    Pod p = new PodBuilder().withNewMetadata().withName("a").addToLabels("controller-revision-hash", "abc")
        .addToLabels("pod-template-generation", "2").endMetadata().build();
    assertThat(DaemonPods.isPodUpdated(p, "abc", 3L)).isTrue();
    assertThat(DaemonPods.isPodUpdated(p, "xyz", 2L)).isTrue();
    assertThat(DaemonPods.isPodUpdated(p, "xyz", 3L)).isFalse();
  }
}
