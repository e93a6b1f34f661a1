package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespaces/finalize subresource, through which the namespace controller lets a namespace go. */
class NamespaceFinalizeTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Api.Response finalize(Namespace ns) {
    return h.call(r -> new Api.Update(ns, "finalize", WriteOptions.DEFAULT, r, 0));
  }

  private Namespace get(String name) {
    return h.ok(h.get(Resources.NAMESPACES, null, name), Namespace.class);
  }

  @Test
  void aNewNamespaceCarriesTheKubernetesFinalizer() {
    Namespace ns = h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
  }

  @Test
  void aDeletedNamespaceStaysTerminatingWhileItsSpecFinalizersRemain() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    h.ok(h.delete(Resources.NAMESPACES, null, "team", null), Namespace.class);
    Namespace ns = get("team");
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull();
  }

  @Test
  void finalizingATerminatingNamespaceRemovesIt() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    h.delete(Resources.NAMESPACES, null, "team", null);
    Namespace cleared = new NamespaceBuilder(get("team")).editSpec().withFinalizers().endSpec().build();
    h.ok(finalize(cleared), Namespace.class);
    assertThat(h.failed(h.get(Resources.NAMESPACES, null, "team")).code()).isEqualTo(404);
  }

  @Test
  void finalizeChangesOnlyTheSpecFinalizers() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    Namespace changed = new NamespaceBuilder(get("team")).editMetadata().addToLabels("x", "y").endMetadata()
        .editSpec().withFinalizers("example.com/hold").endSpec().editStatus().withPhase("Terminating").endStatus()
        .build();
    Namespace after = h.ok(finalize(changed), Namespace.class);
    assertThat(after.getSpec().getFinalizers()).containsExactly("example.com/hold");
    assertThat(after.getMetadata().getLabels()).doesNotContainKey("x");
    assertThat(after.getStatus().getPhase()).isEqualTo("Active");
  }

  @Test
  void aTerminatingNamespaceWithMetadataFinalizersStaysAfterFinalize() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").withFinalizers("example.com/keep")
        .endMetadata().build());
    h.delete(Resources.NAMESPACES, null, "team", null);
    h.ok(finalize(new NamespaceBuilder(get("team")).editSpec().withFinalizers().endSpec().build()), Namespace.class);
    Namespace ns = get("team");
    assertThat(ns.getSpec().getFinalizers()).isNullOrEmpty();
    assertThat(ns.getMetadata().getFinalizers()).containsExactly("example.com/keep");
  }

  @Test
  void anInvalidFinalizerNameIsRejected() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    Api.Failed f = h.failed(finalize(new NamespaceBuilder(get("team")).editSpec().withFinalizers("nope")
        .endSpec().build()));
    assertThat(f.code()).isEqualTo(422);
  }

  @Test
  void otherKindsHaveNoFinalizeSubresource() {
    h.created(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("c")
        .withNamespace("default").endMetadata().build());
    Api.Failed f = h.failed(h.call(r -> new Api.Update(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("c").withNamespace("default").endMetadata().build(), "finalize",
        WriteOptions.DEFAULT, r, 0)));
    assertThat(f.code()).isEqualTo(405);
  }
}
