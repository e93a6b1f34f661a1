package io.kubesim.controlplane.controller.nodelifecycle;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.GoFmt;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go): every
 * {@code --node-monitor-period} it checks each node's heartbeats (lease renewals and Ready
 * heartbeats, timed by its own clock), turns the conditions of a node silent past the grace period
 * Unknown, marks its pods not ready, keeps the NoSchedule condition taints in step with the
 * conditions on every node update, and adds the NoExecute not-ready/unreachable taints through
 * per-zone rate-limited queues whose rate follows the zones' health.
 */
public final class NodeLifecycleController extends AbstractBehavior<NodeLifecycleController.Command> {

  public static final String COMPONENT = "node-controller";
  public static final String LOG_NAME = "node-lifecycle";
  /** node_lifecycle_controller.go: nodeUpdateWorkerSize and podUpdateWorkerSize. */
  private static final int NODE_UPDATE_WORKERS = 8;
  private static final int POD_UPDATE_WORKERS = 4;
  /** NodeHealthUpdateRetry: attempts at writing a node's health before giving up until the next pass. */
  private static final int HEALTH_UPDATE_ATTEMPTS = 5;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum MonitorTick implements Command { INSTANCE }

  private enum TaintTick implements Command { INSTANCE }

  private enum DrainNodes implements Command { INSTANCE }

  private enum DrainPods implements Command { INSTANCE }

  private record RequeueNode(String key) implements Command {}

  private record RequeuePod(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new NodeLifecycleController(c, t, ctx, settings)));
  }

  private final TimerScheduler<Command> timers;
  private final ComponentContext cc;
  private final ControllerManagerSettings settings;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final InformerSet informers;
  private final Informer<Node> nodes;
  private final Informer<Pod> pods;
  private final CacheIndex<Pod> podsByNode = CacheIndex.single(p -> Pods.nodeName(p).isEmpty() ? null : Pods.nodeName(p));
  private final WorkQueue<Command> nodeUpdates;
  private final WorkQueue<Command> podUpdates;

  private final Map<String, ZoneState> zoneStates = new TreeMap<>();
  private final Map<String, RateLimitedTimedQueue> zoneTainters = new TreeMap<>();
  private final Set<String> nodesToRetry = new LinkedHashSet<>();
  private boolean passInProgress;
  private boolean taintTickScheduled;
  private long startNanos;

  private NodeLifecycleController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.timers = timers;
    this.cc = cc;
    this.settings = settings;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.nodeUpdates = new WorkQueue<>("node_lifecycle_controller", context.getSelf(), timers, cc.clock(),
        DrainNodes.INSTANCE, RequeueNode::new, NODE_UPDATE_WORKERS);
    this.podUpdates = new WorkQueue<>("node_lifecycle_controller_pods", context.getSelf(), timers, cc.clock(),
        DrainPods.INSTANCE, RequeuePod::new, POD_UPDATE_WORKERS);
    this.informers = new InformerSet(client);
    // The lease lister's answer for each node name is kept in the node's entry as the informer
    // changes it, so that the 5 s pass reads it without a lookup (leaseLister.Get).
    informers.add(Resources.LEASES, Lease.class, Resources.NODE_LEASE_NAMESPACE, new Informer.Handler<>() {
      @Override
      public void onAdd(Lease l) {
        nodeEntries.computeIfAbsent(l.getMetadata().getName(), k -> new NodeEntry()).lease = l;
      }

      @Override
      public void onUpdate(Lease old, Lease l) {
        onAdd(l);
      }

      @Override
      public void onDelete(Lease last) {
        NodeEntry en = nodeEntries.get(last.getMetadata().getName());
        if (en != null) {
          en.lease = null;
        }
      }
    });
    this.nodes = informers.add(Resources.NODES, Node.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Node n) {
        nodeUpdates.add(n.getMetadata().getName());
      }

      @Override
      public void onUpdate(Node old, Node n) {
        nodeUpdates.add(n.getMetadata().getName());
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podsByNode.add(p);
        podUpdated(null, p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podsByNode.update(old, p);
        podUpdated(old, p);
      }

      @Override
      public void onDelete(Pod p) {
        podsByNode.remove(p);
      }
    });
    log.info("Sending events to api server");
    log.info("Starting node controller");
    informers.start(this::onSynced);
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, m -> onFromApi(m))
        .onMessageEquals(MonitorTick.INSTANCE, this::onMonitorTick)
        .onMessageEquals(TaintTick.INSTANCE, this::onTaintTick)
        .onMessageEquals(DrainNodes.INSTANCE, () -> onDrain(nodeUpdates))
        .onMessageEquals(DrainPods.INSTANCE, () -> onDrain(podUpdates))
        .onMessage(RequeueNode.class, m -> onRequeue(nodeUpdates, m.key()))
        .onMessage(RequeuePod.class, m -> onRequeue(podUpdates, m.key()))
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

  private Behavior<Command> onRequeue(WorkQueue<Command> q, String key) {
    q.onDelayed(key);
    return this;
  }

  private void onSynced() {
    startNanos = cc.clock().nanos();
    nodeUpdates.start(this::doNodeProcessingPass);
    podUpdates.start(this::processPod);
    // wait.UntilWithContext: a pass now, then one every period after the previous one.
    getContext().getSelf().tell(MonitorTick.INSTANCE);
  }

  private Instant now() {
    return cc.clock().now();
  }

  // ---------------------------------------------------------------- NoSchedule taints and labels

  /** doNoScheduleTaintingPass and reconcileNodeLabels for one node. */
  private void doNodeProcessingPass(String name, WorkQueue.Done done) {
    Node node = nodes.get(name);
    if (node == null) {
      done.done(true);
      return;
    }
    int[] left = {2};
    Runnable one = () -> {
      if (--left[0] == 0) {
        done.done(true);
      }
    };
    NodeTaints.Diff diff = NodeTaints.diff(NodeTaints.desiredNoSchedule(node), NodeTaints.managedNoSchedule(node));
    if (diff.empty()) {
      one.run();
    } else {
      String stamp = Times.rfc3339(now());
      NodeTaints.update(client, name, t -> NodeTaints.swap(t, diff.add(), diff.remove(), stamp), ok -> {
        if (!ok) {
          log.error("Failed to taint NoSchedule on node, requeue it", "node", name);
        }
        one.run();
      });
    }
    reconcileNodeLabels(node, one);
  }

  /** Keeps the beta os/arch labels equal to the stable ones (labelReconcileInfo). */
  private void reconcileNodeLabels(Node node, Runnable then) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      then.run();
      return;
    }
    Map<String, String> update = new TreeMap<>();
    String[][] pairs = {{"kubernetes.io/os", "beta.kubernetes.io/os"}, {"kubernetes.io/arch", "beta.kubernetes.io/arch"}};
    for (String[] p : pairs) {
      String primary = labels.get(p[0]);
      if (primary != null && !primary.equals(labels.get(p[1]))) {
        update.put(p[1], primary);
      }
    }
    if (update.isEmpty()) {
      then.run();
      return;
    }
    String body = Json.write(Map.of("metadata", Map.of("labels", update)));
    client.patch(Resources.NODES, null, node.getMetadata().getName(), PatchType.STRATEGIC_MERGE_PATCH, body, r -> {
      if (r instanceof Api.Failed) {
        log.error("Failed to reconcile labels for node, requeue it", "node", node.getMetadata().getName());
      }
      then.run();
    });
  }

  // ---------------------------------------------------------------- pods assigned to unhealthy nodes

  private void podUpdated(Pod old, Pod p) {
    String node = Pods.nodeName(p);
    if (!node.isEmpty() && (old == null || !node.equals(Pods.nodeName(old)))) {
      podUpdates.add(Informer.key(p));
    }
  }

  /** processPod: a pod that landed on a node that is not Ready is marked not ready at once. */
  private void processPod(String key, WorkQueue.Done done) {
    Pod pod = pods.get(key);
    if (pod == null) {
      done.done(true);
      return;
    }
    String nodeName = Pods.nodeName(pod);
    NodeHealth.Data h = health(nodeName);
    if (h == null || nodes.get(nodeName) == null) {
      done.done(true);
      return;
    }
    NodeCondition ready = NodeHealth.condition(h.status(), "Ready");
    if (ready == null || "True".equals(ready.getStatus())) {
      done.done(true);
      return;
    }
    markPodsNotReady(List.of(pod), nodeName, done::done);
  }

  /**
   * MarkPodsNotReady: each pod's Ready condition goes False (phase and ContainersReady untouched),
   * and a Warning NodeNotReady event goes on the pod.
   */
  private void markPodsNotReady(List<Pod> podList, String nodeName, java.util.function.Consumer<Boolean> done) {
    log.v(2, "Update ready status of pods on node", "node", nodeName);
    List<Pod> targets = new ArrayList<>();
    List<PodStatus> statuses = new ArrayList<>();
    Instant now = now();
    for (Pod p : podList) {
      if (!nodeName.equals(Pods.nodeName(p))) {
        continue;
      }
      PodCondition ready = Pods.condition(p, Pods.READY);
      if (ready == null) {
        continue;
      }
      PodStatus next = Pods.withCondition(p.getStatus(),
          new PodConditionBuilder(ready).withStatus("False").build(), now);
      if (next != null) {
        targets.add(p);
        statuses.add(next);
      }
    }
    java.util.function.Consumer<Boolean> all = WorkQueue.all(targets.size(), done::accept)::accept;
    for (int i = 0; i < targets.size(); i++) {
      Pod p = targets.get(i);
      Pod copy = new PodBuilder(p).withStatus(statuses.get(i)).build();
      log.v(2, "Updating ready status of pod to false", "pod", Informer.key(p));
      client.updateStatus(copy, r -> {
        if (r instanceof Api.Failed f) {
          if (f.code() == 404) {
            all.accept(true);
            return;
          }
          log.info("Failed to update status for pod", "pod", Informer.key(p), "err", f.message());
          all.accept(false);
          return;
        }
        recorder.event(p, EventRecorder.WARNING, "NodeNotReady", "Node is not ready");
        all.accept(true);
      });
    }
  }

  // ---------------------------------------------------------------- monitorNodeHealth

  private Behavior<Command> onMonitorTick() {
    if (passInProgress) {
      // The previous pass is still waiting for the apiserver; wait.Until never overlaps passes.
      timers.startSingleTimer(MonitorTick.INSTANCE, MonitorTick.INSTANCE, settings.nodeMonitorPeriod());
      return this;
    }
    monitorNodeHealth();
    return this;
  }

  private void monitorNodeHealth() {
    List<Node> all = new ArrayList<>(nodes.list());
    NodeEntry[] entries = new NodeEntry[all.size()];
    for (int i = 0; i < entries.length; i++) {
      Node n = all.get(i);
      NodeEntry en = entry(n);
      entries[i] = en;
      if (en.known == null) {
        String name = n.getMetadata().getName();
        log.v(1, "Controller observed a new Node", "node", name);
        recordNodeEvent(n, "RegisteredNode", "Registered Node " + name + " in Controller");
        en.known = n;
        knownCount++;
        addZoneIfNew(n);
        markNodeAsReachable(n);
      } else if (!zoneStates.containsKey(en.zone)) {
        addZoneIfNew(n);
      }
    }
    // Every node listed is known now: more known ones means some were deleted.
    if (knownCount > all.size()) {
      Set<String> current = new HashSet<>();
      for (Node n : all) {
        current.add(n.getMetadata().getName());
      }
      for (Map.Entry<String, NodeEntry> e : new TreeMap<>(nodeEntries).entrySet()) {
        NodeEntry en = e.getValue();
        if (en.known != null && !current.contains(e.getKey())) {
          Node gone = en.known;
          en.known = null;
          knownCount--;
          log.v(1, "Controller observed a Node deletion", "node", e.getKey());
          recordNodeEvent(gone, "RemovingNode", "Removing Node " + e.getKey() + " from Controller");
        }
      }
    }
    passInProgress = true;
    Map<String, List<NodeCondition>> zoneConditions = new TreeMap<>();
    int[] left = {all.size()};
    Runnable nodeDone = () -> {
      if (--left[0] == 0) {
        finishPass(zoneConditions, all);
      }
    };
    if (all.isEmpty()) {
      finishPass(zoneConditions, all);
      return;
    }
    for (int i = 0; i < entries.length; i++) {
      updateNodeHealth(all.get(i), entries[i], 0, zoneConditions, nodeDone);
    }
  }

  /**
   * What the controller keeps per node name: the node as first observed while it is known
   * (knownNodeSet), its health (nodeHealthMap; kept when the node goes, as before), the node's
   * zone key and whether it is excluded from disruption checks, kept with the labels map they were
   * computed from (stored objects never change), and the node's Lease as the lease informer has it
   * (null when there is none). One lookup per node and pass instead of one per map.
   */
  private static final class NodeEntry {
    Node known;
    NodeHealth.Data health;
    Map<String, String> keyedLabels;
    String zone;
    boolean excludedFromDisruption;
    Lease lease;
    /** The node as last found Ready, untainted and out of its zone's queue, and that Ready condition. */
    Node reachable;
    NodeCondition readyTrue;
  }

  private final Map<String, NodeEntry> nodeEntries = new HashMap<>();
  private int knownCount;
  /** The node whose entry was asked for last: a pass asks for one node's several times in a row. */
  private Node entryOf;
  private NodeEntry lastEntry;

  private NodeEntry entry(Node node) {
    if (node == entryOf) {
      return lastEntry;
    }
    String name = node.getMetadata().getName();
    NodeEntry en = nodeEntries.computeIfAbsent(name, k -> new NodeEntry());
    remember(node, en);
    return en;
  }

  /** Makes {@code en} the entry of {@code node}'s name current for it: keys up to date, remembered as the last. */
  private void remember(Node node, NodeEntry en) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (en.zone == null || en.keyedLabels != labels) {
      en.keyedLabels = labels;
      en.zone = ZoneState.zoneKey(node);
      en.excludedFromDisruption = ZoneState.excludedFromDisruption(node);
    }
    entryOf = node;
    lastEntry = en;
  }

  private NodeHealth.Data health(String nodeName) {
    NodeEntry en = nodeEntries.get(nodeName);
    return en == null ? null : en.health;
  }

  private String zoneKey(Node node) {
    return entry(node).zone;
  }

  private void finishPass(Map<String, List<NodeCondition>> zoneConditions, List<Node> all) {
    handleDisruption(zoneConditions, all);
    passInProgress = false;
    timers.startSingleTimer(MonitorTick.INSTANCE, MonitorTick.INSTANCE, settings.nodeMonitorPeriod());
  }

  private void updateNodeHealth(Node node, NodeEntry en, int attempt, Map<String, List<NodeCondition>> zoneConditions,
      Runnable nodeDone) {
    String name = node.getMetadata().getName();
    Instant now = now();
    remember(node, en);
    Lease lease = en.lease;
    NodeHealth.Data saved = en.health;
    NodeHealth.Evaluation e = NodeHealth.evaluate(node, saved, lease, now,
        settings.nodeMonitorGracePeriod(), settings.nodeStartupGracePeriod());
    if (e.firstSeen()) {
      log.info("Missing timestamp for Node. Assuming now as a timestamp", "node", name);
    } else if (e.readyConditionAppeared()) {
      log.v(1, "Creating timestamp entry for newly observed Node", "node", name);
    }
    en.health = e.health();
    for (NodeHealth.Stale s : e.stale()) {
      if (s.neverUpdated()) {
        log.v(2, "Condition of node was never updated by kubelet", "nodeConditionType", s.conditionType(),
            "node", name);
      } else {
        log.v(2, "Node hasn't been updated", "node", name,
            "duration", Duration.between(e.health().probeTimestamp(), now), "nodeConditionType", s.conditionType(),
            "currentCondition", describe(s.current()));
      }
    }
    if (e.statusToWrite() == null) {
      afterHealthUpdate(node, e, zoneConditions, nodeDone);
      return;
    }
    Node updated = new NodeBuilder(node).withStatus(e.statusToWrite()).build();
    client.updateStatus(updated, r -> {
      if (r instanceof Api.Ok ok) {
        en.health = e.healthAfterWrite();
        afterHealthUpdate((Node) ok.object(), e, zoneConditions, nodeDone);
        return;
      }
      log.error("Error updating node", "node", name, "err", ((Api.Failed) r).message());
      if (attempt + 1 >= HEALTH_UPDATE_ATTEMPTS) {
        log.error("Update health of Node from Controller error, Skipping - no pods will be evicted", "node", name);
        nodeDone.run();
        return;
      }
      client.get(Resources.NODES, null, name, g -> {
        if (g instanceof Api.Ok fresh) {
          updateNodeHealth((Node) fresh.object(), en, attempt + 1, zoneConditions, nodeDone);
        } else {
          log.error("Failed while getting a Node to retry updating node health. Probably Node was deleted",
              "node", name);
          nodeDone.run();
        }
      });
    });
  }

  private static String describe(NodeCondition c) {
    return c == null ? "<nil>" : "&NodeCondition{Type:" + c.getType() + ",Status:" + c.getStatus()
        + ",LastHeartbeatTime:" + c.getLastHeartbeatTime() + ",LastTransitionTime:" + c.getLastTransitionTime()
        + ",Reason:" + c.getReason() + ",Message:" + c.getMessage() + ",}";
  }

  private void afterHealthUpdate(Node node, NodeHealth.Evaluation e, Map<String, List<NodeCondition>> zoneConditions,
      Runnable nodeDone) {
    String name = node.getMetadata().getName();
    NodeEntry en = entry(node);
    if (!en.excludedFromDisruption) {
      zoneConditions.computeIfAbsent(en.zone, z -> new ArrayList<>()).add(e.currentReady());
    }
    NodeCondition current = e.currentReady();
    if (current == null) {
      nodeDone.run();
      return;
    }
    NodeCondition observed = e.observedReady();
    if (observed != en.readyTrue || node != en.reachable) {
      processTaintBasedEviction(node, en, observed);
    }
    boolean needsRetry = !nodesToRetry.isEmpty() && nodesToRetry.contains(name);
    boolean becameNotReady = current != observed && !"True".equals(current.getStatus())
        && "True".equals(observed.getStatus());
    if (becameNotReady) {
      // Reported once, on the edge.
      log.v(2, "Recording status change event message for node", "status", "NodeNotReady", "node", name);
      ObjectReference ref = nodeRef(node);
      recorder.event(ref, EventRecorder.NORMAL, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
    }
    if (needsRetry) {
      nodesToRetry.remove(name);
    }
    if (becameNotReady || (needsRetry && !"True".equals(observed.getStatus()))) {
      markPodsNotReady(podsByNode.list(name, pods), name, ok -> {
        if (!ok) {
          log.error("unable to mark all pods NotReady on node; queuing for retry", "node", name);
          nodesToRetry.add(name);
        }
      });
    }
    nodeDone.run();
  }

  /**
   * processTaintBaseEviction: queue a node for its NoExecute taint, swap it, or lift it. A Ready
   * node with neither NoExecute taint and out of its zone's queue is remembered in its entry with
   * the Ready condition seen: while the node and that condition are the very objects seen, this
   * has nothing to do for it (the next pass skips it), until the node is queued again.
   */
  private void processTaintBasedEviction(Node node, NodeEntry en, NodeCondition observedReady) {
    String name = node.getMetadata().getName();
    List<Taint> taints = NodeTaints.taints(node);
    switch (observedReady.getStatus() == null ? "" : observedReady.getStatus()) {
      case "False" -> {
        if (NodeTaints.exists(taints, NodeTaints.UNREACHABLE_NO_EXECUTE)) {
          swapTaint(name, NodeTaints.NOT_READY_NO_EXECUTE, NodeTaints.UNREACHABLE_NO_EXECUTE, ok -> {
            if (!ok) {
              log.error("Failed to instantly swap UnreachableTaint to NotReadyTaint. Will try again in the next cycle");
            }
          });
        } else if (markNodeForTainting(node, "False")) {
          log.v(2, "Node is NotReady. Adding it to the Taint queue", "node", name, "timeStamp", GoFmt.time(now()));
        }
      }
      case "Unknown" -> {
        if (NodeTaints.exists(taints, NodeTaints.NOT_READY_NO_EXECUTE)) {
          swapTaint(name, NodeTaints.UNREACHABLE_NO_EXECUTE, NodeTaints.NOT_READY_NO_EXECUTE, ok -> {
            if (!ok) {
              log.error("Failed to instantly swap NotReadyTaint to UnreachableTaint. Will try again in the next cycle");
            }
          });
        } else if (markNodeForTainting(node, "Unknown")) {
          log.v(2, "Node is unresponsive. Adding it to the Taint queue", "node", name, "timeStamp", GoFmt.time(now()));
        }
      }
      case "True" -> {
        if (markNodeAsReachable(node)) {
          log.v(2, "Node is healthy again, removed all taints", "node", name);
        } else if (!NodeTaints.hasNoExecute(taints)) {
          en.readyTrue = observedReady;
          en.reachable = node;
        }
      }
      default -> {}
    }
  }

  private void swapTaint(String nodeName, Taint add, Taint remove, java.util.function.Consumer<Boolean> done) {
    String stamp = Times.rfc3339(now());
    NodeTaints.update(client, nodeName, t -> NodeTaints.swap(t, List.of(add), List.of(remove), stamp), done);
  }

  private boolean markNodeForTainting(Node node, String status) {
    RateLimitedTimedQueue q = zoneTainters.get(zoneKey(node));
    String name = node.getMetadata().getName();
    List<Taint> taints = NodeTaints.taints(node);
    if ("False".equals(status) && !NodeTaints.exists(taints, NodeTaints.NOT_READY_NO_EXECUTE)) {
      q.remove(name);
    }
    if ("Unknown".equals(status) && !NodeTaints.exists(taints, NodeTaints.UNREACHABLE_NO_EXECUTE)) {
      q.remove(name);
    }
    entry(node).reachable = null;
    boolean added = q.add(name, node.getMetadata().getUid(), cc.clock().nanos());
    if (added) {
      ensureTaintTick();
    }
    return added;
  }

  /**
   * markNodeAsReachable: lifts both NoExecute taints (no request when the cached node has neither,
   * as RemoveTaintOffNode short-circuits) and forgets the node in its zone's queue.
   */
  private boolean markNodeAsReachable(Node node) {
    String name = node.getMetadata().getName();
    List<Taint> taints = NodeTaints.taints(node);
    if (NodeTaints.hasNoExecute(taints)) {
      NodeTaints.update(client, name, t -> NodeTaints.swap(t, List.of(),
          List.of(NodeTaints.UNREACHABLE_NO_EXECUTE, NodeTaints.NOT_READY_NO_EXECUTE), null), ok -> {
            if (!ok) {
              log.error("Failed to remove taints from node. Will retry in next iteration", "node", name);
            }
          });
    }
    RateLimitedTimedQueue q = zoneTainters.get(zoneKey(node));
    return q != null && q.remove(name);
  }

  private void addZoneIfNew(Node node) {
    String zone = zoneKey(node);
    if (!zoneStates.containsKey(zone)) {
      zoneStates.put(zone, ZoneState.INITIAL);
      zoneTainters.put(zone, new RateLimitedTimedQueue(settings.nodeEvictionRate()));
      log.info("Initializing eviction metric for zone", "zone", zone);
    }
  }

  private void handleDisruption(Map<String, List<NodeCondition>> zoneConditions, List<Node> all) {
    Map<String, ZoneState> newStates = new TreeMap<>();
    boolean allAreFullyDisrupted = true;
    for (Map.Entry<String, List<NodeCondition>> e : zoneConditions.entrySet()) {
      ZoneState.Health h = ZoneState.compute(e.getValue(), settings.unhealthyZoneThreshold());
      if (h.state() != ZoneState.FULL_DISRUPTION) {
        allAreFullyDisrupted = false;
      }
      newStates.put(e.getKey(), h.state());
      if (!zoneStates.containsKey(e.getKey())) {
        log.error("Setting initial state for unseen zone", "zone", e.getKey());
        zoneStates.put(e.getKey(), ZoneState.INITIAL);
        zoneTainters.putIfAbsent(e.getKey(), new RateLimitedTimedQueue(settings.nodeEvictionRate()));
      }
    }
    boolean allWasFullyDisrupted = true;
    for (String zone : new ArrayList<>(zoneStates.keySet())) {
      if (!zoneConditions.containsKey(zone)) {
        zoneStates.remove(zone);
        continue;
      }
      if (zoneStates.get(zone) != ZoneState.FULL_DISRUPTION) {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) {
      return;
    }
    long now = cc.clock().nanos();
    if (allAreFullyDisrupted) {
      log.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode");
      for (Node n : all) {
        markNodeAsReachable(n);
      }
      for (String zone : zoneStates.keySet()) {
        zoneTainters.get(zone).swapLimiter(0, now);
      }
      zoneStates.replaceAll((k, v) -> ZoneState.FULL_DISRUPTION);
      return;
    }
    if (allWasFullyDisrupted) {
      log.info("Controller detected that some Nodes are Ready. Exiting master disruption mode");
      Instant t = now();
      for (Node n : all) {
        NodeEntry en = nodeEntries.get(n.getMetadata().getName());
        if (en != null && en.health != null) {
          NodeHealth.Data d = en.health;
          en.health = new NodeHealth.Data(t, t, d.status(), d.lease());
        }
      }
      for (String zone : zoneStates.keySet()) {
        ZoneState s = newStates.get(zone);
        setLimiterInZone(zone, zoneConditions.get(zone).size(), s, now);
        zoneStates.put(zone, s);
      }
      return;
    }
    for (String zone : zoneStates.keySet()) {
      ZoneState s = newStates.get(zone);
      if (zoneStates.get(zone) == s) {
        continue;
      }
      log.info("Controller detected that zone is now in new state", "zone", zone, "newState", s);
      setLimiterInZone(zone, zoneConditions.get(zone).size(), s, now);
      zoneStates.put(zone, s);
    }
  }

  private void setLimiterInZone(String zone, int size, ZoneState state, long now) {
    if (state == ZoneState.INITIAL) {
      return;
    }
    zoneTainters.get(zone).swapLimiter(state.rate(size, settings), now);
  }

  // ---------------------------------------------------------------- doNoExecuteTaintingPass

  /** Keeps the 100 ms tainting pass running, on the controller's own phase, while any queue holds a node. */
  private void ensureTaintTick() {
    if (taintTickScheduled) {
      return;
    }
    long period = settings.nodeEvictionPeriod().toNanos();
    long since = cc.clock().nanos() - startNanos;
    long delay = period - Math.floorMod(since, period);
    taintTickScheduled = true;
    timers.startSingleTimer(TaintTick.INSTANCE, TaintTick.INSTANCE, Duration.ofNanos(delay));
  }

  private Behavior<Command> onTaintTick() {
    taintTickScheduled = false;
    long now = cc.clock().nanos();
    for (RateLimitedTimedQueue q : zoneTainters.values()) {
      q.tryProcess(now, v -> taintFromQueue(q, v));
    }
    for (RateLimitedTimedQueue q : zoneTainters.values()) {
      if (!q.isEmpty()) {
        ensureTaintTick();
        break;
      }
    }
    return this;
  }

  private RateLimitedTimedQueue.Result taintFromQueue(RateLimitedTimedQueue q, RateLimitedTimedQueue.TimedValue v) {
    Node node = nodes.get(v.value());
    if (node == null) {
      log.info("Node no longer present in nodeLister", "node", v.value());
      return RateLimitedTimedQueue.Result.DONE;
    }
    NodeCondition ready = NodeHealth.condition(node.getStatus(), "Ready");
    if (ready == null) {
      log.info("Failed to get NodeCondition from the node status", "node", v.value());
      return RateLimitedTimedQueue.Result.retryAfter(Duration.ofMillis(50).toNanos());
    }
    Taint add;
    Taint opposite;
    switch (ready.getStatus() == null ? "" : ready.getStatus()) {
      case "False" -> {
        add = NodeTaints.NOT_READY_NO_EXECUTE;
        opposite = NodeTaints.UNREACHABLE_NO_EXECUTE;
      }
      case "Unknown" -> {
        add = NodeTaints.UNREACHABLE_NO_EXECUTE;
        opposite = NodeTaints.NOT_READY_NO_EXECUTE;
      }
      default -> {
        log.v(4, "Node was in a taint queue, but it's ready now. Ignoring taint request", "node", v.value());
        return RateLimitedTimedQueue.Result.DONE;
      }
    }
    swapTaint(v.value(), add, opposite, ok -> {
      if (!ok) {
        // SwapNodeControllerTaint failed: the value stays queued and is retried on the next pass.
        q.retry(v, cc.clock().nanos() + 1);
        ensureTaintTick();
      }
    });
    return RateLimitedTimedQueue.Result.DONE;
  }

  // ---------------------------------------------------------------- events

  private static ObjectReference nodeRef(Node node) {
    ObjectReference ref = new ObjectReference();
    ref.setApiVersion("v1");
    ref.setKind("Node");
    ref.setName(node.getMetadata().getName());
    ref.setUid(node.getMetadata().getUid());
    ref.setNamespace("");
    return ref;
  }

  /** RecordNodeEvent: "Node n event: ...", about the node. */
  private void recordNodeEvent(Node node, String reason, String event) {
    String name = node.getMetadata().getName();
    log.v(2, "Recording event message for node", "event", event, "node", name);
    recorder.event(nodeRef(node), EventRecorder.NORMAL, reason, "Node " + name + " event: " + event);
  }

  /** For tests: the zone states the controller last computed. */
  Map<String, ZoneState> zoneStates() {
    return zoneStates;
  }

}
