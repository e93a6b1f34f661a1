package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesim.nodeagent.kubelet.KubeletSettings;
import io.kubesim.nodeagent.runtime.RuntimeSettings;
import io.kubesim.nodeagent.staticpod.StaticPodSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodConfigurationTest {

  private NodeFixture f;

  @BeforeEach
  void start() {
    f = new NodeFixture(RuntimeSettings.DEFAULT.withMissingImages(Set.of("nginx:does-not-exist")),
        StaticPodSource.none(), KubeletSettings.DEFAULT);
    f.advanceSeconds(1);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private ContainerStatus status(String pod) {
    return f.pod(pod).getStatus().getContainerStatuses().get(0);
  }

  @Test
  void anImageTheRegistryDoesNotHaveGoesFromErrImagePullToImagePullBackOff() {
    f.create(NodeFixture.pod("typo", "nginx:does-not-exist", List.of()));
    List<String> reasons = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      f.advanceSeconds(1);
      String r = status("typo").getState().getWaiting().getReason();
      if (reasons.isEmpty() || !reasons.get(reasons.size() - 1).equals(r)) {
        reasons.add(r);
      }
      if (r.equals("ImagePullBackOff")) {
        assertThat(status("typo").getState().getWaiting().getMessage()).isEqualTo(
            "Back-off pulling image \"nginx:does-not-exist\"");
      }
    }
    assertThat(reasons).startsWith("ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ErrImagePull");
    assertThat(f.events("default", "typo")).anyMatch(e -> e.startsWith("Failed: Error: ErrImagePull"))
        .anyMatch(e -> e.startsWith("Failed: Failed to pull image \"nginx:does-not-exist\": rpc error: code = NotFound"))
        .anyMatch(e -> e.startsWith("BackOff: Back-off pulling image \"nginx:does-not-exist\""));
    assertThat(f.pod("typo").getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void aMissingConfigMapInEnvGivesCreateContainerConfigError() {
    Pod p = NodeFixture.pod("cfg", "nginx:1.27", List.of());
    p.getSpec().getContainers().get(0).setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
        .withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef().withName("app-config").withKey("color")
        .endConfigMapKeyRef().endValueFrom().build()));
    f.create(p);
    f.advanceSeconds(10);
    assertThat(status("cfg").getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(status("cfg").getState().getWaiting().getMessage()).isEqualTo("configmap \"app-config\" not found");
    f.h.created(new ConfigMapBuilder().withNewMetadata().withName("app-config").withNamespace("default").endMetadata()
        .addToData("color", "blue").build());
    f.advanceSeconds(15);
    assertThat(status("cfg").getState().getRunning()).isNotNull();
    assertThat(f.exec("cfg", "app", List.of("printenv", "COLOR")).stdout()).isEqualTo("blue\n");
  }

  @Test
  void aMissingConfigMapVolumeKeepsThePodContainerCreating() {
    Pod p = new PodBuilder(NodeFixture.pod("vol", "nginx:1.27", List.of())).editSpec().addNewVolume()
        .withName("config").withNewConfigMap().withName("web-config").endConfigMap().endVolume().editFirstContainer()
        .addNewVolumeMount().withName("config").withMountPath("/etc/web").endVolumeMount().endContainer().endSpec()
        .build();
    f.create(p);
    f.advanceSeconds(10);
    assertThat(status("vol").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(f.events("default", "vol")).anyMatch(e -> e.startsWith(
        "FailedMount: MountVolume.SetUp failed for volume \"config\" : configmap \"web-config\" not found"));
    f.h.created(new ConfigMapBuilder().withNewMetadata().withName("web-config").withNamespace("default").endMetadata()
        .addToData("index.html", "<h1>hello</h1>\n").build());
    f.advanceSeconds(30);
    assertThat(status("vol").getState().getRunning()).isNotNull();
    assertThat(f.exec("vol", "app", List.of("cat", "/etc/web/index.html")).stdout()).isEqualTo("<h1>hello</h1>\n");
  }

  @Test
  void aPodPastItsActiveDeadlineFails() {
    Pod p = NodeFixture.pod("deadline", "busybox:1.36", List.of("sleep", "3600"));
    p.getSpec().setActiveDeadlineSeconds(30L);
    f.create(p);
    f.advanceSeconds(35);
    Pod now = f.pod("deadline");
    assertThat(now.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(now.getStatus().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(now.getStatus().getMessage()).isEqualTo("Pod was active on the node longer than the specified deadline");
  }

  @Test
  void downwardApiFilesShowThePodsLabels() {
    Pod p = new PodBuilder(NodeFixture.pod("dapi", "busybox:1.36", List.of("sleep", "3600"))).editMetadata()
        .addToLabels(Map.of("app", "web", "tier", "front")).endMetadata().editSpec().addNewVolume().withName("podinfo")
        .withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels")
        .endFieldRef().endItem().endDownwardAPI().endVolume().editFirstContainer().addNewVolumeMount()
        .withName("podinfo").withMountPath("/etc/podinfo").endVolumeMount().endContainer().endSpec().build();
    f.create(p);
    f.advanceSeconds(10);
    assertThat(f.exec("dapi", "app", List.of("cat", "/etc/podinfo/labels")).stdout())
        .isEqualTo("app=\"web\"\ntier=\"front\"");
    assertThat(f.logs("dapi", "app", false).lines()).isEmpty();
  }
}
