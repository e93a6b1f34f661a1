package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.time.Simulation;
import io.kubesim.shared.time.VirtualRuntime;

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
   * Carries out a node fault now: node-down, node-up, kubelet-stop, kubelet-start, partition, heal.
   * Throws IllegalArgumentException for an unknown node or fault, with a message for the user.
   */
  public void nodeFault(String fault, String node) {
    if (!definition.nodeNames().contains(node)) {
      throw new IllegalArgumentException("no node named \"" + node + "\" in this cluster (nodes: "
          + String.join(", ", definition.nodeNames()) + ")");
    }
    throw new IllegalStateException("node faults need kubelets, which this cluster does not run yet");
  }

  /** Crashes or OOM-kills the containers of the named pod, or of the pods a selector picks. */
  public void containerFault(String fault, String namespace, String pod, String selector, String container,
      int exitCode) {
    throw new IllegalStateException("container faults need kubelets, which this cluster does not run yet");
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
