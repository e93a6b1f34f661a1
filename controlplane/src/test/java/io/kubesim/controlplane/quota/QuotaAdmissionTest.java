package io.kubesim.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.kubesim.shared.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ResourceQuota admission plugin's arithmetic and messages (plugin/pkg/admission/resourcequota
 * controller.go checkRequest; pkg/quota/v1/evaluator/core pods.go Constraints), as kube-apiserver
 * 1.34 words them after {@code pods "x" is forbidden: }.
 */
class QuotaAdmissionTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static ResourceQuota quota(String name, String hard, String used) {
    return Json.YAML.readValue("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: " + name
        + "\n  namespace: default\nspec:\n  hard: {" + hard + "}\nstatus:\n  hard: {" + hard + "}\n  used: {" + used
        + "}\n", ResourceQuota.class);
  }

  static Pod pod(String containers) {
    return Json.YAML.readValue("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\nspec:\n"
        + "  containers:\n" + containers, Pod.class);
  }

  static String container(String name, String resources) {
    return "  - name: " + name + "\n    image: nginx\n    resources: {" + resources + "}\n";
  }

  static final String SMALL = "requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}";

  static String outcome(List<ResourceQuota> quotas, HasMetadata o) {
    QuotaAdmission.Outcome r = QuotaAdmission.check(quotas, o, null, "CREATE", NOW);
    if (r instanceof QuotaAdmission.Forbidden f) {
      return f.reason();
    }
    QuotaAdmission.Admitted a = (QuotaAdmission.Admitted) r;
    StringBuilder sb = new StringBuilder("admitted");
    a.used().forEach((q, used) -> sb.append(' ').append(q).append(": ").append(ResourceLists.prettyPrint(used)));
    return sb.toString();
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("a pod within the count", List.of(quota("q", "pods: \"2\"", "pods: \"1\"")),
            pod(container("app", SMALL)), "admitted q: pods=2"),
        Arguments.of("a pod past the count", List.of(quota("q", "pods: \"2\"", "pods: \"2\"")),
            pod(container("app", SMALL)),
            "exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2"),
        Arguments.of("only the exceeded resources are named",
            List.of(quota("q", "pods: \"5\", requests.cpu: \"1\"", "pods: \"1\", requests.cpu: 950m")),
            pod(container("app", SMALL)),
            "exceeded quota: q, requested: requests.cpu=100m, used: requests.cpu=950m, limited: requests.cpu=1"),
        Arguments.of("compute is summed over the containers",
            List.of(quota("q", "requests.cpu: \"1\", limits.memory: 1Gi", "requests.cpu: \"0\", limits.memory: \"0\"")),
            pod(container("app", SMALL) + container("side", SMALL)),
            "admitted q: limits.memory=256Mi,requests.cpu=200m"),
        Arguments.of("a quota on cpu requires every container to ask for it",
            List.of(quota("q", "requests.cpu: \"1\", limits.cpu: \"2\"", "requests.cpu: \"0\", limits.cpu: \"0\"")),
            pod(container("app", "") + container("side", "requests: {cpu: 100m}")),
            "failed quota: q: must specify limits.cpu for: app,side; requests.cpu for: app"),
        Arguments.of("cpu names the requests too", List.of(quota("q", "cpu: \"1\"", "cpu: \"0\"")),
            pod(container("app", "limits: {memory: 1Gi}")), "failed quota: q: must specify cpu for: app"),
        Arguments.of("the first quota by name that refuses decides", List.of(
            quota("b", "pods: \"1\"", "pods: \"1\""), quota("a", "pods: \"1\"", "pods: \"1\"")),
            pod(container("app", SMALL)), "exceeded quota: a, requested: pods=1, used: pods=1, limited: pods=1"),
        Arguments.of("a quota without status is not yet usable", List.of(Json.YAML.readValue(
            "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: default}\nspec:\n  hard: {pods: \"1\"}\n"
                + "status:\n  hard: {pods: \"1\"}\n", ResourceQuota.class)), pod(container("app", SMALL)),
            "status unknown for quota: q, resources: pods"),
        Arguments.of("a quota on other things ignores the pod", List.of(quota("q", "services: \"1\"", "services: \"1\"")),
            pod(container("app", SMALL)), "admitted"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void admitsOrRefusesWithKubernetesMessage(String what, List<ResourceQuota> quotas, Pod pod, String expected) {
    assertThat(outcome(quotas, pod)).isEqualTo(expected);
  }

  @Test
  void objectCountsUseTheCountSyntax() {
    ConfigMap cm = (ConfigMap) Json.YAML.readValue("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
        + "namespace: default}\ndata: {a: b}\n", KubernetesResource.class);
    assertThat(outcome(List.of(quota("q", "count/configmaps: \"1\", configmaps: \"3\"",
        "count/configmaps: \"1\", configmaps: \"1\"")), cm))
        .isEqualTo("exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, "
            + "limited: count/configmaps=1");
  }

  @Test
  void anyNamespacedKindIsCountedAsCountResourceGroup() {
    HasMetadata d = (HasMetadata) Json.YAML.readValue("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, "
        + "namespace: default}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: "
        + "{app: web}}\n    spec:\n      containers:\n      - {name: app, image: nginx}\n", KubernetesResource.class);
    assertThat(outcome(List.of(quota("q", "count/deployments.apps: \"2\"", "count/deployments.apps: \"2\"")), d))
        .isEqualTo("exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=2, "
            + "limited: count/deployments.apps=2");
  }

  @Test
  void claimsAreChargedTheirStorageAndTheirClass() {
    HasMetadata pvc = (HasMetadata) Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: "
        + "{name: d, namespace: default}\nspec:\n  storageClassName: standard\n  accessModes: [ReadWriteOnce]\n"
        + "  resources: {requests: {storage: 2Gi}}\n", KubernetesResource.class);
    assertThat(outcome(List.of(quota("q", "persistentvolumeclaims: \"5\", requests.storage: 10Gi, "
        + "standard.storageclass.storage.k8s.io/requests.storage: 1Gi", "persistentvolumeclaims: \"0\", "
        + "requests.storage: \"0\", standard.storageclass.storage.k8s.io/requests.storage: \"0\"")), pvc))
        .isEqualTo("exceeded quota: q, requested: standard.storageclass.storage.k8s.io/requests.storage=2Gi, "
            + "used: standard.storageclass.storage.k8s.io/requests.storage=0, "
            + "limited: standard.storageclass.storage.k8s.io/requests.storage=1Gi");
  }

  @Test
  void anUpdateIsChargedOnlyWhatItAdds() {
    ResourceQuota q = quota("q", "pods: \"1\"", "pods: \"1\"");
    Pod old = pod(container("app", SMALL));
    old.getMetadata().setResourceVersion("5");
    Pod updated = pod(container("app", SMALL));
    updated.getMetadata().setLabels(java.util.Map.of("a", "b"));
    assertThat(QuotaAdmission.check(List.of(q), updated, old, "UPDATE", NOW))
        .isInstanceOf(QuotaAdmission.Admitted.class);
  }
}
