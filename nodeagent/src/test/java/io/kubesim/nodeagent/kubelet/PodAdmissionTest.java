package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAdmissionTest {

  static final Node NODE = new NodeBuilder().withNewMetadata().withName("w1").addToLabels("disktype", "ssd")
      .endMetadata().withNewSpec().addNewTaint().withKey("dedicated").withValue("db").withEffect("NoExecute")
      .endTaint().endSpec().withNewStatus().withAllocatable(Map.of("cpu", new Quantity("2"), "memory",
      new Quantity("4Gi"), "pods", new Quantity("110"))).endStatus().build();

  static Pod pod(String cpu) {
    return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer()
        .withName("app").withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
        .addNewToleration().withKey("dedicated").withOperator("Exists").endToleration().endSpec().build();
  }

  @Test
  void theEffectiveRequestIsTheLargerOfInitAndAppContainers() {
    Pod p = new PodBuilder(pod("500m")).editSpec().addNewInitContainer().withName("init").withNewResources()
        .addToRequests("cpu", new Quantity("1")).endResources().endInitContainer().endSpec().build();
    assertThat(PodAdmission.requests(p)[0]).isEqualTo(1000);
  }

  @Test
  void countsWhatAdmittedPodsAlreadyRequest() {
    PodAdmission.Rejection r = PodAdmission.admit(pod("1500m"), List.of(pod("1")), NODE, 110);
    assertThat(r.reason()).isEqualTo("OutOfcpu");
    assertThat(r.message()).isEqualTo("Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000");
  }

  @Test
  void admitsAPodThatFits() {
    assertThat(PodAdmission.admit(pod("1"), List.of(pod("1")), NODE, 110)).isNull();
  }

  @Test
  void rejectsAPodThatDoesNotTolerateANoExecuteTaint() {
    Pod p = pod("100m");
    p.getSpec().setTolerations(List.of());
    assertThat(PodAdmission.admit(p, List.of(), NODE, 110).reason()).isEqualTo("TaintToleration");
  }

  @Test
  void matchesRequiredNodeAffinity() {
    Pod p = new PodBuilder(pod("100m")).editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("disktype").withOperator("In").withValues("hdd").endMatchExpression().endNodeSelectorTerm()
        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("disktype").withOperator("Exists")
        .endMatchExpression().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().endAffinity().endSpec().build();
    assertThat(PodAdmission.admit(p, List.of(), NODE, 110)).isNull();
  }
}
