package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EnvVarsTest {

  static Stream<Arguments> expansions() {
    return Stream.of(
        Arguments.of("$(GREETING) world", "hello world"),
        Arguments.of("echo $(MISSING)", "echo $(MISSING)"),
        Arguments.of("$$(GREETING)", "$(GREETING)"),
        Arguments.of("cost: $$5", "cost: $5"),
        Arguments.of("$(date)", "$(date)"),
        Arguments.of("$HOME stays", "$HOME stays"),
        Arguments.of("unclosed $(GREETING", "unclosed $(GREETING"),
        Arguments.of("trailing $", "trailing $"),
        Arguments.of("$(GREETING)$(NAME)", "hellopod-1"),
        Arguments.of("no references", "no references"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expansions")
  void expandsReferencesAsTheKubeletDoes(String input, String expected) {
    Map<String, String> vars = Map.of("GREETING", "hello", "NAME", "pod-1");
    assertThat(EnvVars.expand(input, vars)).isEqualTo(expected);
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1")
        .addToLabels("app", "web").endMetadata().withNewSpec().withNodeName("w1-k8s")
        .withServiceAccountName("default").addNewContainer().withName("app").withImage("nginx").endContainer()
        .endSpec().build();
  }

  private static EnvVars.Sources sources(Pod pod) {
    return new EnvVars.Sources(pod, "172.16.1.5", "192.168.1.101", Map.of("cpu", new Quantity("2"),
        "memory", new Quantity("4Gi")), name -> name.equals("cfg") ? new ConfigMapBuilder().withNewMetadata()
        .withName("cfg").endMetadata().addToData("color", "blue").build() : null, name -> null);
  }

  @Test
  void resolvesValuesFieldsResourcesAndConfigMapsInOrder() throws Exception {
    Container c = new ContainerBuilder().withName("app").withImage("nginx")
        .addNewEnv().withName("A").withValue("one").endEnv()
        .addNewEnv().withName("B").withValue("$(A)-two").endEnv()
        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("CPU_LIMIT").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
        .endResourceFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef().withName("cfg").withKey("color")
        .endConfigMapKeyRef().endValueFrom().endEnv()
        .build();
    Map<String, String> env = EnvVars.resolve(c, sources(pod()));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("A", "one");
    expected.put("B", "one-two");
    expected.put("POD", "web-1");
    expected.put("IP", "172.16.1.5");
    expected.put("NODE", "w1-k8s");
    expected.put("APP", "web");
    expected.put("CPU_LIMIT", "2");
    expected.put("COLOR", "blue");
    assertThat(env).containsExactlyEntriesOf(expected);
  }

  @Test
  void roundsCpuUpToWholeCores() throws Exception {
    Container c = new ContainerBuilder().withName("app").withNewResources()
        .addToRequests("cpu", new Quantity("250m")).endResources()
        .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("requests.cpu")
        .endResourceFieldRef().endValueFrom().endEnv().build();
    Pod p = pod();
    p.getSpec().setContainers(java.util.List.of(c));
    assertThat(EnvVars.resolve(c, sources(p))).containsEntry("CPU", "1");
  }

  @Test
  void aMissingConfigMapIsAContainerConfigError() {
    Container c = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
        .withNewConfigMapKeyRef().withName("nope").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv().build();
    assertThatThrownBy(() -> EnvVars.resolve(c, sources(pod()))).isInstanceOf(EnvVars.ConfigError.class)
        .hasMessage("configmap \"nope\" not found");
  }

  @Test
  void aMissingKeyNamesTheConfigMap() {
    Container c = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
        .withNewConfigMapKeyRef().withName("cfg").withKey("size").endConfigMapKeyRef().endValueFrom().endEnv().build();
    assertThatThrownBy(() -> EnvVars.resolve(c, sources(pod()))).hasMessage("couldn't find key size in ConfigMap shop/cfg");
  }
}
