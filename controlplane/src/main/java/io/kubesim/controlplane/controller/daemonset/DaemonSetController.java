package io.kubesim.controlplane.controller.daemonset;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.Claims;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Expectations;
import io.kubesim.controlplane.controller.History;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.controller.deployment.PodTemplateHash;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod on every node that should run one.
 * A node should when the pod's nodeSelector and required node affinity match it and it has no
 * NoSchedule or NoExecute taint the pod does not tolerate, with the tolerations every daemon pod
 * gets ({@link DaemonPods#addDaemonTolerations}); a pod stays on a node whose new NoSchedule taint
 * it does not tolerate, and goes when a NoExecute one arrives or the node stops matching. Pods are
 * created without a node and pinned to theirs by a {@code matchFields metadata.name} node affinity
 * term, for the default scheduler to bind. Each template is kept as a ControllerRevision named
 * {@code <ds>-<hash>}; pods carry its hash ({@code controller-revision-hash}) and the template
 * generation ({@code pod-template-generation}). RollingUpdate replaces out-of-date pods within
 * maxUnavailable, or with maxSurge starts the new pod first. Failed daemon pods are deleted (and so
 * recreated) with a per-node backoff of 1 s doubling to 15 min.
 */
public final class DaemonSetController extends AbstractBehavior<DaemonSetController.Command> {

  public static final String COMPONENT = "daemonset-controller";
  public static final String LOG_NAME = "daemonset";
  private static final String KIND = "DaemonSet";
  /** StatusUpdateRetries. */
  private static final int STATUS_UPDATE_RETRIES = 1;
  /** The controller's BurstReplicas (pkg/controller/daemon: 250). */
  static final int BURST_REPLICAS = 250;
  /** failedPodsBackoff: flowcontrol.NewBackOff(1s, 15m) (cmd/kube-controller-manager/app/apps.go). */
  static final Duration FAILED_POD_BACKOFF = Duration.ofSeconds(1);
  static final Duration FAILED_POD_BACKOFF_MAX = Duration.ofMinutes(15);

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new DaemonSetController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<DaemonSet> daemonSets;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final Informer<ControllerRevision> revisions;
  private final CacheIndex<Pod> podsByOwner = CacheIndex.single(p -> {
    OwnerReference ref = Owners.controllerOf(p);
    return ref != null ? ref.getUid() : "orphan/" + p.getMetadata().getNamespace();
  });
  private final CacheIndex<ControllerRevision> revisionsByOwner = CacheIndex.single(r -> {
    OwnerReference ref = Owners.controllerOf(r);
    return ref != null ? ref.getUid() : "orphan/" + r.getMetadata().getNamespace();
  });
  private final WorkQueue<Command> queue;
  private final Expectations expectations;
  private final FailedPodsBackoff failedPodsBackoff = new FailedPodsBackoff(FAILED_POD_BACKOFF,
      FAILED_POD_BACKOFF_MAX);

  private DaemonSetController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.expectations = new Expectations(cc.clock());
    this.queue = new WorkQueue<>("daemonset", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentDaemonSetSyncs());
    InformerSet informers = new InformerSet(client);
    this.daemonSets = informers.add(Resources.DAEMONSETS, DaemonSet.class, new Informer.Handler<>() {
      @Override
      public void onAdd(DaemonSet ds) {
        log.v(4, "Adding daemon set", "daemonset", Informer.key(ds));
        queue.add(Informer.key(ds));
      }

      @Override
      public void onUpdate(DaemonSet old, DaemonSet ds) {
        if (!Objects.equals(old.getMetadata().getUid(), ds.getMetadata().getUid())) {
          expectations.delete(Informer.key(old));
        }
        log.v(4, "Updating daemon set", "daemonset", Informer.key(ds));
        queue.add(Informer.key(ds));
      }

      @Override
      public void onDelete(DaemonSet ds) {
        log.v(4, "Deleting daemon set", "daemonset", Informer.key(ds));
        expectations.delete(Informer.key(ds));
        queue.add(Informer.key(ds));
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
    this.nodes = informers.add(Resources.NODES, Node.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Node n) {
        addNode(n);
      }

      @Override
      public void onUpdate(Node old, Node n) {
        updateNode(old, n);
      }
    });
    this.revisions = informers.add(Resources.CONTROLLERREVISIONS, ControllerRevision.class,
        new Informer.Handler<>() {
          @Override
          public void onAdd(ControllerRevision r) {
            revisionsByOwner.add(r);
            revisionChanged(r);
          }

          @Override
          public void onUpdate(ControllerRevision old, ControllerRevision r) {
            revisionsByOwner.update(old, r);
            revisionChanged(r);
          }

          @Override
          public void onDelete(ControllerRevision r) {
            revisionsByOwner.remove(r);
            revisionChanged(r);
          }
        });
    log.info("Starting daemon sets controller");
    informers.start(() -> queue.start(this::syncDaemonSet));
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

  private DaemonSet resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !KIND.equals(ref.getKind())) {
      return null;
    }
    DaemonSet ds = daemonSets.get(ns, ref.getName());
    return ds != null && Objects.equals(ds.getMetadata().getUid(), ref.getUid()) ? ds : null;
  }

  /** getDaemonSetsForPod: the DaemonSets of the pod's namespace whose selector matches it. */
  private List<DaemonSet> daemonSetsSelecting(ObjectMeta meta) {
    List<DaemonSet> out = new ArrayList<>();
    for (DaemonSet ds : daemonSets.list(meta.getNamespace())) {
      LabelSelector sel = selector(ds);
      if (sel != null && !sel.isEmpty() && sel.matches(meta.getLabels())) {
        out.add(ds);
      }
    }
    return out;
  }

  private static LabelSelector selector(DaemonSet ds) {
    try {
      return LabelSelector.from(ds.getSpec().getSelector());
    } catch (SelectorParseException e) {
      return null;
    }
  }

  private void addPod(Pod p) {
    if (Pods.terminating(p)) {
      deletePod(p);
      return;
    }
    OwnerReference ref = Owners.controllerOf(p);
    if (ref != null) {
      DaemonSet ds = resolveControllerRef(p.getMetadata().getNamespace(), ref);
      if (ds == null) {
        return;
      }
      log.v(4, "Pod added", "pod", Informer.key(p));
      expectations.creationObserved(Informer.key(ds));
      queue.add(Informer.key(ds));
      return;
    }
    for (DaemonSet ds : daemonSetsSelecting(p.getMetadata())) {
      queue.add(Informer.key(ds));
    }
  }

  private void updatePod(Pod old, Pod p) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
      return;
    }
    if (Pods.terminating(p)) {
      deletePod(p);
      return;
    }
    OwnerReference curRef = Owners.controllerOf(p);
    OwnerReference oldRef = Owners.controllerOf(old);
    boolean refChanged = !Objects.equals(curRef, oldRef);
    if (refChanged && oldRef != null) {
      DaemonSet ds = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
      if (ds != null) {
        queue.add(Informer.key(ds));
      }
    }
    if (curRef != null) {
      DaemonSet ds = resolveControllerRef(p.getMetadata().getNamespace(), curRef);
      if (ds == null) {
        return;
      }
      log.v(4, "Pod updated", "pod", Informer.key(p));
      queue.add(Informer.key(ds));
      int minReady = minReadySeconds(ds);
      if (!Pods.isReady(old) && Pods.isReady(p) && minReady > 0) {
        // One second more, against clock skew (kubernetes#39785).
        queue.addAfter(Informer.key(ds), Duration.ofSeconds(minReady + 1L));
      }
      return;
    }
    boolean labelChanged = !Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels());
    if (labelChanged || refChanged) {
      for (DaemonSet ds : daemonSetsSelecting(p.getMetadata())) {
        queue.add(Informer.key(ds));
      }
    }
  }

  private void deletePod(Pod p) {
    DaemonSet ds = resolveControllerRef(p.getMetadata().getNamespace(), Owners.controllerOf(p));
    if (ds == null) {
      return;
    }
    log.v(4, "Pod deleted", "pod", Informer.key(p));
    expectations.deletionObserved(Informer.key(ds), Informer.key(p));
    queue.add(Informer.key(ds));
  }

  private void addNode(Node n) {
    for (DaemonSet ds : daemonSets.list()) {
      if (DaemonPods.nodeShouldRunDaemonPod(n, ds).shouldRun()) {
        queue.add(Informer.key(ds));
      }
    }
  }

  /** updateNode: wakes the DaemonSets whose decision for the node changed (labels, taints, spec). */
  private void updateNode(Node old, Node n) {
    if (Objects.equals(old.getMetadata().getLabels(), n.getMetadata().getLabels())
        && Objects.equals(old.getSpec(), n.getSpec())) {
      return;
    }
    for (DaemonSet ds : daemonSets.list()) {
      if (!DaemonPods.nodeShouldRunDaemonPod(old, ds).equals(DaemonPods.nodeShouldRunDaemonPod(n, ds))) {
        queue.add(Informer.key(ds));
      }
    }
  }

  private void revisionChanged(ControllerRevision r) {
    OwnerReference ref = Owners.controllerOf(r);
    if (ref != null) {
      DaemonSet ds = resolveControllerRef(r.getMetadata().getNamespace(), ref);
      if (ds != null) {
        queue.add(Informer.key(ds));
      }
      return;
    }
    for (DaemonSet ds : daemonSetsSelecting(r.getMetadata())) {
      queue.add(Informer.key(ds));
    }
  }

  private static int minReadySeconds(DaemonSet ds) {
    return ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
  }

  // ---------------------------------------------------------------- sync

  private void syncDaemonSet(String key, WorkQueue.Done done) {
    DaemonSet ds = daemonSets.get(key);
    if (ds == null) {
      log.v(3, "Daemon set has been deleted", "daemonset", key);
      expectations.delete(key);
      done.done(true);
      return;
    }
    LabelSelector selector = selector(ds);
    if (selector == null || selector.isEmpty()) {
      recorder.event(ds, EventRecorder.WARNING, "SelectingAll",
          "This daemon set is selecting all pods. A non-empty selector is required.");
      done.done(true);
      return;
    }
    if (ds.getMetadata().getDeletionTimestamp() != null) {
      done.done(true);
      return;
    }
    List<Node> nodeList = new ArrayList<>(nodes.list());
    constructHistory(ds, selector, (cur, old) -> {
      if (cur == null) {
        done.done(false);
        return;
      }
      String hash = cur.getMetadata().getLabels() == null ? null
          : cur.getMetadata().getLabels().get(DaemonPods.HASH_LABEL);
      if (!expectations.satisfied(key)) {
        // Only the status: the generation was not acted on.
        updateStatus(ds, hash, false, ok -> done.done(ok));
        return;
      }
      claimPods(ds, selector, (claimed, claimError) -> {
        if (claimError) {
          done.done(false);
          return;
        }
        manage(ds, nodeList, hash, claimed, manageError -> {
          Consumer<String> afterUpdate = err -> cleanupHistory(ds, old, cleanupOk -> updateStatus(ds, hash, true,
              statusOk -> done.done(err == null && cleanupOk && statusOk)));
          if (manageError != null) {
            updateStatus(ds, hash, true, statusOk -> done.done(false));
            return;
          }
          if (expectations.satisfied(key) && isRollingUpdate(ds)) {
            RollingUpdate.Plan plan = RollingUpdate.plan(ds, nodeList, nodeToDaemonPods(ownedPods(ds), false), hash,
                now());
            syncNodes(ds, plan.podsToDelete(), plan.nodesToCreate(), hash, afterUpdate);
          } else {
            afterUpdate.accept(null);
          }
        });
      });
    });
  }

  private static boolean isRollingUpdate(DaemonSet ds) {
    return ds.getSpec().getUpdateStrategy() != null
        && "RollingUpdate".equals(ds.getSpec().getUpdateStrategy().getType());
  }

  /** The pods this DaemonSet controls, from the cache. */
  private List<Pod> ownedPods(DaemonSet ds) {
    return podsByOwner.list(ds.getMetadata().getUid(), pods);
  }

  /** getDaemonPods: claims the namespace's pods that are ours or orphans matching the selector. */
  private void claimPods(DaemonSet ds, LabelSelector selector, BiConsumer<List<Pod>, Boolean> then) {
    List<Pod> candidates = new ArrayList<>(ownedPods(ds));
    candidates.addAll(podsByOwner.list("orphan/" + ds.getMetadata().getNamespace(), pods));
    Claims.claim(client, log, ds, Resources.DAEMONSETS, selector, Resources.PODS, candidates, then);
  }

  /**
   * getNodesToDaemonPods: pods by the node they run on or are pinned to; without
   * {@code includeDeletedTerminal}, terminal pods already being deleted are left out.
   */
  static Map<String, List<Pod>> nodeToDaemonPods(List<Pod> claimed, boolean includeDeletedTerminal) {
    Map<String, List<Pod>> out = new TreeMap<>();
    for (Pod p : claimed) {
      String phase = Pods.phase(p);
      boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
      if (!includeDeletedTerminal && terminal && Pods.terminating(p)) {
        continue;
      }
      String node = DaemonPods.targetNodeName(p);
      if (node == null) {
        continue;
      }
      out.computeIfAbsent(node, n -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /** manage: a pod where one should run and is missing, none where none should, one per node. */
  private void manage(DaemonSet ds, List<Node> nodeList, String hash, List<Pod> claimed, Consumer<String> then) {
    Map<String, List<Pod>> byNode = nodeToDaemonPods(claimed, true);
    List<String> nodesNeeding = new ArrayList<>();
    List<String> podsToDelete = new ArrayList<>();
    Map<String, Boolean> running = new TreeMap<>();
    for (Node node : nodeList) {
      running.put(node.getMetadata().getName(), true);
      podsShouldBeOnNode(ds, node, byNode.get(node.getMetadata().getName()), hash, nodesNeeding, podsToDelete);
    }
    // getUnscheduledPodsWithoutNode: pods pinned to a node that no longer exists and never scheduled.
    for (Map.Entry<String, List<Pod>> e : byNode.entrySet()) {
      if (running.containsKey(e.getKey())) {
        continue;
      }
      for (Pod p : e.getValue()) {
        if (Pods.nodeName(p).isEmpty()) {
          podsToDelete.add(p.getMetadata().getName());
        }
      }
    }
    syncNodes(ds, podsToDelete, nodesNeeding, hash, then);
  }

  private void podsShouldBeOnNode(DaemonSet ds, Node node, List<Pod> daemonPods, String hash,
      List<String> nodesNeeding, List<String> podsToDelete) {
    DaemonPods.Eligibility e = DaemonPods.nodeShouldRunDaemonPod(node, ds);
    boolean exists = daemonPods != null && !daemonPods.isEmpty();
    String nodeName = node.getMetadata().getName();
    if (e.shouldRun() && !exists) {
      nodesNeeding.add(nodeName);
      return;
    }
    if (e.shouldContinueRunning()) {
      if (!exists) {
        return;
      }
      List<Pod> runningPods = new ArrayList<>();
      for (Pod pod : daemonPods) {
        if (Pods.terminating(pod)) {
          continue;
        }
        String phase = Pods.phase(pod);
        if ("Failed".equals(phase)) {
          // The DaemonSet often fights a kubelet that rejects its pods: back off per node.
          String backoffKey = Informer.key(ds) + "/" + nodeName;
          long nowNanos = cc.clock().nanos();
          if (failedPodsBackoff.inBackoff(backoffKey, nowNanos)) {
            Duration delay = failedPodsBackoff.get(backoffKey);
            log.v(4, "Deleting failed pod on node has been limited by backoff", "pod", Informer.key(pod), "node",
                nodeName, "currentDelay", delay);
            queue.addAfter(Informer.key(ds), delay);
            continue;
          }
          failedPodsBackoff.next(backoffKey, nowNanos);
          String msg = "Found failed daemon pod " + Informer.key(pod) + " on node " + nodeName
              + ", will try to kill it";
          log.v(2, "Found failed daemon pod on node, will try to kill it", "pod", Informer.key(pod), "node", nodeName);
          recorder.event(ds, EventRecorder.WARNING, "FailedDaemonPod", msg);
          podsToDelete.add(pod.getMetadata().getName());
        } else if ("Succeeded".equals(phase)) {
          String msg = "Found succeeded daemon pod " + Informer.key(pod) + " on node " + nodeName
              + ", will try to delete it";
          log.v(2, "Found succeeded daemon pod on node, will try to delete it", "pod", Informer.key(pod), "node",
              nodeName);
          recorder.event(ds, EventRecorder.NORMAL, "SucceededDaemonPod", msg);
          podsToDelete.add(pod.getMetadata().getName());
        } else {
          runningPods.add(pod);
        }
      }
      runningPods.sort(DaemonPods.BY_CREATION_AND_PHASE);
      if (!allowsSurge(ds)) {
        // More than one pod on the node: keep the oldest.
        for (int i = 1; i < runningPods.size(); i++) {
          podsToDelete.add(runningPods.get(i).getMetadata().getName());
        }
        return;
      }
      if (runningPods.size() <= 1) {
        if (runningPods.isEmpty() && e.shouldRun()) {
          nodesNeeding.add(nodeName);
        }
        return;
      }
      // With surge, two pods may run only while the new one is not yet available and the old one is ready.
      Pod oldestNew = null;
      Pod oldestOld = null;
      for (Pod pod : runningPods) {
        if (hash != null && pod.getMetadata().getLabels() != null
            && hash.equals(pod.getMetadata().getLabels().get(DaemonPods.HASH_LABEL))) {
          if (oldestNew == null) {
            oldestNew = pod;
            continue;
          }
        } else if (oldestOld == null) {
          oldestOld = pod;
          continue;
        }
        podsToDelete.add(pod.getMetadata().getName());
      }
      if (oldestNew != null && oldestOld != null) {
        if (!Pods.isReady(oldestOld)) {
          podsToDelete.add(oldestOld.getMetadata().getName());
        } else if (Pods.isAvailable(oldestNew, minReadySeconds(ds), now())) {
          podsToDelete.add(oldestOld.getMetadata().getName());
        }
      }
      return;
    }
    if (exists) {
      // The node should not run the pod: delete every daemon pod there.
      for (Pod pod : daemonPods) {
        if (!Pods.terminating(pod)) {
          podsToDelete.add(pod.getMetadata().getName());
        }
      }
    }
  }

  /** util.AllowsSurge: a rolling update with a maxSurge that resolves above zero. */
  private static boolean allowsSurge(DaemonSet ds) {
    if (!isRollingUpdate(ds) || ds.getSpec().getUpdateStrategy().getRollingUpdate() == null
        || ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge() == null) {
      return false;
    }
    try {
      return io.kubesim.controlplane.controller.IntOrPercent.scaled(
          ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge(), 1, true) > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * syncNodes: creates a pod for each node (slow-start batches 1, 2, 4, ..., at most
   * {@value #BURST_REPLICAS}), then deletes the pods named; {@code then} gets the first error.
   */
  private void syncNodes(DaemonSet ds, List<String> podsToDelete, List<String> nodesNeeding, String hash,
      Consumer<String> then) {
    String key = Informer.key(ds);
    int createDiff = Math.min(nodesNeeding.size(), BURST_REPLICAS);
    int deleteDiff = Math.min(podsToDelete.size(), BURST_REPLICAS);
    List<String> deleteKeys = new ArrayList<>();
    for (int i = 0; i < deleteDiff; i++) {
      deleteKeys.add(ds.getMetadata().getNamespace() + "/" + podsToDelete.get(i));
    }
    // Deletions first: expectCreations keeps the deletions it finds.
    expectations.expectDeletions(key, deleteKeys);
    expectations.expectCreations(key, createDiff);
    if (createDiff == 0 && deleteDiff == 0) {
      then.accept(null);
      return;
    }
    log.v(4, "Nodes needing daemon pods for daemon set, creating", "daemonset", key, "needCount", nodesNeeding,
        "createCount", createDiff);
    PodTemplateSpec template = DaemonPods.podTemplate(ds, DaemonPods.templateGeneration(ds), hash);
    String[] firstError = {null};
    createBatches(ds, template, nodesNeeding.subList(0, createDiff), 0, Math.min(createDiff, 1), err -> {
      if (err != null) {
        firstError[0] = err;
      }
      log.v(4, "Pods to delete for daemon set, deleting", "daemonset", key, "toDeleteCount", podsToDelete,
          "deleteCount", deleteDiff);
      Consumer<Boolean> all = WorkQueue.all(deleteDiff, ok -> then.accept(firstError[0]));
      for (int i = 0; i < deleteDiff; i++) {
        String name = podsToDelete.get(i);
        deletePodOf(ds, name, derr -> {
          if (derr != null) {
            expectations.deletionObserved(key, ds.getMetadata().getNamespace() + "/" + name);
            if (!derr.isEmpty() && firstError[0] == null) {
              firstError[0] = derr;
            }
          }
          all.accept(derr == null);
        });
      }
    });
  }

  private void createBatches(DaemonSet ds, PodTemplateSpec template, List<String> nodesToCreate, int pos,
      int batchSize, Consumer<String> then) {
    if (pos >= nodesToCreate.size() || batchSize <= 0) {
      then.accept(null);
      return;
    }
    String key = Informer.key(ds);
    String[] error = {null};
    int[] left = {batchSize};
    for (int i = pos; i < pos + batchSize; i++) {
      String node = nodesToCreate.get(i);
      createPod(ds, template, node, err -> {
        if (err != null) {
          log.v(2, "Failed creation, decrementing expectations for daemon set", "daemonset", key);
          expectations.creationObserved(key);
          if (error[0] == null) {
            error[0] = err;
          }
        }
        if (--left[0] == 0) {
          int next = pos + batchSize;
          int skipped = nodesToCreate.size() - next;
          if (error[0] != null && skipped > 0) {
            log.v(2, "Slow-start failure. Skipping creation pods, decrementing expectations for daemon set",
                "skippedPods", skipped, "daemonset", key);
            for (int s = 0; s < skipped; s++) {
              expectations.creationObserved(key);
            }
            then.accept(error[0]);
            return;
          }
          if (next >= nodesToCreate.size()) {
            then.accept(error[0]);
            return;
          }
          createBatches(ds, template, nodesToCreate, next, Math.min(2 * batchSize, nodesToCreate.size() - next), then);
        }
      });
    }
  }

  /** CreatePods: the template, pinned to the node, named "&lt;ds&gt;-" plus five characters. */
  private void createPod(DaemonSet ds, PodTemplateSpec template, String node, Consumer<String> then) {
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    ObjectMeta tm = template.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels()));
    meta.setAnnotations(tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations()));
    meta.setFinalizers(tm.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(tm.getFinalizers()));
    meta.setGenerateName(ds.getMetadata().getName() + "-");
    meta.setNamespace(ds.getMetadata().getNamespace());
    meta.setOwnerReferences(new ArrayList<>(List.of(Owners.controllerRef(ds))));
    pod.setMetadata(meta);
    pod.setSpec(new PodSpecBuilder(template.getSpec()).build());
    pod.getSpec().setAffinity(DaemonPods.pinToNode(pod.getSpec().getAffinity(), node));
    client.create(pod, r -> {
      if (r instanceof Api.Ok ok) {
        recorder.event(ds, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + ok.object().getMetadata().getName());
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.message() != null && f.message().contains("because it is being terminated")) {
        then.accept(null);
        return;
      }
      recorder.event(ds, EventRecorder.WARNING, "FailedCreate", "Error creating: " + f.message());
      then.accept(f.message());
    });
  }

  /** DeletePod: null on success, "" for a pod already gone, else the error. */
  private void deletePodOf(DaemonSet ds, String name, Consumer<String> then) {
    String ns = ds.getMetadata().getNamespace();
    log.v(2, "Deleting pod", "controller", ds.getMetadata().getName(), "pod", ns + "/" + name);
    client.delete(Resources.PODS, ns, name, null, r -> {
      if (r instanceof Api.Ok) {
        recorder.event(ds, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name);
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.code() == 404) {
        then.accept("");
        return;
      }
      recorder.event(ds, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + f.message());
      then.accept(f.message());
    });
  }

  // ---------------------------------------------------------------- status

  private void updateStatus(DaemonSet ds, String hash, boolean updateObservedGen, Consumer<Boolean> then) {
    Map<String, List<Pod>> byNode = nodeToDaemonPods(ownedPods(ds), false);
    List<Node> nodeList = new ArrayList<>(nodes.list());
    DaemonSetStatuses.Counts c = DaemonSetStatuses.calculate(ds, nodeList, byNode, hash, now());
    Runnable resync = () -> {
      int minReady = minReadySeconds(ds);
      if (minReady > 0 && c.numberReady() != c.numberAvailable()) {
        // Virtual time has no scheduling jitter: exactly minReadySeconds after a whole-second
        // transition a pod is one instant short of available, where a real controller is a little late.
        queue.addAfter(Informer.key(ds), Duration.ofSeconds(minReady).plusMillis(1));
      }
    };
    if (DaemonSetStatuses.unchanged(ds, c)) {
      resync.run();
      then.accept(true);
      return;
    }
    storeStatus(ds, c, updateObservedGen ? ds.getMetadata().getGeneration() : null, 0, ok -> {
      if (ok) {
        resync.run();
      }
      then.accept(ok);
    });
  }

  private void storeStatus(DaemonSet ds, DaemonSetStatuses.Counts c, Long observedGeneration, int attempt,
      Consumer<Boolean> then) {
    DaemonSetStatus status = DaemonSetStatuses.apply(ds.getStatus(), c, observedGeneration);
    DaemonSet copy = new DaemonSetBuilder(ds).withStatus(status).build();
    client.updateStatus(copy, r -> {
      if (r instanceof Api.Ok) {
        then.accept(true);
        return;
      }
      if (attempt >= STATUS_UPDATE_RETRIES) {
        then.accept(false);
        return;
      }
      client.get(Resources.DAEMONSETS, ds.getMetadata().getNamespace(), ds.getMetadata().getName(), g -> {
        if (g instanceof Api.Ok fresh) {
          storeStatus((DaemonSet) fresh.object(), c, observedGeneration, attempt + 1, then);
        } else {
          then.accept(false);
        }
      });
    });
  }

  // ---------------------------------------------------------------- history

  /**
   * constructHistory: claims the DaemonSet's ControllerRevisions, splits them into the one matching
   * the current template and the old ones, creates the current one ({@code <ds>-<hash>}, revision
   * one above the highest) if it is missing, and raises its revision if an old one is higher.
   */
  private void constructHistory(DaemonSet ds, LabelSelector selector,
      BiConsumer<ControllerRevision, List<ControllerRevision>> then) {
    List<ControllerRevision> candidates = new ArrayList<>(revisionsByOwner.list(ds.getMetadata().getUid(), revisions));
    candidates.addAll(revisionsByOwner.list("orphan/" + ds.getMetadata().getNamespace(), revisions));
    Claims.claim(client, log, ds, Resources.DAEMONSETS, selector, Resources.CONTROLLERREVISIONS, candidates,
        (histories, claimError) -> {
          if (claimError) {
            then.accept(null, List.of());
            return;
          }
          String patch = History.templatePatch(ds.getSpec().getTemplate());
          List<ControllerRevision> current = new ArrayList<>();
          List<ControllerRevision> old = new ArrayList<>();
          for (ControllerRevision h : histories) {
            if (patch.equals(History.rawData(h))) {
              current.add(h);
            } else {
              old.add(h);
            }
          }
          long currRevision = History.maxRevision(old) + 1;
          if (current.isEmpty()) {
            snapshot(ds, patch, currRevision, cur -> then.accept(cur, old));
            return;
          }
          current.sort(History.BY_REVISION);
          ControllerRevision keep = current.get(current.size() - 1);
          // dedupCurHistories: duplicates of the current revision go.
          for (int i = 0; i < current.size() - 1; i++) {
            ControllerRevision dup = current.get(i);
            client.delete(Resources.CONTROLLERREVISIONS, dup.getMetadata().getNamespace(), dup.getMetadata().getName(),
                null, r -> {});
          }
          if (History.revision(keep) < currRevision) {
            ControllerRevision toUpdate = new ControllerRevisionBuilder(keep).withRevision(currRevision).build();
            client.update(toUpdate, r -> then.accept(r instanceof Api.Ok ok ? (ControllerRevision) ok.object() : null,
                old));
            return;
          }
          then.accept(keep, old);
        });
  }

  /** snapshot: creates the revision; a name taken by another template bumps status.collisionCount. */
  private void snapshot(DaemonSet ds, String patch, long revision, Consumer<ControllerRevision> then) {
    Integer collisionCount = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    String hash = PodTemplateHash.compute(ds.getSpec().getTemplate(), collisionCount);
    ControllerRevision cr = History.newRevision(ds, ds.getSpec().getTemplate(), ds.getMetadata().getName() + "-" + hash,
        DaemonPods.HASH_LABEL, hash, patch, revision);
    History.create(client, log, cr, patch, () -> client.get(Resources.DAEMONSETS, ds.getMetadata().getNamespace(),
        ds.getMetadata().getName(), d -> {
          if (!(d instanceof Api.Ok okDs)) {
            return;
          }
          DaemonSet cur = (DaemonSet) okDs.object();
          Integer curCount = cur.getStatus() == null ? null : cur.getStatus().getCollisionCount();
          if (!Objects.equals(curCount, collisionCount)) {
            return;
          }
          DaemonSetStatus st = cur.getStatus() == null ? new DaemonSetStatus()
              : new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder(cur.getStatus()).build();
          st.setCollisionCount(curCount == null ? 1 : curCount + 1);
          client.updateStatus(new DaemonSetBuilder(cur).withStatus(st).build(), u -> log.v(2,
              "Found a hash collision for DaemonSet - bumping collisionCount to resolve it", "daemonset",
              Informer.key(ds), "collisionCount", st.getCollisionCount()));
        }), then);
  }

  /**
   * cleanupHistory: beyond revisionHistoryLimit, deletes the oldest old revisions that no live pod
   * (terminal ones included) still carries the hash of.
   */
  private void cleanupHistory(DaemonSet ds, List<ControllerRevision> old, Consumer<Boolean> then) {
    int toKeep = ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit();
    int toKill = old.size() - toKeep;
    if (toKill <= 0) {
      then.accept(true);
      return;
    }
    java.util.Set<String> liveHashes = new java.util.TreeSet<>();
    for (Pod p : ownedPods(ds)) {
      String h = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(DaemonPods.HASH_LABEL);
      if (h != null && !h.isEmpty()) {
        liveHashes.add(h);
      }
    }
    List<ControllerRevision> sorted = new ArrayList<>(old);
    sorted.sort(History.BY_REVISION);
    List<ControllerRevision> victims = new ArrayList<>();
    for (ControllerRevision h : sorted) {
      if (victims.size() >= toKill) {
        break;
      }
      String hash = h.getMetadata().getLabels() == null ? null : h.getMetadata().getLabels().get(DaemonPods.HASH_LABEL);
      if (hash != null && liveHashes.contains(hash)) {
        continue;
      }
      victims.add(h);
    }
    Consumer<Boolean> all = WorkQueue.all(victims.size(), ok -> then.accept(ok));
    for (ControllerRevision h : victims) {
      client.delete(Resources.CONTROLLERREVISIONS, h.getMetadata().getNamespace(), h.getMetadata().getName(), null,
          r -> all.accept(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
    }
  }
}
