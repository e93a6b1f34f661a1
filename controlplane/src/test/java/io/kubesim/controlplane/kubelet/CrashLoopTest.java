package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrashLoopTest {

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

  /** Each container start (startedAt) seen while stepping through time, in order. */
  private List<Instant> starts(String pod, int seconds) {
    Map<String, Instant> seen = new LinkedHashMap<>();
    for (int i = 0; i < seconds; i++) {
      f.advanceSeconds(1);
      ContainerStatus cs = f.pod(pod).getStatus().getContainerStatuses().get(0);
      if (cs.getState().getRunning() != null) {
        seen.put(cs.getContainerID(), Times.parse(cs.getState().getRunning().getStartedAt()));
      }
      if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
        seen.putIfAbsent(cs.getLastState().getTerminated().getContainerID(),
            Times.parse(cs.getLastState().getTerminated().getStartedAt()));
      }
    }
    List<Instant> out = new ArrayList<>(seen.values());
    out.sort(null);
    return out;
  }

  @Test
  void restartsAFailingContainerWithExponentialBackOff() {
    f.create(NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "exit 1")));
    List<Instant> starts = starts("crash", 120);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < starts.size(); i++) {
      // Each run ends the moment it starts: the gap between starts is the back-off.
      gaps.add(Duration.between(starts.get(i - 1), starts.get(i)).toSeconds());
    }
    // The first restart is immediate (both runs fall in the first second), then 10 s, 20 s, 40 s.
    assertThat(gaps).startsWith(10L, 20L, 40L);
  }

  @Test
  void restartsAFailingContainerAtOnceTheFirstTime() {
    f.create(NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "exit 1")));
    f.advanceSeconds(6);
    assertThat(f.pod("crash").getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
  }

  @Test
  void showsCrashLoopBackOffWithTheKubeletsMessage() {
    Pod p = f.create(NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "exit 1")));
    f.advanceSeconds(13);
    Pod now = f.pod("crash");
    ContainerStatus cs = now.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(cs.getState().getWaiting().getMessage()).isEqualTo("back-off 10s restarting failed container=app pod=crash_default("
        + p.getMetadata().getUid() + ")");
    assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(now.getStatus().getPhase()).isEqualTo("Running");
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(f.events("default", "crash")).anyMatch(e -> e.startsWith(
        "BackOff: Back-off restarting failed container app in pod crash_default(" + p.getMetadata().getUid() + ")"));
  }

  @Test
  void restartsACompletedContainerToo() {
    f.create(NodeFixture.pod("once", "busybox:1.36", List.of("true")));
    f.advanceSeconds(20);
    ContainerStatus cs = f.pod("once").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getRestartCount()).isGreaterThanOrEqualTo(2);
    assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("Completed");
  }

  @Test
  void busyboxWithoutACommandExitsAtOnceAndCrashLoops() {
    f.create(NodeFixture.pod("bb", "busybox", List.of()));
    f.advanceSeconds(30);
    ContainerStatus cs = f.pod("bb").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
  }

  @Test
  void keepsThePreviousInstancesLogs() {
    f.create(NodeFixture.pod("crash", "busybox:1.36", List.of("sh", "-c", "echo attempt; exit 1")));
    f.advanceSeconds(12);
    ContainerRuntime.LogsResult previous = f.logs("crash", "app", true);
    assertThat(previous.error()).isNull();
    assertThat(previous.lines()).extracting(l -> l.text()).containsExactly("attempt");
  }

  @Test
  void aCrashFaultRestartsTheContainer() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.runtime.tell(new ContainerRuntime.CrashContainer("default", "web", "app", 2));
    f.advanceSeconds(1);
    ContainerStatus cs = f.pod("web").getStatus().getContainerStatuses().get(0);
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(2);
    assertThat(cs.getState().getRunning()).isNotNull();
  }
}
