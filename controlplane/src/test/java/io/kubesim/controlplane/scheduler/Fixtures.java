package io.kubesim.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nodes and pods for scheduler tests, as compact builders. */
public final class Fixtures {

  private Fixtures() {}

  public static NodeBuilder node(String name, String cpu, String memory) {
    Map<String, Quantity> cap = new LinkedHashMap<>();
    cap.put("cpu", new Quantity(cpu));
    cap.put("memory", new Quantity(memory));
    cap.put("pods", new Quantity("110"));
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
        .endMetadata().withNewSpec().endSpec().withNewStatus().withCapacity(cap).withAllocatable(cap).endStatus();
  }

  /** The embedded default cluster: m-k8s with the control-plane taint, w1..w3 workers; 2 CPU, 4 GiB each. */
  public static Node[] defaultCluster() {
    return new Node[] {
        node("m-k8s", "2", "4Gi").editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "")
            .endMetadata().editSpec().addToTaints(new Taint("NoSchedule", "node-role.kubernetes.io/control-plane",
                null, null)).endSpec().build(),
        node("w1-k8s", "2", "4Gi").build(),
        node("w2-k8s", "2", "4Gi").build(),
        node("w3-k8s", "2", "4Gi").build()};
  }

  public static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec()
        .addToContainers(container(null, null)).endSpec();
  }

  public static PodBuilder pod(String name, String cpu, String memory) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withNewSpec()
        .addToContainers(container(cpu, memory)).endSpec();
  }

  public static Container container(String cpu, String memory) {
    ContainerBuilder c = new ContainerBuilder().withName("app").withImage("nginx:1.27");
    if (cpu != null || memory != null) {
      Map<String, Quantity> req = new LinkedHashMap<>();
      if (cpu != null) {
        req.put("cpu", new Quantity(cpu));
      }
      if (memory != null) {
        req.put("memory", new Quantity(memory));
      }
      c.withNewResources().withRequests(req).endResources();
    }
    return c.build();
  }
}
