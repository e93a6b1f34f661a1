package io.kubesim.controlplane.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kubesim.controlplane.apiserver.defaulting.Defaults;
import io.kubesim.shared.api.FieldError;
import io.kubesim.shared.json.Json;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Pod, Deployment, ReplicaSet, Node, Namespace, Event, Lease and ObjectMeta validation. */
class ValidationTest {

  // ---------------------------------------------------------------- fixtures

  static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec().build();
  }

  static Deployment deployment() {
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withTemplate(new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec().build())
        .endSpec().build();
  }

  static <T extends HasMetadata> T copy(T obj) {
    @SuppressWarnings("unchecked")
    T c = (T) Json.convert(Json.tree(obj), obj.getClass());
    return c;
  }

  static List<String> create(HasMetadata obj) {
    Defaults.apply(obj);
    return Validation.validateCreate(obj).stream().map(FieldError::toString).toList();
  }

  static <T extends HasMetadata> T with(T obj, Consumer<T> change) {
    change.accept(obj);
    return obj;
  }

  // ---------------------------------------------------------------- valid objects

  @Test
  void validObjectsPass() {
    assertThat(create(pod())).isEmpty();
    assertThat(create(deployment())).isEmpty();
    assertThat(create(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())).isEmpty();
    assertThat(create(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build())).isEmpty();
  }

  // ---------------------------------------------------------------- create errors

  static Stream<Arguments> createErrors() {
    return Stream.of(
        Arguments.of("name required", with(pod(), p -> p.getMetadata().setName(null)),
            "metadata.name: Required value: name or generateName is required"),
        Arguments.of("bad pod name", with(pod(), p -> p.getMetadata().setName("Bad_Name")),
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        Arguments.of("namespace required", with(pod(), p -> p.getMetadata().setNamespace(null)),
            "metadata.namespace: Required value"),
        Arguments.of("bad label value", with(pod(), p -> p.getMetadata().setLabels(Map.of("app", "a b"))),
            "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        Arguments.of("bad finalizer", with(pod(), p -> p.getMetadata().setFinalizers(List.of("cleanup"))),
            "metadata.finalizers[0]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified"),
        Arguments.of("two controllers", with(pod(), p -> p.getMetadata().setOwnerReferences(List.of(
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("a")
                .withUid("1").withController(true).build(),
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("b")
                .withUid("2").withController(true).build()))),
            "metadata.ownerReferences: Invalid value: []v1.OwnerReference{...}: Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and ReplicaSet/b"),
        Arguments.of("owner uid required", with(pod(), p -> p.getMetadata().setOwnerReferences(List.of(
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName("a").build()))),
            "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"),
        Arguments.of("containers required", with(pod(), p -> p.getSpec().setContainers(List.of())),
            "spec.containers: Required value"),
        Arguments.of("image required", with(pod(), p -> p.getSpec().getContainers().get(0).setImage(null)),
            "spec.containers[0].image: Required value"),
        Arguments.of("container name", with(pod(), p -> p.getSpec().getContainers().get(0).setName("C")),
            "spec.containers[0].name: Invalid value: \"C\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        Arguments.of("duplicate across init", with(pod(), p -> p.getSpec().setInitContainers(List.of(
            new ContainerBuilder().withName("c").withImage("busybox:1").build()))),
            "spec.initContainers[0].name: Duplicate value: \"c\""),
        Arguments.of("restart policy", with(pod(), p -> p.getSpec().setRestartPolicy("Sometimes")),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        Arguments.of("dns policy", with(pod(), p -> p.getSpec().setDnsPolicy("Google")),
            "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""),
        Arguments.of("container port range", with(pod(), p -> p.getSpec().getContainers().get(0).setPorts(List.of(
            new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withContainerPort(70000).build()))),
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
        Arguments.of("port protocol", with(pod(), p -> p.getSpec().getContainers().get(0).setPorts(List.of(
            new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withContainerPort(80).withProtocol("HTTP").build()))),
            "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        Arguments.of("env name", with(pod(), p -> p.getSpec().getContainers().get(0).setEnv(List.of(
            new io.fabric8.kubernetes.api.model.EnvVar("A=B", "x", null)))),
            "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
        Arguments.of("unparsable quantity", with(pod(), p -> p.getSpec().getContainers().get(0).setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("12XY")).build())),
            "spec.containers[0].resources.limits[memory]: Invalid value: \"12XY\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        Arguments.of("request above limit", with(pod(), p -> p.getSpec().getContainers().get(0).setResources(
            new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("1")).addToRequests("cpu", new Quantity("2")).build())),
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
        Arguments.of("toleration exists with value", with(pod(), p -> p.getSpec().setTolerations(List.of(
            new Toleration("NoSchedule", "k", "Exists", null, "v")))),
            "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"),
        Arguments.of("toleration seconds need NoExecute", with(pod(), p -> p.getSpec().setTolerations(List.of(
            new Toleration("NoSchedule", "k", "Exists", 30L, null)))),
            "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"),
        Arguments.of("toleration effect", with(pod(), p -> p.getSpec().setTolerations(List.of(
            new Toleration("Sometimes", "k", "Exists", null, null)))),
            "spec.tolerations[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        Arguments.of("node selector", with(pod(), p -> p.getSpec().setNodeSelector(Map.of("disk", "fast ssd"))),
            "spec.nodeSelector: Invalid value: \"fast ssd\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        Arguments.of("active deadline", with(pod(), p -> p.getSpec().setActiveDeadlineSeconds(0L)),
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"),
        Arguments.of("duplicate volume", with(pod(), p -> p.getSpec().setVolumes(List.of(
            new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("v").withNewEmptyDir().endEmptyDir().build(),
            new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("v").withNewEmptyDir().endEmptyDir().build()))),
            "spec.volumes[1].name: Duplicate value: \"v\""),
        Arguments.of("two volume sources", with(pod(), p -> p.getSpec().setVolumes(List.of(
            new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("v").withNewEmptyDir().endEmptyDir()
                .withNewHostPath().withPath("/tmp").endHostPath().build()))),
            "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"),
        Arguments.of("mount of unknown volume", with(pod(), p -> p.getSpec().getContainers().get(0).setVolumeMounts(List.of(
            new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("data").withMountPath("/data").build()))),
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\""),
        Arguments.of("deployment selector required", with(deployment(), d -> d.getSpec().setSelector(null)),
            "spec.selector: Required value"),
        Arguments.of("deployment template labels", with(deployment(), d -> d.getSpec().getTemplate().getMetadata()
            .setLabels(Map.of("app", "api"))),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"),
        Arguments.of("deployment empty selector", with(deployment(), d -> d.getSpec().setSelector(
            new io.fabric8.kubernetes.api.model.LabelSelector())),
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"),
        Arguments.of("deployment replicas", with(deployment(), d -> d.getSpec().setReplicas(-1)),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        Arguments.of("deployment restart policy", with(deployment(), d -> d.getSpec().getTemplate().getSpec().setRestartPolicy("Never")),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
        Arguments.of("deployment surge and unavailable zero", with(deployment(), d -> d.getSpec().setStrategy(
            new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build())),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"),
        Arguments.of("deployment over 100 percent", with(deployment(), d -> d.getSpec().setStrategy(
            new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString("150%")).endRollingUpdate().build())),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%"),
        Arguments.of("namespace name is a label", new NamespaceBuilder().withNewMetadata().withName("a.b").endMetadata().build(),
            "metadata.name: Invalid value: \"a.b\": must not contain dots"),
        Arguments.of("namespace on a cluster-scoped kind", new NodeBuilder().withNewMetadata().withName("n1").withNamespace("default")
            .endMetadata().build(),
            "metadata.namespace: Forbidden: not allowed on this type"),
        Arguments.of("taint effect", with(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build(),
            n -> n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpecBuilder().withTaints(new Taint("Sometimes", "k", null, "v")).build())),
            "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        Arguments.of("duplicate taint", with(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build(),
            n -> n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpecBuilder().withTaints(new Taint("NoSchedule", "k", null, "a"),
                new Taint("NoSchedule", "k", null, "b")).build())),
            "metadata.taints[1]: Duplicate value: core.Taint{Key:\"k\", Value:\"b\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"),
        Arguments.of("event namespace mismatch", new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("e.1")
            .withNamespace("default").endMetadata().withNewInvolvedObject().withKind("Pod").withName("web").withNamespace("other")
            .endInvolvedObject().build(),
            "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"),
        Arguments.of("lease duration", new LeaseBuilder().withNewMetadata().withName("node-1").withNamespace("kube-node-lease")
            .endMetadata().withNewSpec().withLeaseDurationSeconds(0).endSpec().build(),
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createErrors")
  void createReportsGoErrors(String name, HasMetadata obj, String expected) {
    assertThat(create(obj)).contains(expected);
  }

  // ---------------------------------------------------------------- updates

  @Test
  void podUpdateMayChangeTheImage() {
    Pod old = pod();
    old.getMetadata().setResourceVersion("1");
    Defaults.apply(old);
    Pod updated = copy(old);
    updated.getSpec().getContainers().get(0).setImage("nginx:1.28");
    assertThat(Validation.validateUpdate(old, updated)).isEmpty();
  }

  @Test
  void podUpdateMayNotChangeOtherFields() {
    Pod old = pod();
    old.getMetadata().setResourceVersion("1");
    Defaults.apply(old);
    Pod updated = copy(old);
    updated.getSpec().setRestartPolicy("Never");
    List<FieldError> errs = Validation.validateUpdate(old, updated);
    assertThat(errs).hasSize(1);
    assertThat(errs.get(0).toString()).startsWith("spec: Forbidden: pod updates may not change fields other than "
        + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),"
        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n");
    assertThat(errs.get(0).toString()).contains("restartPolicy");
  }

  @Test
  void podUpdateMayOnlyAddTolerations() {
    Pod old = pod();
    old.getMetadata().setResourceVersion("1");
    old.getSpec().setTolerations(List.of(new Toleration("NoExecute", "a", "Exists", 10L, null)));
    Defaults.apply(old);
    Pod added = copy(old);
    added.getSpec().setTolerations(List.of(new Toleration("NoExecute", "a", "Exists", 5L, null),
        new Toleration("NoSchedule", "b", "Exists", null, null)));
    assertThat(Validation.validateUpdate(old, added)).isEmpty();
    Pod removed = copy(old);
    removed.getSpec().setTolerations(List.of());
    assertThat(Validation.validateUpdate(old, removed)).extracting(FieldError::toString)
        .contains("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
  }

  @Test
  void nameAndUidAreImmutable() {
    Pod old = pod();
    old.getMetadata().setResourceVersion("1");
    old.getMetadata().setUid("u1");
    Defaults.apply(old);
    Pod updated = copy(old);
    updated.getMetadata().setUid("u2");
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("metadata.uid: Invalid value: \"u2\": field is immutable");
  }

  @Test
  void updateRequiresAResourceVersion() {
    Pod old = pod();
    Defaults.apply(old);
    Pod updated = copy(old);
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("metadata.resourceVersion: Invalid value: \"\": must be specified for an update");
  }

  @Test
  void deploymentSelectorIsImmutable() {
    Deployment old = deployment();
    old.getMetadata().setResourceVersion("1");
    Defaults.apply(old);
    Deployment updated = copy(old);
    updated.getSpec().getSelector().setMatchLabels(Map.of("app", "web", "tier", "fe"));
    updated.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web", "tier", "fe"));
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"fe\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }

  @Test
  void replicaSetValidatesLikeDeployment() {
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("rs").withNamespace("default").endMetadata().withNewSpec()
        .withNewSelector().addToMatchLabels("app", "web").endSelector().withTemplate(deployment().getSpec().getTemplate()).endSpec()
        .build();
    assertThat(create(rs)).isEmpty();
    rs.getSpec().getTemplate().getMetadata().setLabels(Map.of());
    assertThat(create(rs)).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`");
  }

  @Test
  void namespaceStatusMustBeActiveUnlessDeleting() {
    Namespace old = new NamespaceBuilder().withNewMetadata().withName("a").withResourceVersion("1").endMetadata().build();
    Defaults.apply(old);
    Namespace updated = copy(old);
    updated.getStatus().setPhase("Terminating");
    assertThat(Validation.validateStatusUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
  }

  @Test
  void nodeProviderIdMayOnlyBeSetOnce() {
    Node old = new NodeBuilder().withNewMetadata().withName("n1").withResourceVersion("1").endMetadata().withNewSpec()
        .withProviderID("kubesim://n1").endSpec().build();
    Node updated = copy(old);
    updated.getSpec().setProviderID("kubesim://n2");
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid");
  }

  @Test
  void nodeStatusUpdateChecksNewQuantitiesAndTakesTheStoredOnesAsChecked() {
    Node old = new NodeBuilder().withNewMetadata().withName("n1").withResourceVersion("1").endMetadata()
        .withNewStatus().addToCapacity("cpu", new Quantity("4")).addToAllocatable("cpu", new Quantity("4")).endStatus()
        .build();
    // A heartbeat: a new status sharing the stored node's quantity maps.
    Node heartbeat = io.kubesim.shared.util.ShallowCopy.of(old);
    heartbeat.setStatus(io.kubesim.shared.util.ShallowCopy.of(old.getStatus()));
    heartbeat.getStatus().setConditions(List.of());
    assertThat(Validation.validateStatusUpdate(old, heartbeat)).isEmpty();
    // New maps are checked, each on its own.
    Node changed = copy(old);
    changed.getStatus().setAllocatable(Map.of("cpu", new Quantity("-1")));
    assertThat(Validation.validateStatusUpdate(old, changed)).extracting(FieldError::toString)
        .containsExactly("status.allocatable.cpu: Invalid value: \"-1\": must be greater than or equal to 0");
    Node both = copy(old);
    both.getStatus().setCapacity(Map.of("cpu", new Quantity("-2")));
    both.getStatus().setAllocatable(old.getStatus().getAllocatable());
    assertThat(Validation.validateStatusUpdate(old, both)).extracting(FieldError::toString)
        .containsExactly("status.capacity.cpu: Invalid value: \"-2\": must be greater than or equal to 0");
  }

  @Test
  void leaseUpdateKeepsMetadataRules() {
    Lease old = new LeaseBuilder().withNewMetadata().withName("n1").withNamespace("kube-node-lease").withResourceVersion("1")
        .endMetadata().withNewSpec().withHolderIdentity("n1").withLeaseDurationSeconds(40).endSpec().build();
    Lease updated = copy(old);
    updated.getSpec().setLeaseTransitions(-1);
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void errorsRenderAsKubectlShowsThem() {
    Pod p = with(pod(), x -> x.getSpec().setContainers(List.of()));
    p.getMetadata().setName("bad");
    assertThat("The Pod \"bad\" is invalid: " + create(p).get(0)).isEqualTo("The Pod \"bad\" is invalid: spec.containers: Required value");
  }
}
