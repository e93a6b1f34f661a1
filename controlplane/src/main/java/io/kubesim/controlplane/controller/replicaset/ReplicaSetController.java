package io.kubesim.controlplane.controller.replicaset;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Expectations;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps the number of
 * active pods of each ReplicaSet at spec.replicas. Creates in slow-start batches (1, 2, 4, ... at
 * most {@code burstReplicas} per sync), deletes the most deletable pods first
 * ({@link ActivePodsWithRanks}), adopts matching orphans and releases pods that stopped matching,
 * waits for its own creates and deletes to show in its cache before acting again (expectations),
 * and reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and
 * observedGeneration in the status.
 */
public final class ReplicaSetController extends AbstractBehavior<ReplicaSetController.Command> {

  public static final String COMPONENT = "replicaset-controller";
  public static final String LOG_NAME = "replicaset";
  private static final String KIND = "ReplicaSet";
  /** statusUpdateRetries. */
  private static final int STATUS_UPDATE_RETRIES = 1;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new ReplicaSetController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final ControllerManagerSettings settings;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Pod> pods;
  /** Pods by the uid of their controller; orphans under "orphan/&lt;namespace&gt;" (PodControllerUIDIndex). */
  private final CacheIndex<Pod> podsByOwner = CacheIndex.single(p -> {
    OwnerReference ref = Owners.controllerOf(p);
    return ref != null ? ref.getUid() : "orphan/" + p.getMetadata().getNamespace();
  });
  /** ReplicaSets by the uid of their controller, for the related pods of the deletion ranking. */
  private final CacheIndex<ReplicaSet> replicaSetsByOwner = CacheIndex.single(rs -> {
    OwnerReference ref = Owners.controllerOf(rs);
    return ref != null ? ref.getUid() : null;
  });
  private final WorkQueue<Command> queue;
  private final Expectations expectations;

  private ReplicaSetController(ActorContext<Command> context,
      akka.actor.typed.javadsl.TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.settings = settings;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.expectations = new Expectations(cc.clock());
    this.queue = new WorkQueue<>("replicaset", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentReplicaSetSyncs());
    InformerSet informers = new InformerSet(client);
    this.replicaSets = informers.add(Resources.REPLICASETS, ReplicaSet.class, new Informer.Handler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        replicaSetsByOwner.add(rs);
        log.v(4, "Adding", "replicaSet", Informer.key(rs));
        queue.add(Informer.key(rs));
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        replicaSetsByOwner.update(old, rs);
        updateReplicaSet(old, rs);
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        replicaSetsByOwner.remove(rs);
        log.v(4, "Deleting", "replicaSet", Informer.key(rs));
        expectations.delete(Informer.key(rs));
        queue.add(Informer.key(rs));
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podsByOwner.add(p);
        addPod(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podsByOwner.update(old, p);
        updatePod(old, p);
      }

      @Override
      public void onDelete(Pod p) {
        podsByOwner.remove(p);
        deletePod(p);
      }
    });
    log.info("Starting controller", "name", "replicaset");
    informers.start(() -> queue.start(this::syncReplicaSet));
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

  private void updateReplicaSet(ReplicaSet old, ReplicaSet rs) {
    if (!Objects.equals(old.getMetadata().getUid(), rs.getMetadata().getUid())) {
      expectations.delete(Informer.key(old));
    }
    if (!Objects.equals(old.getSpec().getReplicas(), rs.getSpec().getReplicas())) {
      log.v(4, "replicaSet updated. Desired pod count change.", "replicaSet", Informer.key(rs),
          "oldReplicas", old.getSpec().getReplicas(), "newReplicas", rs.getSpec().getReplicas());
    }
    queue.add(Informer.key(rs));
  }

  private ReplicaSet resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) {
      return null;
    }
    ReplicaSet rs = replicaSets.get(ns, ref.getName());
    if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
      return null;
    }
    return rs;
  }

  /** GetPodReplicaSets: the ReplicaSets of the pod's namespace whose selector matches it. */
  private List<ReplicaSet> replicaSetsSelecting(Pod p) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : replicaSets.list(p.getMetadata().getNamespace())) {
      LabelSelector sel;
      try {
        sel = LabelSelector.from(rs.getSpec().getSelector());
      } catch (SelectorParseException e) {
        continue;
      }
      if (!sel.isEmpty() && sel.matches(p.getMetadata().getLabels())) {
        out.add(rs);
      }
    }
    return out;
  }

  private void addPod(Pod p) {
    if (Pods.terminating(p)) {
      // On a restart of the controller, a pod may already be pending deletion: count it as deleted.
      deletePod(p);
      return;
    }
    ReplicaSet rs = resolveControllerRef(p.getMetadata().getNamespace(), Owners.controllerOf(p));
    if (Owners.controllerOf(p) != null) {
      if (rs == null) {
        return;
      }
      String key = Informer.key(rs);
      log.v(4, "Pod created", "pod", Informer.key(p), "detail", p.getMetadata().getName());
      expectations.creationObserved(key);
      queue.add(key);
      return;
    }
    // An orphan: wake the ReplicaSets that might adopt it.
    for (ReplicaSet candidate : replicaSetsSelecting(p)) {
      queue.add(Informer.key(candidate));
    }
  }

  private void updatePod(Pod old, Pod p) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
      return;
    }
    boolean labelChanged = !Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels());
    if (Pods.terminating(p)) {
      // A pod being deleted counts as deleted as soon as the deletion timestamp shows.
      deletePod(p);
      if (labelChanged) {
        deletePod(old);
      }
      return;
    }
    OwnerReference curRef = Owners.controllerOf(p);
    OwnerReference oldRef = Owners.controllerOf(old);
    boolean refChanged = !Objects.equals(curRef, oldRef);
    if (refChanged && oldRef != null) {
      ReplicaSet rs = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
      if (rs != null) {
        queue.add(Informer.key(rs));
      }
    }
    if (curRef != null) {
      ReplicaSet rs = resolveControllerRef(p.getMetadata().getNamespace(), curRef);
      if (rs == null) {
        return;
      }
      queue.add(Informer.key(rs));
      int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
      if (!Pods.isReady(old) && Pods.isReady(p) && minReady > 0) {
        log.v(2, "pod will be enqueued after a while for availability check", "duration", minReady, "kind", KIND,
            "pod", Informer.key(p));
        // One second more, against clock skew (kubernetes#39785).
        queue.addAfter(Informer.key(rs), Duration.ofSeconds(minReady + 1L));
      }
      return;
    }
    if (labelChanged || refChanged) {
      for (ReplicaSet candidate : replicaSetsSelecting(p)) {
        queue.add(Informer.key(candidate));
      }
    }
  }

  private void deletePod(Pod p) {
    OwnerReference ref = Owners.controllerOf(p);
    if (ref == null) {
      return;
    }
    ReplicaSet rs = resolveControllerRef(p.getMetadata().getNamespace(), ref);
    if (rs == null) {
      return;
    }
    String key = Informer.key(rs);
    log.v(4, "Pod deleted", "delete_by", "", "deletion_timestamp", p.getMetadata().getDeletionTimestamp(),
        "pod", Informer.key(p));
    expectations.deletionObserved(key, Informer.key(p));
    queue.add(key);
  }

  // ---------------------------------------------------------------- sync

  private void syncReplicaSet(String key, WorkQueue.Done done) {
    ReplicaSet rs = replicaSets.get(key);
    if (rs == null) {
      log.v(4, "ReplicaSet has been deleted", "kind", KIND, "key", key);
      expectations.delete(key);
      done.done(true);
      return;
    }
    boolean needsSync = expectations.satisfied(key);
    LabelSelector selector;
    try {
      selector = LabelSelector.from(rs.getSpec().getSelector());
    } catch (SelectorParseException e) {
      log.error("error converting pod selector to selector", "err", e.getMessage());
      done.done(true);
      return;
    }
    String ns = rs.getMetadata().getNamespace();
    List<Pod> candidates = new ArrayList<>(podsByOwner.list(rs.getMetadata().getUid(), pods));
    candidates.addAll(podsByOwner.list("orphan/" + ns, pods));
    List<Pod> active = new ArrayList<>();
    for (Pod p : candidates) {
      if (Pods.isActive(p)) {
        active.add(p);
      } else {
        log.v(4, "Ignoring inactive pod", "pod", Informer.key(p), "phase", Pods.phase(p),
            "deletionTime", p.getMetadata().getDeletionTimestamp());
      }
    }
    claimPods(rs, selector, active, (claimed, claimError) -> {
      if (claimError) {
        done.done(false);
        return;
      }
      Consumer<String> afterManage = manageError -> {
        ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, claimed, manageError, now());
        updateStatus(rs, status, 0, updated -> {
          if (updated == null) {
            done.done(false);
            return;
          }
          int minReady = updated.getSpec().getMinReadySeconds() == null ? 0 : updated.getSpec().getMinReadySeconds();
          int replicas = updated.getSpec().getReplicas();
          if (manageError == null && minReady > 0 && n(updated.getStatus().getReadyReplicas()) == replicas
              && n(updated.getStatus().getAvailableReplicas()) != replicas) {
            // Resync after minReadySeconds, a last line of defence against clock skew. Virtual time
            // has no scheduling jitter: exactly minReadySeconds after a whole-second transition the
            // pod is one instant short of available, where a real controller is always a little late.
            queue.addAfter(key, Duration.ofSeconds(minReady).plusMillis(1));
          }
          done.done(manageError == null);
        });
      };
      if (needsSync && rs.getMetadata().getDeletionTimestamp() == null) {
        manageReplicas(claimed, rs, afterManage);
      } else {
        afterManage.accept(null);
      }
    });
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }

  /** ClaimPods: keep what we own and match, release what we own and no longer match, adopt matching orphans. */
  private void claimPods(ReplicaSet rs, LabelSelector selector, List<Pod> active,
      java.util.function.BiConsumer<List<Pod>, Boolean> then) {
    List<Pod> claimed = new ArrayList<>();
    List<Pod> toAdopt = new ArrayList<>();
    List<Pod> toRelease = new ArrayList<>();
    String uid = rs.getMetadata().getUid();
    boolean deleting = rs.getMetadata().getDeletionTimestamp() != null;
    for (Pod p : active) {
      OwnerReference ref = Owners.controllerOf(p);
      boolean match = selector.matches(p.getMetadata().getLabels());
      if (ref != null) {
        if (!Objects.equals(ref.getUid(), uid)) {
          continue;
        }
        if (match) {
          claimed.add(p);
        } else if (!deleting) {
          toRelease.add(p);
        }
        continue;
      }
      if (deleting || !match || Pods.terminating(p)) {
        continue;
      }
      toAdopt.add(p);
    }
    if (toAdopt.isEmpty() && toRelease.isEmpty()) {
      then.accept(claimed, false);
      return;
    }
    boolean[] failed = {false};
    int[] left = {toAdopt.size() + toRelease.size()};
    Map<String, Pod> adopted = new LinkedHashMap<>();
    Runnable one = () -> {
      if (--left[0] == 0) {
        List<Pod> all = new ArrayList<>(claimed);
        all.addAll(adopted.values());
        then.accept(all, failed[0]);
      }
    };
    for (Pod p : toRelease) {
      log.v(2, "Patching pod to remove its controllerRef", "pod", Informer.key(p), "gvk", "apps/v1, Kind=ReplicaSet",
          "controller", rs.getMetadata().getName());
      client.patch(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
          PatchType.STRATEGIC_MERGE_PATCH, Owners.releasePatch(p.getMetadata().getUid(), List.of(uid)), r -> {
            if (r instanceof Api.Failed f && f.code() != 404 && f.code() != 422) {
              failed[0] = true;
            }
            one.run();
          });
    }
    if (toAdopt.isEmpty()) {
      return;
    }
    // RecheckDeletionTimestamp: adopt only if an uncached read shows the ReplicaSet alive.
    client.get(Resources.REPLICASETS, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), g -> {
      boolean canAdopt = g instanceof Api.Ok ok && Objects.equals(ok.object().getMetadata().getUid(), uid)
          && ok.object().getMetadata().getDeletionTimestamp() == null;
      for (Pod p : toAdopt) {
        if (!canAdopt) {
          failed[0] = true;
          one.run();
          continue;
        }
        log.v(2, "Adopting pod", "pod", Informer.key(p), "controller", rs.getMetadata().getName());
        client.patch(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
            PatchType.STRATEGIC_MERGE_PATCH, Owners.adoptPatch(rs, p.getMetadata().getUid()), r -> {
              if (r instanceof Api.Ok ok) {
                adopted.put(Informer.key(p), (Pod) ok.object());
              } else if (!(r instanceof Api.Failed f && f.code() == 404)) {
                failed[0] = true;
              }
              one.run();
            });
      }
    });
  }

  /** manageReplicas: create or delete to close the gap; {@code then} gets the first error, or null. */
  private void manageReplicas(List<Pod> active, ReplicaSet rs, Consumer<String> then) {
    String key = Informer.key(rs);
    int replicas = rs.getSpec().getReplicas();
    int diff = active.size() - replicas;
    if (diff < 0) {
      int count = Math.min(-diff, settings.burstReplicas());
      expectations.expectCreations(key, count);
      log.v(2, "Too few replicas", "replicaSet", key, "need", replicas, "creating", count);
      slowStartBatch(rs, count, Math.min(count, 1), 0, (successes, error) -> {
        int skipped = count - successes;
        if (skipped > 0) {
          log.v(2, "Slow-start failure. Skipping creation of pods, decrementing expectations", "podsSkipped", skipped,
              "kind", KIND, "replicaSet", key);
          for (int i = 0; i < skipped; i++) {
            expectations.creationObserved(key);
          }
        }
        then.accept(error);
      });
    } else if (diff > 0) {
      int count = Math.min(diff, settings.burstReplicas());
      log.v(2, "Too many replicas", "replicaSet", key, "need", replicas, "deleting", count);
      List<Pod> victims = podsToDelete(active, relatedPods(rs), count, now());
      List<String> keys = new ArrayList<>();
      for (Pod p : victims) {
        keys.add(Informer.key(p));
      }
      expectations.expectDeletions(key, keys);
      String[] firstError = {null};
      int[] left = {victims.size()};
      for (Pod p : victims) {
        deletePodOf(rs, p, err -> {
          if (err != null) {
            log.v(2, "Failed to delete pod, decremented expectations", "pod", Informer.key(p), "kind", KIND,
                "replicaSet", key);
            expectations.deletionObserved(key, Informer.key(p));
            if (!err.isEmpty() && firstError[0] == null) {
              firstError[0] = err;
            }
          }
          if (--left[0] == 0) {
            then.accept(firstError[0]);
          }
        });
      }
    } else {
      then.accept(null);
    }
  }

  /** slowStartBatch: batches of 1, 2, 4, ...; a batch with a failure ends the run. */
  private void slowStartBatch(ReplicaSet rs, int remaining, int batchSize, int successes,
      java.util.function.BiConsumer<Integer, String> then) {
    if (batchSize <= 0) {
      then.accept(successes, null);
      return;
    }
    String[] firstError = {null};
    int[] ok = {0};
    int[] left = {batchSize};
    for (int i = 0; i < batchSize; i++) {
      createPod(rs, err -> {
        if (err == null) {
          ok[0]++;
        } else if (firstError[0] == null) {
          firstError[0] = err;
        }
        if (--left[0] == 0) {
          int total = successes + ok[0];
          if (firstError[0] != null) {
            then.accept(total, firstError[0]);
            return;
          }
          int rest = remaining - batchSize;
          slowStartBatch(rs, rest, Math.min(2 * batchSize, rest), total, then);
        }
      });
    }
  }

  /** GetPodFromTemplate and CreatePods: labels, annotations, finalizers and spec from the template; "&lt;rs&gt;-" names. */
  static Pod podFromTemplate(ReplicaSet rs) {
    PodTemplateSpec t = rs.getSpec().getTemplate();
    ObjectMeta tm = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels()));
    meta.setAnnotations(tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations()));
    meta.setFinalizers(tm.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(tm.getFinalizers()));
    meta.setGenerateName(rs.getMetadata().getName() + "-");
    meta.setNamespace(rs.getMetadata().getNamespace());
    meta.setOwnerReferences(new ArrayList<>(List.of(Owners.controllerRef(rs))));
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    pod.setMetadata(meta);
    pod.setSpec(new PodSpecBuilder(t.getSpec()).build());
    return pod;
  }

  /** Creates one pod; {@code then} gets null on success or the error, as Go's error string. */
  private void createPod(ReplicaSet rs, Consumer<String> then) {
    Pod pod = podFromTemplate(rs);
    if (pod.getMetadata().getLabels().isEmpty()) {
      then.accept("unable to create pods, no labels");
      return;
    }
    client.create(pod, r -> {
      if (r instanceof Api.Ok ok) {
        log.v(4, "Controller created pod", "controller", rs.getMetadata().getName(), "pod", Informer.key(ok.object()));
        recorder.event(rs, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + ok.object().getMetadata().getName());
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.message() != null && f.message().contains("because it is being terminated")) {
        // NamespaceTerminatingCause: every create would fail; nothing to report.
        then.accept(null);
        return;
      }
      recorder.event(rs, EventRecorder.WARNING, "FailedCreate", "Error creating: " + f.message());
      then.accept(f.message());
    });
  }

  /** DeletePod: null on success, "" for a pod already gone, else the error. */
  private void deletePodOf(ReplicaSet rs, Pod p, Consumer<String> then) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    log.v(2, "Deleting pod", "controller", rs.getMetadata().getName(), "pod", ns + "/" + name);
    client.delete(Resources.PODS, ns, name, null, r -> {
      if (r instanceof Api.Ok) {
        recorder.event(rs, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name);
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.code() == 404) {
        log.v(4, "Pod has already been deleted.", "pod", ns + "/" + name);
        then.accept("");
        return;
      }
      recorder.event(rs, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + f.message());
      then.accept("unable to delete pods: " + f.message());
    });
  }

  /** getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller (or just this one). */
  private List<Pod> relatedPods(ReplicaSet rs) {
    List<ReplicaSet> related = new ArrayList<>();
    OwnerReference owner = Owners.controllerOf(rs);
    if (owner == null) {
      related.add(rs);
    } else {
      related.addAll(replicaSetsByOwner.list(owner.getUid(), replicaSets));
    }
    Map<String, Pod> byUid = new LinkedHashMap<>();
    for (ReplicaSet r : related) {
      LabelSelector sel;
      try {
        sel = LabelSelector.from(r.getSpec().getSelector());
      } catch (SelectorParseException e) {
        continue;
      }
      for (Pod p : pods.list(r.getMetadata().getNamespace())) {
        if (sel.matches(p.getMetadata().getLabels())) {
          byUid.putIfAbsent(p.getMetadata().getUid(), p);
        }
      }
    }
    return new ArrayList<>(byUid.values());
  }

  /** getPodsToDelete: ranked by related active pods on the same node, then {@link ActivePodsWithRanks}. */
  static List<Pod> podsToDelete(List<Pod> active, List<Pod> related, int diff, Instant now) {
    if (diff >= active.size()) {
      return new ArrayList<>(active.subList(0, Math.min(diff, active.size())));
    }
    Map<String, Integer> onNode = new LinkedHashMap<>();
    for (Pod p : related) {
      if (Pods.isActive(p)) {
        onNode.merge(Pods.nodeName(p), 1, Integer::sum);
      }
    }
    List<ActivePodsWithRanks.Ranked> ranked = new ArrayList<>();
    for (Pod p : active) {
      ranked.add(new ActivePodsWithRanks.Ranked(p, onNode.getOrDefault(Pods.nodeName(p), 0)));
    }
    return ActivePodsWithRanks.sort(ranked, now).subList(0, diff);
  }

  /** updateReplicaSetStatus: skips a status that is already written; retries once after a fresh read. */
  private void updateStatus(ReplicaSet rs, ReplicaSetStatus status, int attempt, Consumer<ReplicaSet> then) {
    if (attempt == 0 && ReplicaSetStatuses.unchanged(rs, status)) {
      then.accept(rs);
      return;
    }
    if (attempt == 0) {
      // The generation acted on, not a newer one read for a retry.
      status.setObservedGeneration(rs.getMetadata().getGeneration());
    }
    ReplicaSetStatus cur = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
    log.v(4, "Updating status for " + KIND + ": " + Informer.key(rs) + ", replicas " + n(cur.getReplicas()) + "->"
        + n(status.getReplicas()) + " (need " + rs.getSpec().getReplicas() + "), fullyLabeledReplicas "
        + n(cur.getFullyLabeledReplicas()) + "->" + n(status.getFullyLabeledReplicas()) + ", readyReplicas "
        + n(cur.getReadyReplicas()) + "->" + n(status.getReadyReplicas()) + ", availableReplicas "
        + n(cur.getAvailableReplicas()) + "->" + n(status.getAvailableReplicas()) + ", sequence No: "
        + ReplicaSetStatuses.n(cur.getObservedGeneration()) + "->" + status.getObservedGeneration());
    ReplicaSet copy = new ReplicaSetBuilder(rs).withStatus(status).build();
    client.updateStatus(copy, r -> {
      if (r instanceof Api.Ok ok) {
        then.accept((ReplicaSet) ok.object());
        return;
      }
      if (attempt >= STATUS_UPDATE_RETRIES) {
        then.accept(null);
        return;
      }
      client.get(Resources.REPLICASETS, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), g -> {
        if (g instanceof Api.Ok fresh) {
          updateStatus((ReplicaSet) fresh.object(), status, attempt + 1, then);
        } else {
          then.accept(null);
        }
      });
    });
  }
}
