package io.kubesim.controlplane.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.kubesim.controlplane.controller.resourcequota.ResourceQuotaController;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quota and LimitRange admission in the apiserver, with the resourcequota controller keeping the
 * quota's status: what a client sees (403 and kube-apiserver's message) and what the quota shows.
 */
class QuotaEnforcementTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    h.spawn(ResourceQuotaController.create(h.context(), ResourceQuotaController.Settings.DEFAULT), "resourcequota");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static <T extends HasMetadata> T yaml(String text) {
    @SuppressWarnings("unchecked")
    T t = (T) Json.YAML.readValue(text, KubernetesResource.class);
    return t;
  }

  private static Pod pod(String name, String resources) {
    return yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: default}\nspec:\n"
        + "  containers:\n  - name: app\n    image: nginx\n    resources: {" + resources + "}\n");
  }

  private ResourceQuota quota() {
    return h.ok(h.get(Resources.RESOURCEQUOTAS, "default", "q"), ResourceQuota.class);
  }

  private void createQuota(String hard) {
    h.created(yaml("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: default}\nspec:\n"
        + "  hard: {" + hard + "}\n"));
    h.advance(Duration.ofSeconds(1));
  }

  @Test
  void theControllerFillsInHardAndUsed() {
    h.created(pod("before", ""));
    createQuota("pods: \"3\"");
    assertThat(quota().getStatus().getHard().get("pods").toString()).isEqualTo("3");
    assertThat(quota().getStatus().getUsed().get("pods").toString()).isEqualTo("1");
  }

  @Test
  void aPodPastTheCountIsForbiddenWithTheQuotasNumbers() {
    createQuota("pods: \"2\"");
    h.created(pod("p1", ""));
    h.created(pod("p2", ""));
    var failed = h.failed(h.create(pod("p3", "")));
    assertThat(failed.code()).isEqualTo(403);
    assertThat(failed.status().getMessage()).isEqualTo(
        "pods \"p3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    assertThat(quota().getStatus().getUsed().get("pods").toString()).isEqualTo("2");
  }

  @Test
  void deletingAPodGivesItsShareBack() {
    createQuota("pods: \"1\"");
    h.created(pod("p1", ""));
    h.delete(Resources.PODS, "default", "p1", new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
        .withGracePeriodSeconds(0L).build());
    h.advance(Duration.ofSeconds(1));
    assertThat(quota().getStatus().getUsed().get("pods").toString()).isEqualTo("0");
    h.created(pod("p2", ""));
  }

  @Test
  void aComputeQuotaRequiresRequestsAndLimits() {
    createQuota("requests.cpu: \"1\", limits.cpu: \"2\"");
    var failed = h.failed(h.create(pod("p", "requests: {cpu: 100m}")));
    assertThat(failed.status().getMessage()).isEqualTo("pods \"p\" is forbidden: failed quota: q: must specify "
        + "limits.cpu for: app");
  }

  @Test
  void limitRangeDefaultsSatisfyAComputeQuota() {
    h.created(yaml("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: default}\nspec:\n  limits:\n"
        + "  - type: Container\n    default: {cpu: 500m}\n"));
    createQuota("requests.cpu: \"1\", limits.cpu: \"2\"");
    Pod p = h.created(pod("p", ""));
    assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString())
        .isEqualTo("500m");
    h.advance(Duration.ofSeconds(1));
    assertThat(quota().getStatus().getUsed().get("limits.cpu").toString()).isEqualTo("500m");
  }

  @Test
  void aPodOverTheLimitRangeMaximumIsForbidden() {
    h.created(yaml("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: default}\nspec:\n  limits:\n"
        + "  - type: Container\n    max: {cpu: \"1\"}\n"));
    var failed = h.failed(h.create(pod("big", "requests: {cpu: 500m}, limits: {cpu: \"2\"}")));
    assertThat(failed.code()).isEqualTo(403);
    assertThat(failed.status().getMessage()).isEqualTo(
        "pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
  }

  @Test
  void aClaimOverTheLimitRangeMaximumIsForbidden() {
    LimitRange lr = yaml("apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: default}\nspec:\n"
        + "  limits:\n  - type: PersistentVolumeClaim\n    max: {storage: 5Gi}\n");
    h.created(lr);
    PersistentVolumeClaim pvc = yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d, "
        + "namespace: default}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 10Gi}}\n");
    var failed = h.failed(h.create(pvc));
    assertThat(failed.status().getMessage()).isEqualTo("persistentvolumeclaims \"d\" is forbidden: maximum storage "
        + "usage per PersistentVolumeClaim is 5Gi, but request is 10Gi");
  }
}
