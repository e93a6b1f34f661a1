package io.kubesim.controlplane.controller.statefulset;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.Claims;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.History;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The StatefulSet controller (pkg/controller/statefulset): pods with stable names
 * {@code <set>-<ordinal>}, each with its own claims from the volumeClaimTemplates, created and
 * deleted in order ({@link StatefulSetPlan}); the templates kept as ControllerRevisions named
 * {@code <set>-<hash>} (FNV of the revision's data), the current and update revisions in the status;
 * the claims' owners set by persistentVolumeClaimRetentionPolicy (whenDeleted Delete: the set owns
 * them; whenScaled Delete: the condemned pod owns them), so that the garbage collector removes
 * them. Events as the real controller records them: "create Pod web-0 in StatefulSet web
 * successful", "create Claim www-web-0 Pod web-0 in StatefulSet web success".
 */
public final class StatefulSetController extends AbstractBehavior<StatefulSetController.Command> {

  public static final String COMPONENT = "statefulset-controller";
  public static final String LOG_NAME = "statefulset";
  private static final String KIND = "StatefulSet";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new StatefulSetController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<StatefulSet> sets;
  private final Informer<Pod> pods;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<ControllerRevision> revisions;
  private final CacheIndex<Pod> podsByOwner = CacheIndex.single(StatefulSetController::ownerKey);
  private final CacheIndex<ControllerRevision> revisionsByOwner = CacheIndex.single(StatefulSetController::ownerKey);
  private final WorkQueue<Command> queue;

  private StatefulSetController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("statefulset", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentStatefulSetSyncs());
    InformerSet informers = new InformerSet(client);
    this.sets = informers.add(Resources.STATEFULSETS, StatefulSet.class, new Informer.Handler<>() {
      @Override
      public void onAdd(StatefulSet s) {
        queue.add(Informer.key(s));
      }

      @Override
      public void onUpdate(StatefulSet old, StatefulSet s) {
        queue.add(Informer.key(s));
      }

      @Override
      public void onDelete(StatefulSet s) {
        queue.add(Informer.key(s));
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podsByOwner.add(p);
        podChanged(null, p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podsByOwner.update(old, p);
        if (!Objects.equals(old.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
          podChanged(old, p);
        }
      }

      @Override
      public void onDelete(Pod p) {
        podsByOwner.remove(p);
        podChanged(null, p);
      }
    });
    this.claims = informers.add(Resources.PERSISTENTVOLUMECLAIMS, PersistentVolumeClaim.class,
        new Informer.Handler<>() {});
    this.revisions = informers.add(Resources.CONTROLLERREVISIONS, ControllerRevision.class,
        new Informer.Handler<>() {
          @Override
          public void onAdd(ControllerRevision r) {
            revisionsByOwner.add(r);
          }

          @Override
          public void onUpdate(ControllerRevision old, ControllerRevision r) {
            revisionsByOwner.update(old, r);
          }

          @Override
          public void onDelete(ControllerRevision r) {
            revisionsByOwner.remove(r);
          }
        });
    log.info("Starting stateful set controller");
    informers.start(() -> queue.start(this::sync));
  }

  private static String ownerKey(io.fabric8.kubernetes.api.model.HasMetadata o) {
    OwnerReference ref = Owners.controllerOf(o);
    return ref != null ? ref.getUid() : "orphan/" + o.getMetadata().getNamespace();
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

  private Instant now() {
    return cc.clock().now();
  }

  // ---------------------------------------------------------------- event handlers

  private StatefulSet resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) {
      return null;
    }
    StatefulSet s = sets.get(ns, ref.getName());
    return s != null && Objects.equals(s.getMetadata().getUid(), ref.getUid()) ? s : null;
  }

  /** addPod, updatePod, deletePod: wake the owning set, the old one if the owner changed, or the sets an orphan matches. */
  private void podChanged(Pod old, Pod p) {
    if (old != null) {
      OwnerReference oldRef = Owners.controllerOf(old);
      if (oldRef != null && !Objects.equals(oldRef, Owners.controllerOf(p))) {
        StatefulSet s = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
        if (s != null) {
          queue.add(Informer.key(s));
        }
      }
    }
    OwnerReference ref = Owners.controllerOf(p);
    if (ref != null) {
      StatefulSet s = resolveControllerRef(p.getMetadata().getNamespace(), ref);
      if (s != null) {
        queue.add(Informer.key(s));
      }
      return;
    }
    if (Pods.terminating(p)) {
      return;
    }
    for (StatefulSet s : sets.list(p.getMetadata().getNamespace())) {
      LabelSelector sel = selector(s);
      if (sel != null && !sel.isEmpty() && sel.matches(p.getMetadata().getLabels())) {
        queue.add(Informer.key(s));
      }
    }
  }

  private static LabelSelector selector(StatefulSet s) {
    try {
      return LabelSelector.from(s.getSpec().getSelector());
    } catch (SelectorParseException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- sync

  private void sync(String key, WorkQueue.Done done) {
    StatefulSet set = sets.get(key);
    if (set == null) {
      log.v(4, "StatefulSet has been deleted", "statefulSet", key);
      done.done(true);
      return;
    }
    LabelSelector selector = selector(set);
    if (selector == null || selector.isEmpty()) {
      done.done(true);
      return;
    }
    List<Pod> candidates = new ArrayList<>(podsByOwner.list(set.getMetadata().getUid(), pods));
    // getPodsForStatefulSet claims with the isMemberOf filter: an orphan is adopted only if its name is ours.
    for (Pod orphan : podsByOwner.list("orphan/" + set.getMetadata().getNamespace(), pods)) {
      if (StatefulPods.isMemberOf(set, orphan)) {
        candidates.add(orphan);
      }
    }
    Claims.claim(client, log, set, Resources.STATEFULSETS, selector, Resources.PODS, candidates, (claimed, failed) -> {
      if (failed) {
        done.done(false);
        return;
      }
      List<Pod> members = claimed.stream().filter(p -> StatefulPods.isMemberOf(set, p)).toList();
      revisions(set, selector, (r, history) -> {
        if (r == null) {
          done.done(false);
          return;
        }
        StatefulSetPlan.Plan plan = StatefulSetPlan.plan(set, members, r, now());
        if (plan.waitingFor() != null) {
          log.v(4, plan.waitingFor(), "statefulSet", key);
        }
        execute(set, plan.steps(), 0, err -> updateStatus(set, r, statusOk -> {
          truncateHistory(set, members, r, history);
          claimOwnersFollowWhenDeleted(set, members);
          requeueForAvailability(set, members);
          done.done(err == null && statusOk);
        }));
      });
    });
  }

  /** A pod ready but not yet available wakes the set when it becomes available (minReadySeconds). */
  private void requeueForAvailability(StatefulSet set, List<Pod> members) {
    int minReady = StatefulSetPlan.minReadySeconds(set);
    if (minReady <= 0) {
      return;
    }
    for (Pod p : members) {
      if (StatefulPods.isRunningAndReady(p) && !StatefulPods.isRunningAndAvailable(p, minReady, now())) {
        queue.addAfter(Informer.key(set), Duration.ofSeconds(minReady));
        return;
      }
    }
  }

  private void execute(StatefulSet set, List<StatefulSetPlan.Step> steps, int i, Consumer<String> then) {
    if (i >= steps.size()) {
      then.accept(null);
      return;
    }
    StatefulSetPlan.Step step = steps.get(i);
    Consumer<String> next = err -> {
      if (err != null) {
        then.accept(err);
        return;
      }
      execute(set, steps, i + 1, then);
    };
    if (step.action() == StatefulSetPlan.Action.CREATE) {
      createClaims(set, step.pod(), err -> {
        if (err != null) {
          next.accept(err);
          return;
        }
        createPod(set, step.pod(), next);
      });
    } else {
      claimsOwnedByCondemnedPod(set, step.pod(), () -> deletePod(set, step.pod(), next));
    }
  }

  /** createPersistentVolumeClaims: the pod's claims that do not exist yet. */
  private void createClaims(StatefulSet set, Pod pod, Consumer<String> then) {
    List<PersistentVolumeClaim> missing = new ArrayList<>();
    for (PersistentVolumeClaim c : StatefulPods.claims(set, StatefulPods.ordinal(pod)).values()) {
      PersistentVolumeClaim existing = claims.get(c.getMetadata().getNamespace(), c.getMetadata().getName());
      if (existing == null) {
        missing.add(c);
      }
    }
    createClaim(set, pod, missing, 0, then);
  }

  private void createClaim(StatefulSet set, Pod pod, List<PersistentVolumeClaim> missing, int i,
      Consumer<String> then) {
    if (i >= missing.size()) {
      then.accept(null);
      return;
    }
    PersistentVolumeClaim c = missing.get(i);
    client.create(c, r -> {
      String podName = pod.getMetadata().getName();
      if (r instanceof Api.Ok || (r instanceof Api.Failed f0 && f0.code() == 409)) {
        if (r instanceof Api.Ok) {
          log.v(1, "Created PersistentVolumeClaim", "pvc", Informer.key(c), "pod", Informer.key(pod));
          recorder.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create Claim " + c.getMetadata().getName()
              + " Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " success");
        }
        createClaim(set, pod, missing, i + 1, then);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      recorder.event(set, EventRecorder.WARNING, "FailedCreate", "create Claim " + c.getMetadata().getName()
          + " for Pod " + podName + " in StatefulSet " + set.getMetadata().getName() + " failed error: "
          + f.message());
      then.accept(f.message());
    });
  }

  private void createPod(StatefulSet set, Pod pod, Consumer<String> then) {
    String podName = pod.getMetadata().getName();
    String setName = set.getMetadata().getName();
    client.create(pod, r -> {
      if (r instanceof Api.Ok) {
        log.v(1, "Created Pod", "pod", Informer.key(pod), "statefulSet", Informer.key(set));
        recorder.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet "
            + setName + " successful");
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.code() == 409) {
        // Created in an earlier pass whose pod the cache does not have yet.
        then.accept(null);
        return;
      }
      recorder.event(set, EventRecorder.WARNING, "FailedCreate", "create Pod " + podName + " in StatefulSet "
          + setName + " failed error: " + f.message());
      then.accept(f.message());
    });
  }

  private void deletePod(StatefulSet set, Pod pod, Consumer<String> then) {
    String podName = pod.getMetadata().getName();
    String setName = set.getMetadata().getName();
    log.v(2, "Deleting Pod", "pod", Informer.key(pod), "statefulSet", Informer.key(set));
    client.delete(Resources.PODS, pod.getMetadata().getNamespace(), podName, null, r -> {
      if (r instanceof Api.Ok || (r instanceof Api.Failed f0 && f0.code() == 404)) {
        recorder.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "delete Pod " + podName + " in StatefulSet "
            + setName + " successful");
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      recorder.event(set, EventRecorder.WARNING, "FailedDelete", "delete Pod " + podName + " in StatefulSet "
          + setName + " failed error: " + f.message());
      then.accept(f.message());
    });
  }

  /**
   * With whenScaled Delete, a pod removed by a scale-down (its ordinal at or above the replica
   * count) becomes an owner of its claims first, so they go with it (stateful_pod_control.go
   * UpdatePodClaimForRetentionPolicy).
   */
  private void claimsOwnedByCondemnedPod(StatefulSet set, Pod pod, Runnable then) {
    int ord = StatefulPods.ordinal(pod);
    int start = StatefulPods.startOrdinal(set);
    boolean condemned = ord < start || ord >= start + StatefulPods.replicas(set);
    if (!condemned || !"Delete".equals(StatefulPods.retention(set, false))) {
      then.run();
      return;
    }
    List<PersistentVolumeClaim> toUpdate = new ArrayList<>();
    for (PersistentVolumeClaim c : StatefulPods.claims(set, ord).values()) {
      PersistentVolumeClaim existing = claims.get(c.getMetadata().getNamespace(), c.getMetadata().getName());
      if (existing == null) {
        continue;
      }
      List<OwnerReference> refs = existing.getMetadata().getOwnerReferences() == null ? List.of()
          : existing.getMetadata().getOwnerReferences();
      if (refs.stream().anyMatch(x -> Objects.equals(x.getUid(), pod.getMetadata().getUid()))) {
        continue;
      }
      List<OwnerReference> withPod = new ArrayList<>(refs);
      withPod.add(StatefulPods.ownerRef(pod));
      toUpdate.add(new PersistentVolumeClaimBuilder(existing).editMetadata().withOwnerReferences(withPod)
          .endMetadata().build());
    }
    Consumer<Boolean> all = WorkQueue.all(toUpdate.size(), ok -> then.run());
    for (PersistentVolumeClaim c : toUpdate) {
      client.update(c, r -> all.accept(r instanceof Api.Ok));
    }
  }

  /**
   * A changed whenDeleted reaches the claims that already exist (UpdatePodClaimForRetentionPolicy):
   * with Delete each claim of a replica gets the set as an owner, with Retain it loses it.
   */
  private void claimOwnersFollowWhenDeleted(StatefulSet set, List<Pod> members) {
    boolean setOwns = "Delete".equals(StatefulPods.retention(set, true));
    String uid = set.getMetadata().getUid();
    for (Pod pod : members) {
      for (PersistentVolumeClaim c : StatefulPods.claims(set, StatefulPods.ordinal(pod)).values()) {
        PersistentVolumeClaim existing = claims.get(c.getMetadata().getNamespace(), c.getMetadata().getName());
        if (existing == null || existing.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        List<OwnerReference> refs = existing.getMetadata().getOwnerReferences() == null ? List.of()
            : existing.getMetadata().getOwnerReferences();
        boolean owned = refs.stream().anyMatch(x -> Objects.equals(x.getUid(), uid));
        if (owned == setOwns) {
          continue;
        }
        List<OwnerReference> updated = new ArrayList<>();
        for (OwnerReference ref : refs) {
          if (!Objects.equals(ref.getUid(), uid)) {
            updated.add(ref);
          }
        }
        if (setOwns) {
          updated.add(StatefulPods.ownerRef(set));
        }
        log.v(2, "Updating claim owners for the retention policy", "pvc", Informer.key(existing), "statefulSet",
            Informer.key(set));
        client.update(new PersistentVolumeClaimBuilder(existing).editMetadata().withOwnerReferences(updated)
            .endMetadata().build(), resp -> {});
      }
    }
  }

  /** updateStatefulSetStatus: written only when it changed. */
  private void updateStatus(StatefulSet set, StatefulSetPlan.Revisions r, Consumer<Boolean> then) {
    List<Pod> members = podsByOwner.list(set.getMetadata().getUid(), pods).stream()
        .filter(p -> StatefulPods.isMemberOf(set, p)).toList();
    Integer collisionCount = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    StatefulSetStatus status = StatefulSetPlan.status(set, members, r, collisionCount, now());
    if (set.getStatus() != null) {
      status.setConditions(set.getStatus().getConditions());
    }
    if (Objects.equals(status, set.getStatus())) {
      then.accept(true);
      return;
    }
    client.updateStatus(new StatefulSetBuilder(set).withStatus(status).build(), resp -> {
      if (resp instanceof Api.Failed f) {
        log.v(2, "Unable to update status for StatefulSet", "statefulSet", Informer.key(set), "err", f.message());
        then.accept(false);
        return;
      }
      then.accept(true);
    });
  }

  // ---------------------------------------------------------------- revisions

  /**
   * getStatefulSetRevisions: the update revision is the one whose data is the current template
   * (created, one above the highest revision, if there is none); the current revision is the one
   * named in status.currentRevision, else the update revision.
   */
  private void revisions(StatefulSet set, LabelSelector selector,
      BiConsumer<StatefulSetPlan.Revisions, List<ControllerRevision>> then) {
    List<ControllerRevision> candidates = new ArrayList<>(revisionsByOwner.list(set.getMetadata().getUid(), revisions));
    candidates.addAll(revisionsByOwner.list("orphan/" + set.getMetadata().getNamespace(), revisions));
    Claims.claim(client, log, set, Resources.STATEFULSETS, selector, Resources.CONTROLLERREVISIONS, candidates,
        (history, failed) -> {
          if (failed) {
            then.accept(null, List.of());
            return;
          }
          List<ControllerRevision> sorted = new ArrayList<>(history);
          sorted.sort(History.BY_REVISION);
          String patch = History.templatePatch(set.getSpec().getTemplate());
          List<ControllerRevision> equal = History.equalRevisions(sorted, patch);
          Consumer<ControllerRevision> withUpdate = update -> {
            if (update == null) {
              then.accept(null, sorted);
              return;
            }
            List<ControllerRevision> all = new ArrayList<>(sorted);
            if (all.stream().noneMatch(x -> x.getMetadata().getName().equals(update.getMetadata().getName()))) {
              all.add(update);
            }
            ControllerRevision current = update;
            String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
            for (ControllerRevision cr : all) {
              if (cr.getMetadata().getName().equals(currentName)) {
                current = cr;
              }
            }
            then.accept(new StatefulSetPlan.Revisions(current.getMetadata().getName(), templateOf(current, set),
                update.getMetadata().getName(), set.getSpec().getTemplate()), all);
          };
          long next = History.maxRevision(sorted) + 1;
          if (!equal.isEmpty()) {
            ControllerRevision last = equal.get(equal.size() - 1);
            if (History.revision(last) == next - 1) {
              withUpdate.accept(last);
              return;
            }
            // A rollback to an earlier template: that revision becomes the newest.
            client.update(new ControllerRevisionBuilder(last).withRevision(next).build(),
                resp -> withUpdate.accept(resp instanceof Api.Ok ok ? (ControllerRevision) ok.object() : null));
            return;
          }
          snapshot(set, patch, next, withUpdate);
        });
  }

  /** ApplyRevision: the template a revision carries ({@code spec.template} of its patch). */
  static PodTemplateSpec templateOf(ControllerRevision cr, StatefulSet set) {
    JsonNode data = Json.tree(cr.getData());
    JsonNode t = data.path("spec").path("template");
    if (!t.isObject()) {
      return set.getSpec().getTemplate();
    }
    ObjectNode copy = ((ObjectNode) t).deepCopy();
    copy.remove("$patch");
    return Json.convert(copy, PodTemplateSpec.class);
  }

  /** newRevision and CreateControllerRevision: a name taken by other data bumps status.collisionCount. */
  private void snapshot(StatefulSet set, String patch, long revision, Consumer<ControllerRevision> then) {
    Integer collisionCount = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    String hash = History.hash(patch, collisionCount);
    ControllerRevision cr = History.newRevision(set, set.getSpec().getTemplate(),
        History.revisionName(set.getMetadata().getName(), hash), History.CONTROLLER_REVISION_HASH, hash, patch,
        revision);
    History.create(client, log, cr, patch, () -> {
      StatefulSetStatus st = set.getStatus() == null ? new StatefulSetStatus()
          : new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder(set.getStatus()).build();
      st.setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
      client.updateStatus(new StatefulSetBuilder(set).withStatus(st).build(), u -> {});
    }, then);
  }

  /**
   * truncateHistory: beyond revisionHistoryLimit (10), the oldest revisions that are neither the
   * current nor the update revision nor carried by a live pod are deleted.
   */
  private void truncateHistory(StatefulSet set, List<Pod> members, StatefulSetPlan.Revisions r,
      List<ControllerRevision> history) {
    Set<String> live = new TreeSet<>();
    live.add(r.current());
    live.add(r.update());
    for (Pod p : members) {
      String rev = StatefulPods.revisionOf(p);
      if (rev != null) {
        live.add(rev);
      }
    }
    List<ControllerRevision> nonLive = new ArrayList<>();
    for (ControllerRevision cr : history) {
      if (!live.contains(cr.getMetadata().getName())) {
        nonLive.add(cr);
      }
    }
    int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
    nonLive.sort(History.BY_REVISION);
    for (int i = 0; i < nonLive.size() - limit; i++) {
      ControllerRevision cr = nonLive.get(i);
      client.delete(Resources.CONTROLLERREVISIONS, cr.getMetadata().getNamespace(), cr.getMetadata().getName(), null,
          resp -> {});
    }
  }
}
