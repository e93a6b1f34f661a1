package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.nodeagent.kubelet.PodStatuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodLifecycleTest {

  private NodeFixture f;

  @BeforeEach
  void start() {
    f = new NodeFixture();
    f.advanceSeconds(1);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static String conditions(Pod p) {
    List<String> out = new ArrayList<>();
    for (PodCondition c : p.getStatus().getConditions()) {
      out.add(c.getType() + "=" + c.getStatus());
    }
    return String.join(",", out);
  }

  @Test
  void runsAPodBoundToTheNodeFromPendingToRunning() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.h.settle();
    Pod pending = f.pod("web");
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pending.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    f.advanceSeconds(10);
    Pod running = f.pod("web");
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(conditions(running)).isEqualTo(
        "PodReadyToStartContainers=True,Initialized=True,Ready=True,ContainersReady=True,PodScheduled=True");
    ContainerStatus cs = running.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getReady()).isTrue();
    assertThat(cs.getStarted()).isTrue();
    assertThat(cs.getRestartCount()).isZero();
    assertThat(cs.getContainerID()).matches("containerd://[0-9a-f]{64}");
    assertThat(cs.getImage()).isEqualTo("docker.io/library/nginx:1.27");
    assertThat(cs.getImageID()).startsWith("docker.io/library/nginx@sha256:");
    assertThat(running.getStatus().getPodIP()).isEqualTo("172.16.1.2");
    assertThat(running.getStatus().getHostIP()).isEqualTo("192.168.1.101");
    assertThat(running.getStatus().getStartTime()).isNotNull();
    assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
  }

  @Test
  void pullsTheImageWithKubeletEvents() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    assertThat(f.events("default", "web")).containsExactly(
        "Pulling: Pulling image \"nginx:1.27\"",
        "Pulled: Successfully pulled image \"nginx:1.27\" in 5s (5s including waiting). Image size: 72195292 bytes.",
        "Created: Created container: app",
        "Started: Started container app");
  }

  @Test
  void listsThePulledImageInTheNodeStatus() {
    assertThat(f.node().getStatus().getImages()).flatExtracting(i -> i.getNames())
        .noneMatch(n -> n.startsWith("docker.io/library/nginx"));
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(20);
    assertThat(f.node().getStatus().getImages()).flatExtracting(i -> i.getNames())
        .contains("docker.io/library/nginx:1.27")
        .anyMatch(n -> n.startsWith("docker.io/library/nginx@sha256:"));
  }

  @Test
  void saysTheImageIsAlreadyPresentForTheSecondPod() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.create(NodeFixture.pod("web2", "nginx:1.27", List.of()));
    f.advanceSeconds(3);
    assertThat(f.events("default", "web2")).first()
        .isEqualTo("Pulled: Container image \"nginx:1.27\" already present on machine");
    assertThat(f.pod("web2").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void assignsPodIpsInOrderFromThePodCidr() {
    f.create(NodeFixture.pod("a", "registry.k8s.io/pause:3.10.1", List.of()));
    f.create(NodeFixture.pod("b", "registry.k8s.io/pause:3.10.1", List.of()));
    f.advanceSeconds(5);
    assertThat(f.pod("a").getStatus().getPodIP()).isEqualTo("172.16.1.2");
    assertThat(f.pod("b").getStatus().getPodIP()).isEqualTo("172.16.1.3");
  }

  @Test
  void completesARunToCompletionPod() {
    Pod p = NodeFixture.pod("job", "busybox:1.36", List.of("sh", "-c", "echo done; exit 0"));
    p.getSpec().setRestartPolicy("Never");
    f.create(p);
    f.advanceSeconds(10);
    Pod done = f.pod("job");
    assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStatus cs = done.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(cs.getState().getTerminated().getExitCode()).isZero();
    assertThat(conditions(done)).isEqualTo(
        "PodReadyToStartContainers=False,Initialized=True,Ready=False,ContainersReady=False,PodScheduled=True");
    assertThat(f.logs("job", "app", false).lines()).extracting(l -> l.text()).containsExactly("done");
  }

  @Test
  void failsAPodWhoseContainerFailsWithRestartPolicyNever() {
    Pod p = NodeFixture.pod("bad", "busybox:1.36", List.of("sh", "-c", "exit 3"));
    p.getSpec().setRestartPolicy("Never");
    f.create(p);
    f.advanceSeconds(10);
    Pod done = f.pod("bad");
    assertThat(done.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Error");
    assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(3);
  }

  @Test
  void giveTheOomKilledReasonToAContainerOverItsMemoryLimit() {
    Pod p = NodeFixture.pod("hog", "busybox:1.36", List.of("sleep", "3600"));
    p.getMetadata().setAnnotations(Map.of("kubesim.io/memory-usage.app", "300Mi"));
    p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .withLimits(Map.of("memory", new Quantity("128Mi"))).build());
    f.create(p);
    f.advanceSeconds(10);
    ContainerStatus cs = f.pod("hog").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(cs.getRestartCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void runsInitContainersOneAtATimeInOrder() {
    Pod p = new PodBuilder(NodeFixture.pod("app", "busybox:1.36", List.of("sleep", "3600"))).editSpec()
        .addNewInitContainer().withName("init-1").withImage("busybox:1.36").withCommand("sleep", "10").endInitContainer()
        .addNewInitContainer().withName("init-2").withImage("busybox:1.36").withCommand("sleep", "10").endInitContainer()
        .endSpec().build();
    f.create(p);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      f.advanceSeconds(1);
      String s = PodStatuses.kubectlStatus(f.pod("app"));
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
        seen.add(s);
      }
    }
    assertThat(seen).containsExactly("Init:0/2", "Init:1/2", "Running");
    assertThat(f.pod("app").getStatus().getInitContainerStatuses()).allSatisfy(s ->
        assertThat(s.getState().getTerminated().getReason()).isEqualTo("Completed"));
  }

  @Test
  void expandsEnvironmentReferencesInTheCommand() {
    Pod p = NodeFixture.pod("greeter", "busybox:1.36", List.of("sh", "-c", "echo $(GREETING) from $(POD_NAME); sleep 3600"));
    p.getSpec().getContainers().get(0).setEnv(List.of(
        new io.fabric8.kubernetes.api.model.EnvVar("GREETING", "hello", null),
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
            .withFieldPath("metadata.name").endFieldRef().endValueFrom().build()));
    f.create(p);
    f.advanceSeconds(10);
    assertThat(f.logs("greeter", null, false).lines()).extracting(l -> l.text()).containsExactly("hello from greeter");
    assertThat(f.exec("greeter", "app", List.of("printenv", "POD_NAME")).stdout()).isEqualTo("greeter\n");
  }

  @Test
  void restartsAContainerWhoseImageWasChanged() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.h.patch(io.kubesim.shared.api.Resources.PODS, "default", "web", io.kubesim.shared.api.PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}");
    f.advanceSeconds(10);
    ContainerStatus cs = f.pod("web").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getImage()).isEqualTo("docker.io/library/nginx:1.28");
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(f.events("default", "web")).contains("Killing: Container app definition changed, will be restarted");
  }
}
