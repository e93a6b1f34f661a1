package io.kubesim.controlplane.controller.volume;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.ArrayList;
import java.util.List;

/**
 * The PV protection controller (pkg/controller/volume/pvprotection): a volume carries the
 * {@code kubernetes.io/pv-protection} finalizer, so that deleting a volume that is still Bound
 * leaves it Terminating until its claim lets it go.
 */
public final class PvProtectionController extends AbstractBehavior<PvProtectionController.Command> {

  public static final String LOG_NAME = "pv-protection";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new PvProtectionController(c, t, ctx)));
  }

  private final Klog log;
  private final ApiClient client;
  private final Informer<PersistentVolume> volumes;
  private final WorkQueue<Command> queue;

  private PvProtectionController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("pvprotection", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.volumes = informers.add(Resources.PERSISTENTVOLUMES, PersistentVolume.class, new Informer.Handler<>() {
      @Override
      public void onAdd(PersistentVolume pv) {
        pvAddedUpdated(pv);
      }

      @Override
      public void onUpdate(PersistentVolume old, PersistentVolume pv) {
        pvAddedUpdated(pv);
      }
    });
    log.info("Starting PV protection controller");
    informers.start(() -> queue.start(this::processPv));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onDrain() {
    queue.drain();
    return this;
  }

  private Behavior<Command> onRequeue(Requeue m) {
    queue.onDelayed(m.key());
    return this;
  }

  private void pvAddedUpdated(PersistentVolume pv) {
    if (needToAddFinalizer(pv) || deletionCandidate(pv)) {
      queue.add(pv.getMetadata().getName());
    }
  }

  private static boolean hasFinalizer(PersistentVolume pv) {
    return pv.getMetadata().getFinalizers() != null
        && pv.getMetadata().getFinalizers().contains(StorageHelpers.PV_PROTECTION_FINALIZER);
  }

  private static boolean needToAddFinalizer(PersistentVolume pv) {
    return pv.getMetadata().getDeletionTimestamp() == null && !hasFinalizer(pv);
  }

  private static boolean deletionCandidate(PersistentVolume pv) {
    return pv.getMetadata().getDeletionTimestamp() != null && hasFinalizer(pv);
  }

  /** isVolumeInUse: a Bound volume is in use. */
  private static boolean inUse(PersistentVolume pv) {
    return pv.getStatus() != null && "Bound".equals(pv.getStatus().getPhase());
  }

  private void processPv(String name, WorkQueue.Done done) {
    PersistentVolume pv = volumes.get(null, name);
    if (pv == null) {
      done.done(true);
      return;
    }
    List<String> finalizers = new ArrayList<>(pv.getMetadata().getFinalizers() == null ? List.of()
        : pv.getMetadata().getFinalizers());
    String message;
    if (deletionCandidate(pv)) {
      if (inUse(pv)) {
        log.v(4, "Keeping PV because it is being used", "PV", name);
        done.done(true);
        return;
      }
      finalizers.remove(StorageHelpers.PV_PROTECTION_FINALIZER);
      message = "Removed protection finalizer from PV";
    } else if (needToAddFinalizer(pv)) {
      finalizers.add(StorageHelpers.PV_PROTECTION_FINALIZER);
      message = "Added protection finalizer to PV";
    } else {
      done.done(true);
      return;
    }
    PersistentVolume updated = new PersistentVolumeBuilder(pv).editMetadata().withFinalizers(finalizers)
        .endMetadata().build();
    client.update(updated, r -> {
      if (r instanceof Api.Ok) {
        log.v(3, message, "PV", name);
        done.done(true);
      } else {
        done.done(r instanceof Api.Failed f && f.code() == 404);
      }
    });
  }
}
