package io.kubesim.controlplane.kubelet;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.nodeagent.kubelet.Kubelet;
import io.kubesim.nodeagent.kubelet.KubeletSettings;
import io.kubesim.nodeagent.kubelet.NodeConfig;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.nodeagent.runtime.RuntimeSettings;
import io.kubesim.nodeagent.staticpod.StaticPodSource;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.log.LogLine;
import io.kubesim.shared.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A store and apiserver with one node: its container runtime and its kubelet, in virtual time.
 * Tests create pods bound to the node (as the scheduler would) and advance the clock.
 */
final class NodeFixture implements AutoCloseable {

  static final String NODE = "w1-k8s";

  final ControlPlaneHarness h = new ControlPlaneHarness();
  final Node manifest;
  final NodeConfig config;
  final KubeletSettings settings;
  final RuntimeSettings runtimeSettings;
  ActorRef<ContainerRuntime.Command> runtime;
  ActorRef<Kubelet.Command> kubelet;
  private int kubeletIncarnation;
  private int runtimeIncarnation;

  NodeFixture() {
    this(RuntimeSettings.DEFAULT, StaticPodSource.none(), KubeletSettings.DEFAULT);
  }

  NodeFixture(RuntimeSettings runtimeSettings, StaticPodSource staticPods, KubeletSettings settings) {
    manifest = new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
        .withNewSpec().withPodCIDR("172.16.1.0/24").endSpec()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.1.101").endAddress()
        .withCapacity(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("110"),
            "ephemeral-storage", new Quantity("60Gi")))
        .endStatus().build();
    this.settings = settings;
    config = NodeConfig.of(manifest, staticPods);
    this.runtimeSettings = runtimeSettings;
    startRuntime();
    startKubelet();
  }

  void startRuntime() {
    runtime = h.spawn(ContainerRuntime.create(h.context(), NODE, runtimeSettings), "containerd-" + NODE + "-"
        + (++runtimeIncarnation));
  }

  /** The node goes down: every container with it. */
  void stopRuntime() {
    akka.actor.typed.javadsl.Adapter.toClassic(runtime).tell(akka.actor.PoisonPill.getInstance(),
        akka.actor.ActorRef.noSender());
    h.settle();
  }

  void startKubelet() {
    kubelet = h.spawn(Kubelet.create(h.context(), config, settings, runtime), "kubelet-" + NODE + "-"
        + (++kubeletIncarnation));
  }

  void stopKubelet() {
    // A crash: the actor stops at once, its timers with it; the runtime's containers stay.
    akka.actor.typed.javadsl.Adapter.toClassic(kubelet).tell(akka.actor.PoisonPill.getInstance(),
        akka.actor.ActorRef.noSender());
    h.settle();
  }

  void advance(Duration d) {
    h.advance(d);
  }

  void advanceSeconds(long s) {
    h.advance(Duration.ofSeconds(s));
  }

  static Pod pod(String name, String image, List<String> command) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage(image)
        .withCommand(command.isEmpty() ? null : command).endContainer().endSpec().build();
  }

  Pod create(Pod p) {
    return h.created(p);
  }

  Pod pod(String name) {
    Api.Response r = h.get(Resources.PODS, "default", name);
    return r instanceof Api.Ok ok ? (Pod) ok.object() : null;
  }

  Node node() {
    Api.Response r = h.get(Resources.NODES, null, NODE);
    return r instanceof Api.Ok ok ? (Node) ok.object() : null;
  }

  <T extends HasMetadata> T get(io.kubesim.shared.api.ResourceType type, String ns, String name, Class<T> cls) {
    Api.Response r = h.get(type, ns, name);
    return r instanceof Api.Ok ok ? cls.cast(ok.object()) : null;
  }

  /** Events about an object, oldest first, as "Reason: message". */
  List<String> events(String namespace, String name) {
    List<Event> evs = new ArrayList<>();
    for (HasMetadata o : h.list(Resources.EVENTS, namespace, ListOptions.ALL).items()) {
      Event e = (Event) o;
      if (e.getInvolvedObject().getName().equals(name)) {
        evs.add(e);
      }
    }
    evs.sort(Comparator.comparing((Event e) -> e.getFirstTimestamp()).thenComparing(e -> e.getMetadata().getName()));
    List<String> out = new ArrayList<>();
    for (Event e : evs) {
      out.add(e.getReason() + ": " + e.getMessage() + (e.getCount() != null && e.getCount() > 1 ? " (x"
          + e.getCount() + ")" : ""));
    }
    return out;
  }

  List<String> logLines(String contains) {
    List<String> out = new ArrayList<>();
    for (LogLine l : h.logs.lines()) {
      if (l.text().contains(contains)) {
        out.add(l.text());
      }
    }
    return out;
  }

  ContainerRuntime.LogsResult logs(String pod, String container, boolean previous) {
    Recorder<ContainerRuntime.LogsResult> r = h.kit.recorder();
    runtime.tell(new ContainerRuntime.Logs("default", pod, container, previous, r.ref()));
    h.settle();
    return r.single();
  }

  ContainerRuntime.ExecResult exec(String pod, String container, List<String> command) {
    Recorder<ContainerRuntime.ExecResult> r = h.kit.recorder();
    runtime.tell(new ContainerRuntime.Exec("default", pod, container, command, r.ref()));
    h.settle();
    return r.single();
  }

  @Override
  public void close() {
    h.close();
  }
}
