package io.kubesim.controlplane.controller.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatefulSetControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    f.registerNode("w1-k8s");
    h.spawn(StatefulSetController.create(h.context(), ControllerManagerSettings.DEFAULT), "statefulset");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static StatefulSet web(int replicas, String policy) {
    PersistentVolumeClaim www = new PersistentVolumeClaimBuilder().withNewMetadata().withName("www").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build();
    return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName("nginx").withPodManagementPolicy(policy)
        .withNewSelector().addToMatchLabels("app", "nginx").endSelector().withNewTemplate().withNewMetadata()
        .addToLabels("app", "nginx").endMetadata().withNewSpec().addNewContainer().withName("nginx")
        .withImage("nginx:1.27").addNewVolumeMount().withName("www").withMountPath("/usr/share/nginx/html")
        .endVolumeMount().endContainer().endSpec().endTemplate().withVolumeClaimTemplates(www).endSpec().build();
  }

  private List<String> podNames() {
    return f.<Pod>list(Resources.PODS, "default").stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  private StatefulSet get() {
    return h.ok(h.get(Resources.STATEFULSETS, "default", "web"), StatefulSet.class);
  }

  /** A copy to change: objects from the apiserver are shared. */
  private StatefulSet copy() {
    return new StatefulSetBuilder(get()).build();
  }

  private void runReady(String name) {
    f.bind("default", name, "w1-k8s");
    f.markRunningReady("default", name);
    h.settle();
  }

  @Test
  void orderedReadyCreatesTheNextPodOnlyOnceThePreviousIsRunningAndReady() {
    h.created(web(3, null));
    h.settle();
    assertThat(podNames()).containsExactly("web-0");
    h.advance(Duration.ofSeconds(30));
    assertThat(podNames()).containsExactly("web-0");
    runReady("web-0");
    assertThat(podNames()).containsExactly("web-0", "web-1");
    runReady("web-1");
    assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
    runReady("web-2");
    StatefulSet s = get();
    assertThat(s.getStatus().getReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getCurrentReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getCurrentRevision()).isEqualTo(s.getStatus().getUpdateRevision()).startsWith("web-");
    assertThat(f.eventsAbout("web")).contains("SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
        "SuccessfulCreate: create Pod web-2 in StatefulSet web successful");
  }

  @Test
  void aPodHasItsStableIdentityAndItsOwnClaim() {
    h.created(web(1, null));
    h.settle();
    Pod p = f.get("default", "web-0");
    assertThat(p.getSpec().getHostname()).isEqualTo("web-0");
    assertThat(p.getSpec().getSubdomain()).isEqualTo("nginx");
    assertThat(p.getMetadata().getLabels()).containsEntry(StatefulPods.POD_NAME_LABEL, "web-0")
        .containsEntry(StatefulPods.POD_INDEX_LABEL, "0").containsEntry("app", "nginx")
        .containsEntry(StatefulPods.REVISION_LABEL, get().getStatus().getUpdateRevision());
    assertThat(p.getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("www");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
    });
    PersistentVolumeClaim claim = h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-0"),
        PersistentVolumeClaim.class);
    assertThat(claim.getMetadata().getLabels()).containsEntry("app", "nginx");
    List<ControllerRevision> revisions = f.list(Resources.CONTROLLERREVISIONS, "default");
    assertThat(revisions).singleElement().satisfies(r -> {
      assertThat(r.getRevision()).isEqualTo(1L);
      assertThat(r.getMetadata().getName()).isEqualTo(get().getStatus().getUpdateRevision());
    });
  }

  @Test
  void parallelCreatesEveryPodAtOnce() {
    h.created(web(3, "Parallel"));
    h.settle();
    assertThat(podNames()).containsExactly("web-0", "web-1", "web-2");
  }

  @Test
  void scaleDownDeletesFromTheHighestOrdinalOneAtATime() {
    h.created(web(3, null));
    h.settle();
    runReady("web-0");
    runReady("web-1");
    runReady("web-2");
    StatefulSet s = copy();
    s.getSpec().setReplicas(1);
    h.ok(h.update(s), StatefulSet.class);
    h.settle();
    assertThat(f.get("default", "web-2").getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(f.get("default", "web-1").getMetadata().getDeletionTimestamp()).isNull();
    f.finishDeletion("default", "web-2");
    h.settle();
    assertThat(f.get("default", "web-1").getMetadata().getDeletionTimestamp()).isNotNull();
    f.finishDeletion("default", "web-1");
    h.settle();
    assertThat(podNames()).containsExactly("web-0");
    // Retain: the claims stay.
    assertThat(f.exists(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-2")).isTrue();
    assertThat(f.eventsAbout("web")).contains("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful");
  }

  @Test
  void aRollingUpdateReplacesPodsFromTheHighestOrdinalDownToThePartition() {
    StatefulSet def = web(3, null);
    def.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
        .withType("RollingUpdate").withNewRollingUpdate().withPartition(1).endRollingUpdate().build());
    h.created(def);
    h.settle();
    runReady("web-0");
    runReady("web-1");
    runReady("web-2");
    String oldRevision = get().getStatus().getCurrentRevision();
    StatefulSet s = copy();
    s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.28");
    h.ok(h.update(s), StatefulSet.class);
    h.settle();
    assertThat(f.get("default", "web-2").getMetadata().getDeletionTimestamp()).isNotNull();
    f.finishDeletion("default", "web-2");
    h.settle();
    Pod web2 = f.get("default", "web-2");
    assertThat(web2.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
    runReady("web-2");
    assertThat(f.get("default", "web-1").getMetadata().getDeletionTimestamp()).isNotNull();
    f.finishDeletion("default", "web-1");
    h.settle();
    runReady("web-1");
    // web-0 is below the partition: it keeps the old revision.
    assertThat(f.get("default", "web-0").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(StatefulPods.revisionOf(f.get("default", "web-0"))).isEqualTo(oldRevision);
    StatefulSet after = get();
    assertThat(after.getStatus().getUpdatedReplicas()).isEqualTo(2);
    assertThat(after.getStatus().getCurrentReplicas()).isEqualTo(1);
    assertThat(after.getStatus().getCurrentRevision()).isEqualTo(oldRevision);
    assertThat(after.getStatus().getUpdateRevision()).isNotEqualTo(oldRevision);
    assertThat(f.<ControllerRevision>list(Resources.CONTROLLERREVISIONS, "default")).hasSize(2);
  }

  @Test
  void whenScaledDeleteHandsTheClaimsOfARemovedPodToThatPod() {
    StatefulSet def = web(2, "Parallel");
    def.getSpec().setPersistentVolumeClaimRetentionPolicy(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
            .withWhenDeleted("Retain").withWhenScaled("Delete").build());
    h.created(def);
    h.settle();
    runReady("web-0");
    runReady("web-1");
    StatefulSet s = copy();
    s.getSpec().setReplicas(1);
    h.ok(h.update(s), StatefulSet.class);
    h.settle();
    PersistentVolumeClaim claim = h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-1"),
        PersistentVolumeClaim.class);
    assertThat(claim.getMetadata().getOwnerReferences()).anySatisfy(r -> {
      assertThat(r.getKind()).isEqualTo("Pod");
      assertThat(r.getName()).isEqualTo("web-1");
    });
  }

  @Test
  void aFailedPodIsDeletedAndMadeAgain() {
    h.created(web(1, null));
    h.settle();
    f.bind("default", "web-0", "w1-k8s");
    Pod p = f.get("default", "web-0");
    String uid = p.getMetadata().getUid();
    h.ok(h.updateStatus(new io.fabric8.kubernetes.api.model.PodBuilder(p).editOrNewStatus().withPhase("Failed")
        .endStatus().build()), Pod.class);
    h.settle();
    f.finishDeletion("default", "web-0");
    h.settle();
    assertThat(f.get("default", "web-0").getMetadata().getUid()).isNotEqualTo(uid);
  }

  @Test
  void whenDeletedDeleteMakesTheSetAnOwnerOfItsClaims() {
    StatefulSet def = web(1, null);
    def.getSpec().setPersistentVolumeClaimRetentionPolicy(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
            .withWhenDeleted("Delete").withWhenScaled("Retain").build());
    h.created(def);
    h.settle();
    PersistentVolumeClaim claim = h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-0"),
        PersistentVolumeClaim.class);
    assertThat(claim.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("StatefulSet");
      assertThat(r.getUid()).isEqualTo(get().getMetadata().getUid());
      assertThat(r.getController()).isNull();
    });
  }

  @Test
  void onDeleteLeavesOutOfDatePodsAlone() {
    StatefulSet def = web(2, "Parallel");
    def.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
        .withType("OnDelete").build());
    h.created(def);
    h.settle();
    runReady("web-0");
    runReady("web-1");
    StatefulSet s = copy();
    s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.28");
    h.ok(h.update(s), StatefulSet.class);
    h.settle();
    assertThat(f.get("default", "web-1").getMetadata().getDeletionTimestamp()).isNull();
    // A pod deleted by hand comes back from the update revision.
    h.delete(Resources.PODS, "default", "web-1", null);
    f.finishDeletion("default", "web-1");
    h.settle();
    assertThat(f.get("default", "web-1").getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
    assertThat(f.get("default", "web-0").getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
  }

  @Test
  void anOrphanIsAdoptedOnlyIfItsNameIsOneOfTheSets() {
    h.created(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("stray").withNamespace("default")
        .addToLabels("app", "nginx").endMetadata().withNewSpec().addNewContainer().withName("nginx")
        .withImage("nginx:1.27").endContainer().endSpec().build());
    h.created(web(1, null));
    h.settle();
    assertThat(f.get("default", "stray").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(f.get("default", "web-0").getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));
  }

  @Test
  void aChangedWhenDeletedReachesTheClaimsThatExist() {
    h.created(web(1, null));
    h.settle();
    StatefulSet s = copy();
    s.getSpec().setPersistentVolumeClaimRetentionPolicy(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
            .withWhenDeleted("Delete").withWhenScaled("Retain").build());
    h.ok(h.update(s), StatefulSet.class);
    h.settle();
    PersistentVolumeClaim claim = h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-0"),
        PersistentVolumeClaim.class);
    assertThat(claim.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));
    StatefulSet back = copy();
    back.getSpec().getPersistentVolumeClaimRetentionPolicy().setWhenDeleted("Retain");
    h.ok(h.update(back), StatefulSet.class);
    h.settle();
    claim = h.ok(h.get(Resources.PERSISTENTVOLUMECLAIMS, "default", "www-web-0"), PersistentVolumeClaim.class);
    assertThat(claim.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }
}
