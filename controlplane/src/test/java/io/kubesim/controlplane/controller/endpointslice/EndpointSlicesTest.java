package io.kubesim.controlplane.controller.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller's decisions: pods and a Service in, slices to write out. */
public class EndpointSlicesTest {

  private static final Map<String, Node> NODES = Map.of("w1-k8s", new NodeBuilder().withNewMetadata()
      .withName("w1-k8s").addToLabels("topology.kubernetes.io/zone", "zone-a").endMetadata().build());

  public static Service service(Object targetPort) {
    IntOrString tp = targetPort instanceof Integer i ? new IntOrString(i) : new IntOrString((String) targetPort);
    return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("svc-uid")
        .addToLabels("app", "web").endMetadata().withNewSpec().withClusterIP("10.96.100.1").addToSelector("app", "web")
        .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(tp).endPort().endSpec().build();
  }

  public static Pod pod(String name, String ip, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name + "-uid")
        .addToLabels("app", "web").endMetadata().withNewSpec().withNodeName("w1-k8s").addNewContainer()
        .withName("app").withImage("nginx").addNewPort().withName("web").withContainerPort(8080).endPort()
        .endContainer().endSpec().withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition()
        .withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
  }

  private static EndpointSlices.Plan plan(Service svc, List<Pod> pods, List<EndpointSlice> existing, int max) {
    return EndpointSlices.reconcile(svc, pods, NODES::get, existing, max);
  }

  @Test
  void threeReadyPodsMakeOneSliceWithThreeReadyEndpoints() {
    EndpointSlices.Plan p = plan(service(80), List.of(pod("a", "10.244.1.2", true), pod("b", "10.244.1.3", true),
        pod("c", "10.244.1.4", true)), List.of(), 100);
    assertThat(p.create()).hasSize(1);
    EndpointSlice s = p.create().get(0);
    assertThat(s.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
        .containsEntry("app", "web");
    assertThat(s.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Service");
    assertThat(s.getAddressType()).isEqualTo("IPv4");
    assertThat(s.getEndpoints()).extracting(e -> e.getAddresses().get(0))
        .containsExactly("10.244.1.2", "10.244.1.3", "10.244.1.4");
    assertThat(s.getEndpoints()).allMatch(e -> e.getConditions().getReady());
    Endpoint e = s.getEndpoints().get(0);
    assertThat(e.getNodeName()).isEqualTo("w1-k8s");
    assertThat(e.getZone()).isEqualTo("zone-a");
    assertThat(e.getTargetRef().getName()).isEqualTo("a");
    assertThat(s.getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(s.getPorts().get(0).getName()).isEqualTo("http");
  }

  @Test
  void aNamedTargetPortIsLookedUpInThePodsContainers() {
    EndpointSlices.Plan p = plan(service("web"), List.of(pod("a", "10.244.1.2", true)), List.of(), 100);
    assertThat(p.create().get(0).getPorts().get(0).getPort()).isEqualTo(8080);
  }

  @Test
  void conditionsFollowReadinessAndTermination() {
    Pod notReady = pod("a", "10.244.1.2", false);
    Pod terminating = new PodBuilder(pod("b", "10.244.1.3", true)).editMetadata()
        .withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata().build();
    Service svc = service(80);
    Endpoint e1 = EndpointSlices.endpoint(notReady, null, svc);
    assertThat(e1.getConditions().getReady()).isFalse();
    assertThat(e1.getConditions().getServing()).isFalse();
    assertThat(e1.getConditions().getTerminating()).isFalse();
    Endpoint e2 = EndpointSlices.endpoint(terminating, null, svc);
    assertThat(e2.getConditions().getReady()).isFalse();
    assertThat(e2.getConditions().getServing()).isTrue();
    assertThat(e2.getConditions().getTerminating()).isTrue();
  }

  @Test
  void podsWithoutAnIpOrFinishedAreLeftOut() {
    Pod pending = new PodBuilder(pod("a", "10.244.1.2", false)).editStatus().withPodIP(null).withPhase("Pending")
        .endStatus().build();
    Pod done = new PodBuilder(pod("b", "10.244.1.3", false)).editStatus().withPhase("Succeeded").endStatus().build();
    EndpointSlices.Plan p = plan(service(80), List.of(pending, done), List.of(), 100);
    // Nothing to list: one placeholder slice, without ports or endpoints.
    assertThat(p.create()).hasSize(1);
    assertThat(p.create().get(0).getEndpoints()).isEmpty();
    assertThat(p.create().get(0).getPorts()).isNullOrEmpty();
  }

  @Test
  void aSliceHoldsAtMostMaxEndpoints() {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      pods.add(pod("p" + String.format("%03d", i), "10.244." + (i / 200) + "." + (i % 200 + 2), true));
    }
    EndpointSlices.Plan p = plan(service(80), pods, List.of(), 100);
    assertThat(p.create()).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
  }

  @Test
  void anUnchangedSliceIsNotWritten() {
    Service svc = service(80);
    List<Pod> pods = List.of(pod("a", "10.244.1.2", true));
    EndpointSlice existing = stored(plan(svc, pods, List.of(), 100).create().get(0), "web-abcde");
    assertThat(plan(svc, pods, List.of(existing), 100).isEmpty()).isTrue();
  }

  @Test
  void aPodTurningUnreadyUpdatesItsSliceInPlace() {
    Service svc = service(80);
    EndpointSlice existing = stored(plan(svc, List.of(pod("a", "10.244.1.2", true), pod("b", "10.244.1.3", true)),
        List.of(), 100).create().get(0), "web-abcde");
    EndpointSlices.Plan p = plan(svc, List.of(pod("a", "10.244.1.2", false), pod("b", "10.244.1.3", true)),
        List.of(existing), 100);
    assertThat(p.create()).isEmpty();
    assertThat(p.update()).hasSize(1);
    assertThat(p.update().get(0).getMetadata().getName()).isEqualTo("web-abcde");
    assertThat(p.update().get(0).getEndpoints()).extracting(e -> e.getConditions().getReady())
        .containsExactly(false, true);
  }

  @Test
  void aSliceLeftEmptyBecomesThePlaceholder() {
    Service svc = service(80);
    EndpointSlice existing = stored(plan(svc, List.of(pod("a", "10.244.1.2", true)), List.of(), 100).create().get(0),
        "web-abcde");
    EndpointSlices.Plan p = plan(svc, List.of(), List.of(existing), 100);
    assertThat(p.delete()).isEmpty();
    assertThat(p.create()).isEmpty();
    assertThat(p.update()).hasSize(1);
    assertThat(p.update().get(0).getMetadata().getName()).isEqualTo("web-abcde");
    assertThat(p.update().get(0).getEndpoints()).isEmpty();
    assertThat(p.update().get(0).getPorts()).isEmpty();
  }

  @Test
  void thePlaceholderBecomesTheFirstRealSlice() {
    Service svc = service(80);
    EndpointSlice placeholder = stored(plan(svc, List.of(), List.of(), 100).create().get(0), "web-abcde");
    EndpointSlices.Plan p = plan(svc, List.of(pod("a", "10.244.1.2", true)), List.of(placeholder), 100);
    assertThat(p.create()).isEmpty();
    assertThat(p.delete()).isEmpty();
    assertThat(p.update().get(0).getMetadata().getName()).isEqualTo("web-abcde");
    assertThat(p.update().get(0).getEndpoints()).hasSize(1);
  }

  @Test
  void aPlaceholderIsLeftAlone() {
    Service svc = service(80);
    EndpointSlice placeholder = stored(plan(svc, List.of(), List.of(), 100).create().get(0), "web-abcde");
    assertThat(plan(svc, List.of(), List.of(placeholder), 100).isEmpty()).isTrue();
  }

  @Test
  void newEndpointsJoinAnExistingSliceWithRoom() {
    Service svc = service(80);
    EndpointSlice existing = stored(plan(svc, List.of(pod("a", "10.244.1.2", true)), List.of(), 100).create().get(0),
        "web-abcde");
    EndpointSlices.Plan p = plan(svc, List.of(pod("a", "10.244.1.2", true), pod("b", "10.244.1.3", true)),
        List.of(existing), 100);
    assertThat(p.create()).isEmpty();
    assertThat(p.update().get(0).getEndpoints()).hasSize(2);
  }

  @Test
  void headlessServicesAreLabelledAndPodHostnamesPublished() {
    Service svc = new ServiceBuilder(service(80)).editSpec().withClusterIP("None").endSpec().build();
    Pod p = new PodBuilder(pod("web-0", "10.244.1.2", true)).editSpec().withHostname("web-0").withSubdomain("web")
        .endSpec().build();
    EndpointSlice s = plan(svc, List.of(p), List.of(), 100).create().get(0);
    assertThat(s.getMetadata().getLabels()).containsKey("service.kubernetes.io/headless");
    assertThat(s.getEndpoints().get(0).getHostname()).isEqualTo("web-0");
  }

  private static EndpointSlice stored(EndpointSlice s, String name) {
    return new EndpointSliceBuilder(s).editMetadata().withName(name).withResourceVersion("5").endMetadata().build();
  }
}
