package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test objects in the style of kube-scheduler's st.MakePod()/st.MakeNode(): a node with a capacity
 * (which is also its allocatable), a pod with one container per request map.
 */
final class Make {

  private Make() {}

  /** A node with the given resources, e.g. node("node1", "cpu", "4000", "memory", "10000"). */
  static NodeBuilder node(String name, String... resources) {
    Map<String, Quantity> cap = new LinkedHashMap<>();
    for (int i = 0; i + 1 < resources.length; i += 2) {
      cap.put(resources[i], new Quantity(resources[i + 1]));
    }
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .endMetadata().withNewSpec().endSpec().withNewStatus().withCapacity(cap).withAllocatable(cap).endStatus();
  }

  /** A pod named "pod" in "default" with one container per request map. */
  static PodBuilder pod(String name, List<Map<String, String>> containers) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
        .endMetadata().withNewSpec().endSpec();
    int i = 0;
    for (Map<String, String> req : containers) {
      b.editSpec().addToContainers(container("c" + (i++), req)).endSpec();
    }
    return b;
  }

  static PodBuilder pod(String name) {
    return pod(name, List.of());
  }

  static Container container(String name, Map<String, String> req) {
    ContainerBuilder c = new ContainerBuilder().withName(name).withImage("img");
    if (req != null) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      req.forEach((k, v) -> q.put(k, new Quantity(v)));
      c.withNewResources().withRequests(q).endResources();
    }
    return c.build();
  }

  /** requests "cpu", "1000", "memory", "2000" as a map. */
  static Map<String, String> req(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static Pod podReq(String name, Map<String, String>... containers) {
    return pod(name, List.of(containers)).build();
  }
}
