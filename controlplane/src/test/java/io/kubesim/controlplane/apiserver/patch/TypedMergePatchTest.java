package io.kubesim.controlplane.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TypedMergePatchTest {

  private static Node node() {
    return new NodeBuilder().withNewMetadata().withName("w1").withResourceVersion("7").addToLabels("zone", "a")
        .endMetadata()
        .withNewSpec().withPodCIDR("10.244.1.0/24").endSpec()
        .withNewStatus()
        .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("8Gi"))
        .addToAllocatable("cpu", new Quantity("4"))
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime("2026-01-01T00:00:00Z").withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False")
        .withLastHeartbeatTime("2026-01-01T00:00:00Z").endCondition()
        .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
        .addNewImage().withNames("nginx:1.14").withSizeBytes(1000L).endImage()
        .withNewNodeInfo().withKubeletVersion("v1.35.0").endNodeInfo()
        .endStatus().build();
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withNodeName("w1").addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .withNewStatus().withPhase("Pending").endStatus().build();
  }

  static Stream<Arguments> taken() {
    return Stream.of(
        Arguments.of("the kubelet's heartbeat: the conditions alone", node(),
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
                + "\"lastHeartbeatTime\":\"2026-01-01T00:05:00Z\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}"),
        Arguments.of("a whole status", node(), "{\"status\":" + Json.write(node().getStatus()) + "}"),
        Arguments.of("a map merged key by key", node(),
            "{\"status\":{\"capacity\":{\"pods\":\"110\",\"cpu\":\"8\"}}}"),
        Arguments.of("a nested object merged", node(), "{\"status\":{\"nodeInfo\":{\"osImage\":\"Debian\"}}}"),
        Arguments.of("a precondition on the resourceVersion", node(),
            "{\"metadata\":{\"resourceVersion\":\"7\"},\"status\":{\"phase\":\"Running\"}}"),
        Arguments.of("an object where there was none", pod(),
            "{\"status\":{\"podIP\":\"10.244.1.5\",\"podIPs\":[{\"ip\":\"10.244.1.5\"}],"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"),
        Arguments.of("spec patched too (the status strategy drops it later)", pod(),
            "{\"spec\":{\"nodeName\":\"w2\"},\"status\":{\"phase\":\"Running\"}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("taken")
  void typedMergeReadsTheSameAsTheJsonRoute(String name, HasMetadata current, String patch) {
    String before = Json.write(current);
    HasMetadata typed = TypedMergePatch.apply(current, Json.MAPPER.readTree(patch));
    HasMetadata viaJson = Patches.apply(Resources.of(current), current, PatchType.MERGE_PATCH, patch);

    assertThat(typed).as("taken by the typed merge").isNotNull();
    assertThat(typed).isEqualTo(viaJson);
    assertThat(Json.write(typed)).isEqualTo(Json.write(viaJson));
    assertThat(Json.write(current)).as("the current object is untouched").isEqualTo(before);
    assertThat(typed.getMetadata()).as("the result's own metadata object").isNotSameAs(current.getMetadata());
  }

  @Test
  void whatThePatchLeavesAloneIsSharedAndWhatItTouchesIsNew() {
    Node current = node();
    Node typed = (Node) TypedMergePatch.apply(current,
        Json.MAPPER.readTree("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}"));

    assertThat(typed.getStatus()).isNotSameAs(current.getStatus());
    assertThat(typed.getStatus().getConditions()).extracting(c -> c.getStatus()).containsExactly("False");
    assertThat(typed.getStatus().getImages()).isSameAs(current.getStatus().getImages());
    assertThat(typed.getStatus().getCapacity()).isSameAs(current.getStatus().getCapacity());
    assertThat(typed.getSpec()).isSameAs(current.getSpec());
    assertThat(current.getStatus().getConditions()).extracting(c -> c.getStatus()).containsExactly("True", "False");
  }

  static Stream<Arguments> declined() {
    return Stream.of(
        Arguments.of("a deletion", "{\"status\":{\"phase\":null}}"),
        Arguments.of("a null inside a list", "{\"status\":{\"conditions\":[null]}}"),
        Arguments.of("a key outside the model", "{\"status\":{\"colour\":\"blue\"}}"),
        Arguments.of("an object where the model has a string", "{\"status\":{\"phase\":{\"a\":1}}}"),
        Arguments.of("a list where the model has an object", "{\"status\":{\"nodeInfo\":[1]}}"),
        Arguments.of("an object as a map value", "{\"status\":{\"capacity\":{\"cpu\":{\"a\":1}}}}"),
        Arguments.of("a patch that is not an object", "[1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("declined")
  void patchesWithAnotherOutcomeAreLeftToTheJsonRoute(String name, String patch) {
    assertThat(TypedMergePatch.apply(node(), Json.MAPPER.readTree(patch))).isNull();
  }

  @Test
  void aStatusPatchTheTypedMergeDeclinesStillAppliesOrFailsAsBefore() {
    Node current = node();
    HasMetadata removed = Patches.applyToStatus(Resources.NODES, current, PatchType.MERGE_PATCH,
        "{\"status\":{\"addresses\":null}}", WriteOptions.DEFAULT, null);
    assertThat(((Node) removed).getStatus().getAddresses()).isEmpty();
    assertThat(current.getStatus().getAddresses()).hasSize(1);

    assertThatThrownBy(() -> Patches.applyToStatus(Resources.NODES, current, PatchType.MERGE_PATCH,
        "{\"status\":{\"nodeInfo\":[1]}}", WriteOptions.DEFAULT, null))
        .isInstanceOf(Patches.PatchFailure.class)
        .hasMessageContaining("the patched object is not a valid Node");
  }
}
