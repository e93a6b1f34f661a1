package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.time.Simulation;
import io.kubesim.shared.time.VirtualRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated cluster: the simulation that runs it, and handles on its parts. Booted on the
 * thread that will drive it (the caller's in batch mode, the realtime driver's in serve mode).
 */
public final class Cluster implements AutoCloseable {

  private final Simulation<ClusterGuardian.Command> sim;
  private final ClusterGuardian.Wiring wiring;
  private final ClusterDefinition definition;
  private final ClusterSettings settings;
  private final LogBuffer logs;
  private int faults;

  private Cluster(Simulation<ClusterGuardian.Command> sim, ClusterGuardian.Wiring wiring,
      ClusterDefinition definition, ClusterSettings settings, LogBuffer logs) {
    this.sim = sim;
    this.wiring = wiring;
    this.definition = definition;
    this.settings = settings;
    this.logs = logs;
  }

  public static Cluster boot(ClusterDefinition definition, ClusterSettings settings) {
    LogBuffer logs = new LogBuffer(settings.logVerbosity(), settings.logCapacity());
    ClusterGuardian.Wiring wiring = new ClusterGuardian.Wiring();
    Simulation<ClusterGuardian.Command> sim = Simulation.start("kubesim", settings.epoch(), settings.seed(),
        (clock, seeds) -> ClusterGuardian.create(definition, settings, clock, seeds, logs, wiring));
    sim.runtime().runUntilIdle();
    return new Cluster(sim, wiring, definition, settings, logs);
  }

  public VirtualRuntime runtime() {
    return sim.runtime();
  }

  public ActorRef<Api.Request> apiserver() {
    return wiring.apiserver;
  }

  public LogBuffer logs() {
    return logs;
  }

  public ClusterDefinition definition() {
    return definition;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** The context a component started from outside the guardian is given (scenario tools, gateways). */
  public ComponentContext componentContext() {
    return new ComponentContext(wiring.apiserver, sim.runtime(), sim.seeds(), logs);
  }

  /**
   * Carries out a node fault (node-down, node-up, kubelet-stop, kubelet-start, partition, heal)
   * on the driver thread and returns what happened, as a line for the user ("node/w3-k8s down",
   * or "error: ...").
   */
  public String nodeFault(String fault, String node) {
    List<String> answers = new ArrayList<>();
    ActorRef<String> inbox = sim.spawn(collector(answers), "fault-" + (++faults));
    sim.system().tell(new ClusterGuardian.NodeFault(fault, node, inbox));
    sim.runtime().runUntilIdle();
    return answers.isEmpty() ? "error: no answer" : answers.get(0);
  }

  /**
   * Crashes (or OOM-kills) the container of a pod on a node, on the driver thread; a null
   * container means every container of the pod.
   */
  public String containerFault(String node, String namespace, String pod, String container, int exitCode,
      boolean oom) {
    List<String> answers = new ArrayList<>();
    ActorRef<String> inbox = sim.spawn(collector(answers), "fault-" + (++faults));
    sim.system().tell(new ClusterGuardian.ContainerFault(node, namespace, pod, container, exitCode, oom, inbox));
    sim.runtime().runUntilIdle();
    return answers.isEmpty() ? "error: no answer" : answers.get(0);
  }

  /** Asks the same of the cluster from any thread (the HTTP front): the answer comes back later. */
  public void nodeFaultAsync(String fault, String node, java.util.function.Consumer<String> then) {
    sim.runtime().submit(() -> {
      ActorRef<String> inbox = sim.system().systemActorOf(akka.actor.typed.javadsl.Behaviors.<String>receiveMessage(
          a -> {
            then.accept(a);
            return akka.actor.typed.javadsl.Behaviors.stopped();
          }), "fault-" + (++faults), akka.actor.typed.Props.empty());
      sim.system().tell(new ClusterGuardian.NodeFault(fault, node, inbox));
    });
  }

  private static akka.actor.typed.Behavior<String> collector(List<String> into) {
    return akka.actor.typed.javadsl.Behaviors.receiveMessage(a -> {
      into.add(a);
      return akka.actor.typed.javadsl.Behaviors.stopped();
    });
  }

  /** The container runtime of a node, or null when the node is down (for logs and exec). */
  public ActorRef<io.kubesim.nodeagent.runtime.ContainerRuntime.Command> containerRuntime(String node) {
    return wiring.runtimes.get(node);
  }

  /** Logs, exec, explanations and faults for the HTTP front (driver thread only). */
  public ActorRef<ClusterProxy.Command> proxy() {
    return wiring.proxy;
  }

  /** The scheduler's latest decision for a pod (driver thread, batch mode), if it has one. */
  public java.util.Optional<io.kubesim.controlplane.scheduler.SchedulingDecision> explain(String namespace,
      String name) {
    List<java.util.Optional<io.kubesim.controlplane.scheduler.SchedulingDecision>> answers = new ArrayList<>();
    ActorRef<java.util.Optional<io.kubesim.controlplane.scheduler.SchedulingDecision>> inbox = sim.spawn(
        akka.actor.typed.javadsl.Behaviors.receiveMessage(a -> {
          answers.add(a);
          return akka.actor.typed.javadsl.Behaviors.stopped();
        }), "explain-" + (++faults));
    wiring.scheduler.tell(new io.kubesim.controlplane.scheduler.Scheduler.Explain(namespace, name, inbox));
    sim.runtime().runUntilIdle();
    return answers.isEmpty() ? java.util.Optional.empty() : answers.get(0);
  }

  /** The scheduler, for explanations of its decisions. */
  public ActorRef<io.kubesim.controlplane.scheduler.Scheduler.Command> scheduler() {
    return wiring.scheduler;
  }

  /** Spawns a top-level actor in the cluster's simulation (on the driver thread). */
  public <T> ActorRef<T> spawn(akka.actor.typed.Behavior<T> behavior, String name) {
    return sim.spawn(behavior, name);
  }

  @Override
  public void close() {
    sim.close();
  }
}
