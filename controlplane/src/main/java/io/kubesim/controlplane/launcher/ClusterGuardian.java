package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.controller.ControllerManager;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.scheduler.Scheduler;
import io.kubesim.controlplane.store.Store;
import io.kubesim.nodeagent.kubelet.Kubelet;
import io.kubesim.nodeagent.kubelet.NodeConfig;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Seeds;
import io.kubesim.shared.time.VirtualClock;
import io.kubesim.shared.util.Receives;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The root of a simulated cluster. It starts the store and the apiserver, the scheduler, the
 * controller-manager's controllers, and one container runtime and kubelet per node, and carries
 * out the faults that stop and start them: a node crash stops both the kubelet and the runtime
 * (its containers die), a kubelet stop leaves the runtime and its containers running, a partition
 * cuts the kubelet's link to the apiserver while both sides keep running.
 */
final class ClusterGuardian extends AbstractBehavior<ClusterGuardian.Command> {

  sealed interface Command {}

  /** node-down, node-up, kubelet-stop, kubelet-start, partition, heal. */
  record NodeFault(String fault, String node, ActorRef<String> replyTo) implements Command {}

  /** Crashes (exit code) or OOM-kills a container of a pod running on a node. */
  record ContainerFault(String node, String namespace, String pod, String container, int exitCode, boolean oom,
      ActorRef<String> replyTo) implements Command {}

  /** The references the cluster's owner needs, filled in as the guardian starts its children. */
  static final class Wiring {
    ActorRef<Store.Command> store;
    ActorRef<Api.Request> apiserver;
    ActorRef<Scheduler.Command> scheduler;
    final Map<String, ActorRef<ContainerRuntime.Command>> runtimes = new LinkedHashMap<>();
    final Map<String, ActorRef<Kubelet.Command>> kubelets = new LinkedHashMap<>();
    /** Nodes whose kubelet is cut off from the control plane. */
    final Map<String, Boolean> partitioned = new LinkedHashMap<>();
    ActorRef<ClusterProxy.Command> proxy;
  }

  static Behavior<Command> create(ClusterDefinition definition, ClusterSettings settings, VirtualClock clock,
      Seeds seeds, LogSink logs, Wiring wiring) {
    return Behaviors.setup(ctx -> new ClusterGuardian(ctx, definition, settings, clock, seeds, logs, wiring));
  }

  private final ClusterDefinition definition;
  private final ClusterSettings settings;
  private final ComponentContext components;
  private final Wiring wiring;
  private final Klog log;
  private final Map<String, Integer> incarnations = new LinkedHashMap<>();

  private ClusterGuardian(ActorContext<Command> ctx, ClusterDefinition definition, ClusterSettings settings,
      VirtualClock clock, Seeds seeds, LogSink logs, Wiring wiring) {
    super(ctx);
    this.definition = definition;
    this.settings = settings;
    this.wiring = wiring;
    this.log = new Klog("fault-injector", clock, logs);
    wiring.store = ctx.spawn(settings.dataDir() == null ? Store.create(settings.store(), ApiServer.VERSIONER)
        : Store.create(settings.store(), ApiServer.VERSIONER, ObjectCodec.persistence(settings.dataDir()), clock),
        "etcd");
    wiring.apiserver = ctx.spawn(ApiServer.create(wiring.store, clock, seeds.forComponent("apiserver"),
        withAdvertiseAddress(settings.apiserver(), definition), new Klog("apiserver", clock, logs)), "kube-apiserver");
    this.components = new ComponentContext(wiring.apiserver, clock, seeds, logs);
    wiring.scheduler = ctx.spawn(Scheduler.create(components, settings.scheduler()), "kube-scheduler");
    startControllers(ctx, settings.controllerManager());
    for (Node n : definition.nodes()) {
      String name = n.getMetadata().getName();
      startRuntime(name);
      startKubelet(name);
    }
    wiring.proxy = ctx.spawn(ClusterProxy.create(wiring,
        new java.util.LinkedHashSet<>(definition.nodeNames()), ctx.getSelf()), "kubesim-proxy");
  }

  /**
   * kubeadm's --advertise-address: the control-plane node's InternalIP (the first node's if none is
   * labelled control-plane), unless the settings name one.
   */
  private static io.kubesim.controlplane.apiserver.ApiServerSettings withAdvertiseAddress(
      io.kubesim.controlplane.apiserver.ApiServerSettings s, ClusterDefinition definition) {
    if (s.advertiseAddress() != null || definition.nodes().isEmpty()) {
      return s;
    }
    Node chosen = definition.nodes().get(0);
    for (Node n : definition.nodes()) {
      if (n.getMetadata().getLabels() != null
          && n.getMetadata().getLabels().containsKey("node-role.kubernetes.io/control-plane")) {
        chosen = n;
        break;
      }
    }
    if (chosen.getStatus() != null && chosen.getStatus().getAddresses() != null) {
      for (var a : chosen.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          return s.withAdvertiseAddress(a.getAddress());
        }
      }
    }
    return s;
  }

  private void startControllers(ActorContext<Command> ctx, ControllerManagerSettings cm) {
    ctx.spawn(ControllerManager.create(components, cm), "kube-controller-manager");
  }

  /** Actor names must be unique while a stopped one may still be going away: number each start. */
  private String actorName(String prefix, String node) {
    int n = incarnations.merge(prefix + node, 1, Integer::sum);
    return prefix + node + (n == 1 ? "" : "-" + n);
  }

  private void startRuntime(String node) {
    ActorRef<ContainerRuntime.Command> r = getContext().spawn(ContainerRuntime.create(components, node,
        settings.runtime()), actorName("containerd-", node));
    wiring.runtimes.put(node, r);
    if (wiring.partitioned.getOrDefault(node, false)) {
      r.tell(new ContainerRuntime.SetNetwork(false));
    }
  }

  private void startKubelet(String node) {
    Node manifest = definition.nodes().stream().filter(n -> n.getMetadata().getName().equals(node)).findFirst()
        .orElseThrow();
    NodeConfig config = NodeConfig.of(manifest, definition.staticPods(node));
    ActorRef<Kubelet.Command> k = getContext().spawn(Kubelet.create(components, config, settings.kubelet(),
        wiring.runtimes.get(node)), actorName("kubelet-", node));
    wiring.kubelets.put(node, k);
    if (wiring.partitioned.getOrDefault(node, false)) {
      k.tell(new Kubelet.SetNetwork(false));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(NodeFault.class, this::onNodeFault)
        .onMessage(ContainerFault.class, this::onContainerFault)
        .build();
  }

  private void answer(ActorRef<String> to, String text) {
    if (to != null) {
      to.tell(text);
    }
  }

  private Behavior<Command> onNodeFault(NodeFault m) {
    String node = m.node();
    if (!definition.nodeNames().contains(node)) {
      answer(m.replyTo(), "error: no node named \"" + node + "\"");
      return this;
    }
    ActorRef<Kubelet.Command> kubelet = wiring.kubelets.get(node);
    ActorRef<ContainerRuntime.Command> runtime = wiring.runtimes.get(node);
    String result;
    switch (m.fault()) {
      case "node-down" -> {
        if (runtime == null) {
          result = "error: node " + node + " is already down";
          break;
        }
        if (kubelet != null) {
          getContext().stop(kubelet);
        }
        getContext().stop(runtime);
        wiring.kubelets.remove(node);
        wiring.runtimes.remove(node);
        log.info("Node crashed: kubelet and containers stopped", "node", node);
        result = "node/" + node + " down";
      }
      case "node-up" -> {
        if (runtime != null) {
          result = "error: node " + node + " is already up";
          break;
        }
        startRuntime(node);
        startKubelet(node);
        log.info("Node booted: container runtime and kubelet started", "node", node);
        result = "node/" + node + " up";
      }
      case "kubelet-stop" -> {
        if (kubelet == null) {
          result = "error: the kubelet of " + node + " is not running";
          break;
        }
        getContext().stop(kubelet);
        wiring.kubelets.remove(node);
        log.info("Kubelet stopped; containers keep running", "node", node);
        result = "kubelet on " + node + " stopped";
      }
      case "kubelet-start" -> {
        if (kubelet != null) {
          result = "error: the kubelet of " + node + " is already running";
          break;
        }
        if (runtime == null) {
          result = "error: node " + node + " is down (use node-up)";
          break;
        }
        startKubelet(node);
        log.info("Kubelet started", "node", node);
        result = "kubelet on " + node + " started";
      }
      case "partition", "heal" -> {
        boolean cut = m.fault().equals("partition");
        if (wiring.partitioned.getOrDefault(node, false) == cut) {
          result = "error: node " + node + (cut ? " is already partitioned" : " is not partitioned");
          break;
        }
        wiring.partitioned.put(node, cut);
        if (kubelet != null) {
          kubelet.tell(new Kubelet.SetNetwork(!cut));
        }
        if (runtime != null) {
          // The node's Service view (its kube-proxy's watches) is cut off too and keeps what it had.
          runtime.tell(new ContainerRuntime.SetNetwork(!cut));
        }
        log.info(cut ? "Network partition: node cut off from the control plane" : "Network partition healed",
            "node", node);
        result = "node/" + node + (cut ? " partitioned" : " healed");
      }
      default -> result = "error: unknown fault \"" + m.fault()
          + "\" (node-down, node-up, kubelet-stop, kubelet-start, partition, heal)";
    }
    answer(m.replyTo(), result);
    return this;
  }

  private Behavior<Command> onContainerFault(ContainerFault m) {
    ActorRef<ContainerRuntime.Command> runtime = wiring.runtimes.get(m.node());
    if (runtime == null) {
      answer(m.replyTo(), "error: node " + m.node() + " is down");
      return this;
    }
    if (m.oom()) {
      runtime.tell(new ContainerRuntime.OomKill(m.namespace(), m.pod(), m.container()));
    } else {
      runtime.tell(new ContainerRuntime.CrashContainer(m.namespace(), m.pod(), m.container(), m.exitCode()));
    }
    log.info(m.oom() ? "Container OOM-killed" : "Container crashed", "pod", m.namespace() + "/" + m.pod(),
        "container", m.container(), "exitCode", m.oom() ? 137 : m.exitCode());
    answer(m.replyTo(), "ok");
    return this;
  }
}
