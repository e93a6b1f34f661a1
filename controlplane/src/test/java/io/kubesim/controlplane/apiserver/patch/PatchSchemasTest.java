package io.kubesim.controlplane.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchSchemasTest {

  static final FieldStrategy NONE = FieldStrategy.NONE;

  static Stream<Arguments> fields() {
    String pod = "spec.";
    String tpl = "spec.template.spec.";
    return Stream.of(
        Arguments.of("v1", "Pod", pod + "containers", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "initContainers", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "ephemeralContainers", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "containers.ports", FieldStrategy.merge("containerPort")),
        Arguments.of("v1", "Pod", pod + "ephemeralContainers.env", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "initContainers.volumeMounts",
            FieldStrategy.merge("mountPath")),
        Arguments.of("v1", "Pod", pod + "containers.volumeDevices",
            FieldStrategy.merge("devicePath")),
        Arguments.of("v1", "Pod", pod + "volumes", FieldStrategy.mergeRetainKeys("name")),
        Arguments.of("v1", "Pod", pod + "imagePullSecrets", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "hostAliases", FieldStrategy.merge("ip")),
        Arguments.of("v1", "Pod", pod + "topologySpreadConstraints",
            FieldStrategy.merge("topologyKey")),
        Arguments.of("v1", "Pod", pod + "schedulingGates", FieldStrategy.merge("name")),
        Arguments.of("v1", "Pod", pod + "resourceClaims", FieldStrategy.mergeRetainKeys("name")),
        Arguments.of("v1", "Pod", pod + "tolerations", NONE),
        Arguments.of("v1", "Pod", pod + "readinessGates", NONE),
        Arguments.of("v1", "Pod", pod + "containers.args", NONE),
        Arguments.of("v1", "Pod", pod + "containers.envFrom", NONE),
        Arguments.of("v1", "Pod", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("v1", "Pod", "status.podIPs", FieldStrategy.merge("ip")),
        Arguments.of("v1", "Pod", "status.hostIPs", FieldStrategy.merge("ip")),
        Arguments.of("v1", "Pod", "status.containerStatuses", NONE),
        Arguments.of("v1", "Pod", "metadata.finalizers", FieldStrategy.mergePrimitives()),
        Arguments.of("v1", "Pod", "metadata.ownerReferences", FieldStrategy.merge("uid")),
        Arguments.of("v1", "Pod", "metadata.labels", NONE),
        Arguments.of("apps/v1", "Deployment", tpl + "containers", FieldStrategy.merge("name")),
        Arguments.of("apps/v1", "Deployment", tpl + "containers.env", FieldStrategy.merge("name")),
        Arguments.of("apps/v1", "Deployment", "spec.template.metadata.finalizers",
            FieldStrategy.mergePrimitives()),
        Arguments.of("apps/v1", "Deployment", "spec.strategy", FieldStrategy.retainKeysOnly()),
        Arguments.of("apps/v1", "Deployment", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("apps/v1", "ReplicaSet", tpl + "volumes", FieldStrategy.mergeRetainKeys("name")),
        Arguments.of("apps/v1", "ReplicaSet", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("apps/v1", "StatefulSet", tpl + "initContainers", FieldStrategy.merge("name")),
        Arguments.of("apps/v1", "StatefulSet", "spec.volumeClaimTemplates", NONE),
        Arguments.of("apps/v1", "DaemonSet", tpl + "tolerations", NONE),
        Arguments.of("apps/v1", "DaemonSet", "spec.updateStrategy", NONE),
        Arguments.of("batch/v1", "Job", tpl + "containers.ports",
            FieldStrategy.merge("containerPort")),
        Arguments.of("batch/v1", "Job", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("batch/v1", "CronJob", "spec.jobTemplate.spec.template.spec.containers",
            FieldStrategy.merge("name")),
        Arguments.of("batch/v1", "CronJob", "spec.jobTemplate.metadata.ownerReferences",
            FieldStrategy.merge("uid")),
        Arguments.of("v1", "ReplicationController", tpl + "imagePullSecrets",
            FieldStrategy.merge("name")),
        Arguments.of("v1", "PodTemplate", "template.spec.hostAliases", FieldStrategy.merge("ip")),
        Arguments.of("v1", "Node", "spec.taints", NONE),
        Arguments.of("v1", "Node", "spec.podCIDRs", FieldStrategy.mergePrimitives()),
        Arguments.of("v1", "Node", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("v1", "Node", "status.addresses", FieldStrategy.merge("type")),
        Arguments.of("v1", "Node", "status.images", NONE),
        Arguments.of("v1", "Service", "spec.ports", FieldStrategy.merge("port")),
        Arguments.of("v1", "Service", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("v1", "Namespace", "status.conditions", FieldStrategy.merge("type")),
        Arguments.of("v1", "ServiceAccount", "secrets", FieldStrategy.merge("name")),
        Arguments.of("v1", "PersistentVolumeClaim", "status.conditions",
            FieldStrategy.merge("type")),
        Arguments.of("v1", "ConfigMap", "metadata.finalizers", FieldStrategy.mergePrimitives()),
        Arguments.of("v1", "ConfigMap", "data", NONE),
        Arguments.of("policy/v1", "PodDisruptionBudget", "spec.selector", FieldStrategy.replace()),
        Arguments.of("autoscaling/v2", "HorizontalPodAutoscaler", "status.conditions",
            FieldStrategy.merge("type")),
        Arguments.of("storage.k8s.io/v1", "CSINode", "spec.drivers", FieldStrategy.merge("name")),
        Arguments.of("rbac.authorization.k8s.io/v1", "Role", "metadata.ownerReferences",
            FieldStrategy.merge("uid")),
        Arguments.of("example.com/v1", "Widget", "metadata.finalizers", NONE),
        Arguments.of("example.com/v1", "Pod", "spec.containers", NONE));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("fields")
  void knowsTheStructTags(String apiVersion, String kind, String path, FieldStrategy expected) {
    List<String> segments = Arrays.asList(path.split("\\."));
    assertThat(PatchSchemas.forKind(apiVersion, kind).lookup(segments)).isEqualTo(expected);
  }

  @Test
  void pathsBelowUntypedValuesHaveNoStrategy() {
    PatchSchema pod = PatchSchemas.forKind("v1", "Pod");
    assertThat(pod.lookup(List.of("metadata", "labels", "finalizers"))).isEqualTo(NONE);
    assertThat(pod.lookup(List.of("spec", "containers", "resources", "limits"))).isEqualTo(NONE);
    assertThat(pod.lookup(List.of())).isEqualTo(NONE);
  }

  @Test
  void builtInSchemasCannotBeChanged() {
    StructSchema deployment = (StructSchema) PatchSchemas.forKind("apps/v1", "Deployment");
    assertThatThrownBy(() -> deployment.field("extra", FieldStrategy.replace()))
        .isInstanceOf(IllegalStateException.class);
    StructSchema podSpec = deployment.type("spec").type("template").type("spec");
    assertThatThrownBy(() -> podSpec.field("extra", FieldStrategy.replace()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void selfReferringSchemasWork() {
    StructSchema item = StructSchema.struct();
    item.field("children", FieldStrategy.merge("name"), item).freeze();
    assertThat(item.lookup(List.of("children", "children", "children")))
        .isEqualTo(FieldStrategy.merge("name"));
  }
}
