package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.kubesim.nodeagent.kubelet.KubeletSettings;
import io.kubesim.nodeagent.runtime.RuntimeSettings;
import io.kubesim.nodeagent.staticpod.StaticPodSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionAndProbesTest {

  private NodeFixture f;

  private void start(KubeletSettings settings) {
    f = new NodeFixture(RuntimeSettings.DEFAULT, StaticPodSource.none(), settings);
    f.advanceSeconds(1);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static Pod requesting(String name, String cpu) {
    Pod p = NodeFixture.pod(name, "nginx:1.27", List.of());
    p.getSpec().getContainers().get(0).setResources(new ResourceRequirementsBuilder()
        .withRequests(Map.of("cpu", new Quantity(cpu))).build());
    return p;
  }

  @Test
  void rejectsAPodThatAsksForMoreCpuThanTheNodeHas() {
    start(KubeletSettings.DEFAULT);
    f.create(requesting("big", "3"));
    f.advanceSeconds(2);
    Pod p = f.pod("big");
    assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(p.getStatus().getReason()).isEqualTo("OutOfcpu");
    assertThat(p.getStatus().getMessage()).isEqualTo(
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
    assertThat(f.events("default", "big")).containsExactly(
        "OutOfcpu: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
  }

  @Test
  void rejectsAPodWhoseNodeSelectorDoesNotMatch() {
    start(KubeletSettings.DEFAULT);
    Pod p = NodeFixture.pod("picky", "nginx:1.27", List.of());
    p.getSpec().setNodeSelector(Map.of("disktype", "ssd"));
    f.create(p);
    f.advanceSeconds(2);
    Pod now = f.pod("picky");
    assertThat(now.getStatus().getReason()).isEqualTo("NodeAffinity");
    assertThat(now.getStatus().getMessage()).isEqualTo(
        "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
  }

  @Test
  void rejectsPodsBeyondMaxPods() {
    start(KubeletSettings.DEFAULT.withMaxPods(2));
    f.create(NodeFixture.pod("a", "nginx:1.27", List.of()));
    f.create(NodeFixture.pod("b", "nginx:1.27", List.of()));
    f.create(NodeFixture.pod("c", "nginx:1.27", List.of()));
    f.advanceSeconds(2);
    Pod c = f.pod("c");
    assertThat(c.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(c.getStatus().getReason()).isEqualTo("OutOfpods");
    assertThat(c.getStatus().getMessage()).isEqualTo(
        "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2");
    assertThat(f.pod("b").getStatus().getPhase()).isNotEqualTo("Failed");
  }

  private static Probe readiness() {
    return new ProbeBuilder().withNewHttpGet().withPath("/").withNewPort(80).endHttpGet().withPeriodSeconds(5)
        .build();
  }

  @Test
  void readinessFollowsTheSimulatedProbeOutcome() {
    start(KubeletSettings.DEFAULT);
    Pod p = NodeFixture.pod("web", "nginx:1.27", List.of());
    p.getMetadata().setAnnotations(Map.of("kubesim.io/readiness.app", "fail-after=30s"));
    p.getSpec().getContainers().get(0).setReadinessProbe(readiness());
    f.create(p);
    f.advanceSeconds(12);
    assertThat(f.pod("web").getStatus().getContainerStatuses().get(0).getReady()).isTrue();
    f.advanceSeconds(40);
    Pod now = f.pod("web");
    assertThat(now.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
    assertThat(now.getStatus().getPhase()).isEqualTo("Running");
    assertThat(f.events("default", "web")).anyMatch(e -> e.startsWith(
        "Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"));
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    start(KubeletSettings.DEFAULT);
    Pod p = NodeFixture.pod("live", "nginx:1.27", List.of());
    p.getMetadata().setAnnotations(Map.of("kubesim.io/liveness.app", "fail-after=20s"));
    p.getSpec().getContainers().get(0).setLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz")
        .withNewPort(8080).endHttpGet().withPeriodSeconds(10).withFailureThreshold(3).build());
    f.create(p);
    f.advanceSeconds(70);
    ContainerStatus cs = f.pod("live").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(f.events("default", "live")).contains(
        "Killing: Container app failed liveness probe, will be restarted");
  }

  @Test
  void anExecLivenessProbeSeesWhatTheContainerDoes() {
    start(KubeletSettings.DEFAULT);
    // The liveness example from the Kubernetes documentation.
    Pod p = NodeFixture.pod("liveness-exec", "busybox:1.36", List.of("/bin/sh", "-c",
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"));
    p.getSpec().getContainers().get(0).setLivenessProbe(new ProbeBuilder().withNewExec()
        .withCommand("cat", "/tmp/healthy").endExec().withInitialDelaySeconds(5).withPeriodSeconds(5).build());
    f.create(p);
    f.advanceSeconds(40);
    assertThat(f.pod("liveness-exec").getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    f.advanceSeconds(30);
    assertThat(f.pod("liveness-exec").getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
    assertThat(f.events("default", "liveness-exec")).anyMatch(e -> e.startsWith(
        "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
  }

  @Test
  void aStartupProbeHoldsReadinessBack() {
    start(KubeletSettings.DEFAULT);
    Pod p = NodeFixture.pod("slow", "nginx:1.27", List.of());
    p.getMetadata().setAnnotations(Map.of("kubesim.io/startup.app", "pass-after=30s"));
    p.getSpec().getContainers().get(0).setStartupProbe(new ProbeBuilder().withNewTcpSocket().withNewPort(80)
        .endTcpSocket().withPeriodSeconds(10).withFailureThreshold(10).build());
    f.create(p);
    f.advanceSeconds(20);
    ContainerStatus early = f.pod("slow").getStatus().getContainerStatuses().get(0);
    assertThat(early.getStarted()).isFalse();
    assertThat(early.getReady()).isFalse();
    f.advanceSeconds(30);
    ContainerStatus later = f.pod("slow").getStatus().getContainerStatuses().get(0);
    assertThat(later.getStarted()).isTrue();
    assertThat(later.getReady()).isTrue();
  }
}
