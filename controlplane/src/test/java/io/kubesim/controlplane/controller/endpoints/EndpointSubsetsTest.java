package io.kubesim.controlplane.controller.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.kubesim.controlplane.controller.endpointslice.EndpointSlicesTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {

  private static Pod pod(String name, String ip, boolean ready) {
    return EndpointSlicesTest.pod(name, ip, ready);
  }

  @Test
  void readyPodsAreAddressesAndOthersNotReadyAddresses() {
    Service svc = EndpointSlicesTest.service(80);
    List<EndpointSubset> subsets = EndpointSubsets.compute(svc, List.of(pod("b", "10.244.1.10", true),
        pod("a", "10.244.1.9", true), pod("c", "10.244.1.2", false)));
    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).getAddresses()).extracting(a -> a.getIp()).containsExactly("10.244.1.9", "10.244.1.10");
    assertThat(subsets.get(0).getNotReadyAddresses()).extracting(a -> a.getIp()).containsExactly("10.244.1.2");
    assertThat(subsets.get(0).getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(subsets.get(0).getAddresses().get(0).getTargetRef().getName()).isEqualTo("a");
    assertThat(subsets.get(0).getAddresses().get(0).getNodeName()).isEqualTo("w1-k8s");
  }

  @Test
  void terminatingPodsAreLeftOut() {
    Pod terminating = new PodBuilder(pod("a", "10.244.1.9", true)).editMetadata()
        .withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata().build();
    assertThat(EndpointSubsets.compute(EndpointSlicesTest.service(80), List.of(terminating))).isEmpty();
  }

  @Test
  void noPodsNoSubsets() {
    assertThat(EndpointSubsets.compute(EndpointSlicesTest.service(80), List.of())).isEmpty();
  }
}
