package io.kubesim.controlplane.controller.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The persistent volume controller and kubesim's provisioner against a real apiserver: static
 * binding to the smallest fitting volume, dynamic provisioning through the default class, and
 * reclaiming by policy.
 */
class PersistentVolumeControllerTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    h.spawn(PersistentVolumeController.create(h.context(), PersistentVolumeController.Settings.DEFAULT), "pv");
    h.spawn(SimulatedProvisioner.create(h.context(), true), "provisioner");
    // the protection finalizers that admission adds are removed by these
    h.spawn(PvcProtectionController.create(h.context()), "pvc-protection");
    h.spawn(PvProtectionController.create(h.context()), "pv-protection");
    h.advance(Duration.ofSeconds(1));
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

  private void volume(String name, String size, String policy) {
    h.created(yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: " + name + "}\nspec:\n"
        + "  capacity: {storage: " + size + "}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n"
        + "  persistentVolumeReclaimPolicy: " + policy + "\n  hostPath: {path: /mnt/" + name + "}\n"));
  }

  private void claim(String name, String size, String storageClass) {
    h.created(yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: " + name + ", namespace: default}\n"
        + "spec:\n" + (storageClass == null ? "" : "  storageClassName: " + storageClass + "\n")
        + "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: " + size + "}}\n"));
  }

  private PersistentVolumeClaim getClaim(String name) {
    return h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", name), PersistentVolumeClaim.class);
  }

  private PersistentVolume getVolume(String name) {
    return h.ok(h.get(Resources.PERSISTENTVOLUMES, null, name), PersistentVolume.class);
  }

  @Test
  void aClaimBindsToTheSmallestVolumeThatFits() {
    volume("pv-1g", "1Gi", "Retain");
    volume("pv-5g", "5Gi", "Retain");
    volume("pv-10g", "10Gi", "Retain");
    h.advance(Duration.ofSeconds(1));
    claim("data", "3Gi", "manual");
    h.advance(Duration.ofSeconds(1));
    PersistentVolumeClaim c = getClaim("data");
    assertThat(c.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(c.getSpec().getVolumeName()).isEqualTo("pv-5g");
    assertThat(c.getStatus().getCapacity().get("storage").toString()).isEqualTo("5Gi");
    PersistentVolume v = getVolume("pv-5g");
    assertThat(v.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(v.getSpec().getClaimRef().getName()).isEqualTo("data");
    assertThat(getVolume("pv-1g").getStatus().getPhase()).isEqualTo("Available");
  }

  @Test
  void aRetainedVolumeIsReleasedWhenItsClaimGoes() {
    volume("pv-5g", "5Gi", "Retain");
    h.advance(Duration.ofSeconds(1));
    claim("data", "1Gi", "manual");
    h.advance(Duration.ofSeconds(1));
    h.delete(Resources.PERSISTENTVOLUMECLAIMS, "default", "data", null);
    h.advance(Duration.ofSeconds(1));
    assertThat(getVolume("pv-5g").getStatus().getPhase()).isEqualTo("Released");
  }

  @Test
  void aClaimWithoutAClassIsProvisionedFromTheDefaultClass() {
    claim("data", "2Gi", null);
    h.advance(Duration.ofSeconds(1));
    PersistentVolumeClaim c = getClaim("data");
    assertThat(c.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(c.getStatus().getPhase()).isEqualTo("Bound");
    PersistentVolume v = getVolume(c.getSpec().getVolumeName());
    assertThat(v.getMetadata().getName()).isEqualTo("pvc-" + c.getMetadata().getUid());
    assertThat(v.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(v.getSpec().getCapacity().get("storage").toString()).isEqualTo("2Gi");
  }

  @Test
  void aProvisionedVolumeIsDeletedWithItsClaim() {
    claim("data", "2Gi", null);
    h.advance(Duration.ofSeconds(1));
    String volume = getClaim("data").getSpec().getVolumeName();
    h.delete(Resources.PERSISTENTVOLUMECLAIMS, "default", "data", null);
    h.advance(Duration.ofSeconds(2));
    assertThat(h.failed(h.get(Resources.PERSISTENTVOLUMES, null, volume)).code()).isEqualTo(404);
    assertThat(h.list(Resources.PERSISTENTVOLUMES, null, ListOptions.ALL).items()).isEmpty();
  }

  @Test
  void aClaimOfAClassWithoutVolumesNorProvisionerStaysPending() {
    claim("data", "1Gi", "gold");
    h.advance(Duration.ofSeconds(20));
    assertThat(getClaim("data").getStatus().getPhase()).isEqualTo("Pending");
  }
}
