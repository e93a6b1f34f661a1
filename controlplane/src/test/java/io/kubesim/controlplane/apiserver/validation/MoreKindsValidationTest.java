package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.ValidationTest.copy;
import static io.kubesim.controlplane.apiserver.validation.ValidationTest.create;
import static io.kubesim.controlplane.apiserver.validation.ValidationTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kubesim.shared.api.FieldError;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Jobs, CronJobs, Services, storage, networking, policy, scheduling and discovery kinds. */
class MoreKindsValidationTest {

  static PodTemplateSpecBuilder template(String restartPolicy) {
    return new PodTemplateSpecBuilder().withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("c")
        .withImage("busybox:1.36").endContainer().endSpec();
  }

  static Job job() {
    return new JobBuilder().withNewMetadata().withName("pi").withNamespace("default").withUid("0b1c").endMetadata()
        .withNewSpec().withTemplate(template("Never").build()).endSpec().build();
  }

  static CronJob cronJob() {
    return new CronJobBuilder().withNewMetadata().withName("tick").withNamespace("default").endMetadata().withNewSpec()
        .withSchedule("*/1 * * * *").withNewJobTemplate().withNewSpec().withTemplate(template("OnFailure").build()).endSpec()
        .endJobTemplate().endSpec().build();
  }

  static Service service() {
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata().withNewSpec()
        .addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build();
  }

  static Ingress ingress() {
    return new IngressBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata().withNewSpec().addNewRule()
        .withHost("example.com").withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
        .withName("web").withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
  }

  @Test
  void validObjectsPass() {
    Job j = job();
    assertThat(create(j)).isEmpty();
    assertThat(j.getSpec().getSelector().getMatchLabels()).containsEntry("batch.kubernetes.io/controller-uid", "0b1c");
    assertThat(j.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "pi")
        .containsEntry("job-name", "pi").containsEntry("controller-uid", "0b1c");
    assertThat(create(cronJob())).isEmpty();
    assertThat(create(service())).isEmpty();
    assertThat(create(ingress())).isEmpty();
    assertThat(create(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("d").endMetadata()
        .withData(Map.of("app.properties", "x=1")).build())).isEmpty();
    assertThat(create(new StorageClassBuilder().withNewMetadata().withName("standard").endMetadata()
        .withProvisioner("rancher.io/local-path").build())).isEmpty();
  }

  static Stream<Arguments> createErrors() {
    return Stream.of(
        Arguments.of("job restart policy", with(job(), j -> j.getSpec().getTemplate().getSpec().setRestartPolicy(null)),
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        Arguments.of("job without uid", with(job(), j -> j.getMetadata().setUid(null)), "metadata.uid: Required value"),
        Arguments.of("job negative backoff", with(job(), j -> j.getSpec().setBackoffLimit(-1)),
            "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"),
        Arguments.of("indexed job needs completions", with(job(), j -> {
          j.getSpec().setCompletionMode("Indexed");
          j.getSpec().setParallelism(2);
        }), "spec.completions: Required value: when completion mode is Indexed"),
        Arguments.of("cron schedule required", with(cronJob(), c -> c.getSpec().setSchedule(null)), "spec.schedule: Required value"),
        Arguments.of("cron schedule parse", with(cronJob(), c -> c.getSpec().setSchedule("every minute")),
            "spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]"),
        Arguments.of("cron TZ in schedule", with(cronJob(), c -> c.getSpec().setSchedule("TZ=UTC 0 * * * *")),
            "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        Arguments.of("cron concurrency", with(cronJob(), c -> c.getSpec().setConcurrencyPolicy("Sometimes")),
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""),
        Arguments.of("cron name length", with(cronJob(), c -> c.getMetadata().setName("a".repeat(53))),
            "metadata.name: Invalid value: \"" + "a".repeat(53) + "\": must be no more than 52 characters"),
        Arguments.of("service name is DNS-1035", with(service(), s -> s.getMetadata().setName("1web")),
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        Arguments.of("service ports required", with(service(), s -> s.getSpec().setPorts(List.of())), "spec.ports: Required value"),
        Arguments.of("service port range", with(service(), s -> s.getSpec().getPorts().get(0).setPort(0)),
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
        Arguments.of("service port names", with(service(), s -> s.getSpec().setPorts(List.of(
            new ServicePortBuilder().withPort(80).build(), new ServicePortBuilder().withPort(443).build()))),
            "spec.ports[0].name: Required value"),
        Arguments.of("service type", with(service(), s -> s.getSpec().setType("Internal")),
            "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        Arguments.of("node port range", with(service(), s -> {
          s.getSpec().setType("NodePort");
          s.getSpec().getPorts().get(0).setNodePort(80);
        }), "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"),
        Arguments.of("node port on ClusterIP", with(service(), s -> s.getSpec().getPorts().get(0).setNodePort(30080)),
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        Arguments.of("configmap key", new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("d").endMetadata()
            .withData(Map.of("a b", "x")).build(),
            "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
        Arguments.of("configmap size", new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("d").endMetadata()
            .withData(Map.of("big", "x".repeat(1024 * 1024 + 1))).build(),
            "[]: Too long: may not be more than 1048576 bytes"),
        Arguments.of("tls secret keys", new SecretBuilder().withNewMetadata().withName("s").withNamespace("d").endMetadata()
            .withType("kubernetes.io/tls").build(), "data[tls.crt]: Required value"),
        Arguments.of("pvc access modes", new PersistentVolumeClaimBuilder().withNewMetadata().withName("c").withNamespace("d").endMetadata()
            .withNewSpec().withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build(),
            "spec.accessModes: Required value: at least 1 access mode is required"),
        Arguments.of("pvc storage request", new PersistentVolumeClaimBuilder().withNewMetadata().withName("c").withNamespace("d").endMetadata()
            .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build(), "spec.resources[storage]: Required value"),
        Arguments.of("pv source", new PersistentVolumeBuilder().withNewMetadata().withName("pv").endMetadata().withNewSpec()
            .withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("1Gi")).endSpec().build(),
            "spec: Required value: must specify a volume type"),
        Arguments.of("storage class provisioner", new StorageClassBuilder().withNewMetadata().withName("s").endMetadata().build(),
            "provisioner: Required value"),
        Arguments.of("ingress pathType", with(ingress(), i -> i.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPathType(null)),
            "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"),
        Arguments.of("ingress relative path", with(ingress(), i -> i.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("api")),
            "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"),
        Arguments.of("ingress backend port", with(ingress(), i -> i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend()
            .getService().setPort(null)), "spec.rules[0].http.paths[0].backend: Required value: port name or number is required"),
        Arguments.of("pdb both set", new PodDisruptionBudgetBuilder().withNewMetadata().withName("p").withNamespace("d").endMetadata()
            .withNewSpec().withMinAvailable(new IntOrString(1)).withMaxUnavailable(new IntOrString("50%")).endSpec().build(),
            "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:1, MaxUnavailable:50%}: minAvailable and maxUnavailable cannot be both set"),
        Arguments.of("priority too high", new PriorityClassBuilder().withNewMetadata().withName("urgent").endMetadata()
            .withValue(2_000_000_000).build(), "value: Forbidden: maximum allowed value of a user defined priority is 1000000000"),
        Arguments.of("endpointslice address type", new EndpointSliceBuilder().withNewMetadata().withName("e").withNamespace("d")
            .endMetadata().withAddressType("IPv5").build(),
            "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""),
        Arguments.of("endpointslice address", new EndpointSliceBuilder().withNewMetadata().withName("e").withNamespace("d")
            .endMetadata().withAddressType("IPv4").addNewEndpoint().withAddresses("10.0.0.300").endEndpoint().build(),
            "endpoints[0].addresses[0]: Invalid value: \"10.0.0.300\": must be a valid IPv4 address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createErrors")
  void createReportsGoErrors(String name, HasMetadata obj, String expected) {
    assertThat(create(obj)).contains(expected);
  }

  @Test
  void clusterIpMayNotChange() {
    Service old = service();
    old.getMetadata().setResourceVersion("1");
    old.getSpec().setClusterIP("10.96.0.10");
    old.getSpec().setClusterIPs(List.of("10.96.0.10"));
    create(old);
    Service updated = copy(old);
    updated.getSpec().setClusterIP("10.96.0.11");
    updated.getSpec().setClusterIPs(List.of("10.96.0.11"));
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
  }

  @Test
  void jobTemplateIsImmutableOnceStarted() {
    Job old = job();
    old.getMetadata().setResourceVersion("1");
    create(old);
    Job updated = copy(old);
    updated.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("busybox:1.37");
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");
  }

  @Test
  void immutableConfigMapKeepsItsData() {
    var old = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("d").withResourceVersion("1").endMetadata()
        .withImmutable(true).withData(Map.of("k", "v")).build();
    var updated = copy(old);
    updated.setData(Map.of("k", "w"));
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
  }

  @Test
  void storageClassParametersAreImmutable() {
    var old = new StorageClassBuilder().withNewMetadata().withName("s").withResourceVersion("1").endMetadata().withProvisioner("a.io/b")
        .withParameters(Map.of("type", "ssd")).build();
    create(old);
    var updated = copy(old);
    updated.setParameters(Map.of("type", "hdd"));
    assertThat(Validation.validateUpdate(old, updated)).extracting(FieldError::toString)
        .containsExactly("parameters: Forbidden: updates to parameters are forbidden.");
  }
}
