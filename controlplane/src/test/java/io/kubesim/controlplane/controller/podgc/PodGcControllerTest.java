package io.kubesim.controlplane.controller.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodGcControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  private void start(ControllerManagerSettings settings) {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(PodGcController.create(h.context(), settings), "pod-gc");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void podsOfADeletedNodeAreForceDeletedAfterTheQuarantine() {
    start(ControllerManagerSettings.DEFAULT);
    f.registerNode("w1-k8s");
    h.created(Fixtures.pod("p1", "w1-k8s"));
    f.markRunningReady("default", "p1");
    h.delete(Resources.NODES, null, "w1-k8s", null);
    // Seen missing at the 20 s pass, confirmed gone 40 s later, at the 60 s pass.
    h.advance(Duration.ofSeconds(59));
    assertThat(f.exists(Resources.PODS, "default", "p1")).isTrue();
    h.advance(Duration.ofSeconds(1));
    assertThat(f.exists(Resources.PODS, "default", "p1")).isFalse();
    assertThat(f.logLines("pod-gc")).contains(
        "I0101 00:01:00.000000 pod-gc] \"Found orphaned Pod assigned to the Node, deleting\" pod=\"default/p1\" "
            + "node=\"w1-k8s\"");
  }

  @Test
  void terminatedPodsBeyondTheThresholdAreDeletedOldestFirst() {
    start(ControllerManagerSettings.DEFAULT.withTerminatedPodGcThreshold(2));
    for (int i = 0; i < 4; i++) {
      h.created(Fixtures.pod("job-" + i, "w1-k8s"));
      Pod p = f.get("default", "job-" + i);
      h.updateStatus(new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build());
      h.advance(Duration.ofSeconds(1));
    }
    h.advance(Duration.ofSeconds(20));
    assertThat(f.exists(Resources.PODS, "default", "job-0")).isFalse();
    assertThat(f.exists(Resources.PODS, "default", "job-1")).isFalse();
    assertThat(f.exists(Resources.PODS, "default", "job-2")).isTrue();
    assertThat(f.exists(Resources.PODS, "default", "job-3")).isTrue();
  }

  @Test
  void terminatingPodsOnAnOutOfServiceNodeAreForceDeleted() {
    start(ControllerManagerSettings.DEFAULT);
    f.registerNode("w1-k8s");
    h.created(Fixtures.pod("p1", "w1-k8s"));
    f.markRunningReady("default", "p1");
    f.postReady("w1-k8s", false);
    h.update(new NodeBuilder(f.node("w1-k8s")).editSpec().addNewTaint().withKey("node.kubernetes.io/out-of-service")
        .withEffect("NoExecute").endTaint().endSpec().build());
    h.delete(Resources.PODS, "default", "p1", null);
    assertThat(f.exists(Resources.PODS, "default", "p1")).isTrue();
    h.advance(Duration.ofSeconds(20));
    assertThat(f.exists(Resources.PODS, "default", "p1")).isFalse();
  }
}
