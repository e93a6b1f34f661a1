package io.kubesim.controlplane.controller.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(NamespaceController.create(h.context(), ControllerManagerSettings.DEFAULT), "namespace");
    h.settle();
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Pod pod(String name, String node) {
    Pod p = Fixtures.pod(name, node);
    p.getMetadata().setNamespace("team");
    return h.created(p);
  }

  private NamespaceCondition condition(String type) {
    Namespace ns = h.ok(h.get(Resources.NAMESPACES, null, "team"), Namespace.class);
    return ns.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }

  @Test
  void deletingANamespaceDeletesItsContentThenTheNamespace() {
    h.created(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("team").endMetadata().build());
    h.created(new SecretBuilder().withNewMetadata().withName("s").withNamespace("team").endMetadata().build());
    pod("p1", null);
    h.delete(Resources.NAMESPACES, null, "team", null);
    h.advance(Duration.ofSeconds(4));
    assertThat(f.exists(Resources.CONFIGMAPS, "team", "cfg")).isTrue();
    // The controller acts 5 s after it sees the deletion (namespaceDeletionGracePeriod).
    h.advance(Duration.ofSeconds(1));
    assertThat(f.exists(Resources.CONFIGMAPS, "team", "cfg")).isFalse();
    assertThat(f.exists(Resources.SECRETS, "team", "s")).isFalse();
    assertThat(f.exists(Resources.PODS, "team", "p1")).isFalse();
    assertThat(f.exists(Resources.NAMESPACES, null, "team")).isFalse();
  }

  @Test
  void aNamespaceStaysTerminatingUntilItsPodsHaveTerminated() {
    pod("p1", "w1-k8s");
    h.delete(Resources.NAMESPACES, null, "team", null);
    h.advance(Duration.ofSeconds(5));
    assertThat(f.get("team", "p1").getMetadata().getDeletionTimestamp()).isNotNull();
    Namespace ns = h.ok(h.get(Resources.NAMESPACES, null, "team"), Namespace.class);
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
    NamespaceCondition remaining = condition("NamespaceContentRemaining");
    assertThat(remaining.getStatus()).isEqualTo("True");
    assertThat(remaining.getReason()).isEqualTo("SomeResourcesRemain");
    assertThat(remaining.getMessage()).isEqualTo("Some resources are remaining: pods. has 1 resource instances");
    assertThat(condition("NamespaceDeletionContentFailure").getReason()).isEqualTo("ContentDeleted");

    // The kubelet finishes. The controller looks again 5 s after the namespace changed (its own
    // condition update), before its 30/2 + 1 = 16 s estimate runs out.
    f.finishDeletion("team", "p1");
    h.advance(Duration.ofSeconds(4));
    assertThat(f.exists(Resources.NAMESPACES, null, "team")).isTrue();
    h.advance(Duration.ofSeconds(1));
    assertThat(f.exists(Resources.NAMESPACES, null, "team")).isFalse();
  }

  @Test
  void contentHeldByAFinalizerIsReportedOnTheNamespace() {
    h.created(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("team")
        .withFinalizers("example.com/hold").endMetadata().build());
    h.delete(Resources.NAMESPACES, null, "team", null);
    h.advance(Duration.ofSeconds(5));
    NamespaceCondition c = condition("NamespaceFinalizersRemaining");
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("SomeFinalizersRemain");
    assertThat(c.getMessage()).isEqualTo(
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
    assertThat(condition("NamespaceContentRemaining").getMessage())
        .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
  }
}
