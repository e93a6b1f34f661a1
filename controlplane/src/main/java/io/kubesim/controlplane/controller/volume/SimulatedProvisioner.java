package io.kubesim.controlplane.controller.volume;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.List;
import java.util.Map;

/**
 * kubesim's storage provisioner: an external provisioner (as sig-storage-lib-external-provisioner
 * drives one) named {@value #PROVISIONER}, and the default StorageClass {@value #DEFAULT_CLASS}
 * that uses it, as a minikube or kind cluster ships its storage addon.
 *
 * <p>For each claim the persistent volume controller hands to it (the
 * {@code volume.kubernetes.io/storage-provisioner} annotation), it records {@code Provisioning},
 * creates the volume {@code pvc-<claim uid>} (a hostPath under {@value #BASE_PATH}, the claim's
 * size, access modes and volume mode, the class's reclaim policy and mount options, already
 * bound to the claim, pinned to the selected node for WaitForFirstConsumer claims) and records
 * {@code ProvisioningSucceeded}; the controller then binds the claim. A volume it made that is
 * released with the Delete policy it deletes.
 *
 * <p>The class is {@code Immediate}: kubesim's volumes exist only in the simulation, reachable
 * from every node, so nothing is gained by waiting for the pod's node, and a claim is Bound as
 * soon as it is created, as with minikube's {@code standard} class.
 */
public final class SimulatedProvisioner extends AbstractBehavior<SimulatedProvisioner.Command> {

  public static final String PROVISIONER = "kubesim.io/simulated";
  public static final String DEFAULT_CLASS = "standard";
  public static final String BASE_PATH = "/var/lib/kubesim/storage";
  public static final String LOG_NAME = "storage-provisioner";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  /**
   * @param createDefaultClass whether to create the {@code standard} StorageClass when it does not exist
   */
  public static Behavior<Command> create(ComponentContext ctx, boolean createDefaultClass) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new SimulatedProvisioner(c, t, ctx, createDefaultClass)));
  }

  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<PersistentVolume> volumes;
  private final Informer<StorageClass> classes;
  /** Claims to provision ("c/ns/name") and volumes to delete ("v/name"). */
  private final WorkQueue<Command> queue;

  private SimulatedProvisioner(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      boolean createDefaultClass) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), PROVISIONER, null);
    this.queue = new WorkQueue<>("claims", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.claims = informers.add(Resources.PERSISTENTVOLUMECLAIMS, PersistentVolumeClaim.class,
        new Informer.Handler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim pvc) {
            queue.add("c/" + Informer.key(pvc));
          }

          @Override
          public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim pvc) {
            queue.add("c/" + Informer.key(pvc));
          }
        });
    this.volumes = informers.add(Resources.PERSISTENTVOLUMES, PersistentVolume.class, new Informer.Handler<>() {
      @Override
      public void onAdd(PersistentVolume pv) {
        queue.add("v/" + pv.getMetadata().getName());
      }

      @Override
      public void onUpdate(PersistentVolume old, PersistentVolume pv) {
        queue.add("v/" + pv.getMetadata().getName());
      }
    });
    this.classes = informers.add(Resources.STORAGECLASSES, StorageClass.class, new Informer.Handler<>() {});
    log.info("Starting provisioner controller", "provisioner", PROVISIONER);
    informers.start(() -> {
      if (createDefaultClass && classes.get(null, DEFAULT_CLASS) == null) {
        createDefaultClass();
      }
      queue.start(this::sync);
    });
  }

  /** The class a minikube or kind cluster comes with, here with the simulated provisioner. */
  public static StorageClass defaultClass() {
    return new StorageClassBuilder().withNewMetadata().withName(DEFAULT_CLASS)
        .withAnnotations(Map.of(StorageHelpers.IS_DEFAULT_CLASS, "true")).endMetadata()
        .withProvisioner(PROVISIONER).withReclaimPolicy("Delete").withVolumeBindingMode("Immediate").build();
  }

  private void createDefaultClass() {
    client.create(defaultClass(), r -> {
      if (r instanceof Api.Ok) {
        log.v(1, "Created default StorageClass", "storageClass", DEFAULT_CLASS);
      }
    });
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

  private void sync(String key, WorkQueue.Done done) {
    if (key.startsWith("c/")) {
      syncClaim(key.substring(2), done);
    } else {
      syncVolume(key.substring(2), done);
    }
  }

  /** shouldProvision, then provisionClaimOperation. */
  private void syncClaim(String key, WorkQueue.Done done) {
    PersistentVolumeClaim claim = claims.get(key);
    if (claim == null || claim.getMetadata().getDeletionTimestamp() != null
        || (claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty())
        || !PROVISIONER.equals(StorageHelpers.annotation(claim, StorageHelpers.STORAGE_PROVISIONER))) {
      done.done(true);
      return;
    }
    String pvName = "pvc-" + claim.getMetadata().getUid();
    if (volumes.get(null, pvName) != null) {
      done.done(true);
      return;
    }
    StorageClass sc = classes.get(null, StorageHelpers.claimClass(claim));
    if (sc == null || !PROVISIONER.equals(sc.getProvisioner())) {
      done.done(true);
      return;
    }
    String node = StorageHelpers.annotation(claim, StorageHelpers.SELECTED_NODE);
    if ("WaitForFirstConsumer".equals(sc.getVolumeBindingMode()) && node == null) {
      // not until the scheduler has picked a node
      done.done(true);
      return;
    }
    log.info("Started provisioning", "PVC", key);
    recorder.event(claim, EventRecorder.NORMAL, "Provisioning",
        "External provisioner is provisioning volume for claim \"" + key + "\"");
    client.create(volumeFor(claim, sc, pvName, node), r -> {
      if (r instanceof Api.Ok) {
        log.info("Volume provisioned", "PVC", key, "volumeName", pvName);
        recorder.event(claim, EventRecorder.NORMAL, "ProvisioningSucceeded",
            "Successfully provisioned volume " + pvName);
        done.done(true);
      } else if (r instanceof Api.Failed f && f.code() == 409) {
        done.done(true);
      } else {
        Api.Failed f = (Api.Failed) r;
        recorder.event(claim, EventRecorder.WARNING, "ProvisioningFailed",
            "failed to provision volume with StorageClass \"" + sc.getMetadata().getName() + "\": " + f.message());
        done.done(false);
      }
    });
  }

  /** The volume for a claim: its size and modes, the class's policy, bound to the claim from the start. */
  static PersistentVolume volumeFor(PersistentVolumeClaim claim, StorageClass sc, String pvName, String node) {
    Quantity size = claim.getSpec().getResources().getRequests().get("storage");
    String path = BASE_PATH + "/" + claim.getMetadata().getNamespace() + "-" + claim.getMetadata().getName() + "-"
        + pvName;
    PersistentVolumeBuilder b = new PersistentVolumeBuilder().withNewMetadata().withName(pvName)
        .withAnnotations(Map.of(StorageHelpers.PROVISIONED_BY, PROVISIONER)).endMetadata()
        .withNewSpec()
        .withAccessModes(claim.getSpec().getAccessModes())
        .withCapacity(Map.of("storage", new Quantity(size.getAmount(), size.getFormat())))
        .withClaimRef(PersistentVolumeController.reference(claim))
        .withPersistentVolumeReclaimPolicy(sc.getReclaimPolicy() == null ? "Delete" : sc.getReclaimPolicy())
        .withStorageClassName(sc.getMetadata().getName())
        .withVolumeMode(claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode())
        .withMountOptions(sc.getMountOptions())
        .withNewHostPath().withPath(path).withType("DirectoryOrCreate").endHostPath()
        .endSpec();
    if (node != null) {
      b.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
          .withKey("kubernetes.io/hostname").withOperator("In").withValues(List.of(node)).endMatchExpression()
          .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec();
    }
    return b.build();
  }

  /** A volume this provisioner made, released under the Delete policy, is deleted. */
  private void syncVolume(String name, WorkQueue.Done done) {
    PersistentVolume pv = volumes.get(null, name);
    if (pv == null || pv.getMetadata().getDeletionTimestamp() != null
        || !PROVISIONER.equals(StorageHelpers.annotation(pv, StorageHelpers.PROVISIONED_BY))
        || pv.getStatus() == null || !"Released".equals(pv.getStatus().getPhase())
        || !"Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
      done.done(true);
      return;
    }
    client.delete(Resources.PERSISTENTVOLUMES, null, name, null, r -> {
      if (r instanceof Api.Ok) {
        log.info("Volume deleted", "volumeName", name);
      }
      done.done(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404));
    });
  }
}
