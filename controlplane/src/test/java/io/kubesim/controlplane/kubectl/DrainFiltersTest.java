package io.kubesim.controlplane.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubectl drain's pod filters, case by case as staging/src/k8s.io/kubectl/pkg/drain/filters.go decides. */
class DrainFiltersTest {

  /**
   * A pod described in a word: its controller (ReplicaSet, DaemonSet or none), "mirror", "emptyDir"
   * and a finished phase, joined with "+".
   */
  static Pod pod(String name, String what) {
    List<String> parts = List.of(what.split("\\+"));
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
        .withNewSpec().withNodeName("w1-k8s").addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec().withNewStatus().withPhase(parts.contains("Succeeded") ? "Succeeded" : "Running").endStatus();
    for (String kind : List.of("ReplicaSet", "DaemonSet")) {
      if (parts.contains(kind)) {
        b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(kind).withName("owner")
            .withUid("uid-1").withController(true).endOwnerReference().endMetadata();
      }
    }
    if (parts.contains("mirror")) {
      b.editMetadata().addToAnnotations(DrainFilters.MIRROR_POD_ANNOTATION, "hash").endMetadata();
    }
    if (parts.contains("emptyDir")) {
      b.editSpec().addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume().endSpec();
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} with ignoreDaemonSets={1} force={2} deleteEmptyDirData={3} -> {4} {5}")
  @CsvSource(delimiter = '|', value = {
      "ReplicaSet                    | false | false | false | OKAY    | true  | ",
      "DaemonSet                     | false | false | false | ERROR   | false | DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
      "DaemonSet                     | true  | false | false | WARNING | false | ignoring DaemonSet-managed Pods",
      "DaemonSet+Succeeded           | false | false | false | OKAY    | true  | ",
      "none                          | false | false | false | ERROR   | false | cannot delete Pods that declare no controller (use --force to override)",
      "none                          | false | true  | false | WARNING | true  | deleting Pods that declare no controller",
      "none+Succeeded                | false | false | false | OKAY    | true  | ",
      "none+mirror                   | false | false | false | SKIP    | false | ",
      "ReplicaSet+emptyDir           | false | false | false | ERROR   | false | Pods with local storage (use --delete-emptydir-data to override)",
      "ReplicaSet+emptyDir           | false | false | true  | OKAY    | true  | ",
      "none+emptyDir                 | false | true  | true  | WARNING | true  | deleting Pods that declare no controller",
      "none+emptyDir                 | false | true  | false | ERROR   | false | Pods with local storage (use --delete-emptydir-data to override)",
      "ReplicaSet+emptyDir+Succeeded | false | false | false | OKAY    | true  | ",
      "DaemonSet+emptyDir            | true  | false | false | WARNING | false | ignoring DaemonSet-managed Pods",
  })
  void eachPodIsEvictedSkippedOrRefusedAsKubectlDecides(String what, boolean ignoreDaemonSets, boolean force,
      boolean deleteEmptyDirData, DrainFilters.Reason reason, boolean delete, String message) {
    DrainFilters.Status s = DrainFilters.status(pod("p", what), ignoreDaemonSets, force, deleteEmptyDirData);
    assertThat(s).isEqualTo(new DrainFilters.Status(delete, reason, message == null ? "" : message));
  }

  @Test
  void errorsAreGroupedByMessageNamingTheirPodsAndPrintedInBracketsWhenSeveral() {
    DrainFilters.Plan plan = DrainFilters.plan(List.of(pod("a", "none"), pod("ds-1", "DaemonSet"),
        pod("web-1", "ReplicaSet"), pod("b", "none"), pod("ds-2", "DaemonSet")), false, false, false);

    assertThat(plan.refused()).isTrue();
    assertThat(plan.errors()).containsExactly(
        "cannot delete Pods that declare no controller (use --force to override): default/a, default/b",
        "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds-1, default/ds-2");
    assertThat(plan.errorText()).startsWith("[cannot delete Pods that declare no controller").endsWith("ds-2]");
  }

  @Test
  void aSingleErrorIsPrintedAlone() {
    DrainFilters.Plan plan = DrainFilters.plan(List.of(pod("a", "none")), true, false, false);

    assertThat(plan.errorText())
        .isEqualTo("cannot delete Pods that declare no controller (use --force to override): default/a");
  }

  @Test
  void withTheFlagsTheManagedAndUnmanagedPodsAreEvictedAndTheOthersOnlyWarnedAbout() {
    DrainFilters.Plan plan = DrainFilters.plan(List.of(pod("standalone", "none"), pod("ds-1", "DaemonSet"),
        pod("etcd-m", "none+mirror"), pod("web-1", "ReplicaSet")), true, true, false);

    assertThat(plan.refused()).isFalse();
    assertThat(plan.toEvict()).extracting(p -> p.getMetadata().getName()).containsExactly("standalone", "web-1");
    assertThat(plan.warnings()).isEqualTo(
        "deleting Pods that declare no controller: default/standalone; ignoring DaemonSet-managed Pods: default/ds-1");
  }
}
