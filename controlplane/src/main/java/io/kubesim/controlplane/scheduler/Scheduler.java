package io.kubesim.controlplane.scheduler;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.ClusterView;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.FitError;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.NodeToStatus;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.controlplane.scheduler.plugins.DefaultPreemption;
import io.kubesim.controlplane.scheduler.plugins.VolumeBinding;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.time.VirtualClock;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * kube-scheduler: watches pods and nodes into its own cache, takes pending pods whose
 * spec.schedulerName is one of its profiles from a priority queue, runs the profile's plugins to
 * pick a node, assumes the pod there and binds it through the pod's binding subresource. Pods that
 * fit nowhere get a FailedScheduling event and a PodScheduled=False condition with the FitError,
 * may preempt lower-priority pods, and wait for a cluster event that could change that.
 *
 * <p>Beyond kube-scheduler, it keeps the latest {@link SchedulingDecision} per pod: per-node filter
 * verdicts and scores, answered by {@link Explain}.
 */
public final class Scheduler extends AbstractBehavior<Scheduler.Command> {

  /** The name in log lines. */
  public static final String COMPONENT = "scheduler";
  /** The reporting component of its events, as kube-scheduler's default profile records them. */
  public static final String EVENT_COMPONENT = "default-scheduler";
  /** validation.NoteLengthLimit: longer event messages are cut. */
  static final int NOTE_LENGTH_LIMIT = 1024;
  /** The interval of flushBackoffQCompleted. */
  static final Duration BACKOFF_FLUSH_INTERVAL = Duration.ofSeconds(1);
  /** The interval of flushUnschedulablePodsLeftover. */
  static final Duration UNSCHEDULABLE_FLUSH_INTERVAL = Duration.ofSeconds(30);
  /** The pods the scheduler watches: terminal pods free their node (eventhandlers / factory.go). */
  static final String POD_FIELD_SELECTOR = "status.phase!=Succeeded,status.phase!=Failed";

  // ---------------------------------------------------------------- protocol

  public sealed interface Command {}

  /** The latest scheduling decision for a pod, if the scheduler has tried it. */
  public record Explain(String namespace, String name, ActorRef<Optional<SchedulingDecision>> replyTo)
      implements Command {}

  /** Counters and queue sizes, for tests and benchmarks. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  public record Stats(boolean synced, int activeQ, int backoffQ, int unschedulable, long attempts, long scheduled,
      long unschedulableAttempts, long bindings, long bindFailures, int nodes, int pods, int decisions) {}

  private record FromApi(Object message) implements Command {}

  private enum ScheduleNext implements Command { INSTANCE }

  private enum FlushBackoff implements Command { INSTANCE }

  private enum FlushUnschedulable implements Command { INSTANCE }

  public static Behavior<Command> create(ComponentContext ctx, SchedulerConfiguration config) {
    return Behaviors.setup(actx -> Behaviors.withTimers(timers -> new Scheduler(actx, timers, ctx, config)));
  }

  // ---------------------------------------------------------------- state

  private final VirtualClock clock;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final SchedulerConfiguration config;
  private final Map<String, Framework> frameworks = new LinkedHashMap<>();
  private final SchedulerCache cache = new SchedulerCache();
  private final Nominator nominator = new Nominator();
  private final SchedulingQueue queue;
  private final ScheduleAlgorithm algorithm;
  private final DecisionLog decisions = new DecisionLog(DecisionLog.DEFAULT_CELL_BUDGET);
  private final View view = new View();
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final Informer<Namespace> namespaces;
  private final Informer<PodDisruptionBudget> pdbs;
  private final Informer<Service> services;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<StatefulSet> statefulSets;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<PersistentVolume> volumes;
  private final Informer<StorageClass> storageClasses;
  private boolean scheduleScheduled;
  private long attempts;
  private long scheduledPods;
  private long unschedulableAttempts;
  private long bindings;
  private long bindFailures;

  private Scheduler(ActorContext<Command> actx, TimerScheduler<Command> timers, ComponentContext ctx,
      SchedulerConfiguration config) {
    super(actx);
    this.clock = ctx.clock();
    this.log = ctx.log(COMPONENT);
    this.config = config;
    this.client = ApiClient.create(actx, ctx.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, clock, EVENT_COMPONENT, null);
    SplittableRandom random = ctx.random(COMPONENT);
    Handle.Actions actions = new Actions();
    for (SchedulerConfiguration.Profile p : config.profiles()) {
      frameworks.put(p.schedulerName(), Profiles.build(p, view, random, actions));
    }
    this.algorithm = new ScheduleAlgorithm(config.percentageOfNodesToScore(), random);
    this.queue = new SchedulingQueue(clock::nanos, config.podInitialBackoff(), config.podMaxBackoff(),
        SchedulingQueue.POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION, this::frameworkFor, true);
    this.pods = new Informer<>(client, Resources.PODS, Pod.class, null, ListOptions.fields(POD_FIELD_SELECTOR),
        new PodHandler());
    this.nodes = Informer.of(client, Resources.NODES, Node.class, new NodeHandler());
    this.namespaces = Informer.of(client, Resources.NAMESPACES, Namespace.class, new Informer.Handler<>() {});
    this.pdbs = Informer.of(client, Resources.PODDISRUPTIONBUDGETS, PodDisruptionBudget.class,
        new Informer.Handler<>() {});
    this.services = Informer.of(client, Resources.SERVICES, Service.class, new Informer.Handler<>() {});
    this.replicaSets = Informer.of(client, Resources.REPLICASETS, ReplicaSet.class, new Informer.Handler<>() {});
    this.statefulSets = Informer.of(client, Resources.STATEFULSETS, StatefulSet.class, new Informer.Handler<>() {});
    this.claims = Informer.of(client, Resources.PERSISTENTVOLUMECLAIMS, PersistentVolumeClaim.class,
        new StorageHandler<>(ClusterEvent.PVC_ADD, ClusterEvent.PVC_UPDATE));
    this.volumes = Informer.of(client, Resources.PERSISTENTVOLUMES, PersistentVolume.class,
        new StorageHandler<>(ClusterEvent.PV_ADD, ClusterEvent.PV_UPDATE));
    this.storageClasses = Informer.of(client, Resources.STORAGECLASSES, StorageClass.class,
        new StorageHandler<>(ClusterEvent.STORAGE_CLASS_ADD, ClusterEvent.STORAGE_CLASS_UPDATE));
    for (Informer<?> i : List.of(nodes, namespaces, pdbs, services, replicaSets, statefulSets, claims, volumes,
        storageClasses, pods)) {
      i.start();
    }
    timers.startTimerAtFixedRate(FlushBackoff.INSTANCE, BACKOFF_FLUSH_INTERVAL);
    timers.startTimerAtFixedRate(FlushUnschedulable.INSTANCE, UNSCHEDULABLE_FLUSH_INTERVAL);
    log.info("Starting Kubernetes Scheduler", "profiles", String.join(",", frameworks.keySet()));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(ScheduleNext.INSTANCE, this::onScheduleNext)
        .onMessageEquals(FlushBackoff.INSTANCE, this::onFlushBackoff)
        .onMessageEquals(FlushUnschedulable.INSTANCE, this::onFlushUnschedulable)
        .onMessage(Explain.class, this::onExplain)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    maybeScheduleNext();
    return this;
  }

  private Behavior<Command> onExplain(Explain m) {
    m.replyTo().tell(Optional.ofNullable(decisions.get(m.namespace() + "/" + m.name())));
    return this;
  }

  private Behavior<Command> onGetStats(GetStats m) {
    m.replyTo().tell(new Stats(synced(), queue.activeSize(), queue.backoffSize(), queue.unschedulableSize(), attempts,
        scheduledPods, unschedulableAttempts, bindings, bindFailures, cache.nodeCount(), cache.podCount(),
        decisions.size()));
    return this;
  }

  private Behavior<Command> onFlushBackoff() {
    queue.flushBackoffCompleted();
    maybeScheduleNext();
    return this;
  }

  private Behavior<Command> onFlushUnschedulable() {
    queue.flushUnschedulableLeftover();
    maybeScheduleNext();
    return this;
  }

  private boolean synced() {
    return pods.synced() && nodes.synced();
  }

  /** Keeps one ScheduleNext in the mailbox while pods are ready, so informer events interleave with cycles. */
  private void maybeScheduleNext() {
    if (!scheduleScheduled && synced() && queue.hasReady()) {
      scheduleScheduled = true;
      getContext().getSelf().tell(ScheduleNext.INSTANCE);
    }
  }

  private Behavior<Command> onScheduleNext() {
    scheduleScheduled = false;
    scheduleOne();
    maybeScheduleNext();
    return this;
  }

  private Framework frameworkFor(PodInfo pod) {
    Framework fw = frameworks.get(pod.pod().getSpec().getSchedulerName());
    return fw != null ? fw : frameworks.values().iterator().next();
  }

  private boolean responsibleFor(Pod pod) {
    return pod.getSpec() != null && frameworks.containsKey(pod.getSpec().getSchedulerName());
  }

  private static boolean assigned(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  // ---------------------------------------------------------------- scheduleOne

  private void scheduleOne() {
    QueuedPodInfo q = queue.pop();
    if (q == null) {
      return;
    }
    PodInfo pod = q.podInfo();
    Framework fw = frameworkFor(pod);
    if (pod.terminating()) {
      // skipPodSchedule: a pod being deleted is not scheduled
      recorder.event(pod.pod(), EventRecorder.WARNING, "FailedScheduling",
          "skip schedule deleting pod: " + pod.namespace() + "/" + pod.name());
      log.v(3, "Skip schedule deleting pod", "pod", pod.key());
      queue.done(pod.key());
      return;
    }
    if (cache.isAssumed(pod.key())) {
      queue.done(pod.key());
      return;
    }
    attempts++;
    log.v(3, "Attempting to schedule pod", "pod", pod.key());
    CycleState state = new CycleState();
    ScheduleAlgorithm.Result r = algorithm.schedule(fw, state, pod, view);
    DecisionLog.Entry entry = entry(q, fw, r);
    if (r.host != null) {
      assumeAndBind(q, fw, state, r, entry);
    } else {
      onScheduleFailure(q, fw, state, r, entry);
    }
    decisions.put(entry);
  }

  /** The decision record of this attempt of the pod, without the per-node details. */
  private DecisionLog.Entry baseEntry(QueuedPodInfo q, Framework fw) {
    DecisionLog.Entry e = new DecisionLog.Entry();
    e.pod = q.podInfo().key();
    e.uid = q.podInfo().uid();
    e.time = clock.now();
    e.attempt = q.attempts;
    e.profile = fw.profileName();
    return e;
  }

  private DecisionLog.Entry entry(QueuedPodInfo q, Framework fw, ScheduleAlgorithm.Result r) {
    DecisionLog.Entry e = baseEntry(q, fw);
    e.totalNodes = r.numAllNodes;
    e.evaluatedNodes = r.host != null ? r.evaluatedNodes : r.feasibleCount + r.statuses.size();
    e.feasibleNodes = r.feasibleCount;
    e.evaluated = r.evaluated;
    e.verdicts = r.verdicts;
    e.evaluatedCount = r.evaluatedCount;
    if (r.scores != null) {
      e.scores = r.scores;
      e.scoredNodes = new String[r.feasibleCount];
      for (int i = 0; i < r.feasibleCount; i++) {
        e.scoredNodes[i] = r.feasible[i].name();
      }
    }
    e.notEvaluatedCount = r.numAllNodes - r.evaluatedCount;
    e.notEvaluatedReason = r.absentReason != null ? r.absentReason.message()
        : r.host != null ? DecisionLog.ENOUGH_FEASIBLE : null;
    return e;
  }

  // ---------------------------------------------------------------- success: assume, reserve, permit, bind

  private void assumeAndBind(QueuedPodInfo q, Framework fw, CycleState state, ScheduleAlgorithm.Result r,
      DecisionLog.Entry entry) {
    PodInfo pod = q.podInfo();
    String host = r.host;
    cache.assumePod(pod, host);
    nominator.delete(pod.key());
    Status rs = fw.runReserve(state, pod, host);
    if (!rs.success()) {
      fw.runUnreserve(state, pod, host);
      cache.forgetPod(pod.key());
      singleNodeFailure(q, fw, state, host, rs, entry);
      return;
    }
    Status ps = fw.runPermit(state, pod, host);
    if (!ps.success()) {
      fw.runUnreserve(state, pod, host);
      cache.forgetPod(pod.key());
      singleNodeFailure(q, fw, state, host, ps, entry);
      return;
    }
    entry.node = host;
    queue.done(pod.key());
    Status pre = fw.runPreBind(state, pod, host);
    if (!pre.success()) {
      bindingFailed(q, fw, state, host, pre);
      return;
    }
    int evaluated = r.evaluatedNodes;
    int feasible = r.feasibleCount;
    fw.runBind(state, pod, host, s -> {
      if (s.success()) {
        bindings++;
        scheduledPods++;
        recorder.event(pod.pod(), EventRecorder.NORMAL, "Scheduled",
            "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + host);
        log.v(2, "Successfully bound pod to node", "pod", pod.key(), "node", host, "evaluatedNodes", evaluated,
            "feasibleNodes", feasible);
      } else {
        bindingFailed(q, fw, state, host, s);
      }
      maybeScheduleNext();
    });
  }

  /** A Reserve or Permit rejection: a FitError over the one node (schedulingCycle). */
  private void singleNodeFailure(QueuedPodInfo q, Framework fw, CycleState state, String host, Status s,
      DecisionLog.Entry entry) {
    ScheduleAlgorithm.Result r = new ScheduleAlgorithm.Result();
    r.numAllNodes = 1;
    if (s.rejected()) {
      r.statuses.set(host, s);
      if (s.plugin() != null) {
        r.unschedulablePlugins.add(s.plugin());
      }
    } else {
      r.error = s;
    }
    handleFailure(q, fw, r, null, null, entry);
  }

  /** handleBindingCycleError: forget the assumed pod, let others try its room, and retry it. */
  private void bindingFailed(QueuedPodInfo q, Framework fw, CycleState state, String host, Status s) {
    PodInfo pod = q.podInfo();
    bindFailures++;
    log.v(1, "Failed to bind pod", "pod", pod.key());
    fw.runUnreserve(state, pod, host);
    cache.forgetPod(pod.key());
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, pod.pod(), null,
        other -> !other.key().equals(pod.key()));
    ScheduleAlgorithm.Result r = new ScheduleAlgorithm.Result();
    r.error = s;
    DecisionLog.Entry e = baseEntry(q, fw);
    e.totalNodes = cache.nodeCount();
    handleFailure(q, fw, r, null, null, e);
    decisions.put(e);
  }

  // ---------------------------------------------------------------- failure

  private void onScheduleFailure(QueuedPodInfo q, Framework fw, CycleState state, ScheduleAlgorithm.Result r,
      DecisionLog.Entry entry) {
    String postFilterMessage = null;
    String nominated = null;
    if (r.fitError() && fw.hasPostFilterPlugins()) {
      PostFilterPlugin.Result pf = fw.runPostFilter(state, q.podInfo(), r.statuses);
      postFilterMessage = pf.status().message();
      nominated = pf.nominatedNodeName();
      log.v(5, "Status after running PostFilter plugins for pod", "pod", q.podInfo().key(), "status",
          postFilterMessage);
    }
    handleFailure(q, fw, r, postFilterMessage, nominated, entry);
  }

  /**
   * handleSchedulingFailure: back to the queue (parked if plugins turned it down, backing off if it
   * was an error), the nomination recorded, a FailedScheduling event, and PodScheduled=False.
   */
  private void handleFailure(QueuedPodInfo q, Framework fw, ScheduleAlgorithm.Result r, String postFilterMessage,
      String nominated, DecisionLog.Entry entry) {
    PodInfo pod = q.podInfo();
    String reason;
    String message;
    if (r.error != null) {
      message = r.error.message();
      reason = r.error.rejected() ? "Unschedulable" : "SchedulerError";
      if (ScheduleAlgorithm.ERR_NO_NODES_AVAILABLE.equals(message)) {
        log.v(2, "Unable to schedule pod; no nodes are registered to the cluster; waiting", "pod", pod.key());
      } else {
        log.error("Error scheduling pod; retrying", "err", message, "pod", pod.key());
      }
    } else {
      message = FitError.message(r.numAllNodes, r.statuses, r.preFilterMessage, postFilterMessage);
      reason = "Unschedulable";
      unschedulableAttempts++;
      log.v(2, "Unable to schedule pod; no fit; waiting", "pod", pod.key(), "err", message);
    }
    if (entry.message == null) {
      entry.message = message;
    }
    entry.nominatedNode = nominated == null || nominated.isEmpty() ? null : nominated;

    Pod cached = pods.get(pod.namespace(), pod.name());
    PodInfo latest = pod;
    if (cached == null) {
      log.info("Pod doesn't exist in informer cache", "pod", pod.key());
      queue.delete(pod.key());
    } else if (assigned(cached)) {
      log.info("Pod has been assigned to node. Abort adding it back to queue.", "pod", pod.key(), "node",
          cached.getSpec().getNodeName());
      queue.delete(pod.key());
    } else {
      if (cached != pod.pod()) {
        latest = PodInfo.of(cached);
        q.setPodInfo(latest);
      }
      if (r.fitError()) {
        queue.addUnschedulable(q, r.unschedulablePlugins, r.pendingPlugins);
      } else if (queue.contains(pod.key())) {
        queue.addAfterError(q);
      } else {
        queue.readd(q);
      }
    }
    if (nominated != null) {
      nominator.add(latest, nominated);
    }
    recorder.event(latest.pod(), EventRecorder.WARNING, "FailedScheduling", truncate(message));
    if (cached != null && !assigned(cached)) {
      updatePodStatus(cached, reason, message, nominated);
    }
  }

  static String truncate(String message) {
    if (message.length() <= NOTE_LENGTH_LIMIT) {
      return message;
    }
    String suffix = " ...";
    return message.substring(0, NOTE_LENGTH_LIMIT - suffix.length()) + suffix;
  }

  /**
   * updatePod: PodScheduled=False with the reason and message (lastTransitionTime kept while the
   * status stays False), and status.nominatedNodeName when preemption set or cleared one; nothing
   * is sent if nothing would change.
   */
  private void updatePodStatus(Pod pod, String reason, String message, String nominated) {
    PodCondition existing = null;
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())) {
          existing = c;
        }
      }
    }
    String currentNominated = pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null ? ""
        : pod.getStatus().getNominatedNodeName();
    boolean nominationChanges = nominated != null && !currentNominated.equals(nominated);
    boolean conditionChanges = existing == null || !"False".equals(existing.getStatus())
        || !reason.equals(existing.getReason()) || !message.equals(existing.getMessage());
    if (!nominationChanges && !conditionChanges) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    if (conditionChanges) {
      Map<String, Object> cond = new LinkedHashMap<>();
      cond.put("type", "PodScheduled");
      cond.put("status", "False");
      cond.put("lastProbeTime", null);
      cond.put("lastTransitionTime", existing != null && "False".equals(existing.getStatus())
          && existing.getLastTransitionTime() != null ? existing.getLastTransitionTime() : Times.rfc3339(clock.now()));
      cond.put("reason", reason);
      cond.put("message", message);
      status.put("conditions", List.of(cond));
    }
    if (nominationChanges) {
      status.put("nominatedNodeName", nominated.isEmpty() ? null : nominated);
    }
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    log.v(3, "Updating pod condition and nominated node name", "pod", key, "conditionType", "PodScheduled",
        "conditionStatus", "False", "conditionReason", reason);
    client.patchStatus(Resources.PODS, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        PatchType.STRATEGIC_MERGE_PATCH, Json.write(Map.of("status", status)), resp -> {
          if (resp instanceof Api.Failed f && f.code() != 404) {
            log.error("Error updating pod", "pod", key, "err", f.message());
          }
        });
  }

  // ---------------------------------------------------------------- informer handlers

  private final class PodHandler implements Informer.Handler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (assigned(pod)) {
        addAssignedPod(pod);
      } else if (responsibleFor(pod)) {
        PodInfo info = PodInfo.of(pod);
        queue.add(info);
        nominateFromStatus(info);
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      if (assigned(old)) {
        if (!assigned(pod)) {
          return;
        }
        PodInfo info = PodInfo.of(pod);
        cache.updatePod(info, pod.getSpec().getNodeName());
        for (ClusterEvent e : PodChanges.ofAssigned(old, pod)) {
          queue.moveAllToActiveOrBackoff(e, old, pod, null);
        }
        return;
      }
      if (assigned(pod)) {
        // bound: by us (confirming the assumption) or by someone else
        queue.delete(Informer.key(pod));
        nominator.delete(Informer.key(pod));
        addAssignedPod(pod);
        return;
      }
      if (!responsibleFor(pod)) {
        return;
      }
      if (old.getMetadata().getResourceVersion() != null
          && old.getMetadata().getResourceVersion().equals(pod.getMetadata().getResourceVersion())) {
        return;
      }
      if (cache.isAssumed(Informer.key(pod))) {
        return;
      }
      PodInfo info = PodInfo.of(pod);
      queue.update(info);
      nominateFromStatus(info);
    }

    @Override
    public void onDelete(Pod pod) {
      String key = Informer.key(pod);
      decisions.remove(key);
      if (assigned(pod) || cache.nodeOf(key) != null) {
        String node = cache.nodeOf(key);
        cache.removePod(key);
        nominator.delete(key);
        queue.delete(key);
        if (node != null) {
          log.v(3, "Delete event for scheduled pod", "pod", key);
          queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, pod, null, null);
        }
        return;
      }
      queue.delete(key);
      nominator.delete(key);
    }
  }

  private void addAssignedPod(Pod pod) {
    PodInfo info = PodInfo.of(pod);
    cache.addPod(info, pod.getSpec().getNodeName());
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_ADD, null, pod, null);
  }

  private void nominateFromStatus(PodInfo info) {
    String nnn = info.pod().getStatus() == null ? null : info.pod().getStatus().getNominatedNodeName();
    if (nnn != null && !nnn.isEmpty()) {
      nominator.add(info, nnn);
    } else if (nominator.nominatedNode(info.key()) != null) {
      nominator.update(info);
    }
  }

  private final class NodeHandler implements Informer.Handler<Node> {
    @Override
    public void onAdd(Node node) {
      cache.addNode(node);
      log.v(3, "Add event for node", "node", node.getMetadata().getName());
      queue.moveAllToActiveOrBackoff(ClusterEvent.NODE_ADD, null, node, null);
    }

    @Override
    public void onUpdate(Node old, Node node) {
      List<ClusterEvent> events = PodChanges.of(old, node);
      if (events.isEmpty() && !PodChanges.imagesChanged(old, node)) {
        return;
      }
      cache.updateNode(node);
      for (ClusterEvent e : events) {
        queue.moveAllToActiveOrBackoff(e, old, node, null);
      }
    }

    @Override
    public void onDelete(Node node) {
      cache.removeNode(node.getMetadata().getName());
      log.v(3, "Delete event for node", "node", node.getMetadata().getName());
      queue.moveAllToActiveOrBackoff(ClusterEvent.NODE_DELETE, node, null, null);
    }
  }

  /**
   * Claims, volumes and classes: an added or changed one may let pods that VolumeBinding turned
   * down fit (a claim the persistent volume controller has just bound, a new volume).
   */
  private final class StorageHandler<T extends HasMetadata> implements Informer.Handler<T> {
    private final ClusterEvent add;
    private final ClusterEvent update;

    StorageHandler(ClusterEvent add, ClusterEvent update) {
      this.add = add;
      this.update = update;
    }

    @Override
    public void onAdd(T object) {
      changed(object);
      queue.moveAllToActiveOrBackoff(add, null, object, null);
    }

    @Override
    public void onUpdate(T old, T object) {
      changed(object);
      queue.moveAllToActiveOrBackoff(update, old, object, null);
    }

    private void changed(T object) {
      if (object instanceof PersistentVolume pv) {
        for (Framework fw : frameworks.values()) {
          for (var p : fw.allPlugins()) {
            if (p instanceof VolumeBinding vb) {
              vb.volumeUpdated(pv);
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- the view plugins read

  private final class View implements ClusterView {
    @Override
    public List<NodeInfo> nodes() {
      return cache.nodeList();
    }

    @Override
    public NodeInfo node(String name) {
      return cache.node(name);
    }

    @Override
    public List<NodeInfo> nodesWithAffinityPods() {
      return cache.nodesWithAffinityPods();
    }

    @Override
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
      return cache.nodesWithRequiredAntiAffinityPods();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
      Namespace ns = namespaces.get(null, namespace);
      return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    @Override
    public List<String> namespacesMatching(LabelSelector selector) {
      List<String> out = new ArrayList<>();
      for (Namespace ns : namespaces.list()) {
        if (selector.matches(ns.getMetadata().getLabels())) {
          out.add(ns.getMetadata().getName());
        }
      }
      return out;
    }

    @Override
    public Pod pod(String namespace, String name) {
      return pods.get(namespace, name);
    }

    @Override
    public List<PodDisruptionBudget> podDisruptionBudgets() {
      return new ArrayList<>(pdbs.list());
    }

    @Override
    public List<Service> services(String namespace) {
      return services.size() == 0 ? List.of() : services.list(namespace);
    }

    @Override
    public ReplicaSet replicaSet(String namespace, String name) {
      return replicaSets.get(namespace, name);
    }

    @Override
    public StatefulSet statefulSet(String namespace, String name) {
      return statefulSets.get(namespace, name);
    }

    @Override
    public List<PodInfo> nominatedPods(String nodeName) {
      return nominator.isEmpty() ? List.of() : nominator.forNode(nodeName);
    }

    @Override
    public PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
      return claims.get(namespace, name);
    }

    @Override
    public List<PersistentVolume> persistentVolumes() {
      return new ArrayList<>(volumes.list());
    }

    @Override
    public PersistentVolume persistentVolume(String name) {
      return volumes.get(null, name);
    }

    @Override
    public StorageClass storageClass(String name) {
      return storageClasses.get(null, name);
    }
  }

  // ---------------------------------------------------------------- API calls of plugins

  private final class Actions implements Handle.Actions {
    @Override
    public void bind(PodInfo pod, String nodeName, Consumer<Status> done) {
      // Plain setters: a builder would cost more than the rest of the binding request.
      ObjectMeta meta = new ObjectMeta();
      meta.setNamespace(pod.namespace());
      meta.setName(pod.name());
      meta.setUid(pod.uid());
      ObjectReference target = new ObjectReference();
      target.setKind("Node");
      target.setName(nodeName);
      Binding b = new Binding();
      b.setMetadata(meta);
      b.setTarget(target);
      client.bind(b, resp -> {
        if (resp instanceof Api.Failed f) {
          done.accept(Status.error(f.message()));
        } else {
          done.accept(Status.SUCCESS);
        }
      });
    }

    @Override
    public void preempt(PodInfo preemptor, PodInfo victim, String nodeName) {
      Map<String, Object> cond = new LinkedHashMap<>();
      cond.put("type", "DisruptionTarget");
      cond.put("status", "True");
      cond.put("lastProbeTime", null);
      cond.put("lastTransitionTime", Times.rfc3339(clock.now()));
      cond.put("reason", DefaultPreemption.PREEMPTION_BY_SCHEDULER);
      cond.put("message", preemptor.pod().getSpec().getSchedulerName()
          + ": preempting to accommodate a higher priority pod");
      String body = Json.write(Map.of("status", Map.of("conditions", List.of(cond))));
      client.patchStatus(Resources.PODS, victim.namespace(), victim.name(), PatchType.STRATEGIC_MERGE_PATCH, body,
          resp -> {
            if (resp instanceof Api.Failed f) {
              if (f.code() == 404) {
                log.v(2, "Victim Pod is already deleted", "preemptor", preemptor.key(), "victim", victim.key(),
                    "node", nodeName);
              } else {
                log.error("Could not add DisruptionTarget condition due to preemption", "preemptor",
                    preemptor.key(), "victim", victim.key(), "err", f.message());
              }
              return;
            }
            client.delete(Resources.PODS, victim.namespace(), victim.name(), null, del -> {
              if (del instanceof Api.Failed f) {
                if (f.code() != 404) {
                  log.error("Tried to preempted pod", "pod", victim.key(), "preemptor", preemptor.key(), "err",
                      f.message());
                }
                return;
              }
              log.v(2, "Preemptor Pod preempted victim Pod", "preemptor", preemptor.key(), "victim", victim.key(),
                  "node", nodeName);
              recorder.event(victim.pod(), EventRecorder.NORMAL, "Preempted",
                  "Preempted by pod " + preemptor.uid() + " on node " + nodeName);
            });
          });
    }

    @Override
    public void update(HasMetadata object, Consumer<Status> done) {
      client.update(object, resp -> {
        if (resp instanceof Api.Failed f) {
          log.error("Failed to update for volume binding", "object", Informer.key(object), "err", f.message());
          done.accept(Status.error(f.message()));
        } else {
          done.accept(Status.SUCCESS);
        }
      });
    }

    @Override
    public void clearNomination(PodInfo pod) {
      nominator.delete(pod.key());
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("nominatedNodeName", null);
      client.patchStatus(Resources.PODS, pod.namespace(), pod.name(), PatchType.STRATEGIC_MERGE_PATCH,
          Json.write(Map.of("status", status)), resp -> {});
    }
  }
}
