package io.kubesim.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cluster DNS names and kube-proxy's routing, as one node sees them. */
class ClusterDnsTest {

  static final List<String> SEARCH = List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local");

  static ClusterDns cluster() {
    ClusterDns dns = new ClusterDns();
    dns.put(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata().withNewSpec()
        .withClusterIP("10.96.12.7").addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort().endSpec()
        .build());
    dns.put(slice("web-abcde", "web", "http", 8080, endpoint("10.244.1.2", "web-1", true, null),
        endpoint("10.244.2.2", "web-2", false, null)));
    dns.put(new ServiceBuilder().withNewMetadata().withName("db").withNamespace("data").endMetadata().withNewSpec()
        .withClusterIP("None").endSpec().build());
    EndpointSlice db = slice("db-xyz", "db", "", 5432, endpoint("10.244.3.4", "db-0", true, "db-0"),
        endpoint("10.244.3.5", "db-1", true, "db-1"));
    db.getMetadata().setNamespace("data");
    dns.put(db);
    dns.put(new ServiceBuilder().withNewMetadata().withName("empty").withNamespace("default").endMetadata()
        .withNewSpec().withClusterIP("10.96.50.1").addNewPort().withPort(80).endPort().endSpec().build());
    dns.put(new ServiceBuilder().withNewMetadata().withName("ext").withNamespace("default").endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName("example.com").endSpec().build());
    return dns;
  }

  static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, String pod, boolean ready,
      String hostname) {
    return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses(ip).withHostname(hostname)
        .withNewConditions().withReady(ready).endConditions().withNewTargetRef().withKind("Pod").withName(pod)
        .endTargetRef().build();
  }

  static EndpointSlice slice(String name, String svc, String port, int target,
      io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... eps) {
    return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("default")
        .addToLabels("kubernetes.io/service-name", svc).endMetadata().withAddressType("IPv4").addNewPort()
        .withName(port).withPort(target).withProtocol("TCP").endPort().withEndpoints(eps).build();
  }

  @Test
  void aServiceResolvesByShortNameNamespaceAndFullName() {
    ClusterDns dns = cluster();
    for (String name : List.of("web", "web.default", "web.default.svc", "web.default.svc.cluster.local",
        "web.default.svc.cluster.local.")) {
      ClusterDns.Answer a = dns.lookup(name, SEARCH, 5);
      assertThat(a.name()).as(name).isEqualTo("web.default.svc.cluster.local");
      assertThat(a.addresses()).as(name).containsExactly("10.96.12.7");
    }
  }

  @Test
  void aMissingServiceIsNotFound() {
    assertThat(cluster().lookup("myservice", SEARCH, 5).found()).isFalse();
    assertThat(cluster().lookup("myservice.default.svc.cluster.local", SEARCH, 5).found()).isFalse();
  }

  @Test
  void anotherNamespaceNeedsItsName() {
    assertThat(cluster().lookup("db", SEARCH, 5).found()).isFalse();
    assertThat(cluster().lookup("db.data", SEARCH, 5).addresses()).containsExactly("10.244.3.4", "10.244.3.5");
  }

  @Test
  void headlessServicePodsHaveTheirOwnNames() {
    assertThat(cluster().lookup("db-1.db.data.svc.cluster.local", SEARCH, 5).addresses())
        .containsExactly("10.244.3.5");
  }

  @Test
  void externalNameIsACname() {
    assertThat(cluster().lookup("ext", SEARCH, 5).canonicalName()).isEqualTo("example.com");
  }

  @Test
  void podNamesResolveToTheirAddress() {
    assertThat(cluster().lookup("10-244-1-2.default.pod.cluster.local", SEARCH, 5).addresses())
        .containsExactly("10.244.1.2");
  }

  @Test
  void aConnectionToAServiceGoesToAReadyEndpointOnItsTargetPort() {
    ClusterDns.Connection c = cluster().connect("10.96.12.7", 80, n -> 0);
    assertThat(c.reach()).isEqualTo(ClusterDns.Reach.OPEN);
    assertThat(c.backendPod()).isEqualTo("web-1");
    assertThat(c.backendPort()).isEqualTo(8080);
  }

  @Test
  void aServiceWithoutReadyEndpointsRefusesAndAnUnknownPortTimesOut() {
    assertThat(cluster().connect("10.96.50.1", 80, n -> 0).reach()).isEqualTo(ClusterDns.Reach.REFUSED);
    assertThat(cluster().connect("10.96.12.7", 81, n -> 0).reach()).isEqualTo(ClusterDns.Reach.TIMEOUT);
    assertThat(cluster().connect("10.1.2.3", 80, n -> 0).reach()).isEqualTo(ClusterDns.Reach.TIMEOUT);
  }

  @Test
  void deletedServicesAreForgotten() {
    ClusterDns dns = cluster();
    dns.remove(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata().build());
    assertThat(dns.lookup("web", SEARCH, 5).found()).isFalse();
    assertThat(dns.connect("10.96.12.7", 80, n -> 0).reach()).isEqualTo(ClusterDns.Reach.TIMEOUT);
  }
}
