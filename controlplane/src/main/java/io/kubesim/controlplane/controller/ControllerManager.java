package io.kubesim.controlplane.controller;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.kubesim.controlplane.controller.cronjob.CronJobController;
import io.kubesim.controlplane.controller.daemonset.DaemonSetController;
import io.kubesim.controlplane.controller.deployment.DeploymentController;
import io.kubesim.controlplane.controller.disruption.DisruptionController;
import io.kubesim.controlplane.controller.endpoints.EndpointsController;
import io.kubesim.controlplane.controller.endpointslice.EndpointSliceController;
import io.kubesim.controlplane.controller.garbagecollector.GarbageCollector;
import io.kubesim.controlplane.controller.job.JobController;
import io.kubesim.controlplane.controller.ttlafterfinished.TtlAfterFinishedController;
import io.kubesim.controlplane.controller.namespace.NamespaceController;
import io.kubesim.controlplane.controller.nodelifecycle.NodeLifecycleController;
import io.kubesim.controlplane.controller.podgc.PodGcController;
import io.kubesim.controlplane.controller.replicaset.ReplicaSetController;
import io.kubesim.controlplane.controller.resourcequota.ResourceQuotaController;
import io.kubesim.controlplane.controller.serviceaccount.RootCaCertPublisher;
import io.kubesim.controlplane.controller.serviceaccount.ServiceAccountsController;
import io.kubesim.controlplane.controller.statefulset.StatefulSetController;
import io.kubesim.controlplane.controller.tainteviction.TaintEvictionController;
import io.kubesim.controlplane.controller.volume.PersistentVolumeController;
import io.kubesim.controlplane.controller.volume.PvProtectionController;
import io.kubesim.controlplane.controller.volume.PvcProtectionController;
import io.kubesim.controlplane.controller.volume.SimulatedProvisioner;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kube-controller-manager: one child actor per controller, each with its own informers,
 * apiserver connection and event recorder, as each Kubernetes controller runs with its own
 * clients. The children, by Kubernetes name: node-lifecycle-controller, taint-eviction-controller,
 * replicaset-controller, deployment-controller, garbage-collector-controller (unless
 * {@code --enable-garbage-collector=false}), namespace-controller, disruption-controller,
 * pod-garbage-collector-controller, endpointslice-controller, endpoints-controller,
 * resourcequota-controller, serviceaccount-controller, root-ca-certificate-publisher-controller,
 * persistentvolume-binder-controller, persistentvolume-protection-controller,
 * persistentvolumeclaim-protection-controller, daemonset-controller, job-controller and
 * ttl-after-finished-controller. Beside them runs the cluster's storage provisioner
 * (kubesim-storage-provisioner), which a real cluster runs as an addon.
 */
public final class ControllerManager extends AbstractBehavior<ControllerManager.Command> {

  public static final String LOG_NAME = "kube-controller-manager";

  public sealed interface Command {}

  /** Stops every controller (and this actor), as stopping kube-controller-manager does. */
  public enum Stop implements Command { INSTANCE }

  /** Asks which controllers run: the reply maps each controller's name to its actor. */
  public record GetControllers(ActorRef<Controllers> replyTo) implements Command {}

  public record Controllers(Map<String, ActorRef<?>> byName) {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> new ControllerManager(c, ctx, settings));
  }

  private final Map<String, ActorRef<?>> controllers = new LinkedHashMap<>();

  private ControllerManager(ActorContext<Command> context, ComponentContext cc, ControllerManagerSettings settings) {
    super(context);
    Klog log = cc.log(LOG_NAME);
    start(log, "node-lifecycle-controller", NodeLifecycleController.create(cc, settings));
    start(log, "taint-eviction-controller", TaintEvictionController.create(cc));
    start(log, "replicaset-controller", ReplicaSetController.create(cc, settings));
    start(log, "deployment-controller", DeploymentController.create(cc, settings));
    if (settings.enableGarbageCollector()) {
      start(log, "garbage-collector-controller", GarbageCollector.create(cc, settings));
    } else {
      log.info("Warning: controller is disabled", "controller", "garbage-collector-controller");
    }
    start(log, "namespace-controller", NamespaceController.create(cc, settings));
    start(log, "disruption-controller", DisruptionController.create(cc, settings));
    start(log, "pod-garbage-collector-controller", PodGcController.create(cc, settings));
    start(log, "endpointslice-controller", EndpointSliceController.create(cc, EndpointSliceController.Settings.DEFAULT));
    start(log, "endpoints-controller", EndpointsController.create(cc, EndpointsController.Settings.DEFAULT));
    start(log, "resourcequota-controller", ResourceQuotaController.create(cc, ResourceQuotaController.Settings.DEFAULT));
    start(log, "serviceaccount-controller", ServiceAccountsController.create(cc));
    start(log, "root-ca-certificate-publisher-controller", RootCaCertPublisher.create(cc));
    start(log, "persistentvolume-binder-controller",
        PersistentVolumeController.create(cc, PersistentVolumeController.Settings.DEFAULT));
    start(log, "persistentvolume-protection-controller", PvProtectionController.create(cc));
    start(log, "persistentvolumeclaim-protection-controller", PvcProtectionController.create(cc));
    start(log, "kubesim-storage-provisioner", SimulatedProvisioner.create(cc, true));
    start(log, "daemonset-controller", DaemonSetController.create(cc, settings));
    start(log, "job-controller", JobController.create(cc, settings));
    start(log, "cronjob-controller", CronJobController.create(cc, settings));
    start(log, "statefulset-controller", StatefulSetController.create(cc, settings));
    start(log, "ttl-after-finished-controller", TtlAfterFinishedController.create(cc, settings));
  }

  private <T> void start(Klog log, String name, Behavior<T> behavior) {
    log.info("Starting controller", "controller", name);
    // A controller that fails is started again, as kube-controller-manager's controllers recover
    // from panics (utilruntime.HandleCrash) and go on; the backoff has no random factor, so that
    // runs stay deterministic.
    Behavior<T> supervised = Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0));
    controllers.put(name, getContext().spawn(supervised, name));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .onMessage(GetControllers.class, this::onGetControllers)
        .build();
  }

  private Behavior<Command> onStop() {
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetControllers(GetControllers m) {
    m.replyTo().tell(new Controllers(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(controllers))));
    return this;
  }
}
