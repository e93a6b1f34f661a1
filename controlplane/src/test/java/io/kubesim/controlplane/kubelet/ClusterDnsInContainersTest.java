package io.kubesim.controlplane.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's containers resolve Services through the node's own watch of them. */
class ClusterDnsInContainersTest {

  private NodeFixture n;

  @BeforeEach
  void start() {
    n = new NodeFixture();
    n.create(NodeFixture.pod("client", "busybox:1.36", List.of("sleep", "3600")));
    n.advanceSeconds(10);
  }

  @AfterEach
  void stop() {
    n.close();
  }

  private void service(String name, String ip) {
    n.h.created(new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withClusterIP(ip).addNewPort().withPort(80).endPort().endSpec().build());
    n.h.settle();
  }

  @Test
  void aNewServiceResolvesAtOnce() {
    assertThat(n.exec("client", "app", List.of("nslookup", "web")).exitCode()).isEqualTo(1);
    service("web", "10.96.44.44");
    ContainerRuntime.ExecResult r = n.exec("client", "app", List.of("nslookup", "web"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("Name:\tweb.default.svc.cluster.local\nAddress: 10.96.44.44\n");
  }

  @Test
  void theServiceAccountNamespaceFileIsMounted() {
    assertThat(n.exec("client", "app", List.of("cat", "/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
        .stdout()).isEqualTo("default");
  }

  @Test
  void theKubernetesServiceResolves() {
    ContainerRuntime.ExecResult r = n.exec("client", "app", List.of("getent", "hosts", "kubernetes.default"));
    assertThat(r.stdout()).isEqualTo("10.96.0.1       kubernetes.default.svc.cluster.local\n");
  }

  @Test
  void aNodeCutOffKeepsItsLastViewOfServices() {
    service("web", "10.96.44.44");
    n.runtime.tell(new ContainerRuntime.SetNetwork(false));
    n.h.settle();
    service("db", "10.96.55.55");
    n.h.delete(io.kubesim.shared.api.Resources.SERVICES, "default", "web", null);
    n.h.settle();
    assertThat(n.exec("client", "app", List.of("nslookup", "web")).exitCode()).isZero();
    assertThat(n.exec("client", "app", List.of("nslookup", "db")).exitCode()).isEqualTo(1);
    n.runtime.tell(new ContainerRuntime.SetNetwork(true));
    n.h.settle();
    assertThat(n.exec("client", "app", List.of("nslookup", "web")).exitCode()).isEqualTo(1);
    assertThat(n.exec("client", "app", List.of("nslookup", "db")).exitCode()).isZero();
  }
}
