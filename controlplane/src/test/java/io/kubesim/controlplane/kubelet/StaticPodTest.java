package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.nodeagent.kubelet.KubeletSettings;
import io.kubesim.nodeagent.runtime.RuntimeSettings;
import io.kubesim.nodeagent.staticpod.StaticPodSource;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticPodTest {

  private NodeFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  static final String ETCD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: etcd
        namespace: kube-system
        labels:
          component: etcd
          tier: control-plane
      spec:
        hostNetwork: true
        priorityClassName: system-node-critical
        containers:
        - name: etcd
          image: registry.k8s.io/etcd:3.6.4-0
          command: [etcd, --data-dir=/var/lib/etcd]
      """;

  private void startWith(StaticPodSource source) {
    f = new NodeFixture(RuntimeSettings.DEFAULT, source, KubeletSettings.DEFAULT);
    f.advanceSeconds(2);
  }

  private Pod mirror() {
    return f.get(Resources.PODS, "kube-system", "etcd-w1-k8s", Pod.class);
  }

  @Test
  void runsAStaticPodAndCreatesItsMirrorPod() {
    startWith(StaticPodSource.fixed(List.of(StaticPodSource.parse(ETCD))));
    Pod mirror = mirror();
    assertThat(mirror).isNotNull();
    assertThat(mirror.getMetadata().getAnnotations()).containsKeys("kubernetes.io/config.mirror",
        "kubernetes.io/config.hash", "kubernetes.io/config.seen").containsEntry("kubernetes.io/config.source", "file");
    assertThat(mirror.getMetadata().getAnnotations().get("kubernetes.io/config.mirror"))
        .isEqualTo(mirror.getMetadata().getAnnotations().get("kubernetes.io/config.hash"));
    assertThat(mirror.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("Node");
      assertThat(o.getName()).isEqualTo("w1-k8s");
      assertThat(o.getController()).isTrue();
    });
    f.advanceSeconds(2);
    Pod running = mirror();
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(running.getStatus().getPodIP()).isEqualTo("192.168.1.101");
  }

  @Test
  void recreatesADeletedMirrorPodWithoutRestartingTheContainer() {
    startWith(StaticPodSource.fixed(List.of(StaticPodSource.parse(ETCD))));
    f.advanceSeconds(2);
    Pod before = mirror();
    String containerId = before.getStatus().getContainerStatuses().get(0).getContainerID();
    f.h.delete(Resources.PODS, "kube-system", "etcd-w1-k8s", new DeleteOptions());
    f.advanceSeconds(2);
    Pod after = mirror();
    assertThat(after).isNotNull();
    assertThat(after.getMetadata().getUid()).isNotEqualTo(before.getMetadata().getUid());
    assertThat(after.getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(containerId);
    assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
  }

  @Test
  void readsManifestsFromADirectoryAndStopsPodsWhoseFileIsRemoved(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("etcd.yaml"), ETCD);
    startWith(StaticPodSource.directory(dir));
    f.advanceSeconds(2);
    assertThat(mirror().getStatus().getPhase()).isEqualTo("Running");
    Files.delete(dir.resolve("etcd.yaml"));
    f.advanceSeconds(25);
    assertThat(mirror()).isNull();
  }

  @Test
  void runsTheDefaultClustersControlPlane() {
    startWith(StaticPodSource.resources(StaticPodSource.DEFAULT_CONTROL_PLANE));
    f.advanceSeconds(5);
    List<String> names = f.h.list(Resources.PODS, "kube-system", ListOptions.ALL).items().stream()
        .map(HasMetadata::getMetadata).map(m -> m.getName()).toList();
    assertThat(names).containsExactlyInAnyOrder("etcd-w1-k8s", "kube-apiserver-w1-k8s",
        "kube-controller-manager-w1-k8s", "kube-scheduler-w1-k8s");
    for (String n : names) {
      Pod p = f.get(Resources.PODS, "kube-system", n, Pod.class);
      assertThat(p.getStatus().getPhase()).as(n).isEqualTo("Running");
    }
  }
}
