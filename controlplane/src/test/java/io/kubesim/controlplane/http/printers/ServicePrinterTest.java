package io.kubesim.controlplane.http.printers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl get svc}: CLUSTER-IP, EXTERNAL-IP and PORT(S) for each type, as the apiserver allocated them. */
class ServicePrinterTest {

  private static ControlPlaneHarness h;
  private static final Instant NOW = Instant.parse("2026-01-01T00:05:00Z");

  @BeforeAll
  static void start() {
    h = new ControlPlaneHarness(StoreSettings.DEFAULT, ApiServerSettings.DEFAULT.withAdvertiseAddress("192.168.1.10"));
    h.settle();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static List<Object> row(HasMetadata o) {
    return Printers.of(Resources.SERVICES).row(o, NOW).cells();
  }

  private static Service create(ServiceBuilder b) {
    return h.ok(h.create(b.build()), Service.class);
  }

  private static ServiceBuilder svc(String name, String type) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec()
        .withType(type).addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec();
  }

  @Test
  void clusterIpServiceShowsItsAddressAndPort() {
    Service s = create(svc("web", "ClusterIP"));
    List<Object> r = row(s);
    assertThat(r.subList(0, 5)).containsExactly("web", "ClusterIP", s.getSpec().getClusterIP(), "<none>", "80/TCP");
    assertThat((String) r.get(2)).startsWith("10.");
    assertThat(r.get(6)).isEqualTo("app=web");
  }

  @Test
  void theKubernetesServiceIsTheFirstAddress() {
    Service k = h.ok(h.get(Resources.SERVICES, "default", "kubernetes"), Service.class);
    assertThat(row(k).subList(0, 5)).containsExactly("kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP");
  }

  @Test
  void nodePortServiceShowsPortAndNodePort() {
    Service s = create(svc("np", "NodePort").editSpec().editFirstPort().withNodePort(30080).endPort().endSpec());
    assertThat(row(s).subList(0, 5)).containsExactly("np", "NodePort", s.getSpec().getClusterIP(), "<none>",
        "80:30080/TCP");
  }

  @Test
  void loadBalancerWithoutAControllerIsPending() {
    Service s = create(svc("lb", "LoadBalancer"));
    int np = s.getSpec().getPorts().get(0).getNodePort();
    assertThat(row(s).subList(0, 5)).containsExactly("lb", "LoadBalancer", s.getSpec().getClusterIP(), "<pending>",
        "80:" + np + "/TCP");
  }

  @Test
  void headlessServiceShowsNone() {
    Service s = create(svc("db", "ClusterIP").editSpec().withClusterIP("None").endSpec());
    assertThat(row(s).subList(0, 5)).containsExactly("db", "ClusterIP", "None", "<none>", "80/TCP");
  }

  @Test
  void externalNameServiceShowsItsName() {
    Service s = create(new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("default").endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName("db.example.com").endSpec());
    assertThat(row(s).subList(0, 5)).containsExactly("ext", "ExternalName", "<none>", "db.example.com", "<none>");
  }
}
