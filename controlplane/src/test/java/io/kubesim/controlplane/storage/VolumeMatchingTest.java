package io.kubesim.controlplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kubesim.shared.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The persistent volume controller's search for a volume (pkg/controller/volume/persistentvolume
 * index.go findBestMatchForClaim / volume/util FindMatchingVolume): the smallest volume that
 * satisfies capacity, access modes, class, volume mode and selector; a volume pre-bound to the claim first.
 */
class VolumeMatchingTest {

  static PersistentVolume pv(String name, String size, String modes, String extra) {
    return Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: " + name
        + "\n  labels: {tier: " + (name.contains("fast") ? "fast" : "slow") + "}\nspec:\n  capacity: {storage: " + size
        + "}\n  accessModes: [" + modes + "]\n  hostPath: {path: /mnt/" + name + "}\n" + extra
        + "status: {phase: Available}\n", PersistentVolume.class);
  }

  static PersistentVolumeClaim claim(String size, String modes, String extra) {
    return Json.YAML.readValue("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n"
        + "  namespace: default\n  uid: u1\nspec:\n  accessModes: [" + modes + "]\n  resources: {requests: {storage: "
        + size + "}}\n" + extra, PersistentVolumeClaim.class);
  }

  static final String MANUAL = "  storageClassName: manual\n";

  static final List<PersistentVolume> VOLUMES = List.of(
      pv("pv-1g", "1Gi", "ReadWriteOnce", MANUAL),
      pv("pv-5g", "5Gi", "ReadWriteOnce", MANUAL),
      pv("pv-10g", "10Gi", "ReadWriteOnce", MANUAL),
      pv("pv-fast-20g", "20Gi", "ReadWriteOnce", MANUAL),
      pv("pv-rwx-8g", "8Gi", "ReadWriteOnce, ReadWriteMany", MANUAL),
      pv("pv-block-6g", "6Gi", "ReadWriteOnce", MANUAL + "  volumeMode: Block\n"),
      pv("pv-noclass-3g", "3Gi", "ReadWriteOnce", ""),
      pv("pv-bound-4g", "4Gi", "ReadWriteOnce", MANUAL + "  claimRef: {namespace: other, name: theirs, uid: u9}\n"));

  static Stream<Arguments> claims() {
    return Stream.of(
        Arguments.of("the smallest volume that is large enough", claim("3Gi", "ReadWriteOnce", MANUAL), "pv-5g"),
        Arguments.of("an exact size", claim("5Gi", "ReadWriteOnce", MANUAL), "pv-5g"),
        Arguments.of("a volume bound to another claim is skipped", claim("4Gi", "ReadWriteOnce", MANUAL), "pv-5g"),
        Arguments.of("the volume mode must match", claim("6Gi", "ReadWriteOnce", MANUAL + "  volumeMode: Block\n"),
            "pv-block-6g"),
        Arguments.of("a Filesystem claim skips Block volumes", claim("6Gi", "ReadWriteOnce", MANUAL), "pv-10g"),
        // allPossibleMatchingAccessModes: volumes with the fewest access modes are searched first
        Arguments.of("fewest access modes before size", claim("7Gi", "ReadWriteOnce", MANUAL), "pv-10g"),
        Arguments.of("every access mode of the claim", claim("1Gi", "ReadWriteMany", MANUAL), "pv-rwx-8g"),
        Arguments.of("the class must be the same", claim("1Gi", "ReadWriteOnce", "  storageClassName: \"\"\n"),
            "pv-noclass-3g"),
        Arguments.of("a class nobody has", claim("1Gi", "ReadWriteOnce", "  storageClassName: gold\n"), null),
        Arguments.of("larger than every volume", claim("50Gi", "ReadWriteOnce", MANUAL), null),
        Arguments.of("the selector narrows the candidates", claim("1Gi", "ReadWriteOnce", MANUAL
            + "  selector: {matchLabels: {tier: fast}}\n"), "pv-fast-20g"),
        Arguments.of("an access mode no volume has", claim("1Gi", "ReadOnlyMany", MANUAL), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void findsTheBestMatchingVolume(String what, PersistentVolumeClaim claim, String expected) {
    PersistentVolume match = VolumeMatching.findBestMatch(claim, VOLUMES, false);
    assertThat(match == null ? null : match.getMetadata().getName()).isEqualTo(expected);
  }

  @Test
  void aVolumePreBoundToTheClaimWinsOverASmallerOne() {
    List<PersistentVolume> volumes = List.of(pv("pv-1g", "1Gi", "ReadWriteOnce", MANUAL),
        pv("pv-10g", "10Gi", "ReadWriteOnce", MANUAL + "  claimRef: {namespace: default, name: data}\n"));
    assertThat(VolumeMatching.findBestMatch(claim("1Gi", "ReadWriteOnce", MANUAL), volumes, false).getMetadata()
        .getName()).isEqualTo("pv-10g");
  }

  @Test
  void withDelayedBindingOnlyAPreBoundVolumeIsReturned() {
    List<PersistentVolume> volumes = List.of(pv("pv-1g", "1Gi", "ReadWriteOnce", MANUAL));
    assertThat(VolumeMatching.findBestMatch(claim("1Gi", "ReadWriteOnce", MANUAL), volumes, true)).isNull();
  }

  @Test
  void onANodeTheVolumesNodeAffinityMustAdmitIt() {
    PersistentVolume local = pv("pv-local", "1Gi", "ReadWriteOnce", MANUAL + "  nodeAffinity:\n    required:\n"
        + "      nodeSelectorTerms:\n      - matchExpressions:\n"
        + "        - {key: kubernetes.io/hostname, operator: In, values: [w1-k8s]}\n");
    PersistentVolumeClaim c = claim("1Gi", "ReadWriteOnce", MANUAL);
    assertThat(VolumeMatching.findMatchingVolume(c, List.of(local), "w1-k8s",
        Map.of("kubernetes.io/hostname", "w1-k8s"), Set.of(), true)).isNotNull();
    assertThat(VolumeMatching.findMatchingVolume(c, List.of(local), "w2-k8s",
        Map.of("kubernetes.io/hostname", "w2-k8s"), Set.of(), true)).isNull();
  }

  static Stream<Arguments> preBound() {
    return Stream.of(
        Arguments.of("too small", pv("v", "1Gi", "ReadWriteOnce", MANUAL), "requested PV is too small"),
        Arguments.of("another class", pv("v", "5Gi", "ReadWriteOnce", ""), "storageClassName does not match"),
        Arguments.of("another volume mode", pv("v", "5Gi", "ReadWriteOnce", MANUAL + "  volumeMode: Block\n"),
            "incompatible volumeMode"),
        Arguments.of("another access mode", pv("v", "5Gi", "ReadOnlyMany", MANUAL), "incompatible accessMode"),
        Arguments.of("fits", pv("v", "5Gi", "ReadWriteOnce", MANUAL), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("preBound")
  void aVolumeTheClaimNamesIsCheckedAsTheControllerDoes(String what, PersistentVolume pv, String why) {
    assertThat(VolumeMatching.checkVolumeSatisfyClaim(pv, claim("3Gi", "ReadWriteOnce", MANUAL))).isEqualTo(why);
  }
}
