package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Service REST layer: ClusterIPs and node ports allocated on create, kept on update, freed on delete. */
class ServiceAllocationTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness(StoreSettings.DEFAULT, ApiServerSettings.DEFAULT.withAdvertiseAddress("192.168.1.10"));
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static ServiceBuilder svc(String name, String type) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withType(type).addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec();
  }

  private Service created(Service s) {
    return h.ok(h.create(s), Service.class);
  }

  @Test
  void theKubernetesServiceHasTheFirstAddressAndPointsAtTheApiserver() {
    Service k = h.ok(h.get(Resources.SERVICES, "default", "kubernetes"), Service.class);
    assertThat(k.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
    assertThat(k.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    assertThat(k.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(6443);
    assertThat(k.getMetadata().getLabels()).containsEntry("component", "apiserver");
    EndpointSlice slice = h.ok(h.get(Resources.ENDPOINTSLICES, "default", "kubernetes"), EndpointSlice.class);
    assertThat(slice.getEndpoints().get(0).getAddresses()).containsExactly("192.168.1.10");
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(6443);
    Endpoints ep = h.ok(h.get(Resources.ENDPOINTS, "default", "kubernetes"), Endpoints.class);
    assertThat(ep.getSubsets().get(0).getAddresses().get(0).getIp()).isEqualTo("192.168.1.10");
  }

  @Test
  void theKubernetesServiceComesBackWhenDeleted() {
    h.delete(Resources.SERVICES, "default", "kubernetes", null);
    h.settle();
    Service k = h.ok(h.get(Resources.SERVICES, "default", "kubernetes"), Service.class);
    assertThat(k.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
  }

  @Test
  void aClusterIpServiceGetsAnAddressFromTheUpperPartOfTheRange() {
    Service s = created(svc("web", "ClusterIP").build());
    String ip = s.getSpec().getClusterIP();
    assertThat(ip).startsWith("10.");
    long v = io.kubesim.controlplane.apiserver.allocator.ServiceCidr.parseIp(ip);
    assertThat(v).isBetween(0x0A600101L, 0x0A6FFFFEL);
    assertThat(s.getSpec().getClusterIPs()).containsExactly(ip);
    assertThat(s.getSpec().getIpFamilies()).containsExactly("IPv4");
    assertThat(s.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
  }

  @Test
  void aRequestedFreeAddressIsHonoured() {
    Service s = created(svc("dns", "ClusterIP").editSpec().withClusterIP("10.96.0.10").endSpec().build());
    assertThat(s.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
  }

  @Test
  void aTakenAddressIsRefusedWithKubernetesMessage() {
    created(svc("a", "ClusterIP").editSpec().withClusterIP("10.96.0.50").endSpec().build());
    Api.Failed f = h.failed(h.create(svc("b", "ClusterIP").editSpec().withClusterIP("10.96.0.50").endSpec().build()));
    assertThat(f.status().getCode()).isEqualTo(422);
    assertThat(f.message()).isEqualTo("Service \"b\" is invalid: spec.clusterIPs: Invalid value: "
        + "[]string{\"10.96.0.50\"}: failed to allocate IP 10.96.0.50: provided IP is already allocated");
  }

  @Test
  void anAddressOutsideTheRangeIsRefused() {
    Api.Failed f = h.failed(h.create(svc("b", "ClusterIP").editSpec().withClusterIP("10.0.0.5").endSpec().build()));
    assertThat(f.message()).endsWith("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid "
        + "range. The range of valid IPs is 10.96.0.0/12");
  }

  @Test
  void headlessServicesGetNoAddress() {
    Service s = created(svc("db", "ClusterIP").editSpec().withClusterIP("None").endSpec().build());
    assertThat(s.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(s.getSpec().getClusterIPs()).containsExactly("None");
    assertThat(s.getSpec().getIpFamilies()).containsExactly("IPv4");
  }

  @Test
  void externalNameServicesGetNoAddressNorFamilies() {
    Service s = created(new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("default").endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName("example.com").endSpec().build());
    assertThat(s.getSpec().getClusterIP()).isNull();
    assertThat(s.getSpec().getIpFamilies()).isNullOrEmpty();
  }

  @Test
  void dualStackIsRefusedOnThisSingleStackCluster() {
    Api.Failed f = h.failed(h.create(svc("d", "ClusterIP").editSpec().withIpFamilyPolicy("RequireDualStack")
        .endSpec().build()));
    assertThat(f.message()).isEqualTo("Service \"d\" is invalid: spec.ipFamilyPolicy: Invalid value: "
        + "\"RequireDualStack\": this cluster is not configured for dual-stack services");
  }

  @Test
  void nodePortServicesGetAPortInRange() {
    Service s = created(svc("np", "NodePort").build());
    assertThat(s.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
    assertThat(s.getSpec().getClusterIP()).startsWith("10.");
  }

  @Test
  void aNodePortAlreadyTakenIsRefused() {
    created(svc("one", "NodePort").editSpec().editFirstPort().withNodePort(30080).endPort().endSpec().build());
    Api.Failed f = h.failed(h.create(svc("two", "NodePort").editSpec().editFirstPort().withNodePort(30080).endPort()
        .endSpec().build()));
    assertThat(f.message()).isEqualTo(
        "Service \"two\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    assertThat(h.get(Resources.SERVICES, "default", "two")).isInstanceOf(Api.Failed.class);
  }

  @Test
  void aRefusedServiceDoesNotKeepItsClusterIp() {
    created(svc("one", "NodePort").editSpec().editFirstPort().withNodePort(30080).endPort().endSpec().build());
    h.failed(h.create(svc("two", "NodePort").editSpec().withClusterIP("10.96.0.77").editFirstPort()
        .withNodePort(30080).endPort().endSpec().build()));
    Service again = created(svc("three", "ClusterIP").editSpec().withClusterIP("10.96.0.77").endSpec().build());
    assertThat(again.getSpec().getClusterIP()).isEqualTo("10.96.0.77");
  }

  @Test
  void deletingAServiceReleasesItsAddressAndPorts() {
    created(svc("one", "NodePort").editSpec().withClusterIP("10.96.0.60").editFirstPort().withNodePort(30090)
        .endPort().endSpec().build());
    h.delete(Resources.SERVICES, "default", "one", null);
    Service s = created(svc("two", "NodePort").editSpec().withClusterIP("10.96.0.60").editFirstPort()
        .withNodePort(30090).endPort().endSpec().build());
    assertThat(s.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30090);
  }

  @Test
  void loadBalancerServicesGetNodePortsAndNoExternalAddress() {
    Service s = created(svc("lb", "LoadBalancer").build());
    assertThat(s.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
    assertThat(s.getStatus() == null || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null
        || s.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
  }

  @Test
  void anUpdateWithoutTheAllocatedValuesKeepsThem() {
    Service s = created(svc("np", "NodePort").build());
    Service put = new ServiceBuilder(s).editMetadata().addToLabels("tier", "web").endMetadata().editSpec()
        .withClusterIP(null).withClusterIPs((java.util.List<String>) null).editFirstPort().withNodePort(null).endPort()
        .endSpec().build();
    Service after = h.ok(h.update(put), Service.class);
    assertThat(after.getSpec().getClusterIP()).isEqualTo(s.getSpec().getClusterIP());
    assertThat(after.getSpec().getPorts().get(0).getNodePort()).isEqualTo(s.getSpec().getPorts().get(0).getNodePort());
  }

  @Test
  void changingANodePortServiceToClusterIpReleasesItsPort() {
    created(svc("np", "NodePort").editSpec().editFirstPort().withNodePort(30100).endPort().endSpec().build());
    h.ok(h.patch(Resources.SERVICES, "default", "np", PatchType.MERGE_PATCH,
        "{\"spec\":{\"type\":\"ClusterIP\",\"externalTrafficPolicy\":null,"
            + "\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80}]}}"), Service.class);
    Service other = created(svc("other", "NodePort").editSpec().editFirstPort().withNodePort(30100).endPort().endSpec()
        .build());
    assertThat(other.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30100);
  }

  @Test
  void allocationsSurviveAnApiserverRestart() {
    created(svc("np", "NodePort").editSpec().editFirstPort().withNodePort(30200).endPort().endSpec().build());
    // A second apiserver over the same store rebuilds its allocators from the stored Services.
    var api2 = h.spawn(ApiServer.create(h.store, h.kit.runtime(), new java.util.SplittableRandom(3),
        ApiServerSettings.DEFAULT, new io.kubesim.shared.log.Klog("apiserver2", h.kit.runtime(),
            io.kubesim.shared.log.LogSink.NONE)), "apiserver2");
    h.settle();
    api2.tell(new Api.Create(svc("np2", "NodePort").editSpec().editFirstPort().withNodePort(30200).endPort().endSpec()
        .build(), io.kubesim.shared.api.WriteOptions.DEFAULT, h.replies.ref(), 1));
    h.settle();
    Api.Failed f = h.failed(h.replies.single());
    assertThat(f.message()).contains("provided port is already allocated");
  }

  @Test
  void anIngressWithoutClassGetsTheDefaultIngressClass() {
    h.ok(h.create(new IngressClassBuilder().withNewMetadata().withName("nginx")
        .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata().withNewSpec()
        .withController("k8s.io/ingress-nginx").endSpec().build()), io.fabric8.kubernetes.api.model.networking.v1
        .IngressClass.class);
    Ingress ing = h.ok(h.create(new IngressBuilder().withNewMetadata().withName("web").withNamespace("default")
        .endMetadata().withNewSpec().withNewDefaultBackend().withNewService().withName("web").withNewPort()
        .withNumber(80).endPort().endService().endDefaultBackend().endSpec().build()), Ingress.class);
    assertThat(ing.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ing.getStatus() == null || ing.getStatus().getLoadBalancer() == null
        || ing.getStatus().getLoadBalancer().getIngress() == null).isTrue();
  }

  @Test
  void anIngressNamingItsClassKeepsIt() {
    h.ok(h.create(new IngressClassBuilder().withNewMetadata().withName("nginx")
        .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true").endMetadata().withNewSpec()
        .withController("k8s.io/ingress-nginx").endSpec().build()), io.fabric8.kubernetes.api.model.networking.v1
        .IngressClass.class);
    Ingress ing = h.ok(h.create(new IngressBuilder().withNewMetadata().withName("web").withNamespace("default")
        .endMetadata().withNewSpec().withIngressClassName("traefik").withNewDefaultBackend().withNewService()
        .withName("web").withNewPort().withNumber(80).endPort().endService().endDefaultBackend().endSpec().build()),
        Ingress.class);
    assertThat(ing.getSpec().getIngressClassName()).isEqualTo("traefik");
  }
}
