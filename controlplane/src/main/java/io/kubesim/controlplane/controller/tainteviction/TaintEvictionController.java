package io.kubesim.controlplane.controller.tainteviction;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.GoFmt;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.controller.nodelifecycle.NodeTaints;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The taint eviction controller (pkg/controller/tainteviction, "taint-eviction-controller", a
 * controller of its own since v1.29): pods on a node with NoExecute taints they do not tolerate
 * are deleted at once; pods that tolerate them for {@code tolerationSeconds} are deleted that long
 * after the controller noticed, unless the taint goes first. Deleting means a Normal
 * TaintManagerEviction event, the DisruptionTarget condition, then an ordinary graceful delete.
 */
public final class TaintEvictionController extends AbstractBehavior<TaintEvictionController.Command> {

  public static final String COMPONENT = "taint-eviction-controller";
  public static final String LOG_NAME = "taint-eviction";
  /** UpdateWorkerSize. */
  private static final int WORKERS = 8;
  /** retries of addConditionAndDeletePod. */
  private static final int DELETE_ATTEMPTS = 5;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  private record Fire(String podKey, long generation) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new TaintEvictionController(c, t, ctx)));
  }

  /** A scheduled deletion (TimedWorker); a null entry in {@link #workers} is work already done. */
  private record Worker(Instant createdAt, Instant fireAt, long generation) {}

  private final TimerScheduler<Command> timers;
  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final InformerSet informers;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  private final CacheIndex<Pod> podsByNode = CacheIndex.single(p -> Pods.nodeName(p).isEmpty() ? null : Pods.nodeName(p));
  private final WorkQueue<Command> queue;
  private final Map<String, List<Taint>> taintedNodes = new HashMap<>();
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private long generations;

  private TaintEvictionController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc) {
    super(context);
    this.timers = timers;
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("noexec_taint", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, WORKERS);
    this.informers = new InformerSet(client);
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
        podUpdated(p, null);
      }
    });
    this.nodes = informers.add(Resources.NODES, Node.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Node n) {
        nodeUpdated(null, n);
      }

      @Override
      public void onUpdate(Node old, Node n) {
        nodeUpdated(old, n);
      }

      @Override
      public void onDelete(Node n) {
        nodeUpdated(n, null);
      }
    });
    log.info("Starting", "controller", COMPONENT);
    log.info("Sending events to api server");
    informers.start(() -> queue.start(this::process));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
        .onMessage(Fire.class, this::onFire)
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

  // ---------------------------------------------------------------- events from the informers

  private void podUpdated(Pod old, Pod p) {
    Pod any = p != null ? p : old;
    if (old != null && p != null && Objects.equals(old.getSpec().getTolerations(), p.getSpec().getTolerations())
        && Pods.nodeName(old).equals(Pods.nodeName(p))) {
      return;
    }
    queue.add("pod\u0000" + Informer.key(any) + "\u0000" + Pods.nodeName(any));
  }

  private void nodeUpdated(Node old, Node n) {
    if (old != null && n != null && Eviction.noExecute(NodeTaints.taints(old))
        .equals(Eviction.noExecute(NodeTaints.taints(n)))) {
      return;
    }
    queue.add("node\u0000" + (n != null ? n : old).getMetadata().getName());
  }

  private void process(String item, WorkQueue.Done done) {
    String[] parts = item.split("\u0000", -1);
    if (parts[0].equals("node")) {
      handleNodeUpdate(parts[1]);
    } else {
      handlePodUpdate(parts[1], parts[2]);
    }
    done.done(true);
  }

  private void handlePodUpdate(String podKey, String nodeName) {
    Pod pod = pods.get(podKey);
    if (pod == null) {
      log.v(4, "Noticed pod deletion", "pod", podKey);
      cancelWorkWithEvent(podKey);
      return;
    }
    if (!Pods.nodeName(pod).equals(nodeName)) {
      return;
    }
    log.v(4, "Noticed pod update", "pod", podKey);
    if (nodeName.isEmpty()) {
      return;
    }
    List<Taint> taints = taintedNodes.get(nodeName);
    if (taints == null) {
      return;
    }
    processPodOnNode(pod, nodeName, taints, cc.clock().now());
  }

  private void handleNodeUpdate(String nodeName) {
    Node node = nodes.get(nodeName);
    if (node == null) {
      log.v(4, "Noticed node deletion", "node", nodeName);
      taintedNodes.remove(nodeName);
      return;
    }
    log.v(4, "Noticed node update", "node", nodeName);
    List<Taint> taints = Eviction.noExecute(NodeTaints.taints(node));
    if (taints.isEmpty()) {
      taintedNodes.remove(nodeName);
    } else {
      taintedNodes.put(nodeName, taints);
    }
    List<Pod> onNode = podsByNode.list(nodeName, pods);
    if (onNode.isEmpty()) {
      return;
    }
    if (taints.isEmpty()) {
      log.v(4, "All taints were removed from the node. Cancelling all evictions...", "node", nodeName);
      for (Pod p : onNode) {
        cancelWorkWithEvent(Informer.key(p));
      }
      return;
    }
    Instant now = cc.clock().now();
    for (Pod p : onNode) {
      processPodOnNode(p, nodeName, taints, now);
    }
  }

  private void processPodOnNode(Pod pod, String nodeName, List<Taint> taints, Instant now) {
    String key = Informer.key(pod);
    Worker scheduled = workers.get(key);
    Eviction.Plan plan = Eviction.plan(taints, pod.getSpec().getTolerations(), now,
        scheduled == null ? null : scheduled.createdAt());
    if (plan.cancel()) {
      cancelWorkWithEvent(key);
    }
    if (plan.add() != null) {
      if (plan.add().delay().isZero()) {
        log.v(2, "Not all taints are tolerated after update for pod on node", "pod", key, "node", nodeName);
      }
      addWork(key, plan.add());
    } else if (plan.cancel()) {
      log.v(4, "Current tolerations for pod tolerate forever, cancelling any scheduled deletion", "pod", key);
    }
  }

  // ---------------------------------------------------------------- the timed worker queue

  private void addWork(String key, Eviction.Work work) {
    if (workers.containsKey(key)) {
      log.v(4, "Trying to add already existing work, skipping", "args", key);
      return;
    }
    Duration delay = work.delay();
    if (delay.isZero() || delay.isNegative()) {
      workers.put(key, null);
      deletePod(key);
      return;
    }
    long gen = ++generations;
    workers.put(key, new Worker(work.createdAt(), work.fireAt(), gen));
    log.v(4, "Adding TimedWorkerQueue item", "item", key, "createdAt", GoFmt.time(work.createdAt()),
        "fireAt", GoFmt.time(work.fireAt()));
    timers.startSingleTimer(key, new Fire(key, gen), delay);
  }

  private void cancelWorkWithEvent(String key) {
    if (!workers.containsKey(key)) {
      return;
    }
    Worker w = workers.remove(key);
    if (w != null) {
      timers.cancel(key);
      log.v(4, "Cancelling TimedWorkerQueue item", "item", key, "time", GoFmt.time(cc.clock().now()));
      emit(key, "Cancelling deletion of Pod " + key);
    }
  }

  private Behavior<Command> onFire(Fire m) {
    Worker w = workers.get(m.podKey());
    if (w == null || w.generation() != m.generation()) {
      return this;
    }
    deletePod(m.podKey());
    return this;
  }

  /** deletePodHandler: the event, then DisruptionTarget and a graceful delete, retried a few times. */
  private void deletePod(String key) {
    String ns = key.substring(0, key.indexOf('/'));
    String name = key.substring(key.indexOf('/') + 1);
    log.info("Deleting pod", "controller", COMPONENT, "pod", key);
    emit(key, "Marking for deletion Pod " + key);
    attemptDelete(key, ns, name, 0);
  }

  private void attemptDelete(String key, String ns, String name, int attempt) {
    addConditionAndDeletePod(ns, name, ok -> {
      if (ok) {
        if (workers.containsKey(key)) {
          // The key stays, without a worker, so that the same eviction is not added again.
          workers.put(key, null);
        }
      } else if (attempt + 1 < DELETE_ATTEMPTS) {
        attemptDelete(key, ns, name, attempt + 1);
      } else {
        log.error("NoExecuteTaintManager: timed worker failed", "pod", key);
        workers.remove(key);
      }
    });
  }

  private void addConditionAndDeletePod(String ns, String name, java.util.function.Consumer<Boolean> done) {
    client.get(Resources.PODS, ns, name, r -> {
      if (!(r instanceof Api.Ok ok)) {
        done.accept(false);
        return;
      }
      Pod pod = (Pod) ok.object();
      PodCondition target = new PodConditionBuilder().withType(Pods.DISRUPTION_TARGET).withStatus("True")
          .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
          .withObservedGeneration(pod.getMetadata().getGeneration()).build();
      PodStatus next = Pods.withCondition(pod.getStatus(), target, cc.clock().now());
      Runnable delete = () -> client.delete(Resources.PODS, ns, name, null, d -> done.accept(d instanceof Api.Ok));
      if (next == null) {
        delete.run();
        return;
      }
      PodCondition written = null;
      for (PodCondition c : next.getConditions()) {
        if (Pods.DISRUPTION_TARGET.equals(c.getType())) {
          written = c;
        }
      }
      // utilpod.PatchPodStatus: a strategic merge patch of the status, with the pod's uid as precondition.
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("metadata", Map.of("uid", pod.getMetadata().getUid()));
      body.put("status", Map.of("conditions", List.of(written)));
      client.patchStatus(Resources.PODS, ns, name, PatchType.STRATEGIC_MERGE_PATCH, Json.write(body), p -> {
        if (p instanceof Api.Failed) {
          done.accept(false);
          return;
        }
        delete.run();
      });
    });
  }

  private void emit(String key, String message) {
    ObjectReference ref = new ObjectReference();
    ref.setApiVersion("v1");
    ref.setKind("Pod");
    ref.setNamespace(key.substring(0, key.indexOf('/')));
    ref.setName(key.substring(key.indexOf('/') + 1));
    recorder.event(ref, EventRecorder.NORMAL, "TaintManagerEviction", message);
  }
}
