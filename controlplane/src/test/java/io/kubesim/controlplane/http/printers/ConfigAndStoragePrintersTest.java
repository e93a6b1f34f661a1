package io.kubesim.controlplane.http.printers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rows of {@code kubectl get pv|pvc|quota|limitrange|sc|cm|secret|sa}, column for column as
 * pkg/printers/internalversion/printers.go prints them.
 */
class ConfigAndStoragePrintersTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
  private static final String META = "  creationTimestamp: \"2026-01-01T00:55:00Z\"\n";

  private static HasMetadata yaml(String text) {
    return (HasMetadata) Json.YAML.readValue(text, KubernetesResource.class);
  }

  private static List<String> header(ResourceType t) {
    return Printers.of(t).columns().stream().filter(c -> c.priority() == 0).map(c -> c.name().toUpperCase())
        .toList();
  }

  private static List<Object> cells(ResourceType t, String text) {
    List<Object> cells = Printers.of(t).row(yaml(text), NOW).cells();
    assertThat(cells).hasSameSizeAs(Printers.of(t).columns());
    return cells;
  }

  @Test
  void persistentVolumeColumnsAreThoseOfKubectl() {
    assertThat(header(Resources.PERSISTENTVOLUMES)).containsExactly("NAME", "CAPACITY", "ACCESS MODES",
        "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE");
  }

  @Test
  void boundPersistentVolumeNamesItsClaimAndClass() {
    assertThat(cells(Resources.PERSISTENTVOLUMES, "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\n"
        + META + "spec:\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteMany, ReadWriteOnce]\n"
        + "  persistentVolumeReclaimPolicy: Retain\n  storageClassName: manual\n  volumeMode: Filesystem\n"
        + "  claimRef: {namespace: default, name: data}\n  hostPath: {path: /mnt/data}\nstatus:\n  phase: Bound\n"))
        .containsExactly("pv1", "5Gi", "RWO,RWX", "Retain", "Bound", "default/data", "manual", "<unset>", "", "5m",
            "Filesystem");
  }

  @Test
  void persistentVolumeBeingDeletedIsTerminating() {
    assertThat(cells(Resources.PERSISTENTVOLUMES, "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\n"
        + META + "  deletionTimestamp: \"2026-01-01T00:59:00Z\"\n  finalizers: [kubernetes.io/pv-protection]\n"
        + "spec:\n  capacity: {storage: 1024Mi}\n  accessModes: [ReadOnlyMany]\n"
        + "  persistentVolumeReclaimPolicy: Delete\n  hostPath: {path: /mnt/data}\nstatus:\n  phase: Released\n"))
        .containsExactly("pv1", "1Gi", "ROX", "Delete", "Terminating", "", "", "<unset>", "", "5m", "<unset>");
  }

  @Test
  void persistentVolumeClaimColumnsAreThoseOfKubectl() {
    assertThat(header(Resources.PERSISTENTVOLUMECLAIMS)).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY",
        "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE");
  }

  @Test
  void boundClaimShowsTheVolumesCapacityNotItsRequest() {
    assertThat(cells(Resources.PERSISTENTVOLUMECLAIMS, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n"
        + "  name: data\n  namespace: default\n" + META + "spec:\n  accessModes: [ReadWriteOnce]\n"
        + "  resources: {requests: {storage: 3Gi}}\n  storageClassName: standard\n  volumeName: pv-medium\n"
        + "  volumeMode: Filesystem\nstatus:\n  phase: Bound\n  accessModes: [ReadWriteOnce]\n"
        + "  capacity: {storage: 5Gi}\n"))
        .containsExactly("data", "Bound", "pv-medium", "5Gi", "RWO", "standard", "<unset>", "5m", "Filesystem");
  }

  @Test
  void pendingClaimHasNoCapacityNorAccessModes() {
    assertThat(cells(Resources.PERSISTENTVOLUMECLAIMS, "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n"
        + "  name: huge\n  namespace: default\n" + META + "spec:\n  accessModes: [ReadWriteOnce]\n"
        + "  resources: {requests: {storage: 100Gi}}\n  storageClassName: \"\"\nstatus:\n  phase: Pending\n"))
        .containsExactly("huge", "Pending", "", "", "", "", "<unset>", "5m", "<unset>");
  }

  @Test
  void resourceQuotaListsUsedOverHardWithLimitsApart() {
    assertThat(header(Resources.RESOURCEQUOTAS)).containsExactly("NAME", "AGE", "REQUEST", "LIMIT");
    assertThat(cells(Resources.RESOURCEQUOTAS, "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n"
        + "  namespace: default\n" + META + "spec:\n  hard: {pods: \"3\"}\nstatus:\n"
        + "  hard: {pods: \"3\", requests.cpu: \"2\", limits.cpu: \"4\", limits.memory: 4Gi}\n"
        + "  used: {pods: \"2\", requests.cpu: 1500m, limits.cpu: \"3\", limits.memory: 1024Mi}\n"))
        .containsExactly("q", "5m", "pods: 2/3, requests.cpu: 1500m/2", "limits.cpu: 3/4, limits.memory: 1Gi/4Gi");
  }

  @Test
  void resourceQuotaWithoutStatusHasEmptyColumns() {
    assertThat(cells(Resources.RESOURCEQUOTAS, "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n"
        + "  namespace: default\n" + META + "spec:\n  hard: {pods: \"3\"}\n")).containsExactly("q", "5m", "", "");
  }

  @Test
  void limitRangeShowsWhenItWasCreated() {
    assertThat(header(Resources.LIMITRANGES)).containsExactly("NAME", "CREATED AT");
    assertThat(cells(Resources.LIMITRANGES, "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: limits\n"
        + "  namespace: default\n" + META + "spec:\n  limits:\n  - type: Container\n    max: {cpu: \"1\"}\n"))
        .containsExactly("limits", "2026-01-01T00:55:00Z");
  }

  @Test
  void defaultStorageClassIsMarkedInItsName() {
    assertThat(header(Resources.STORAGECLASSES)).containsExactly("NAME", "PROVISIONER", "RECLAIMPOLICY",
        "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE");
    assertThat(cells(Resources.STORAGECLASSES, "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n"
        + "  name: standard\n  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}\n" + META
        + "provisioner: kubesim.io/simulated\n"))
        .containsExactly("standard (default)", "kubesim.io/simulated", "Delete", "Immediate", false, "5m");
  }

  @Test
  void configMapSecretAndServiceAccountCountTheirEntries() {
    assertThat(header(Resources.CONFIGMAPS)).containsExactly("NAME", "DATA", "AGE");
    assertThat(cells(Resources.CONFIGMAPS, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n"
        + "  namespace: default\n" + META + "data: {a: \"1\", b: \"2\"}\nbinaryData: {c: AA==}\n"))
        .containsExactly("cfg", 3L, "5m");
    assertThat(header(Resources.SECRETS)).containsExactly("NAME", "TYPE", "DATA", "AGE");
    assertThat(cells(Resources.SECRETS, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\n"
        + META + "type: Opaque\ndata: {password: czNjcmV0}\n")).containsExactly("s", "Opaque", 1L, "5m");
    assertThat(header(Resources.SERVICEACCOUNTS)).containsExactly("NAME", "SECRETS", "AGE");
    assertThat(cells(Resources.SERVICEACCOUNTS, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n"
        + "  namespace: default\n" + META)).containsExactly("default", 0L, "5m");
  }
}
