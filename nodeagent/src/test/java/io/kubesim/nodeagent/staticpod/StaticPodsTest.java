package io.kubesim.nodeagent.staticpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class StaticPodsTest {

  static final String MANIFEST = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: etcd
        namespace: kube-system
      spec:
        containers:
        - name: etcd
          image: registry.k8s.io/etcd:3.6.4-0
      """;

  @Test
  void namesTheStaticPodAfterTheNodeAndHashesItsManifest() {
    Pod p = StaticPods.prepare(StaticPodSource.parse(MANIFEST), "m-k8s", "2026-01-01T00:00:00Z");
    assertThat(p.getMetadata().getName()).isEqualTo("etcd-m-k8s");
    assertThat(p.getMetadata().getUid()).matches("[0-9a-f]{32}");
    assertThat(p.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.hash", p.getMetadata().getUid())
        .containsEntry("kubernetes.io/config.source", "file");
    assertThat(p.getSpec().getNodeName()).isEqualTo("m-k8s");
    assertThat(p.getSpec().getTolerations()).anySatisfy(t -> {
      assertThat(t.getOperator()).isEqualTo("Exists");
      assertThat(t.getEffect()).isEqualTo("NoExecute");
    });
  }

  @Test
  void theSameManifestOnAnotherNodeIsAnotherPod() {
    Pod a = StaticPods.prepare(StaticPodSource.parse(MANIFEST), "m-k8s", "");
    Pod b = StaticPods.prepare(StaticPodSource.parse(MANIFEST), "w1-k8s", "");
    assertThat(a.getMetadata().getUid()).isNotEqualTo(b.getMetadata().getUid());
  }

  @Test
  void theMirrorPodIsOwnedByTheNodeAndCarriesTheHash() {
    Pod p = StaticPods.prepare(StaticPodSource.parse(MANIFEST), "m-k8s", "");
    Node node = new NodeBuilder().withNewMetadata().withName("m-k8s").withUid("node-uid").endMetadata().build();
    Pod mirror = StaticPods.mirror(p, node);
    assertThat(mirror.getMetadata().getUid()).isNull();
    assertThat(mirror.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.mirror",
        p.getMetadata().getUid());
    assertThat(mirror.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("node-uid");
    assertThat(StaticPods.isMirror(mirror)).isTrue();
    assertThat(StaticPods.isMirrorOf(mirror, p)).isTrue();
  }

  @Test
  void loadsTheDefaultControlPlaneManifests() {
    assertThat(StaticPodSource.resources(StaticPodSource.DEFAULT_CONTROL_PLANE).read())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
  }
}
