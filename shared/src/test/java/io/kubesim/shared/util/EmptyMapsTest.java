package io.kubesim.shared.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.shared.json.Json;
import org.junit.jupiter.api.Test;

class EmptyMapsTest {

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").withNewResources()
        .addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec().withNewStatus()
        .withPhase("Running").endStatus().build();
  }

  @Test
  void sharesTheEmptyAdditionalPropertiesOfEveryNestedModelObject() {
    Pod p = EmptyMaps.share(pod());
    Object shared = p.getAdditionalProperties();
    assertThat(p.getMetadata().getAdditionalProperties()).isSameAs(shared);
    assertThat(p.getSpec().getContainers().get(0).getAdditionalProperties()).isSameAs(shared);
    assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").getAdditionalProperties())
        .isSameAs(shared);
    assertThat(p.getStatus().getAdditionalProperties()).isSameAs(shared);
  }

  @Test
  void keepsAdditionalPropertiesThatHoldSomething() {
    Pod p = pod();
    p.getMetadata().setAdditionalProperty("x-extra", "kept");
    EmptyMaps.share(p);
    assertThat(p.getMetadata().getAdditionalProperties()).containsEntry("x-extra", "kept");
  }

  @Test
  void leavesEqualityAndSerialisationAsTheyWere() {
    Pod p = EmptyMaps.share(pod());
    assertThat(p).isEqualTo(pod());
    assertThat(Json.write(p)).isEqualTo(Json.write(pod()));
  }

  @Test
  void copiesAndBuildersGetAMapTheyCanChange() {
    Pod p = EmptyMaps.share(pod());
    Pod copy = ShallowCopy.of(p);
    copy.setAdditionalProperty("a", 1);
    Pod built = new PodBuilder(p).build();
    built.getMetadata().setAdditionalProperty("b", 2);
    assertThat(p.getAdditionalProperties()).isEmpty();
    assertThat(p.getMetadata().getAdditionalProperties()).isEmpty();
  }
}
