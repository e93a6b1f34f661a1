package io.kubesim.controlplane.controller.deployment;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.Claims;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Deployment controller (pkg/controller/deployment): owns ReplicaSets named
 * {@code <deployment>-<pod-template-hash>}, rolls a changed template out with RollingUpdate
 * (within maxSurge and maxUnavailable) or Recreate, scales proportionally during a rollout, keeps
 * revisionHistoryLimit old ReplicaSets, and reports replicas, updatedReplicas, readyReplicas,
 * availableReplicas, unavailableReplicas, observedGeneration and the Available and Progressing
 * conditions, so that {@code kubectl rollout status} can follow it.
 */
public final class DeploymentController extends AbstractBehavior<DeploymentController.Command> {

  public static final String COMPONENT = "deployment-controller";
  public static final String LOG_NAME = "deployment";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new DeploymentController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<Deployment> deployments;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Pod> pods;
  private final CacheIndex<Pod> podsByOwner = CacheIndex.single(p -> {
    OwnerReference ref = Owners.controllerOf(p);
    return ref == null ? null : ref.getUid();
  });
  private final WorkQueue<Command> queue;
  /** The newest version of each ReplicaSet this controller wrote, for its next write in the same sync. */
  private final Map<String, String> writtenVersions = new HashMap<>();

  private DeploymentController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("deployment", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentDeploymentSyncs());
    InformerSet informers = new InformerSet(client);
    this.deployments = informers.add(Resources.DEPLOYMENTS, Deployment.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Deployment d) {
        log.v(4, "Adding deployment", "deployment", Informer.key(d));
        queue.add(Informer.key(d));
      }

      @Override
      public void onUpdate(Deployment old, Deployment d) {
        log.v(4, "Updating deployment", "deployment", Informer.key(d));
        queue.add(Informer.key(d));
      }

      @Override
      public void onDelete(Deployment d) {
        log.v(4, "Deleting deployment", "deployment", Informer.key(d));
        queue.add(Informer.key(d));
      }
    });
    this.replicaSets = informers.add(Resources.REPLICASETS, ReplicaSet.class, new Informer.Handler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        addReplicaSet(rs);
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        updateReplicaSet(old, rs);
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
        if (d != null) {
          log.v(4, "ReplicaSet deleted", "replicaSet", Informer.key(rs));
          queue.add(Informer.key(d));
        }
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podsByOwner.add(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podsByOwner.update(old, p);
      }

      @Override
      public void onDelete(Pod p) {
        podsByOwner.remove(p);
        deletePod(p);
      }
    });
    log.info("Starting controller", "controller", "deployment");
    informers.start(() -> queue.start(this::syncDeployment));
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

  // ---------------------------------------------------------------- event handlers

  private Deployment resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !"Deployment".equals(ref.getKind())) {
      return null;
    }
    Deployment d = deployments.get(ns, ref.getName());
    return d != null && Objects.equals(d.getMetadata().getUid(), ref.getUid()) ? d : null;
  }

  /** getDeploymentsForReplicaSet: the deployments whose selector matches an orphan ReplicaSet. */
  private List<Deployment> deploymentsSelecting(ReplicaSet rs) {
    List<Deployment> out = new ArrayList<>();
    for (Deployment d : deployments.list(rs.getMetadata().getNamespace())) {
      try {
        LabelSelector sel = LabelSelector.from(d.getSpec().getSelector());
        if (!sel.isEmpty() && sel.matches(rs.getMetadata().getLabels())) {
          out.add(d);
        }
      } catch (SelectorParseException e) {
        // An invalid selector selects nothing.
      }
    }
    return out;
  }

  private void addReplicaSet(ReplicaSet rs) {
    if (rs.getMetadata().getDeletionTimestamp() != null) {
      Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
      if (d != null) {
        queue.add(Informer.key(d));
      }
      return;
    }
    OwnerReference ref = Owners.controllerOf(rs);
    if (ref != null) {
      Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), ref);
      if (d != null) {
        log.v(4, "ReplicaSet added", "replicaSet", Informer.key(rs));
        queue.add(Informer.key(d));
      }
      return;
    }
    List<Deployment> ds = deploymentsSelecting(rs);
    if (!ds.isEmpty()) {
      log.v(4, "Orphan ReplicaSet added", "replicaSet", Informer.key(rs));
    }
    for (Deployment d : ds) {
      queue.add(Informer.key(d));
    }
  }

  private void updateReplicaSet(ReplicaSet old, ReplicaSet rs) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
      return;
    }
    OwnerReference curRef = Owners.controllerOf(rs);
    OwnerReference oldRef = Owners.controllerOf(old);
    boolean refChanged = !Objects.equals(curRef, oldRef);
    if (refChanged && oldRef != null) {
      Deployment d = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
      if (d != null) {
        queue.add(Informer.key(d));
      }
    }
    if (curRef != null) {
      Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), curRef);
      if (d != null) {
        log.v(4, "ReplicaSet updated", "replicaSet", Informer.key(rs));
        queue.add(Informer.key(d));
      }
      return;
    }
    boolean labelChanged = !Objects.equals(old.getMetadata().getLabels(), rs.getMetadata().getLabels());
    if (labelChanged || refChanged) {
      for (Deployment d : deploymentsSelecting(rs)) {
        queue.add(Informer.key(d));
      }
    }
  }

  /** deletePod: a Recreate deployment waits for its old pods to be gone, so each deletion may unblock it. */
  private void deletePod(Pod p) {
    OwnerReference ref = Owners.controllerOf(p);
    if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
      return;
    }
    ReplicaSet rs = replicaSets.get(p.getMetadata().getNamespace(), ref.getName());
    if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
      return;
    }
    Deployment d = resolveControllerRef(rs.getMetadata().getNamespace(), Owners.controllerOf(rs));
    if (d == null || d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType())) {
      return;
    }
    log.v(4, "Pod deleted", "pod", Informer.key(p));
    int remaining = 0;
    for (List<Pod> l : podMap(d, ownedReplicaSets(d)).values()) {
      remaining += l.size();
    }
    if (remaining == 0) {
      queue.add(Informer.key(d));
    }
  }

  private List<ReplicaSet> ownedReplicaSets(Deployment d) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : replicaSets.list(d.getMetadata().getNamespace())) {
      OwnerReference ref = Owners.controllerOf(rs);
      if (ref != null && Objects.equals(ref.getUid(), d.getMetadata().getUid())) {
        out.add(rs);
      }
    }
    return out;
  }

  /** getPodMapForDeployment: its pods (inactive ones too) by the uid of their ReplicaSet. */
  private Map<String, List<Pod>> podMap(Deployment d, List<ReplicaSet> rsList) {
    LabelSelector sel;
    try {
      sel = LabelSelector.from(d.getSpec().getSelector());
    } catch (SelectorParseException e) {
      return Map.of();
    }
    Map<String, List<Pod>> out = new LinkedHashMap<>();
    for (ReplicaSet rs : rsList) {
      List<Pod> l = new ArrayList<>();
      for (Pod p : podsByOwner.list(rs.getMetadata().getUid(), pods)) {
        if (sel.matches(p.getMetadata().getLabels())) {
          l.add(p);
        }
      }
      out.put(rs.getMetadata().getUid(), l);
    }
    return out;
  }

  // ---------------------------------------------------------------- sync

  private void syncDeployment(String key, WorkQueue.Done done) {
    log.v(4, "Started syncing deployment", "deployment", key);
    Deployment cached = deployments.get(key);
    if (cached == null) {
      log.v(2, "Deployment has been deleted", "deployment", key);
      done.done(true);
      return;
    }
    Deployment d = new DeploymentBuilder(cached).build();
    var selector = d.getSpec().getSelector();
    if (selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()))) {
      recorder.event(d, EventRecorder.WARNING, "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      long gen = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
      long observed = d.getStatus() == null || d.getStatus().getObservedGeneration() == null ? 0
          : d.getStatus().getObservedGeneration();
      if (observed < gen) {
        d.setStatus(d.getStatus() == null ? new io.fabric8.kubernetes.api.model.apps.DeploymentStatus() : d.getStatus());
        d.getStatus().setObservedGeneration(gen);
        client.updateStatus(d, r -> done.done(true));
      } else {
        done.done(true);
      }
      return;
    }
    LabelSelector sel;
    try {
      sel = LabelSelector.from(selector);
    } catch (SelectorParseException e) {
      done.done(false);
      return;
    }
    List<ReplicaSet> candidates = new ArrayList<>(replicaSets.list(d.getMetadata().getNamespace()));
    Claims.claim(client, log, d, Resources.DEPLOYMENTS, sel, Resources.REPLICASETS, candidates, (claimed, failed) -> {
      if (failed) {
        done.done(false);
        return;
      }
      List<ReplicaSet> copies = new ArrayList<>();
      for (ReplicaSet rs : claimed) {
        copies.add(new ReplicaSetBuilder(rs).build());
      }
      Map<String, List<Pod>> podMap = podMap(d, claimed);
      List<DeploymentSync.Action> actions = new DeploymentSync(d, copies, podMap, cc.clock().now(), log).plan();
      execute(key, cached, actions, 0, ok -> {
        log.v(4, "Finished syncing deployment", "deployment", key);
        done.done(ok);
      });
    });
  }

  /** Performs the planned actions in order, stopping at the first failure. */
  private void execute(String key, Deployment cached, List<DeploymentSync.Action> actions, int i,
      Consumer<Boolean> done) {
    if (i == actions.size()) {
      done.accept(true);
      return;
    }
    DeploymentSync.Action a = actions.get(i);
    Consumer<Boolean> next = ok -> {
      if (ok) {
        execute(key, cached, actions, i + 1, done);
      } else {
        done.accept(false);
      }
    };
    if (a instanceof DeploymentSync.UpdateReplicaSet u) {
      ReplicaSet rs = u.rs();
      String rsKey = Informer.key(rs);
      String rv = writtenVersions.get(rsKey + "@" + rs.getMetadata().getUid());
      String cachedRv = rs.getMetadata().getResourceVersion();
      if (rv != null && (cachedRv == null || Long.parseLong(rv) > Long.parseLong(cachedRv))) {
        rs.getMetadata().setResourceVersion(rv);
      }
      client.update(rs, r -> {
        if (r instanceof Api.Ok ok) {
          rememberVersion((ReplicaSet) ok.object());
          if (u.event() != null) {
            recorder.event(cached, EventRecorder.NORMAL, "ScalingReplicaSet", u.event());
          }
          next.accept(true);
        } else {
          log.v(2, "Failed to update replica set", "replicaSet", rsKey, "err", ((Api.Failed) r).message());
          next.accept(false);
        }
      });
    } else if (a instanceof DeploymentSync.CreateReplicaSet c) {
      createReplicaSet(cached, c, next);
    } else if (a instanceof DeploymentSync.UpdateStatus s) {
      Deployment d = s.d();
      d.getMetadata().setResourceVersion(cached.getMetadata().getResourceVersion());
      client.updateStatus(d, r -> {
        if (r instanceof Api.Failed f) {
          log.v(4, "Failed to update deployment status", "deployment", key, "err", f.message());
        }
        next.accept(r instanceof Api.Ok);
      });
    } else if (a instanceof DeploymentSync.DeleteReplicaSet del) {
      ReplicaSet rs = del.rs();
      client.delete(Resources.REPLICASETS, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), null,
          r -> next.accept(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
    } else if (a instanceof DeploymentSync.RecordEvent e) {
      recorder.event(cached, e.type(), e.reason(), e.message());
      next.accept(true);
    } else if (a instanceof DeploymentSync.RequeueAfter r) {
      queue.addAfter(key, r.after());
      next.accept(true);
    } else if (a instanceof DeploymentSync.RequeueRateLimited) {
      queue.addRateLimited(key);
      next.accept(true);
    } else {
      throw new IllegalStateException("unknown action " + a);
    }
  }

  private void rememberVersion(ReplicaSet rs) {
    writtenVersions.put(Informer.key(rs) + "@" + rs.getMetadata().getUid(), rs.getMetadata().getResourceVersion());
    if (writtenVersions.size() > 10_000) {
      writtenVersions.clear();
    }
  }

  /**
   * The create in getNewReplicaSet: the event on success; on AlreadyExists, a hash collision (the
   * existing ReplicaSet is not this deployment's, or has another template) bumps collisionCount;
   * any other failure sets Progressing=False with ReplicaSetCreateError and a Warning event.
   */
  private void createReplicaSet(Deployment cached, DeploymentSync.CreateReplicaSet c, Consumer<Boolean> next) {
    ReplicaSet rs = c.rs();
    String name = rs.getMetadata().getName();
    client.create(rs, r -> {
      if (r instanceof Api.Ok ok) {
        rememberVersion((ReplicaSet) ok.object());
        if (c.replicas() > 0) {
          recorder.event(cached, EventRecorder.NORMAL, "ScalingReplicaSet",
              "Scaled up replica set " + name + " from 0 to " + c.replicas());
        }
        next.accept(true);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.code() == 409) {
        ReplicaSet existing = replicaSets.get(cached.getMetadata().getNamespace(), name);
        OwnerReference ref = existing == null ? null : Owners.controllerOf(existing);
        boolean ours = existing != null && ref != null && Objects.equals(ref.getUid(), cached.getMetadata().getUid())
            && DeploymentUtil.equalIgnoreHash(cached.getSpec().getTemplate(), existing.getSpec().getTemplate());
        if (existing == null || ours) {
          // A slow cache: the next sync finds it as the new ReplicaSet.
          next.accept(false);
          return;
        }
        Deployment bumped = new DeploymentBuilder(cached).build();
        if (bumped.getStatus() == null) {
          bumped.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
        }
        int pre = bumped.getStatus().getCollisionCount() == null ? 0 : bumped.getStatus().getCollisionCount();
        bumped.getStatus().setCollisionCount(pre + 1);
        client.updateStatus(bumped, u -> {
          if (u instanceof Api.Ok) {
            log.v(2, "Found a hash collision for deployment - bumping collisionCount to resolve it", "deployment",
                Informer.key(cached), "oldCollisionCount", pre, "newCollisionCount", pre + 1);
          }
          next.accept(false);
        });
        return;
      }
      if (f.message() != null && f.message().contains("because it is being terminated")) {
        next.accept(false);
        return;
      }
      String msg = "Failed to create new replica set \"" + name + "\": " + f.message();
      Deployment failed = new DeploymentBuilder(cached).build();
      if (DeploymentUtil.hasProgressDeadline(failed)) {
        if (failed.getStatus() == null) {
          failed.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
        }
        DeploymentUtil.setCondition(failed.getStatus(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "False",
            DeploymentUtil.FAILED_RS_CREATE, msg, cc.clock().now()));
        client.updateStatus(failed, u -> { });
      }
      recorder.event(cached, EventRecorder.WARNING, DeploymentUtil.FAILED_RS_CREATE, msg);
      next.accept(false);
    });
  }
}
