package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.log.LogLine;
import io.kubesim.shared.time.Times;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What controller tests need around the harness: the test plays the kubelet (registers nodes,
 * renews leases, posts node status, marks pods Running and Ready) and reads back objects, events
 * and log lines.
 */
public final class Fixtures {

  private final ControlPlaneHarness h;

  public Fixtures(ControlPlaneHarness h) {
    this.h = h;
  }

  // ---------------------------------------------------------------- nodes

  public Node registerNode(String name, Map<String, String> labels) {
    String now = Times.rfc3339(h.kit.runtime().now());
    Node n = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec()
        .endSpec().withNewStatus().withConditions(
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", now),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", now),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", now),
            condition("Ready", "True", "KubeletReady", now)).endStatus().build();
    Node created = h.created(n);
    renewLease(name);
    return created;
  }

  public Node registerNode(String name) {
    return registerNode(name, Map.of("kubernetes.io/hostname", name));
  }

  private static NodeCondition condition(String type, String status, String reason, String now) {
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }

  /** The kubelet's node lease renewal (kube-node-lease/&lt;node&gt;, 40 s duration). */
  public void renewLease(String node) {
    java.time.ZonedDateTime now = h.kit.runtime().now().atZone(ZoneOffset.UTC);
    Api.Response r = h.get(Resources.LEASES, "kube-node-lease", node);
    if (r instanceof Api.Ok ok) {
      Lease l = new LeaseBuilder((Lease) ok.object()).editSpec().withRenewTime(now).endSpec().build();
      h.ok(h.update(l), Lease.class);
    } else {
      h.created(new LeaseBuilder().withNewMetadata().withName(node).withNamespace("kube-node-lease").endMetadata()
          .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(now).endSpec().build());
    }
  }

  /** The kubelet posting Ready (True, or False with KubeletNotReady) with a fresh heartbeat. */
  public void postReady(String node, boolean ready) {
    Node n = node(node);
    String now = Times.rfc3339(h.kit.runtime().now());
    List<NodeCondition> conditions = new ArrayList<>();
    for (NodeCondition c : n.getStatus().getConditions()) {
      NodeConditionBuilder b = new NodeConditionBuilder(c).withLastHeartbeatTime(now);
      if (c.getType().equals("Ready")) {
        String status = ready ? "True" : "False";
        if (!status.equals(c.getStatus())) {
          b.withLastTransitionTime(now);
        }
        b.withStatus(status).withReason(ready ? "KubeletReady" : "KubeletNotReady")
            .withMessage(ready ? "kubelet is posting ready status" : "container runtime is down");
      } else if (!"NetworkUnavailable".equals(c.getType()) && "Unknown".equals(c.getStatus())) {
        b.withStatus("False").withLastTransitionTime(now);
      }
      conditions.add(b.build());
    }
    Node updated = new NodeBuilder(n).editStatus().withConditions(conditions).endStatus().build();
    h.ok(h.updateStatus(updated), Node.class);
  }

  public Node node(String name) {
    return h.ok(h.get(Resources.NODES, null, name), Node.class);
  }

  public List<Taint> taints(String node) {
    Node n = node(node);
    return n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
  }

  public List<String> taintStrings(String node) {
    List<String> out = new ArrayList<>();
    for (Taint t : taints(node)) {
      out.add(t.getKey() + ":" + t.getEffect());
    }
    return out;
  }

  public String readyStatus(String node) {
    for (NodeCondition c : node(node).getStatus().getConditions()) {
      if (c.getType().equals("Ready")) {
        return c.getStatus();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- pods

  public static Pod pod(String name, String node) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "web")
        .endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("nginx:1.27")
        .endContainer().endSpec().build();
  }

  /** The kubelet reporting the pod Running and Ready. */
  public Pod markRunningReady(String ns, String name) {
    Pod p = get(ns, name);
    String now = Times.rfc3339(h.kit.runtime().now());
    Pod updated = new PodBuilder(p).editStatus().withPhase("Running").withPodIP("10.244.0.10").withConditions(
        new PodConditionBuilder().withType("Initialized").withStatus("True").withLastTransitionTime(now).build(),
        new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime(now).build(),
        new PodConditionBuilder().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).build(),
        new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).build())
        .endStatus().build();
    return h.ok(h.updateStatus(updated), Pod.class);
  }

  /** The scheduler's binding of a pod to a node. */
  public void bind(String ns, String name, String node) {
    io.fabric8.kubernetes.api.model.Binding b = new io.fabric8.kubernetes.api.model.BindingBuilder().withNewMetadata()
        .withName(name).withNamespace(ns).endMetadata().withNewTarget().withKind("Node").withName(node).endTarget()
        .build();
    h.ok(h.call(r -> new Api.Bind(b, r, 0)), Pod.class);
  }

  public Pod get(String ns, String name) {
    return h.ok(h.get(Resources.PODS, ns, name), Pod.class);
  }

  public boolean exists(ResourceType type, String ns, String name) {
    return h.get(type, ns, name) instanceof Api.Ok;
  }

  /** The kubelet finishing a graceful deletion: the pod goes with grace 0. */
  public void finishDeletion(String ns, String name) {
    h.delete(Resources.PODS, ns, name, new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
        .withGracePeriodSeconds(0L).build());
  }

  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> List<T> list(ResourceType type, String ns) {
    List<T> out = new ArrayList<>();
    for (HasMetadata o : h.list(type, ns, ListOptions.ALL).items()) {
      out.add((T) o);
    }
    return out;
  }

  // ---------------------------------------------------------------- events and logs

  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    for (HasMetadata o : h.list(Resources.EVENTS, null, ListOptions.ALL).items()) {
      out.add((Event) o);
    }
    out.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
    return out;
  }

  /** "reason: message" of every event about the named object, oldest first. */
  public List<String> eventsAbout(String name) {
    List<Event> all = events();
    all.sort((a, b) -> {
      int c = a.getFirstTimestamp().compareTo(b.getFirstTimestamp());
      return c != 0 ? c : a.getMetadata().getName().compareTo(b.getMetadata().getName());
    });
    List<String> out = new ArrayList<>();
    for (Event e : all) {
      if (name.equals(e.getInvolvedObject().getName())) {
        out.add(e.getReason() + ": " + e.getMessage());
      }
    }
    return out;
  }

  public List<String> logLines(String component) {
    List<String> out = new ArrayList<>();
    for (LogLine l : h.logs.lines()) {
      if (l.component().equals(component)) {
        out.add(l.text());
      }
    }
    return out;
  }
}
