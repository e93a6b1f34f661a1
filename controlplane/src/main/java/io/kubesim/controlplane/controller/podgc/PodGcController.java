package io.kubesim.controlplane.controller.podgc;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pod garbage collector (pkg/controller/podgc/gc_controller.go), every gcCheckPeriod:
 * force-deletes terminated pods beyond {@code --terminated-pod-gc-threshold} (oldest first),
 * terminating pods on a NotReady node tainted node.kubernetes.io/out-of-service, pods bound to a
 * node that has been gone for the quarantine time (marked Failed with DisruptionTarget
 * DeletionByPodGC "PodGC: node no longer exists"), and terminating pods never scheduled.
 */
public final class PodGcController extends AbstractBehavior<PodGcController.Command> {

  public static final String COMPONENT = "pod-garbage-collector";
  public static final String LOG_NAME = "pod-gc";
  public static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Tick implements Command { INSTANCE }

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new PodGcController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final ControllerManagerSettings settings;
  private final Klog log;
  private final ApiClient client;
  private final Informer<Pod> pods;
  private final Informer<Node> nodes;
  /** The pods by node, and the terminated and the terminating ones, kept from the informer. */
  private final CacheIndex<Pod> podsByNode = CacheIndex.single(p -> Pods.nodeName(p).isEmpty() ? null
      : Pods.nodeName(p));
  private final Set<String> terminatedPods = new TreeSet<>();
  private final Set<String> terminatingPods = new TreeSet<>();
  /** nodeQueue: missing nodes, each due for a check at the end of its quarantine. */
  private final Map<String, Long> quarantine = new TreeMap<>();
  private boolean running;

  private PodGcController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.settings = settings;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    InformerSet informers = new InformerSet(client);
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        track(null, p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        track(old, p);
      }

      @Override
      public void onDelete(Pod p) {
        track(p, null);
      }
    });
    this.nodes = informers.add(Resources.NODES, Node.class, new Informer.Handler<>() {});
    informers.start(() -> timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.podGcPeriod()));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onTick() {
    if (running) {
      return this;
    }
    running = true;
    // The four collections work on what the informer handlers keep sorted (Go lists every pod for
    // each of them): terminated pods, terminating ones on a node, ones bound to a missing node, and
    // terminating ones never scheduled. Same pods, in the same (key) order, without the scans.
    Set<String> existingNodes = new java.util.HashSet<>();
    for (Node n : nodes.list()) {
      existingNodes.add(n.getMetadata().getName());
    }
    Pass pass = new Pass();
    for (String key : terminatedPods) {
      Pod p = pods.get(key);
      if (p != null) {
        pass.terminated.add(p);
      }
    }
    for (String key : terminatingPods) {
      Pod p = pods.get(key);
      if (p != null) {
        (Pods.nodeName(p).isEmpty() ? pass.unscheduledTerminating : pass.terminatingOnNode).add(p);
      }
    }
    // The node names pods are bound to, looked up unsorted (every 20 s, a thousand names that all
    // exist, as a rule); the missing ones in order.
    List<String> missing = new ArrayList<>();
    for (String node : podsByNode.valuesUnordered()) {
      if (!existingNodes.contains(node)) {
        missing.add(node);
      }
    }
    Collections.sort(missing);
    for (String node : missing) {
      pass.onMissingNode.addAll(podsByNode.list(node, pods));
    }
    int[] left = {4};
    Runnable step = () -> {
      if (--left[0] == 0) {
        running = false;
      }
    };
    if (settings.terminatedPodGcThreshold() > 0) {
      gcTerminated(pass.terminated, step);
    } else {
      step.run();
    }
    gcTerminating(pass.terminatingOnNode, step);
    gcOrphaned(pass.onMissingNode, existingNodes, step);
    gcUnscheduledTerminating(pass.unscheduledTerminating, step);
    return this;
  }

  private void track(Pod old, Pod p) {
    if (old != null) {
      podsByNode.remove(old);
      terminatedPods.remove(Informer.key(old));
      terminatingPods.remove(Informer.key(old));
    }
    if (p != null) {
      podsByNode.add(p);
      if (terminated(p)) {
        terminatedPods.add(Informer.key(p));
      }
      if (Pods.terminating(p)) {
        terminatingPods.add(Informer.key(p));
      }
    }
  }

  /** The pods of one pass, by what may become of them. */
  private static final class Pass {
    final List<Pod> terminated = new ArrayList<>();
    final List<Pod> terminatingOnNode = new ArrayList<>();
    final List<Pod> onMissingNode = new ArrayList<>();
    final List<Pod> unscheduledTerminating = new ArrayList<>();
  }

  private static boolean terminated(Pod p) {
    String phase = Pods.phase(p);
    return !"Pending".equals(phase) && !"Running".equals(phase) && !"Unknown".equals(phase);
  }

  /** byEvictionAndCreationTimestamp: evicted pods first, then oldest, then by name. */
  private static int byEvictionAndCreation(Pod a, Pod b) {
    boolean ea = evicted(a);
    boolean eb = evicted(b);
    if (ea != eb) {
      return ea ? -1 : 1;
    }
    Instant ta = Times.parse(a.getMetadata().getCreationTimestamp());
    Instant tb = Times.parse(b.getMetadata().getCreationTimestamp());
    if (ta.equals(tb)) {
      return a.getMetadata().getName().compareTo(b.getMetadata().getName());
    }
    return ta.compareTo(tb);
  }

  private static boolean evicted(Pod p) {
    return "Failed".equals(Pods.phase(p)) && p.getStatus() != null && "Evicted".equals(p.getStatus().getReason());
  }

  private void gcTerminated(List<Pod> terminated, Runnable done) {
    int deleteCount = terminated.size() - settings.terminatedPodGcThreshold();
    if (deleteCount <= 0) {
      done.run();
      return;
    }
    log.info("Garbage collecting pods", "numPods", deleteCount);
    terminated.sort(PodGcController::byEvictionAndCreation);
    forEachAsync(terminated.subList(0, deleteCount), (p, next) -> markFailedAndDelete(p, null, ok -> next.run()), done);
  }

  private static boolean nodeReady(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static boolean outOfService(Node n) {
    if (n.getSpec() == null || n.getSpec().getTaints() == null) {
      return false;
    }
    for (Taint t : n.getSpec().getTaints()) {
      if (OUT_OF_SERVICE.equals(t.getKey())) {
        return true;
      }
    }
    return false;
  }

  private void gcTerminating(List<Pod> candidates, Runnable done) {
    log.v(4, "GC'ing terminating pods that are on out-of-service nodes");
    List<Pod> terminating = new ArrayList<>();
    for (Pod p : candidates) {
      Node n = nodes.get(Pods.nodeName(p));
      if (n == null) {
        continue;
      }
      if (!nodeReady(n) && outOfService(n)) {
        log.v(4, "Garbage collecting pod that is terminating", "pod", Informer.key(p), "phase", Pods.phase(p));
        terminating.add(p);
      }
    }
    if (terminating.isEmpty()) {
      done.run();
      return;
    }
    log.v(4, "Garbage collecting pods that are terminating on node tainted with node.kubernetes.io/out-of-service",
        "numPods", terminating.size());
    terminating.sort(PodGcController::byEvictionAndCreation);
    forEachAsync(terminating, (p, next) -> markFailedAndDelete(p, null, ok -> next.run()), done);
  }

  /** gcOrphaned: pods of nodes missing for the whole quarantine (and confirmed gone by a read). */
  private void gcOrphaned(List<Pod> onMissingNode, Set<String> existingNodes, Runnable done) {
    log.v(4, "GC'ing orphaned");
    long now = cc.clock().nanos();
    for (Pod p : onMissingNode) {
      quarantine.putIfAbsent(Pods.nodeName(p), now + settings.podGcQuarantine().toNanos());
    }
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Long> e : quarantine.entrySet()) {
      if (e.getValue() <= now) {
        due.add(e.getKey());
      }
    }
    Set<String> deleted = new TreeSet<>();
    forEachAsync(due, (node, next) -> {
      quarantine.remove(node);
      if (existingNodes.contains(node)) {
        next.run();
        return;
      }
      client.get(Resources.NODES, null, node, r -> {
        if (r instanceof Api.Failed f && f.code() == 404) {
          deleted.add(node);
        }
        next.run();
      });
    }, () -> {
      List<Pod> orphans = new ArrayList<>();
      for (Pod p : onMissingNode) {
        if (deleted.contains(Pods.nodeName(p))) {
          orphans.add(p);
        }
      }
      forEachAsync(orphans, (p, next) -> {
        log.v(2, "Found orphaned Pod assigned to the Node, deleting", "pod", Informer.key(p), "node", Pods.nodeName(p));
        PodCondition c = new PodConditionBuilder().withType(Pods.DISRUPTION_TARGET).withStatus("True")
            .withReason("DeletionByPodGC").withMessage("PodGC: node no longer exists")
            .withObservedGeneration(p.getMetadata().getGeneration()).build();
        markFailedAndDelete(p, c, ok -> {
          if (ok) {
            log.info("Forced deletion of orphaned Pod succeeded", "pod", Informer.key(p));
          }
          next.run();
        });
      }, done);
    });
  }

  private void gcUnscheduledTerminating(List<Pod> targets, Runnable done) {
    log.v(4, "GC'ing unscheduled pods which are terminating");
    forEachAsync(targets, (p, next) -> {
      log.v(2, "Found unscheduled terminating Pod not assigned to any Node, deleting", "pod", Informer.key(p));
      markFailedAndDelete(p, null, ok -> {
        if (ok) {
          log.info("Forced deletion of unscheduled terminating Pod succeeded", "pod", Informer.key(p));
        }
        next.run();
      });
    }, done);
  }

  /**
   * markFailedAndDeletePodWithCondition: a pod not yet finished is patched to Failed (with the
   * condition, if any), then deleted with grace 0.
   */
  private void markFailedAndDelete(Pod p, PodCondition condition, java.util.function.Consumer<Boolean> done) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    log.info("PodGC is force deleting Pod", "pod", Informer.key(p));
    Runnable delete = () -> client.delete(Resources.PODS, ns, name,
        new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build(),
        r -> done.accept(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
    String phase = Pods.phase(p);
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      delete.run();
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", "Failed");
    if (condition != null) {
      var next = Pods.withCondition(p.getStatus(), condition, cc.clock().now());
      if (next != null) {
        for (PodCondition c : next.getConditions()) {
          if (condition.getType().equals(c.getType())) {
            status.put("conditions", List.of(c));
          }
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("uid", p.getMetadata().getUid()));
    body.put("status", status);
    client.patchStatus(Resources.PODS, ns, name, PatchType.STRATEGIC_MERGE_PATCH, Json.write(body), r -> {
      if (r instanceof Api.Failed f) {
        done.accept(f.code() == 404);
        return;
      }
      delete.run();
    });
  }

  /** Runs {@code action} on every item, all at once, then {@code done}. */
  private static <T> void forEachAsync(List<T> items, java.util.function.BiConsumer<T, Runnable> action,
      Runnable done) {
    if (items.isEmpty()) {
      done.run();
      return;
    }
    int[] left = {items.size()};
    for (T item : items) {
      action.accept(item, () -> {
        if (--left[0] == 0) {
          done.run();
        }
      });
    }
  }
}
