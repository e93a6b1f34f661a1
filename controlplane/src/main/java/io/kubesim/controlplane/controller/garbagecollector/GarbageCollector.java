package io.kubesim.controlplane.controller.garbagecollector;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The garbage collector (pkg/controller/garbagecollector): a graph of every object's owner
 * references, kept from informers on every kind kubesim serves (Events excepted, as Kubernetes
 * ignores them). Dependents of an owner that is gone (absent, or present with another uid) are
 * deleted (background cascading deletion); an owner deleted in the foreground (deletionTimestamp
 * and the foregroundDeletion finalizer) has its dependents deleted first and loses its finalizer
 * once no dependent with blockOwnerDeletion remains; an owner deleted with the orphan finalizer has
 * its references stripped from its dependents, then loses the finalizer.
 */
public final class GarbageCollector extends AbstractBehavior<GarbageCollector.Command> {

  public static final String COMPONENT = "garbage-collector-controller";
  public static final String LOG_NAME = "garbage-collector";
  public static final String FOREGROUND = "foregroundDeletion";
  public static final String ORPHAN = "orphan";
  /** absentOwnerCache's size. */
  private static final int ABSENT_CACHE_SIZE = 500;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum DrainDelete implements Command { INSTANCE }

  private enum DrainOrphan implements Command { INSTANCE }

  private record RequeueDelete(String uid) implements Command {}

  private record RequeueOrphan(String uid) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new GarbageCollector(c, t, ctx, settings)));
  }

  /** objectReference: the coordinates of a graph node. */
  record Identity(String apiVersion, String kind, String name, String namespace, String uid) {
    @Override
    public String toString() {
      return "[" + apiVersion + "/" + kind + ", namespace: " + (namespace == null ? "" : namespace) + ", name: "
          + name + ", uid: " + uid + "]";
    }

    boolean sameCoordinates(Identity o) {
      return Objects.equals(apiVersion, o.apiVersion) && Objects.equals(kind, o.kind)
          && Objects.equals(name, o.name) && Objects.equals(namespace, o.namespace);
    }
  }

  /** One object (or a virtual owner not seen yet) in the graph. */
  static final class Node {
    Identity identity;
    List<OwnerReference> owners = List.of();
    final Map<String, Node> dependents = new LinkedHashMap<>();
    boolean beingDeleted;
    boolean deletingDependents;
    boolean virtual;
    boolean observed;

    /** The dependents whose reference to this node has blockOwnerDeletion. */
    List<Node> blockingDependents() {
      List<Node> out = new ArrayList<>();
      for (Node d : dependents.values()) {
        for (OwnerReference r : d.owners) {
          if (Objects.equals(r.getUid(), identity.uid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion())) {
            out.add(d);
          }
        }
      }
      return out;
    }
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final Map<String, Node> uidToNode = new HashMap<>();
  private final Map<Identity, Boolean> absentOwners = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Identity, Boolean> eldest) {
      return size() > ABSENT_CACHE_SIZE;
    }
  };
  private final WorkQueue<Command> attemptToDelete;
  private final WorkQueue<Command> attemptToOrphan;

  private GarbageCollector(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.attemptToDelete = new WorkQueue<>("garbage_collector_attempt_to_delete", context.getSelf(), timers,
        cc.clock(), DrainDelete.INSTANCE, RequeueDelete::new, settings.concurrentGcSyncs());
    this.attemptToOrphan = new WorkQueue<>("garbage_collector_attempt_to_orphan", context.getSelf(), timers,
        cc.clock(), DrainOrphan.INSTANCE, RequeueOrphan::new, settings.concurrentGcSyncs());
    InformerSet informers = new InformerSet(client);
    for (ResourceType type : Resources.all()) {
      if (type == Resources.EVENTS) {
        // DefaultIgnoredResources: events are never garbage collected by owner.
        continue;
      }
      monitor(informers, type);
    }
    log.info("Starting controller", "controller", "garbagecollector");
    informers.start(() -> {
      log.info("All resource monitors have synced. Proceeding to collect garbage");
      attemptToDelete.start(this::attemptToDeleteWorker);
      attemptToOrphan.start(this::attemptToOrphanWorker);
    });
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void monitor(InformerSet informers, ResourceType type) {
    informers.add(type, (Class<T>) type.type(), new Informer.Handler<T>() {
      @Override
      public void onAdd(T o) {
        processChange(null, o, false);
      }

      @Override
      public void onUpdate(T old, T o) {
        processChange(old, o, false);
      }

      @Override
      public void onDelete(T last) {
        processDelete(identityOf(last), false);
      }
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(DrainDelete.INSTANCE, () -> onDrain(attemptToDelete))
        .onMessageEquals(DrainOrphan.INSTANCE, () -> onDrain(attemptToOrphan))
        .onMessage(RequeueDelete.class, m -> onRequeue(attemptToDelete, m.uid()))
        .onMessage(RequeueOrphan.class, m -> onRequeue(attemptToOrphan, m.uid()))
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onDrain(WorkQueue<Command> q) {
    q.drain();
    return this;
  }

  private Behavior<Command> onRequeue(WorkQueue<Command> q, String uid) {
    q.onDelayed(uid);
    return this;
  }

  // ---------------------------------------------------------------- the graph builder

  static Identity identityOf(HasMetadata o) {
    return new Identity(o.getApiVersion(), o.getKind(), o.getMetadata().getName(), o.getMetadata().getNamespace(),
        o.getMetadata().getUid());
  }

  private static boolean beingDeleted(HasMetadata o) {
    return o != null && o.getMetadata().getDeletionTimestamp() != null;
  }

  private static boolean hasFinalizer(HasMetadata o, String f) {
    return o != null && o.getMetadata().getFinalizers() != null && o.getMetadata().getFinalizers().contains(f);
  }

  /** deletionStartsWithFinalizer: the object is now being deleted with the finalizer, and was not before. */
  private static boolean startsDeletionWith(HasMetadata old, HasMetadata o, String finalizer) {
    if (!beingDeleted(o) || !hasFinalizer(o, finalizer)) {
      return false;
    }
    return old == null || !beingDeleted(old) || !hasFinalizer(old, finalizer);
  }

  private static List<OwnerReference> owners(HasMetadata o) {
    return o.getMetadata().getOwnerReferences() == null ? List.of() : o.getMetadata().getOwnerReferences();
  }

  /** processGraphChanges for an add or update. */
  private void processChange(HasMetadata old, HasMetadata o, boolean virtualEvent) {
    String uid = o.getMetadata().getUid();
    Node existing = uidToNode.get(uid);
    if (existing != null && !existing.observed) {
      Identity observedIdentity = identityOf(o);
      if (!observedIdentity.equals(existing.identity)) {
        for (Node dep : partition(existing, observedIdentity, false)) {
          attemptToDelete.add(dep.identity.uid());
        }
        log.v(2, "replacing virtual item with observed item", "virtual", existing.identity, "observed",
            observedIdentity);
        existing.identity = observedIdentity;
      }
      existing.observed = true;
      existing.virtual = false;
    }
    if (existing == null) {
      Node n = new Node();
      n.identity = identityOf(o);
      n.owners = owners(o);
      n.beingDeleted = beingDeleted(o);
      n.deletingDependents = beingDeleted(o) && hasFinalizer(o, FOREGROUND);
      n.observed = true;
      uidToNode.put(uid, n);
      addDependentToOwners(n, n.owners);
      processTransitions(old, o, n);
      return;
    }
    List<OwnerReference> now = owners(o);
    if (!now.equals(existing.owners)) {
      List<OwnerReference> removed = new ArrayList<>();
      List<OwnerReference> added = new ArrayList<>();
      List<OwnerReference[]> changed = new ArrayList<>();
      Map<String, OwnerReference> before = new LinkedHashMap<>();
      for (OwnerReference r : existing.owners) {
        before.put(r.getUid(), r);
      }
      Map<String, OwnerReference> after = new LinkedHashMap<>();
      for (OwnerReference r : now) {
        after.put(r.getUid(), r);
      }
      for (OwnerReference r : existing.owners) {
        OwnerReference n = after.get(r.getUid());
        if (n == null) {
          removed.add(r);
        } else if (!n.equals(r)) {
          changed.add(new OwnerReference[] {r, n});
        }
      }
      for (OwnerReference r : now) {
        if (!before.containsKey(r.getUid())) {
          added.add(r);
        }
      }
      addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = now;
      addDependentToOwners(existing, added);
      for (OwnerReference r : removed) {
        Node owner = uidToNode.get(r.getUid());
        if (owner != null) {
          owner.dependents.remove(existing.identity.uid());
        }
      }
    }
    if (beingDeleted(o)) {
      existing.beingDeleted = true;
    }
    processTransitions(old, o, existing);
  }

  /** The dependents that refer to the node by {@code identity} (or, with {@code matching} false, by another). */
  private List<Node> partition(Node n, Identity identity, boolean matching) {
    List<Node> out = new ArrayList<>();
    for (Node dep : n.dependents.values()) {
      for (OwnerReference r : dep.owners) {
        if (!Objects.equals(r.getUid(), identity.uid())) {
          continue;
        }
        Identity referenced = new Identity(r.getApiVersion(), r.getKind(), r.getName(),
            identity.namespace() == null ? null : dep.identity.namespace(), r.getUid());
        boolean same = referenced.sameCoordinates(identity);
        if (same == matching) {
          out.add(dep);
        }
        break;
      }
    }
    return out;
  }

  private void addDependentToOwners(Node n, List<OwnerReference> owners) {
    for (OwnerReference r : owners) {
      Node owner = uidToNode.get(r.getUid());
      boolean known = owner != null;
      if (!known) {
        owner = new Node();
        owner.identity = new Identity(r.getApiVersion(), r.getKind(), r.getName(), n.identity.namespace(),
            r.getUid());
        owner.virtual = true;
        uidToNode.put(r.getUid(), owner);
        log.v(5, "add virtual item", "identity", owner.identity);
      }
      owner.dependents.put(n.identity.uid(), n);
      if (!known) {
        // Verified against the apiserver; a virtual delete follows if it does not exist.
        attemptToDelete.add(owner.identity.uid());
      }
    }
  }

  /** addUnblockedOwnersToDeleteQueue: an owner waiting on its dependents may be unblocked by a dropped or relaxed reference. */
  private void addUnblockedOwnersToDeleteQueue(List<OwnerReference> removed, List<OwnerReference[]> changed) {
    for (OwnerReference r : removed) {
      if (Boolean.TRUE.equals(r.getBlockOwnerDeletion())) {
        Node owner = uidToNode.get(r.getUid());
        if (owner != null && owner.deletingDependents) {
          attemptToDelete.add(owner.identity.uid());
        }
      }
    }
    for (OwnerReference[] c : changed) {
      if (Boolean.TRUE.equals(c[0].getBlockOwnerDeletion()) && !Boolean.TRUE.equals(c[1].getBlockOwnerDeletion())) {
        Node owner = uidToNode.get(c[1].getUid());
        if (owner != null && owner.deletingDependents) {
          attemptToDelete.add(owner.identity.uid());
        }
      }
    }
  }

  private void processTransitions(HasMetadata old, HasMetadata o, Node n) {
    if (startsDeletionWith(old, o, ORPHAN)) {
      log.v(5, "add item to attemptToOrphan", "item", n.identity);
      attemptToOrphan.add(n.identity.uid());
      return;
    }
    if (startsDeletionWith(old, o, FOREGROUND)) {
      log.v(2, "add item to attemptToDelete, because it's waiting for its dependents to be deleted", "item",
          n.identity);
      n.deletingDependents = true;
      for (Node dep : n.dependents.values()) {
        attemptToDelete.add(dep.identity.uid());
      }
      attemptToDelete.add(n.identity.uid());
    }
  }

  /** processGraphChanges for a delete, observed by an informer or (virtual) found by a lookup. */
  private void processDelete(Identity deleted, boolean virtualEvent) {
    Node existing = uidToNode.get(deleted.uid());
    if (existing == null) {
      return;
    }
    boolean remove = true;
    if (virtualEvent && existing.observed && !existing.identity.sameCoordinates(deleted)) {
      // The real object disagrees with the coordinates that were found absent.
      remove = false;
      List<Node> matching = partition(existing, deleted, true);
      if (!matching.isEmpty()) {
        absentOwners.put(deleted, true);
        for (Node dep : matching) {
          attemptToDelete.add(dep.identity.uid());
        }
      }
    }
    if (!remove) {
      return;
    }
    uidToNode.remove(deleted.uid());
    for (OwnerReference r : existing.owners) {
      Node owner = uidToNode.get(r.getUid());
      if (owner != null) {
        owner.dependents.remove(deleted.uid());
      }
    }
    if (!existing.dependents.isEmpty()) {
      absentOwners.put(existing.identity, true);
    }
    for (Node dep : existing.dependents.values()) {
      attemptToDelete.add(dep.identity.uid());
    }
    for (OwnerReference r : existing.owners) {
      Node owner = uidToNode.get(r.getUid());
      if (owner != null && owner.deletingDependents) {
        attemptToDelete.add(owner.identity.uid());
      }
    }
  }

  // ---------------------------------------------------------------- attemptToDelete

  private void attemptToDeleteWorker(String uid, WorkQueue.Done done) {
    Node n = uidToNode.get(uid);
    if (n == null) {
      done.done(true);
      return;
    }
    attemptToDeleteItem(n, result -> {
      switch (result) {
        case FORGET -> done.done(true);
        case REQUEUE -> done.done(false);
        case OK -> {
          if (!n.observed && uidToNode.get(uid) == n) {
            // Not seen by an informer yet: look again (kubernetes#56121).
            done.done(false);
          } else {
            done.done(true);
          }
        }
      }
    });
  }

  private enum Result { OK, FORGET, REQUEUE }

  private Optional<ResourceType> typeOf(String apiVersion, String kind) {
    return Resources.byKind(apiVersion, kind);
  }

  private void attemptToDeleteItem(Node item, Consumer<Result> done) {
    log.v(2, "Processing item", "item", item.identity, "virtual", !item.observed);
    if (item.beingDeleted && !item.deletingDependents) {
      done.accept(Result.OK);
      return;
    }
    Optional<ResourceType> type = typeOf(item.identity.apiVersion(), item.identity.kind());
    if (type.isEmpty()) {
      log.v(5, "error syncing item", "item", item.identity, "err", "unable to get REST mapping for "
          + item.identity.apiVersion() + "/" + item.identity.kind());
      done.accept(Result.REQUEUE);
      return;
    }
    String ns = type.get().namespaced() ? item.identity.namespace() : null;
    client.get(type.get(), ns, item.identity.name(), r -> {
      if (r instanceof Api.Failed f) {
        if (f.code() == 404) {
          log.v(5, "item not found, generating a virtual delete event", "item", item.identity);
          processDelete(item.identity, true);
          done.accept(Result.FORGET);
        } else {
          done.accept(Result.REQUEUE);
        }
        return;
      }
      HasMetadata latest = ((Api.Ok) r).object();
      if (!Objects.equals(latest.getMetadata().getUid(), item.identity.uid())) {
        log.v(5, "UID doesn't match, item not found, generating a virtual delete event", "item", item.identity);
        processDelete(item.identity, true);
        done.accept(Result.FORGET);
        return;
      }
      if (item.deletingDependents) {
        processDeletingDependentsItem(item, done);
        return;
      }
      List<OwnerReference> refs = owners(latest);
      if (refs.isEmpty()) {
        log.v(2, "item doesn't have an owner, continue on next item", "item", item.identity);
        done.accept(Result.OK);
        return;
      }
      classifyReferences(item, refs, c -> decide(item, latest, type.get(), c, done));
    });
  }

  private record Classified(List<OwnerReference> solid, List<OwnerReference> dangling,
      List<OwnerReference> waiting, Result error) {}

  private void classifyReferences(Node item, List<OwnerReference> refs, Consumer<Classified> then) {
    List<OwnerReference> solid = new ArrayList<>();
    List<OwnerReference> dangling = new ArrayList<>();
    List<OwnerReference> waiting = new ArrayList<>();
    Result[] error = {null};
    int[] left = {refs.size()};
    Runnable one = () -> {
      if (--left[0] == 0) {
        // Keep the references in the order the object lists them.
        solid.sort((a, b) -> Integer.compare(refs.indexOf(a), refs.indexOf(b)));
        dangling.sort((a, b) -> Integer.compare(refs.indexOf(a), refs.indexOf(b)));
        waiting.sort((a, b) -> Integer.compare(refs.indexOf(a), refs.indexOf(b)));
        then.accept(new Classified(solid, dangling, waiting, error[0]));
      }
    };
    for (OwnerReference ref : refs) {
      Identity coordinates = new Identity(ref.getApiVersion(), ref.getKind(), ref.getName(), null, ref.getUid());
      Identity namespaced = new Identity(ref.getApiVersion(), ref.getKind(), ref.getName(),
          item.identity.namespace(), ref.getUid());
      if (absentOwners.containsKey(coordinates) || absentOwners.containsKey(namespaced)) {
        dangling.add(ref);
        one.run();
        continue;
      }
      Optional<ResourceType> ownerType = typeOf(ref.getApiVersion(), ref.getKind());
      if (ownerType.isEmpty()) {
        error[0] = Result.REQUEUE;
        one.run();
        continue;
      }
      if ((item.identity.namespace() == null || item.identity.namespace().isEmpty()) && ownerType.get().namespaced()) {
        log.v(2, "item is cluster-scoped, but refers to a namespaced owner", "item", item.identity, "owner", ref);
        if (error[0] == null) {
          error[0] = Result.FORGET;
        }
        one.run();
        continue;
      }
      Identity absentKey = ownerType.get().namespaced() ? namespaced : coordinates;
      String ns = ownerType.get().namespaced() ? item.identity.namespace() : null;
      client.get(ownerType.get(), ns, ref.getName(), r -> {
        if (r instanceof Api.Failed f) {
          if (f.code() == 404) {
            absentOwners.put(absentKey, true);
            log.v(5, "item's owner is not found", "item", item.identity, "owner", ref);
            dangling.add(ref);
          } else {
            error[0] = Result.REQUEUE;
          }
        } else {
          HasMetadata owner = ((Api.Ok) r).object();
          if (!Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
            log.v(5, "item's owner is not found, UID mismatch", "item", item.identity, "owner", ref);
            absentOwners.put(absentKey, true);
            dangling.add(ref);
          } else if (beingDeleted(owner) && hasFinalizer(owner, FOREGROUND)) {
            waiting.add(ref);
          } else {
            solid.add(ref);
          }
        }
        one.run();
      });
    }
  }

  private void decide(Node item, HasMetadata latest, ResourceType type, Classified c, Consumer<Result> done) {
    if (c.error() != null) {
      done.accept(c.error());
      return;
    }
    if (!c.solid().isEmpty()) {
      log.v(2, "item has at least one existing owner, will not garbage collect", "item", item.identity, "owner",
          refs(c.solid()));
      if (c.dangling().isEmpty() && c.waiting().isEmpty()) {
        done.accept(Result.OK);
        return;
      }
      log.v(2, "remove dangling references and waiting references for item", "item", item.identity, "dangling",
          refs(c.dangling()), "waitingForDependentsDeletion", refs(c.waiting()));
      List<String> uids = new ArrayList<>();
      for (OwnerReference r : c.dangling()) {
        uids.add(r.getUid());
      }
      for (OwnerReference r : c.waiting()) {
        uids.add(r.getUid());
      }
      client.patch(type, latest.getMetadata().getNamespace(), latest.getMetadata().getName(),
          PatchType.STRATEGIC_MERGE_PATCH, Owners.releasePatch(item.identity.uid(), uids),
          r -> done.accept(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404) ? Result.OK
              : Result.REQUEUE));
      return;
    }
    if (!c.waiting().isEmpty() && !item.dependents.isEmpty()) {
      for (Node dep : item.dependents.values()) {
        if (dep.deletingDependents) {
          // A possible cycle: make this item's references non-blocking before deleting it in the foreground.
          log.v(2, "processing item, some of its owners and its dependent have FinalizerDeletingDependents, to "
              + "prevent potential cycle, its ownerReferences are going to be modified to be non-blocking, then "
              + "the item is going to be deleted with Foreground", "item", item.identity, "dependent", dep.identity);
          unblockOwnerReferences(item, latest, type, ok -> {
            if (!ok) {
              done.accept(Result.REQUEUE);
              return;
            }
            deleteObject(item, type, "Foreground", done);
          });
          return;
        }
      }
      log.v(2, "at least one owner of item has FinalizerDeletingDependents, and the item itself has dependents, "
          + "so it is going to be deleted in Foreground", "item", item.identity);
      deleteObject(item, type, "Foreground", done);
      return;
    }
    String policy = hasFinalizer(latest, ORPHAN) ? "Orphan" : hasFinalizer(latest, FOREGROUND) ? "Foreground"
        : "Background";
    log.v(2, "Deleting item", "item", item.identity, "propagationPolicy", policy);
    deleteObject(item, type, policy, done);
  }

  private static String refs(List<OwnerReference> refs) {
    StringBuilder sb = new StringBuilder("[");
    for (OwnerReference r : refs) {
      if (sb.length() > 1) {
        sb.append(' ');
      }
      sb.append('{').append(r.getApiVersion()).append(' ').append(r.getKind()).append(' ').append(r.getName())
          .append(' ').append(r.getUid()).append('}');
    }
    return sb.append(']').toString();
  }

  private void deleteObject(Node item, ResourceType type, String policy, Consumer<Result> done) {
    DeleteOptions o = new DeleteOptionsBuilder().withPropagationPolicy(policy).withNewPreconditions()
        .withUid(item.identity.uid()).endPreconditions().build();
    String ns = type.namespaced() ? item.identity.namespace() : null;
    client.delete(type, ns, item.identity.name(), o, r -> {
      if (r instanceof Api.Ok || (r instanceof Api.Failed f && (f.code() == 404 || f.code() == 409))) {
        done.accept(Result.OK);
      } else {
        done.accept(Result.REQUEUE);
      }
    });
  }

  /** unblockOwnerReferencesStrategicMergePatch: blockOwnerDeletion false on every blocking reference. */
  private void unblockOwnerReferences(Node item, HasMetadata latest, ResourceType type, Consumer<Boolean> done) {
    List<Map<String, Object>> refs = new ArrayList<>();
    for (OwnerReference r : owners(latest)) {
      if (Boolean.TRUE.equals(r.getBlockOwnerDeletion())) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", r.getUid());
        m.put("blockOwnerDeletion", false);
        refs.add(m);
      }
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("ownerReferences", refs);
    meta.put("uid", item.identity.uid());
    client.patch(type, latest.getMetadata().getNamespace(), latest.getMetadata().getName(),
        PatchType.STRATEGIC_MERGE_PATCH, Json.write(Map.of("metadata", meta)), r -> done.accept(r instanceof Api.Ok));
  }

  /** processDeletingDependentsItem: remove the finalizer when nothing blocks, else push the blockers. */
  private void processDeletingDependentsItem(Node item, Consumer<Result> done) {
    List<Node> blocking = item.blockingDependents();
    if (blocking.isEmpty()) {
      log.v(2, "remove DeleteDependents finalizer for item", "item", item.identity);
      removeFinalizer(item, FOREGROUND, ok -> done.accept(ok ? Result.OK : Result.REQUEUE));
      return;
    }
    for (Node dep : blocking) {
      if (!dep.deletingDependents) {
        log.v(2, "adding dependent to attemptToDelete, because its owner is deletingDependents", "item",
            item.identity, "dependent", dep.identity);
        attemptToDelete.add(dep.identity.uid());
      }
    }
    done.accept(Result.OK);
  }

  /** removeFinalizer: read, drop the finalizer, merge-patch the list with the read version; retried on conflict. */
  private void removeFinalizer(Node item, String finalizer, Consumer<Boolean> done) {
    removeFinalizer(item, finalizer, done, 0);
  }

  private void removeFinalizer(Node item, String finalizer, Consumer<Boolean> done, int attempt) {
    Optional<ResourceType> type = typeOf(item.identity.apiVersion(), item.identity.kind());
    if (type.isEmpty()) {
      done.accept(false);
      return;
    }
    String ns = type.get().namespaced() ? item.identity.namespace() : null;
    client.get(type.get(), ns, item.identity.name(), r -> {
      if (r instanceof Api.Failed f) {
        done.accept(f.code() == 404);
        return;
      }
      HasMetadata o = ((Api.Ok) r).object();
      if (!Objects.equals(o.getMetadata().getUid(), item.identity.uid()) || !hasFinalizer(o, finalizer)) {
        done.accept(true);
        return;
      }
      List<String> rest = new ArrayList<>(o.getMetadata().getFinalizers());
      rest.removeIf(finalizer::equals);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("resourceVersion", o.getMetadata().getResourceVersion());
      meta.put("finalizers", rest);
      client.patch(type.get(), ns, item.identity.name(), PatchType.MERGE_PATCH, Json.write(Map.of("metadata", meta)),
          p -> {
            if (p instanceof Api.Ok || (p instanceof Api.Failed f && f.code() == 404)) {
              done.accept(true);
            } else if (p instanceof Api.Failed f && f.code() == 409 && attempt < 5) {
              removeFinalizer(item, finalizer, done, attempt + 1);
            } else {
              done.accept(false);
            }
          });
    });
  }

  // ---------------------------------------------------------------- attemptToOrphan

  private void attemptToOrphanWorker(String uid, WorkQueue.Done done) {
    Node owner = uidToNode.get(uid);
    if (owner == null) {
      done.done(true);
      return;
    }
    List<Node> dependents = new ArrayList<>(owner.dependents.values());
    int[] left = {dependents.size()};
    boolean[] failed = {false};
    Runnable finish = () -> {
      if (failed[0]) {
        log.error("orphanDependents failed", "owner", owner.identity);
        done.done(false);
        return;
      }
      log.v(5, "successfully updated all dependents", "owner", owner.identity);
      removeFinalizer(owner, ORPHAN, ok -> {
        if (!ok) {
          log.error("removeOrphanFinalizer failed", "owner", owner.identity);
        }
        done.done(ok);
      });
    };
    if (dependents.isEmpty()) {
      finish.run();
      return;
    }
    for (Node dep : dependents) {
      Optional<ResourceType> type = typeOf(dep.identity.apiVersion(), dep.identity.kind());
      if (type.isEmpty()) {
        failed[0] = true;
        if (--left[0] == 0) {
          finish.run();
        }
        continue;
      }
      String ns = type.get().namespaced() ? dep.identity.namespace() : null;
      client.patch(type.get(), ns, dep.identity.name(), PatchType.STRATEGIC_MERGE_PATCH,
          Owners.releasePatch(dep.identity.uid(), List.of(uid)), r -> {
            if (r instanceof Api.Failed f && f.code() != 404) {
              failed[0] = true;
            }
            if (--left[0] == 0) {
              finish.run();
            }
          });
    }
  }
}
