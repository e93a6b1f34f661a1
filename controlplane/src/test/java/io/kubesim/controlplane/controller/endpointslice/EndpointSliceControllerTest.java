package io.kubesim.controlplane.controller.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.endpoints.EndpointsController;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EndpointSlice and Endpoints controllers against an apiserver. */
class EndpointSliceControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    h.spawn(EndpointSliceController.create(h.context(), EndpointSliceController.Settings.DEFAULT), "endpointslice");
    h.spawn(EndpointsController.create(h.context(), EndpointsController.Settings.DEFAULT), "endpoints");
    f.registerNode("w1-k8s");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private void readyPod(String name, String ip) {
    h.created(new PodBuilder(Fixtures.pod(name, "w1-k8s")).editMetadata().addToLabels("app", "web").endMetadata()
        .build());
    Pod p = f.markRunningReady("default", name);
    h.updateStatus(new PodBuilder(p).editStatus().withPodIP(ip).endStatus().build());
  }

  private void service() {
    h.created(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build());
  }

  private List<EndpointSlice> slices() {
    return f.<EndpointSlice>list(Resources.ENDPOINTSLICES, "default").stream()
        .filter(s -> "web".equals(s.getMetadata().getLabels().get("kubernetes.io/service-name"))).toList();
  }

  @Test
  void aServiceOverThreeReadyPodsGetsASliceWithThreeReadyEndpoints() {
    readyPod("web-1", "10.244.1.2");
    readyPod("web-2", "10.244.1.3");
    readyPod("web-3", "10.244.1.4");
    service();
    h.advance(Duration.ofSeconds(1));
    List<EndpointSlice> s = slices();
    assertThat(s).hasSize(1);
    assertThat(s.get(0).getMetadata().getName()).startsWith("web-");
    assertThat(s.get(0).getEndpoints()).hasSize(3).allMatch(e -> e.getConditions().getReady());
    Endpoints ep = h.ok(h.get(Resources.ENDPOINTS, "default", "web"), Endpoints.class);
    assertThat(ep.getSubsets().get(0).getAddresses()).hasSize(3);
  }

  @Test
  void aServiceWithoutPodsGetsAPlaceholderSliceAndEmptyEndpoints() {
    service();
    h.advance(Duration.ofSeconds(1));
    assertThat(slices()).hasSize(1);
    assertThat(slices().get(0).getEndpoints()).isNullOrEmpty();
    Endpoints ep = h.ok(h.get(Resources.ENDPOINTS, "default", "web"), Endpoints.class);
    assertThat(ep.getSubsets()).isNullOrEmpty();
  }

  @Test
  void aPodThatTurnsUnreadyIsNotReadyInTheSliceAndTheEndpoints() {
    readyPod("web-1", "10.244.1.2");
    service();
    h.advance(Duration.ofSeconds(1));
    Pod p = f.get("default", "web-1");
    // What the node lifecycle controller writes when the node stops answering.
    h.updateStatus(new PodBuilder(p).editStatus().editMatchingCondition(c -> "Ready".equals(c.getType()))
        .withStatus("False").endCondition().endStatus().build());
    h.advance(Duration.ofSeconds(1));
    assertThat(slices().get(0).getEndpoints().get(0).getConditions().getReady()).isFalse();
    Endpoints ep = h.ok(h.get(Resources.ENDPOINTS, "default", "web"), Endpoints.class);
    assertThat(ep.getSubsets().get(0).getNotReadyAddresses()).extracting(a -> a.getIp())
        .containsExactly("10.244.1.2");
  }

  @Test
  void aDeletedServiceLosesItsEndpoints() {
    service();
    h.advance(Duration.ofSeconds(1));
    h.delete(Resources.SERVICES, "default", "web", null);
    h.advance(Duration.ofSeconds(1));
    assertThat(f.exists(Resources.ENDPOINTS, "default", "web")).isFalse();
  }

  @Test
  void theKubernetesServiceIsLeftToTheApiserver() {
    h.advance(Duration.ofSeconds(1));
    assertThat(f.exists(Resources.SERVICES, "default", "kubernetes")).isTrue();
    assertThat(f.<EndpointSlice>list(Resources.ENDPOINTSLICES, "default")).noneMatch(s -> "endpointslice-controller.k8s.io"
        .equals(s.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"))
        && "kubernetes".equals(s.getMetadata().getLabels().get("kubernetes.io/service-name")));
    assertThat(h.get(Resources.SERVICES, "default", "kubernetes")).isNotNull();
    Service k = h.ok(h.get(Resources.SERVICES, "default", "kubernetes"), Service.class);
    assertThat(k.getSpec().getSelector()).isNullOrEmpty();
  }
}
