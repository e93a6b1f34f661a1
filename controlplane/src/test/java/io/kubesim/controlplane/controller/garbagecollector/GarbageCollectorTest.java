package io.kubesim.controlplane.controller.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(GarbageCollector.create(h.context(), ControllerManagerSettings.DEFAULT), "gc");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static OwnerReference ref(HasMetadata owner, boolean block) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(block).build();
  }

  private Deployment deployment(String name) {
    return h.created(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build());
  }

  private ReplicaSet replicaSet(String name, HasMetadata owner) {
    ReplicaSetBuilder b = new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("default")
        .endMetadata().withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx").endContainer().endSpec().endTemplate().endSpec();
    ReplicaSet rs = b.build();
    if (owner != null) {
      rs.getMetadata().setOwnerReferences(List.of(ref(owner, true)));
    }
    return h.created(rs);
  }

  private Pod pod(String name, HasMetadata owner, boolean block) {
    Pod p = Fixtures.pod(name, null);
    p.getMetadata().setOwnerReferences(new ArrayList<>(List.of(ref(owner, block))));
    return h.created(p);
  }

  @Test
  void backgroundDeletionRemovesTheDependentsOfADeletedOwner() {
    ReplicaSet rs = replicaSet("web", null);
    pod("web-1", rs, true);
    pod("web-2", rs, true);
    h.settle();
    h.delete(Resources.REPLICASETS, "default", "web", null);
    h.settle();
    assertThat(f.exists(Resources.REPLICASETS, "default", "web")).isFalse();
    assertThat(f.exists(Resources.PODS, "default", "web-1")).isFalse();
    assertThat(f.exists(Resources.PODS, "default", "web-2")).isFalse();
  }

  @Test
  void dependentsOfAnOwnerRecreatedWithAnotherUidAreCollected() {
    ReplicaSet rs = replicaSet("web", null);
    h.delete(Resources.REPLICASETS, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Orphan").build());
    h.settle();
    // A pod pointing at the old uid, while a new "web" exists.
    replicaSet("web", null);
    pod("stale", rs, false);
    h.settle();
    assertThat(f.exists(Resources.PODS, "default", "stale")).isFalse();
  }

  @Test
  void foregroundDeletionRemovesDependentsBeforeOwner() {
    Deployment d = deployment("web");
    ReplicaSet rs = replicaSet("web-abc", d);
    pod("web-abc-1", rs, true);
    pod("web-abc-2", rs, true);
    h.settle();
    String rv = h.list(Resources.PODS, "default", ListOptions.ALL).resourceVersion();
    var deployments = h.watch(Resources.DEPLOYMENTS, "default", ListOptions.ALL.withResourceVersion(rv), 1);
    var replicaSets = h.watch(Resources.REPLICASETS, "default", ListOptions.ALL.withResourceVersion(rv), 2);
    var pods = h.watch(Resources.PODS, "default", ListOptions.ALL.withResourceVersion(rv), 3);
    h.delete(Resources.DEPLOYMENTS, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Foreground")
        .build());
    h.settle();
    // Each deletion, in the order the store saw them.
    java.util.TreeMap<Long, String> deletions = new java.util.TreeMap<>();
    for (var w : List.of(deployments, replicaSets, pods)) {
      for (Api.WatchMessage m : w.messages()) {
        if (m instanceof Api.WatchEvent e && e.type() == Api.EventType.DELETED) {
          deletions.put(Long.parseLong(e.object().getMetadata().getResourceVersion()),
              e.object().getKind() + "/" + e.object().getMetadata().getName());
        }
      }
    }
    assertThat(deletions.values()).hasSize(4);
    List<String> order = new ArrayList<>(deletions.values());
    assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("Pod/web-abc-1", "Pod/web-abc-2");
    assertThat(order.subList(2, 4)).containsExactly("ReplicaSet/web-abc", "Deployment/web");
  }

  @Test
  void anOwnerDeletedInTheForegroundWaitsForItsBlockingDependents() {
    ReplicaSet rs = replicaSet("web", null);
    Pod p = Fixtures.pod("held", null);
    p.getMetadata().setOwnerReferences(List.of(ref(rs, true)));
    p.getMetadata().setFinalizers(List.of("example.com/hold"));
    h.created(p);
    h.settle();
    h.delete(Resources.REPLICASETS, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Foreground")
        .build());
    h.settle();
    ReplicaSet waiting = h.ok(h.get(Resources.REPLICASETS, "default", "web"), ReplicaSet.class);
    assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
    assertThat(f.get("default", "held").getMetadata().getDeletionTimestamp()).isNotNull();
    // The pod's own finalizer goes: the pod goes, then the owner.
    // (Objects from the apiserver are shared: change a copy.)
    Pod held = new io.fabric8.kubernetes.api.model.PodBuilder(f.get("default", "held")).editMetadata()
        .withFinalizers().endMetadata().build();
    h.update(held);
    h.settle();
    assertThat(f.exists(Resources.PODS, "default", "held")).isFalse();
    assertThat(f.exists(Resources.REPLICASETS, "default", "web")).isFalse();
  }

  @Test
  void orphanDeletionStripsTheOwnerReferencesAndKeepsTheDependents() {
    ReplicaSet rs = replicaSet("web", null);
    pod("web-1", rs, true);
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("default")
        .withOwnerReferences(ref(rs, false)).endMetadata().build();
    h.created(cm);
    h.settle();
    h.delete(Resources.REPLICASETS, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Orphan").build());
    h.settle();
    assertThat(f.exists(Resources.REPLICASETS, "default", "web")).isFalse();
    assertThat(f.get("default", "web-1").getMetadata().getOwnerReferences()).isNullOrEmpty();
    ConfigMap kept = h.ok(h.get(Resources.CONFIGMAPS, "default", "cfg"), ConfigMap.class);
    assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void anObjectWithOneLiveOwnerLosesOnlyTheDanglingReference() {
    ReplicaSet a = replicaSet("a", null);
    ReplicaSet b = replicaSet("b", null);
    Pod p = Fixtures.pod("shared", null);
    p.getMetadata().setOwnerReferences(List.of(
        new OwnerReferenceBuilder(ref(a, false)).withController(false).build(),
        new OwnerReferenceBuilder(ref(b, false)).withController(false).build()));
    h.created(p);
    h.settle();
    h.delete(Resources.REPLICASETS, "default", "a", null);
    h.settle();
    Pod kept = f.get("default", "shared");
    assertThat(kept.getMetadata().getOwnerReferences()).extracting(OwnerReference::getName).containsExactly("b");
  }

}
