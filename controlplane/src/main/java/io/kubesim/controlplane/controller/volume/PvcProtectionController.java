package io.kubesim.controlplane.controller.volume;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
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
 * The PVC protection controller (pkg/controller/volume/pvcprotection): a claim carries the
 * {@code kubernetes.io/pvc-protection} finalizer while it exists, so that deleting it leaves it
 * Terminating as long as a pod scheduled to a node still names it; once no such pod is left the
 * finalizer is removed and the claim goes.
 */
public final class PvcProtectionController extends AbstractBehavior<PvcProtectionController.Command> {

  public static final String LOG_NAME = "pvc-protection";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new PvcProtectionController(c, t, ctx)));
  }

  private final Klog log;
  private final ApiClient client;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<Pod> pods;
  private final WorkQueue<Command> queue;

  private PvcProtectionController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("pvcprotection", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.claims = informers.add(Resources.PERSISTENTVOLUMECLAIMS, PersistentVolumeClaim.class,
        new Informer.Handler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim pvc) {
            pvcAddedUpdated(pvc);
          }

          @Override
          public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim pvc) {
            pvcAddedUpdated(pvc);
          }
        });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onUpdate(Pod old, Pod pod) {
        // a pod that finished or is going may release its claims
        if (pod.getMetadata().getDeletionTimestamp() != null || !pod.getSpec().equals(old.getSpec())) {
          enqueueClaimsOf(pod);
        }
      }

      @Override
      public void onDelete(Pod pod) {
        enqueueClaimsOf(pod);
      }
    });
    log.info("Starting PVC protection controller");
    informers.start(() -> queue.start(this::processPvc));
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

  private void pvcAddedUpdated(PersistentVolumeClaim pvc) {
    if (needToAddFinalizer(pvc) || deletionCandidate(pvc)) {
      queue.add(Informer.key(pvc));
    }
  }

  private void enqueueClaimsOf(Pod pod) {
    for (String name : StorageHelpers.claimNames(pod)) {
      PersistentVolumeClaim pvc = claims.get(pod.getMetadata().getNamespace(), name);
      if (pvc != null && deletionCandidate(pvc)) {
        queue.add(Informer.key(pvc));
      }
    }
  }

  private static boolean hasFinalizer(PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getFinalizers() != null
        && pvc.getMetadata().getFinalizers().contains(StorageHelpers.PVC_PROTECTION_FINALIZER);
  }

  private static boolean needToAddFinalizer(PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getDeletionTimestamp() == null && !hasFinalizer(pvc);
  }

  private static boolean deletionCandidate(PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getDeletionTimestamp() != null && hasFinalizer(pvc);
  }

  private void processPvc(String key, WorkQueue.Done done) {
    PersistentVolumeClaim pvc = claims.get(key);
    if (pvc == null) {
      done.done(true);
      return;
    }
    if (deletionCandidate(pvc)) {
      if (inUse(pvc)) {
        log.v(2, "Keeping PVC because it is being used", "PVC", key);
        done.done(true);
        return;
      }
      List<String> rest = new ArrayList<>(pvc.getMetadata().getFinalizers());
      rest.remove(StorageHelpers.PVC_PROTECTION_FINALIZER);
      write(new PersistentVolumeClaimBuilder(pvc).editMetadata().withFinalizers(rest).endMetadata().build(), key,
          "Removed protection finalizer from PVC", done);
    } else if (needToAddFinalizer(pvc)) {
      List<String> all = new ArrayList<>(pvc.getMetadata().getFinalizers() == null ? List.of()
          : pvc.getMetadata().getFinalizers());
      all.add(StorageHelpers.PVC_PROTECTION_FINALIZER);
      write(new PersistentVolumeClaimBuilder(pvc).editMetadata().withFinalizers(all).endMetadata().build(), key,
          "Added protection finalizer to PVC", done);
    } else {
      done.done(true);
    }
  }

  /** podUsesPVC: a pod bound to a node names the claim in its volumes. */
  private boolean inUse(PersistentVolumeClaim pvc) {
    for (Pod p : pods.list(pvc.getMetadata().getNamespace())) {
      boolean scheduled = p.getSpec() != null && p.getSpec().getNodeName() != null
          && !p.getSpec().getNodeName().isEmpty();
      if (scheduled && StorageHelpers.claimNames(p).contains(pvc.getMetadata().getName())) {
        return true;
      }
    }
    return false;
  }

  private void write(PersistentVolumeClaim pvc, String key, String message, WorkQueue.Done done) {
    client.update(pvc, r -> {
      if (r instanceof Api.Ok) {
        log.v(3, message, "PVC", key);
        done.done(true);
      } else {
        done.done(r instanceof Api.Failed f && f.code() == 404);
      }
    });
  }
}
