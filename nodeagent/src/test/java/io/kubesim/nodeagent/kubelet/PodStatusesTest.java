package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatusesTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A container status from a short code: W (waiting), WT1 (waiting after exit 1), R (running), T0/T1 (terminated). */
  static ContainerStatus status(String name, String code) {
    ContainerStatus s = new ContainerStatus();
    s.setName(name);
    ContainerState st;
    s.setLastState(new ContainerState());
    if (code.startsWith("WT")) {
      st = PodStatuses.waiting("CrashLoopBackOff", null);
      s.setLastState(terminated(Integer.parseInt(code.substring(2))));
    } else if (code.equals("W")) {
      st = PodStatuses.waiting("ContainerCreating", null);
    } else if (code.equals("R")) {
      st = new ContainerState();
      st.setRunning(new ContainerStateRunning("2026-01-01T00:00:00Z"));
    } else {
      st = terminated(Integer.parseInt(code.substring(1)));
    }
    s.setState(st);
    return s;
  }

  static ContainerState terminated(int code) {
    ContainerState st = new ContainerState();
    ContainerStateTerminated t = new ContainerStateTerminated();
    t.setExitCode(code);
    st.setTerminated(t);
    return st;
  }

  static PodSpec spec(String policy, int init, int app) {
    PodBuilder b = new PodBuilder().withNewSpec().withRestartPolicy(policy).endSpec();
    Pod p = b.build();
    List<io.fabric8.kubernetes.api.model.Container> inits = new ArrayList<>();
    for (int i = 0; i < init; i++) {
      inits.add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("i" + i).build());
    }
    List<io.fabric8.kubernetes.api.model.Container> apps = new ArrayList<>();
    for (int i = 0; i < app; i++) {
      apps.add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("c" + i).build());
    }
    p.getSpec().setInitContainers(inits);
    p.getSpec().setContainers(apps);
    return p.getSpec();
  }

  static Stream<Arguments> phases() {
    return Stream.of(
        Arguments.of("Always", List.of(), List.of("W"), false, "Pending"),
        Arguments.of("Always", List.of(), List.of("R"), false, "Running"),
        Arguments.of("Always", List.of(), List.of("R", "W"), false, "Pending"),
        Arguments.of("Always", List.of(), List.of("T0"), false, "Running"),
        Arguments.of("Always", List.of(), List.of("WT1"), false, "Running"),
        Arguments.of("Always", List.of(), List.of("T0"), true, "Succeeded"),
        Arguments.of("Always", List.of(), List.of("T143"), true, "Failed"),
        Arguments.of("Never", List.of(), List.of("T0", "T0"), false, "Succeeded"),
        Arguments.of("Never", List.of(), List.of("T0", "T1"), false, "Failed"),
        Arguments.of("Never", List.of(), List.of("R", "T1"), false, "Running"),
        Arguments.of("OnFailure", List.of(), List.of("T0"), false, "Succeeded"),
        Arguments.of("OnFailure", List.of(), List.of("WT1"), false, "Running"),
        Arguments.of("Always", List.of("R"), List.of("W"), false, "Pending"),
        Arguments.of("Always", List.of("T0"), List.of("W"), false, "Pending"),
        Arguments.of("Always", List.of("T0"), List.of("R"), false, "Running"),
        Arguments.of("Never", List.of("T1"), List.of("W"), false, "Failed"),
        Arguments.of("OnFailure", List.of("WT1"), List.of("W"), false, "Pending"));
  }

  @ParameterizedTest(name = "{0} init={1} app={2} terminal={3} -> {4}")
  @MethodSource("phases")
  void computesThePhaseAsGetPhaseDoes(String policy, List<String> init, List<String> app, boolean terminal,
      String phase) {
    PodSpec spec = spec(policy, init.size(), app.size());
    List<ContainerStatus> is = new ArrayList<>();
    for (int i = 0; i < init.size(); i++) {
      is.add(status("i" + i, init.get(i)));
    }
    List<ContainerStatus> as = new ArrayList<>();
    for (int i = 0; i < app.size(); i++) {
      as.add(status("c" + i, app.get(i)));
    }
    assertThat(PodStatuses.phase(spec, is, as, terminal)).isEqualTo(phase);
  }

  @Test
  void initializedIsFalseWithTheIncompleteInitContainers() {
    PodSpec spec = spec("Always", 2, 1);
    PodCondition c = PodStatuses.initializedCondition(spec, List.of(status("i0", "T0"), status("i1", "R")),
        List.of(status("c0", "W")), "Pending");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("ContainersNotInitialized");
    assertThat(c.getMessage()).isEqualTo("containers with incomplete status: [i1]");
  }

  @Test
  void containersReadyNamesTheUnreadyContainers() {
    PodSpec spec = spec("Always", 0, 2);
    ContainerStatus a = status("c0", "R");
    a.setReady(true);
    ContainerStatus b = status("c1", "R");
    b.setReady(false);
    PodCondition c = PodStatuses.containersReadyCondition(spec, List.of(), List.of(a, b), "Running");
    assertThat(c.getReason()).isEqualTo("ContainersNotReady");
    assertThat(c.getMessage()).isEqualTo("containers with unready status: [c1]");
  }

  @Test
  void terminalPodsReportPodCompleted() {
    PodSpec spec = spec("Never", 0, 1);
    PodCondition c = PodStatuses.containersReadyCondition(spec, List.of(), List.of(status("c0", "T0")), "Succeeded");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("PodCompleted");
  }

  @Test
  void keepsTransitionTimesAndForeignConditions() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withGeneration(1L)
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec()
        .build();
    PodStatus old = new PodStatus();
    old.setConditions(List.of(
        new PodConditionBuilder().withType("DisruptionTarget").withStatus("True").withReason("DeletionByTaintManager")
            .build(),
        new PodConditionBuilder().withType("PodScheduled").withStatus("True")
            .withLastTransitionTime("2025-12-31T23:59:00Z").build()));
    ContainerRuntime.ContainerInfo running = new ContainerRuntime.ContainerInfo("abc", "sb", "u", "default", "p",
        "app", 0, "docker.io/library/nginx:latest", "docker.io/library/nginx@sha256:x", ContainerRuntime.State.RUNNING,
        T0, T0, null, 0, null);
    PodStatuses.ContainerView v = new PodStatuses.ContainerView("app", "nginx", false, running, null, null, false,
        true, true, List.of(), null);
    PodStatus s = PodStatuses.compute(new PodStatuses.Input(pod, old, T0.plusSeconds(60), true, "10.0.0.2",
        "192.168.1.101", List.of(), List.of(v), false, T0));
    assertThat(s.getConditions()).extracting(PodCondition::getType).containsExactly("DisruptionTarget",
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(s.getConditions().get(5).getLastTransitionTime()).isEqualTo("2025-12-31T23:59:00Z");
    assertThat(s.getConditions().get(3).getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getContainerStatuses().get(0).getContainerID()).isEqualTo("containerd://abc");
  }

  @Test
  void kubectlStatusShowsInitProgress() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withSpec(spec("Always", 2, 1)).build();
    PodStatus s = new PodStatus();
    s.setPhase("Pending");
    s.setInitContainerStatuses(List.of(status("i0", "T0"), status("i1", "R")));
    s.setContainerStatuses(List.of(status("c0", "W")));
    pod.setStatus(s);
    assertThat(PodStatuses.kubectlStatus(pod)).isEqualTo("Init:1/2");
  }
}
