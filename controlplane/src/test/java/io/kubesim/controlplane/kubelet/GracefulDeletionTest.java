package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.shared.api.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GracefulDeletionTest {

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

  @Test
  void stopsTheContainersAndRemovesThePod() {
    f.create(NodeFixture.pod("web", "nginx:1.27", List.of()));
    f.advanceSeconds(10);
    f.h.delete(Resources.PODS, "default", "web", new DeleteOptions());
    f.h.settle();
    f.advanceSeconds(1);
    assertThat(f.pod("web")).isNull();
    assertThat(f.events("default", "web")).contains("Killing: Stopping container app");
  }

  @Test
  void waitsForTheGracePeriodBeforeKillingAProcessThatIgnoresSigterm() {
    Pod p = NodeFixture.pod("stubborn", "busybox:1.36", List.of("sleep", "3600"));
    p.getMetadata().setAnnotations(Map.of("kubesim.io/sigterm.app", "ignore"));
    p.getSpec().setTerminationGracePeriodSeconds(20L);
    f.create(p);
    f.advanceSeconds(10);
    f.h.delete(Resources.PODS, "default", "stubborn", new DeleteOptions());
    f.advanceSeconds(19);
    Pod terminating = f.pod("stubborn");
    assertThat(terminating).isNotNull();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    f.advanceSeconds(2);
    assertThat(f.pod("stubborn")).isNull();
  }

  @Test
  void aProcessThatTrapsSigtermShutsDownInItsOwnTime() {
    Pod p = NodeFixture.pod("graceful", "busybox:1.36", List.of("sleep", "3600"));
    p.getMetadata().setAnnotations(Map.of("kubesim.io/sigterm.app", "exit-after=5s"));
    f.create(p);
    f.advanceSeconds(10);
    f.h.delete(Resources.PODS, "default", "graceful", new DeleteOptions());
    f.advanceSeconds(4);
    assertThat(f.pod("graceful")).isNotNull();
    f.advanceSeconds(2);
    assertThat(f.pod("graceful")).isNull();
  }

  @Test
  void aPodDeletedWhileItsImageIsPulledNeverStartsItsContainer() {
    f.create(NodeFixture.pod("early", "nginx:1.27", List.of()));
    f.advanceSeconds(3);
    f.h.delete(Resources.PODS, "default", "early", new DeleteOptions());
    f.advanceSeconds(5);
    assertThat(f.pod("early")).isNull();
    assertThat(f.events("default", "early")).noneMatch(e -> e.startsWith("Started"));
  }

  @Test
  void releasesThePodIpForLaterPods() {
    f.create(NodeFixture.pod("a", "registry.k8s.io/pause:3.10.1", List.of()));
    f.advanceSeconds(3);
    f.h.delete(Resources.PODS, "default", "a", new DeleteOptions());
    f.advanceSeconds(3);
    f.create(NodeFixture.pod("b", "registry.k8s.io/pause:3.10.1", List.of()));
    f.advanceSeconds(3);
    assertThat(f.pod("b").getStatus().getPodIP()).isEqualTo("172.16.1.3");
  }
}
