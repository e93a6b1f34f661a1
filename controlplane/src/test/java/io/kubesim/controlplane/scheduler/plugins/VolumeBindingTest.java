package io.kubesim.controlplane.scheduler.plugins;

import static io.kubesim.controlplane.scheduler.plugins.Make.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.scheduler.ClusterFixture;
import io.kubesim.shared.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VolumeBinding's PreFilter and Filter (pkg/scheduler/framework/plugins/volumebinding): missing,
 * unbound-immediate and bound claims, and WaitForFirstConsumer claims matched to volumes or to a
 * provisioner per node, with the scheduler's reasons.
 */
class VolumeBindingTest {

  private ClusterFixture cluster;

  @BeforeEach
  void twoNodes() {
    cluster = new ClusterFixture().nodes(node("w1", "cpu", "4", "memory", "8Gi", "pods", "110").build(),
        node("w2", "cpu", "4", "memory", "8Gi", "pods", "110").build());
    storageClass("standard", "kubesim.io/simulated", "Immediate");
    storageClass("local", "kubernetes.io/no-provisioner", "WaitForFirstConsumer");
    storageClass("late", "kubesim.io/simulated", "WaitForFirstConsumer");
  }

  private void storageClass(String name, String provisioner, String mode) {
    cluster.storageClasses.put(name, Json.YAML.readValue("apiVersion: storage.k8s.io/v1\nkind: StorageClass\n"
        + "metadata: {name: " + name + "}\nprovisioner: " + provisioner + "\nvolumeBindingMode: " + mode + "\n",
        StorageClass.class));
  }

  private void claim(String name, String storageClass, String volumeName) {
    String bound = volumeName == null ? "status: {phase: Pending}\n" : "status: {phase: Bound}\n";
    PersistentVolumeClaim c = Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n"
        + "  name: " + name + "\n  namespace: default\n  uid: uid-" + name + "\n"
        + (volumeName == null ? "" : "  annotations: {pv.kubernetes.io/bind-completed: \"yes\"}\n")
        + "spec:\n  storageClassName: " + storageClass + "\n  accessModes: [ReadWriteOnce]\n"
        + "  resources: {requests: {storage: 1Gi}}\n" + (volumeName == null ? "" : "  volumeName: " + volumeName + "\n")
        + bound, PersistentVolumeClaim.class);
    cluster.claims.put("default/" + name, c);
  }

  private void localVolume(String name, String node) {
    cluster.volumes.put(name, Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: " + name
        + "}\nspec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: local\n"
        + "  local: {path: /mnt/disk}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n"
        + "      - matchExpressions:\n        - {key: kubernetes.io/hostname, operator: In, values: [" + node + "]}\n"
        + "status: {phase: Available}\n", PersistentVolume.class));
  }

  private static Pod podWithClaim(String claim) {
    return Json.YAML.readValue("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default, uid: uid-p}\n"
        + "spec:\n  containers:\n  - {name: app, image: nginx}\n  volumes:\n  - name: data\n"
        + "    persistentVolumeClaim: {claimName: " + claim + "}\n", Pod.class);
  }

  @Test
  void aPodWithoutClaimsIsNotConcerned() {
    Pod p = Make.pod("p").build();
    assertThat(cluster.reasons(p)).containsValues("", "");
  }

  @Test
  void aMissingClaimRejectsThePodOnEveryNode() {
    assertThat(cluster.reasons(podWithClaim("missing")))
        .containsEntry("w1", "persistentvolumeclaim \"missing\" not found")
        .containsEntry("w2", "persistentvolumeclaim \"missing\" not found");
  }

  @Test
  void anUnboundImmediateClaimWaitsForThePersistentVolumeController() {
    claim("data", "standard", null);
    assertThat(cluster.reasons(podWithClaim("data")).get("w1")).isEqualTo(VolumeBinding.ERR_UNBOUND_IMMEDIATE);
  }

  @Test
  void aBoundClaimFollowsItsVolumesNodeAffinity() {
    localVolume("disk-w2", "w2");
    claim("data", "local", "disk-w2");
    assertThat(cluster.reasons(podWithClaim("data"))).containsEntry("w1", VolumeBinding.ERR_REASON_NODE_CONFLICT)
        .containsEntry("w2", "");
  }

  @Test
  void aClaimBoundToAVolumeThatIsGoneFitsNowhere() {
    claim("data", "local", "vanished");
    assertThat(cluster.reasons(podWithClaim("data")).get("w1")).isEqualTo(VolumeBinding.ERR_REASON_PV_NOT_EXIST);
  }

  @Test
  void aWaitingClaimGoesWhereAnAvailableVolumeIs() {
    localVolume("disk-w1", "w1");
    claim("data", "local", null);
    assertThat(cluster.reasons(podWithClaim("data"))).containsEntry("w1", "")
        .containsEntry("w2", VolumeBinding.ERR_REASON_BIND_CONFLICT);
  }

  @Test
  void aWaitingClaimOfAProvisioningClassFitsEveryNode() {
    claim("data", "late", null);
    assertThat(cluster.reasons(podWithClaim("data"))).containsEntry("w1", "").containsEntry("w2", "");
  }
}
