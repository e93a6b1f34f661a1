package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesim.controlplane.controller.serviceaccount.ServiceAccountsController;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.WriteOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ServiceAccount admission plugin's lookup (plugin/pkg/admission/serviceaccount): a pod's
 * account must exist; the "default" one is looked up again for a while before the pod is refused.
 */
class ServiceAccountAdmissionTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness(StoreSettings.DEFAULT, ApiServerSettings.DEFAULT);
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static Pod pod(String account) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("team").endMetadata().withNewSpec()
        .withServiceAccountName(account).addNewContainer().withName("app").withImage("nginx").endContainer()
        .endSpec().build();
  }

  @Test
  void aPodWhoseDefaultAccountNeverAppearsIsRefusedAfterTheRetries() {
    h.api.tell(new Api.Create(pod(null), WriteOptions.DEFAULT, h.replies.ref(), 0));
    h.settle();
    assertThat(h.replies.messages()).as("still looking the account up").isEmpty();
    h.advance(Duration.ofSeconds(3));
    Api.Failed f = h.failed(h.replies.single());
    assertThat(f.code()).isEqualTo(403);
    assertThat(f.status().getMessage()).isEqualTo("pods \"p\" is forbidden: error looking up service account "
        + "team/default: serviceaccount \"default\" not found");
  }

  @Test
  void anyOtherMissingAccountIsRefusedAtOnce() {
    Api.Failed f = h.failed(h.create(pod("builder")));
    assertThat(f.status().getMessage()).isEqualTo("pods \"p\" is forbidden: error looking up service account "
        + "team/builder: serviceaccount \"builder\" not found");
  }

  @Test
  void aPodInANewNamespaceIsAdmittedOnceTheControllerMadeTheAccount() {
    h.spawn(ServiceAccountsController.create(h.context()), "serviceaccount");
    h.advance(Duration.ofSeconds(1));
    h.created(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build());
    Pod p = h.created(new PodBuilder(pod(null)).editMetadata().withNamespace("fresh").endMetadata().build());
    assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
  }
}
