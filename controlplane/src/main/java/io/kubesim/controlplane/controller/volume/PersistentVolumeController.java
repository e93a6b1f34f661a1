package io.kubesim.controlplane.controller.volume;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.controlplane.storage.VolumeMatching;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The persistent volume controller (pkg/controller/volume/persistentvolume/pv_controller.go),
 * which binds claims to volumes in both directions ({@code pv.spec.claimRef} first, then
 * {@code pvc.spec.volumeName}), keeps their phases (volumes Available, Bound, Released, Failed;
 * claims Pending, Bound, Lost), asks external provisioners for volumes for claims of a class
 * (the {@code volume.kubernetes.io/storage-provisioner} annotation and an ExternalProvisioning
 * event), and reclaims a released volume by its policy: Retain keeps it, Delete removes it (left
 * to its provisioner when it has one), Recycle is not supported.
 *
 * <p>Claims and volumes each have a queue with one worker, as upstream insists, and everything is
 * looked at again every {@code --pvclaimbinder-sync-period}: a claim waiting for a volume finds
 * one created later within that period. The controller keeps the objects its own writes returned,
 * so that it never acts on an older copy its informers have not replaced yet.
 */
public final class PersistentVolumeController extends AbstractBehavior<PersistentVolumeController.Command> {

  /** The events' reporting component. */
  public static final String COMPONENT = "persistentvolume-controller";
  public static final String LOG_NAME = "persistentvolume-binder";

  /**
   * @param syncPeriod {@code --pvclaimbinder-sync-period} (15s): every claim and volume is synced this often
   */
  public record Settings(Duration syncPeriod) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(15));
  }

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum DrainClaims implements Command { INSTANCE }

  private enum DrainVolumes implements Command { INSTANCE }

  private record RequeueClaim(String key) implements Command {}

  private record RequeueVolume(String key) implements Command {}

  private enum Resync implements Command { INSTANCE }

  public static Behavior<Command> create(ComponentContext ctx, Settings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new PersistentVolumeController(c, t, ctx, settings)));
  }

  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<PersistentVolume> volumes;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<StorageClass> classes;
  private final Informer<Pod> pods;
  private final WorkQueue<Command> claimQueue;
  private final WorkQueue<Command> volumeQueue;
  /** What this controller's own writes returned, until its informers catch up (storeVolumeUpdate). */
  private final Map<String, PersistentVolume> writtenVolumes = new TreeMap<>();
  private final Map<String, PersistentVolumeClaim> writtenClaims = new TreeMap<>();

  private PersistentVolumeController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc, Settings settings) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.claimQueue = new WorkQueue<>("claims", context.getSelf(), timers, cc.clock(), DrainClaims.INSTANCE,
        RequeueClaim::new, 1);
    this.volumeQueue = new WorkQueue<>("volumes", context.getSelf(), timers, cc.clock(), DrainVolumes.INSTANCE,
        RequeueVolume::new, 1);
    InformerSet informers = new InformerSet(client);
    this.volumes = informers.add(Resources.PERSISTENTVOLUMES, PersistentVolume.class, new Informer.Handler<>() {
      @Override
      public void onAdd(PersistentVolume pv) {
        volumeQueue.add(pv.getMetadata().getName());
      }

      @Override
      public void onUpdate(PersistentVolume old, PersistentVolume pv) {
        volumeQueue.add(pv.getMetadata().getName());
      }

      @Override
      public void onDelete(PersistentVolume pv) {
        writtenVolumes.remove(pv.getMetadata().getName());
        log.v(4, "Volume deleted", "volumeName", pv.getMetadata().getName());
        ObjectReference ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
        if (ref != null) {
          // the claim may have lost its volume
          claimQueue.add(ref.getNamespace() + "/" + ref.getName());
        }
      }
    });
    this.claims = informers.add(Resources.PERSISTENTVOLUMECLAIMS, PersistentVolumeClaim.class,
        new Informer.Handler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim pvc) {
            claimQueue.add(Informer.key(pvc));
          }

          @Override
          public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim pvc) {
            claimQueue.add(Informer.key(pvc));
          }

          @Override
          public void onDelete(PersistentVolumeClaim pvc) {
            writtenClaims.remove(Informer.key(pvc));
            log.v(4, "Claim deleted", "PVC", Informer.key(pvc));
            String volume = pvc.getSpec() == null ? null : pvc.getSpec().getVolumeName();
            if (volume != null && !volume.isEmpty()) {
              // its volume is released
              volumeQueue.add(volume);
            }
          }
        });
    this.classes = informers.add(Resources.STORAGECLASSES, StorageClass.class, new Informer.Handler<>() {});
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {});
    log.info("Starting persistent volume controller");
    informers.start(() -> {
      claimQueue.start(this::syncClaim);
      volumeQueue.start(this::syncVolume);
    });
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.syncPeriod());
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(DrainClaims.INSTANCE, this::onDrainClaims)
        .onMessageEquals(DrainVolumes.INSTANCE, this::onDrainVolumes)
        .onMessage(RequeueClaim.class, this::onRequeueClaim)
        .onMessage(RequeueVolume.class, this::onRequeueVolume)
        .onMessageEquals(Resync.INSTANCE, this::onResync)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onDrainClaims() {
    claimQueue.drain();
    return this;
  }

  private Behavior<Command> onDrainVolumes() {
    volumeQueue.drain();
    return this;
  }

  private Behavior<Command> onRequeueClaim(RequeueClaim m) {
    claimQueue.onDelayed(m.key());
    return this;
  }

  private Behavior<Command> onRequeueVolume(RequeueVolume m) {
    volumeQueue.onDelayed(m.key());
    return this;
  }

  /** resync: every claim and volume once more. */
  private Behavior<Command> onResync() {
    log.v(4, "Resyncing PV controller");
    for (PersistentVolumeClaim c : claims.list()) {
      claimQueue.add(Informer.key(c));
    }
    for (PersistentVolume v : volumes.list()) {
      volumeQueue.add(v.getMetadata().getName());
    }
    return this;
  }

  // ---------------------------------------------------------------- the caches

  private PersistentVolume volume(String name) {
    return newest(volumes.get(null, name), writtenVolumes.get(name));
  }

  private PersistentVolumeClaim claim(String key) {
    return newest(claims.get(key), writtenClaims.get(key));
  }

  private List<PersistentVolume> allVolumes() {
    List<PersistentVolume> out = new ArrayList<>();
    for (PersistentVolume v : volumes.list()) {
      out.add(volume(v.getMetadata().getName()));
    }
    return out;
  }

  /** Of the informer's copy and the one a write returned, the later resourceVersion. */
  private static <T extends HasMetadata> T newest(T cached, T written) {
    if (written == null) {
      return cached;
    }
    if (cached == null) {
      return null;
    }
    return rv(written) > rv(cached) ? written : cached;
  }

  private static long rv(HasMetadata o) {
    try {
      return Long.parseLong(o.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private StorageClass storageClass(String name) {
    return classes.get(null, name);
  }

  // ---------------------------------------------------------------- claims

  private void syncClaim(String key, WorkQueue.Done done) {
    PersistentVolumeClaim claim = claim(key);
    if (claim == null) {
      done.done(true);
      return;
    }
    log.v(4, "Synchronizing PersistentVolumeClaim", "PVC", key, "claimStatus", phase(claim));
    if (!StorageHelpers.hasAnnotation(claim, StorageHelpers.BIND_COMPLETED)) {
      syncUnboundClaim(claim, done);
    } else {
      syncBoundClaim(claim, done);
    }
  }

  private void syncUnboundClaim(PersistentVolumeClaim claim, WorkQueue.Done done) {
    String key = Informer.key(claim);
    String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    if (volumeName == null || volumeName.isEmpty()) {
      boolean delayBinding = StorageHelpers.delayBinding(claim, this::storageClass);
      PersistentVolume volume = VolumeMatching.findBestMatch(claim, allVolumes(), delayBinding);
      if (volume != null) {
        log.v(4, "Synchronizing unbound PersistentVolumeClaim, volume found", "PVC", key, "volumeName",
            volume.getMetadata().getName());
        bind(volume, claim, done);
        return;
      }
      log.v(4, "Synchronizing unbound PersistentVolumeClaim, no volume found", "PVC", key);
      if (!StorageHelpers.claimHasClass(claim)) {
        // The default class is given to a claim created before there was one (retroactive assignment).
        StorageClass def = StorageHelpers.defaultClass(classes.list());
        if (def != null) {
          PersistentVolumeClaim assigned = new PersistentVolumeClaimBuilder(claim).editSpec()
              .withStorageClassName(def.getMetadata().getName()).endSpec().build();
          client.update(assigned, r -> afterClaimWrite(r, done, c -> done.done(true)));
          return;
        }
      }
      if (delayBinding && !StorageHelpers.hasAnnotation(claim, StorageHelpers.SELECTED_NODE)) {
        emitEventForUnboundDelayBindingClaim(claim);
      } else if (!StorageHelpers.claimClass(claim).isEmpty()) {
        provisionClaim(claim, done);
        return;
      } else {
        recorder.event(claim, EventRecorder.NORMAL, "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set");
      }
      updateClaimStatus(claim, "Pending", null, done, c -> done.done(true));
      return;
    }
    // The user asked for a specific volume.
    PersistentVolume volume = volume(volumeName);
    if (volume == null) {
      log.v(4, "Synchronizing unbound PersistentVolumeClaim, volume requested and not found, will try again next time",
          "PVC", key, "volumeName", volumeName);
      updateClaimStatus(claim, "Pending", null, done, c -> done.done(true));
      return;
    }
    ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    if (ref == null) {
      String why = VolumeMatching.checkVolumeSatisfyClaim(volume, claim);
      if (why != null) {
        recorder.event(claim, EventRecorder.WARNING, "VolumeMismatch", "Cannot bind to requested volume \""
            + volumeName + "\": " + why);
        updateClaimStatus(claim, "Pending", null, done, c -> done.done(true));
      } else {
        bind(volume, claim, done);
      }
    } else if (StorageHelpers.boundToClaim(volume, claim)) {
      bind(volume, claim, done);
    } else {
      recorder.event(claim, EventRecorder.WARNING, "FailedBinding", "volume \"" + volumeName
          + "\" already bound to a different claim.");
      if (!StorageHelpers.hasAnnotation(claim, StorageHelpers.BOUND_BY_CONTROLLER)) {
        updateClaimStatus(claim, "Pending", null, done, c -> done.done(true));
      } else {
        done.done(false);
      }
    }
  }

  private void syncBoundClaim(PersistentVolumeClaim claim, WorkQueue.Done done) {
    String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    if (volumeName == null || volumeName.isEmpty()) {
      updateClaimStatusWithEvent(claim, "Lost", "ClaimLost",
          "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!", done);
      return;
    }
    PersistentVolume volume = volume(volumeName);
    if (volume == null) {
      updateClaimStatusWithEvent(claim, "Lost", "ClaimLost",
          "Bound claim has lost its PersistentVolume. Data on the volume is lost!", done);
      return;
    }
    ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    if (ref == null || Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
      // unbound volume (fixed by binding again), or all is well (bind changes nothing)
      bind(volume, claim, done);
    } else {
      updateClaimStatusWithEvent(claim, "Lost", "ClaimMisbound",
          "Two claims are bound to the same volume, this one is bound incorrectly", done);
    }
  }

  /** emitEventForUnboundDelayBindingClaim: WaitForFirstConsumer, or WaitForPodScheduled naming the pods. */
  private void emitEventForUnboundDelayBindingClaim(PersistentVolumeClaim claim) {
    List<String> waiting = new ArrayList<>();
    for (Pod p : pods.list(claim.getMetadata().getNamespace())) {
      boolean scheduled = p.getSpec() != null && p.getSpec().getNodeName() != null
          && !p.getSpec().getNodeName().isEmpty();
      if (!scheduled && StorageHelpers.claimNames(p).contains(claim.getMetadata().getName())) {
        waiting.add(p.getMetadata().getName());
      }
    }
    if (waiting.isEmpty()) {
      recorder.event(claim, EventRecorder.NORMAL, "WaitForFirstConsumer",
          "waiting for first consumer to be created before binding");
    } else if (waiting.size() == 1) {
      recorder.event(claim, EventRecorder.NORMAL, "WaitForPodScheduled",
          "waiting for pod " + waiting.get(0) + " to be scheduled");
    } else {
      recorder.event(claim, EventRecorder.NORMAL, "WaitForPodScheduled",
          "waiting for pods " + String.join(",", waiting) + " to be scheduled");
    }
  }

  /**
   * provisionClaim for a class whose provisioner is external (every provisioner here is): the
   * claim is annotated with the provisioner that should make its volume, and an event says so.
   * An in-tree provisioner name ("kubernetes.io/...") has no plugin here and fails.
   */
  private void provisionClaim(PersistentVolumeClaim claim, WorkQueue.Done done) {
    String className = StorageHelpers.claimClass(claim);
    StorageClass sc = storageClass(className);
    if (sc == null) {
      recorder.event(claim, EventRecorder.WARNING, "ProvisioningFailed",
          "storageclass.storage.k8s.io \"" + className + "\" not found");
      done.done(true);
      return;
    }
    String provisioner = sc.getProvisioner() == null ? "" : sc.getProvisioner();
    if (provisioner.startsWith("kubernetes.io/")) {
      recorder.event(claim, EventRecorder.WARNING, "ProvisioningFailed",
          "no volume plugin matched name: " + provisioner);
      done.done(true);
      return;
    }
    Runnable announce = () -> {
      recorder.event(claim, EventRecorder.NORMAL, "ExternalProvisioning", "Waiting for a volume to be created "
          + "either by the external provisioner '" + provisioner + "' or manually by the system administrator. If "
          + "volume creation is delayed, please verify that the provisioner is running and correctly registered.");
      done.done(true);
    };
    if (provisioner.equals(StorageHelpers.annotation(claim, StorageHelpers.STORAGE_PROVISIONER))
        && provisioner.equals(StorageHelpers.annotation(claim, StorageHelpers.BETA_STORAGE_PROVISIONER))) {
      announce.run();
      return;
    }
    Map<String, String> ann = new LinkedHashMap<>(claim.getMetadata().getAnnotations() == null ? Map.of()
        : claim.getMetadata().getAnnotations());
    ann.put(StorageHelpers.BETA_STORAGE_PROVISIONER, provisioner);
    ann.put(StorageHelpers.STORAGE_PROVISIONER, provisioner);
    PersistentVolumeClaim annotated = new PersistentVolumeClaimBuilder(claim).editMetadata().withAnnotations(ann)
        .endMetadata().build();
    log.v(4, "provisionClaimOperationExternal: claim annotated with the provisioner", "PVC", Informer.key(claim),
        "provisioner", provisioner);
    client.update(annotated, r -> afterClaimWrite(r, done, c -> announce.run()));
  }

  // ---------------------------------------------------------------- binding

  /**
   * bind: volume to claim (claimRef), volume Bound, claim to volume (volumeName and the
   * bind-completed annotation), claim Bound with the volume's capacity and access modes. Each
   * step writes only if something changes.
   */
  private void bind(PersistentVolume volume, PersistentVolumeClaim claim, WorkQueue.Done done) {
    bindVolumeToClaim(volume, claim, done, v ->
        updateVolumePhase(v, "Bound", null, done, v2 ->
            bindClaimToVolume(claim, v2, done, c ->
                updateClaimStatus(c, "Bound", v2, done, c2 -> done.done(true)))));
  }

  private void bindVolumeToClaim(PersistentVolume volume, PersistentVolumeClaim claim, WorkQueue.Done done,
      Consumer<PersistentVolume> then) {
    boolean setBoundByController = !StorageHelpers.boundToClaim(volume, claim);
    ObjectReference ref = volume.getSpec().getClaimRef();
    boolean dirty = false;
    PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume);
    if (ref == null || !claim.getMetadata().getName().equals(ref.getName())
        || !claim.getMetadata().getNamespace().equals(ref.getNamespace())
        || !Objects.equals(claim.getMetadata().getUid(), ref.getUid())) {
      b.editSpec().withClaimRef(reference(claim)).endSpec();
      dirty = true;
    }
    if (setBoundByController && !StorageHelpers.hasAnnotation(volume, StorageHelpers.BOUND_BY_CONTROLLER)) {
      b.editMetadata().addToAnnotations(StorageHelpers.BOUND_BY_CONTROLLER, "yes").endMetadata();
      dirty = true;
    }
    if (!dirty) {
      then.accept(volume);
      return;
    }
    log.v(2, "Claim bound to volume", "PVC", Informer.key(claim), "volumeName", volume.getMetadata().getName());
    client.update(b.build(), r -> afterVolumeWrite(r, done, then));
  }

  /** reference.GetReference of a claim. */
  static ObjectReference reference(PersistentVolumeClaim claim) {
    return new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
        .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).build();
  }

  private void bindClaimToVolume(PersistentVolumeClaim claim, PersistentVolume volume, WorkQueue.Done done,
      Consumer<PersistentVolumeClaim> then) {
    String name = volume.getMetadata().getName();
    boolean dirty = false;
    PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim);
    if (!name.equals(claim.getSpec().getVolumeName())) {
      b.editSpec().withVolumeName(name).endSpec();
      if (!StorageHelpers.hasAnnotation(claim, StorageHelpers.BOUND_BY_CONTROLLER)) {
        b.editMetadata().addToAnnotations(StorageHelpers.BOUND_BY_CONTROLLER, "yes").endMetadata();
      }
      dirty = true;
    }
    if (!StorageHelpers.hasAnnotation(claim, StorageHelpers.BIND_COMPLETED)) {
      b.editMetadata().addToAnnotations(StorageHelpers.BIND_COMPLETED, "yes").endMetadata();
      dirty = true;
    }
    if (!dirty) {
      then.accept(claim);
      return;
    }
    log.v(4, "Updating PersistentVolumeClaim: bound to volume", "PVC", Informer.key(claim), "volumeName", name);
    client.update(b.build(), r -> afterClaimWrite(r, done, then));
  }

  /** updateClaimStatus: phase, and the volume's access modes and capacity (reset without a volume). */
  private void updateClaimStatus(PersistentVolumeClaim claim, String phase, PersistentVolume volume,
      WorkQueue.Done done, Consumer<PersistentVolumeClaim> then) {
    var status = claim.getStatus();
    String current = status == null ? null : status.getPhase();
    PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim);
    boolean dirty = false;
    if (!phase.equals(current)) {
      b.editOrNewStatus().withPhase(phase).endStatus();
      dirty = true;
    }
    if (volume == null) {
      if (status != null && (status.getAccessModes() != null && !status.getAccessModes().isEmpty()
          || status.getCapacity() != null && !status.getCapacity().isEmpty())) {
        b.editOrNewStatus().withAccessModes((List<String>) null).withCapacity(null).endStatus();
        dirty = true;
      }
    } else {
      List<String> modes = volume.getSpec().getAccessModes();
      if (status == null || !Objects.equals(status.getAccessModes(), modes)) {
        b.editOrNewStatus().withAccessModes(modes).endStatus();
        dirty = true;
      }
      // The capacity is set as the claim becomes Bound (a later difference may be intended).
      Quantity cap = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
      Quantity have = status == null || status.getCapacity() == null ? null : status.getCapacity().get("storage");
      if (!phase.equals(current) && cap != null
          && (have == null || StorageHelpers.bytes(cap).compareTo(StorageHelpers.bytes(have)) != 0)) {
        b.editOrNewStatus().withCapacity(new LinkedHashMap<>(volume.getSpec().getCapacity())).endStatus();
        dirty = true;
      }
    }
    if (!dirty) {
      then.accept(claim);
      return;
    }
    client.updateStatus(b.build(), r -> afterClaimWrite(r, done, c -> {
      if (!phase.equals(current)) {
        log.v(2, "Claim entered phase", "PVC", Informer.key(claim), "phase", phase);
      }
      then.accept(c);
    }));
  }

  private void updateClaimStatusWithEvent(PersistentVolumeClaim claim, String phase, String reason, String message,
      WorkQueue.Done done) {
    if (phase.equals(phase(claim))) {
      done.done(true);
      return;
    }
    updateClaimStatus(claim, phase, null, done, c -> {
      log.v(3, "Claim changed status", "PVC", Informer.key(claim), "phase", phase, "message", message);
      recorder.event(c, EventRecorder.WARNING, reason, message);
      done.done(true);
    });
  }

  // ---------------------------------------------------------------- volumes

  private void syncVolume(String name, WorkQueue.Done done) {
    PersistentVolume volume = volume(name);
    if (volume == null) {
      done.done(true);
      return;
    }
    log.v(4, "Synchronizing PersistentVolume", "volumeName", name, "volumeStatus", phase(volume));
    ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    if (ref == null) {
      updateVolumePhase(volume, "Available", null, done, v -> done.done(true));
      return;
    }
    if (ref.getUid() == null || ref.getUid().isEmpty()) {
      // reserved for a claim that has not bound to it yet: the claim's sync does that
      updateVolumePhase(volume, "Available", null, done, v -> done.done(true));
      return;
    }
    String claimKey = ref.getNamespace() + "/" + ref.getName();
    PersistentVolumeClaim claim = claim(claimKey);
    if (claim == null && !"Released".equals(phase(volume)) && !"Failed".equals(phase(volume))) {
      // Not in the cache yet (a claim just created elsewhere)? Ask the apiserver before releasing.
      client.get(Resources.PERSISTENTVOLUMECLAIMS, ref.getNamespace(), ref.getName(), r -> {
        if (r instanceof Api.Ok ok) {
          syncBoundVolume(volume, (PersistentVolumeClaim) ok.object(), done);
        } else if (r instanceof Api.Failed f && f.code() == 404) {
          syncBoundVolume(volume, null, done);
        } else {
          done.done(false);
        }
      });
      return;
    }
    syncBoundVolume(volume, claim, done);
  }

  private void syncBoundVolume(PersistentVolume volume, PersistentVolumeClaim claim, WorkQueue.Done done) {
    ObjectReference ref = volume.getSpec().getClaimRef();
    String name = volume.getMetadata().getName();
    if (claim != null && !Objects.equals(claim.getMetadata().getUid(), ref.getUid())) {
      // the claim it was bound to was deleted and another made with its name
      claim = null;
    }
    if (claim == null) {
      if (!"Released".equals(phase(volume)) && !"Failed".equals(phase(volume))) {
        log.v(2, "Volume is released and reclaim policy will be executed", "volumeName", name, "reclaimPolicy",
            volume.getSpec().getPersistentVolumeReclaimPolicy());
        updateVolumePhase(volume, "Released", null, done, v -> reclaimVolume(v, done));
      } else {
        reclaimVolume(volume, done);
      }
      return;
    }
    String claimVolume = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    if (claimVolume == null || claimVolume.isEmpty()) {
      if (StorageHelpers.volumeModeMismatch(claim, volume)) {
        recorder.event(volume, EventRecorder.WARNING, "VolumeMismatch", "Cannot bind PersistentVolume to requested "
            + "PersistentVolumeClaim \"" + claim.getMetadata().getName() + "\" due to incompatible volumeMode.");
        recorder.event(claim, EventRecorder.WARNING, "VolumeMismatch", "Cannot bind PersistentVolume \"" + name
            + "\" to requested PersistentVolumeClaim due to incompatible volumeMode.");
        done.done(true);
        return;
      }
      // bound on the volume's side only (a provisioned volume, or the scheduler's static binding):
      // the claim's sync finishes it
      claimQueue.add(Informer.key(claim));
      done.done(true);
      return;
    }
    if (claimVolume.equals(name)) {
      updateVolumePhase(volume, "Bound", null, done, v -> done.done(true));
      return;
    }
    // The claim is bound to another volume.
    if (StorageHelpers.hasAnnotation(volume, StorageHelpers.PROVISIONED_BY)
        && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
      if (!"Released".equals(phase(volume)) && !"Failed".equals(phase(volume))) {
        log.v(2, "Dynamically provisioned volume is released and it will be deleted", "volumeName", name);
        updateVolumePhase(volume, "Released", null, done, v -> reclaimVolume(v, done));
      } else {
        reclaimVolume(volume, done);
      }
      return;
    }
    unbindVolume(volume, done);
  }

  /** unbindVolume: a binding the controller made is undone; one the user made keeps the claim's name. */
  private void unbindVolume(PersistentVolume volume, WorkQueue.Done done) {
    PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume);
    if (StorageHelpers.hasAnnotation(volume, StorageHelpers.BOUND_BY_CONTROLLER)) {
      b.editSpec().withClaimRef(null).endSpec();
      b.editMetadata().removeFromAnnotations(StorageHelpers.BOUND_BY_CONTROLLER).endMetadata();
    } else {
      b.editSpec().editClaimRef().withUid(null).endClaimRef().endSpec();
    }
    client.update(b.build(), r -> afterVolumeWrite(r, done,
        v -> updateVolumePhase(v, "Available", null, done, v2 -> done.done(true))));
  }

  /** reclaimVolume by the volume's persistentVolumeReclaimPolicy. */
  private void reclaimVolume(PersistentVolume volume, WorkQueue.Done done) {
    String name = volume.getMetadata().getName();
    String policy = volume.getSpec().getPersistentVolumeReclaimPolicy();
    if ("Retain".equals(policy)) {
      log.v(4, "ReclaimVolume: policy is Retain, nothing to do", "volumeName", name);
      done.done(true);
      return;
    }
    if ("Recycle".equals(policy)) {
      updateVolumePhaseWithEvent(volume, "Failed", "VolumeFailedRecycle", "No recycler plugin found for the volume!",
          done);
      return;
    }
    if (!"Delete".equals(policy)) {
      done.done(true);
      return;
    }
    if (StorageHelpers.hasAnnotation(volume, StorageHelpers.PROVISIONED_BY)) {
      // an external provisioner made it; it deletes it
      log.v(4, "ReclaimVolume: volume is deleted by its external provisioner", "volumeName", name, "provisioner",
          StorageHelpers.annotation(volume, StorageHelpers.PROVISIONED_BY));
      done.done(true);
      return;
    }
    // In-tree deleters: hostPath deletes directories under /tmp only; no other kind has one here.
    String error;
    var hostPath = volume.getSpec().getHostPath();
    if (hostPath != null && hostPath.getPath() != null && hostPath.getPath().matches("^/tmp/.+")) {
      error = null;
    } else if (hostPath != null) {
      error = "host_path deleter only supports /tmp/.+ but received provided " + hostPath.getPath();
    } else {
      error = "error getting deleter volume plugin for volume \"" + name + "\": no deletable volume plugin matched";
    }
    if (error != null) {
      updateVolumePhaseWithEvent(volume, "Failed", "VolumeFailedDelete", error, done);
      return;
    }
    log.v(2, "Deleting volume", "volumeName", name);
    client.delete(Resources.PERSISTENTVOLUMES, null, name, null,
        r -> done.done(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
  }

  private void updateVolumePhase(PersistentVolume volume, String phase, String message, WorkQueue.Done done,
      Consumer<PersistentVolume> then) {
    if (phase.equals(phase(volume))) {
      then.accept(volume);
      return;
    }
    PersistentVolume updated = new PersistentVolumeBuilder(volume).editOrNewStatus().withPhase(phase)
        .withMessage(message).endStatus().build();
    client.updateStatus(updated, r -> afterVolumeWrite(r, done, v -> {
      log.v(2, "Volume entered phase", "volumeName", volume.getMetadata().getName(), "phase", phase);
      then.accept(v);
    }));
  }

  private void updateVolumePhaseWithEvent(PersistentVolume volume, String phase, String reason, String message,
      WorkQueue.Done done) {
    if (phase.equals(phase(volume))) {
      done.done(true);
      return;
    }
    updateVolumePhase(volume, phase, message, done, v -> {
      log.v(3, "Volume changed status", "volumeName", volume.getMetadata().getName(), "changedPhase", phase,
          "message", message);
      recorder.event(v, EventRecorder.WARNING, reason, message);
      done.done(true);
    });
  }

  // ---------------------------------------------------------------- write plumbing

  private void afterVolumeWrite(Api.Response r, WorkQueue.Done done, Consumer<PersistentVolume> then) {
    if (r instanceof Api.Ok ok) {
      PersistentVolume v = (PersistentVolume) ok.object();
      writtenVolumes.put(v.getMetadata().getName(), v);
      then.accept(v);
    } else {
      log.v(4, "Updating PersistentVolume failed", "err", ((Api.Failed) r).message());
      done.done(false);
    }
  }

  private void afterClaimWrite(Api.Response r, WorkQueue.Done done, Consumer<PersistentVolumeClaim> then) {
    if (r instanceof Api.Ok ok) {
      PersistentVolumeClaim c = (PersistentVolumeClaim) ok.object();
      writtenClaims.put(Informer.key(c), c);
      then.accept(c);
    } else {
      log.v(4, "Updating PersistentVolumeClaim failed", "err", ((Api.Failed) r).message());
      done.done(false);
    }
  }

  private static String phase(PersistentVolume v) {
    return v.getStatus() == null ? null : v.getStatus().getPhase();
  }

  private static String phase(PersistentVolumeClaim c) {
    return c.getStatus() == null ? null : c.getStatus().getPhase();
  }
}
