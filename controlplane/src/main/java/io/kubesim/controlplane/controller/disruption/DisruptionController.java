package io.kubesim.controlplane.controller.disruption;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
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
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status
 * (expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods,
 * observedGeneration and the DisruptionAllowed condition) current from the pods it selects and the
 * scale of their controllers, which is what the eviction API consults. It also resets a
 * DisruptionTarget condition left on a pod that was not deleted after all.
 */
public final class DisruptionController extends AbstractBehavior<DisruptionController.Command> {

  public static final String COMPONENT = "controllermanager";
  public static final String LOG_NAME = "disruption";
  private static final int WORKERS = 1;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  private enum DrainStale implements Command { INSTANCE }

  private record RequeueStale(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new DisruptionController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final ControllerManagerSettings settings;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<PodDisruptionBudget> pdbs;
  private final Informer<Pod> pods;
  private final Informer<ReplicaSet> replicaSets;
  private final Informer<Deployment> deployments;
  private final Informer<StatefulSet> statefulSets;
  private final WorkQueue<Command> queue;
  private final WorkQueue<Command> staleQueue;

  private DisruptionController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.settings = settings;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("disruption", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        WORKERS);
    this.staleQueue = new WorkQueue<>("disruption_stale_pod_disruption", context.getSelf(), timers, cc.clock(),
        DrainStale.INSTANCE, RequeueStale::new, WORKERS);
    InformerSet informers = new InformerSet(client);
    this.pdbs = informers.add(Resources.PODDISRUPTIONBUDGETS, PodDisruptionBudget.class, new Informer.Handler<>() {
      @Override
      public void onAdd(PodDisruptionBudget pdb) {
        log.v(4, "Add DB", "podDisruptionBudget", Informer.key(pdb));
        queue.add(Informer.key(pdb));
      }

      @Override
      public void onUpdate(PodDisruptionBudget old, PodDisruptionBudget pdb) {
        log.v(4, "Update DB", "podDisruptionBudget", Informer.key(pdb));
        queue.add(Informer.key(pdb));
      }

      @Override
      public void onDelete(PodDisruptionBudget pdb) {
        log.v(4, "Remove DB", "podDisruptionBudget", Informer.key(pdb));
        queue.add(Informer.key(pdb));
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podChanged(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podChanged(p);
      }

      @Override
      public void onDelete(Pod p) {
        PodDisruptionBudget pdb = pdbForPod(p);
        if (pdb != null) {
          queue.add(Informer.key(pdb));
        }
      }
    });
    this.replicaSets = informers.add(Resources.REPLICASETS, ReplicaSet.class, new Informer.Handler<>() {});
    this.deployments = informers.add(Resources.DEPLOYMENTS, Deployment.class, new Informer.Handler<>() {});
    this.statefulSets = informers.add(Resources.STATEFULSETS, StatefulSet.class, new Informer.Handler<>() {});
    log.info("Starting disruption controller");
    informers.start(() -> {
      queue.start(this::sync);
      staleQueue.start(this::syncStalePodDisruption);
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, () -> onDrain(queue))
        .onMessageEquals(DrainStale.INSTANCE, () -> onDrain(staleQueue))
        .onMessage(Requeue.class, m -> onRequeue(queue, m.key()))
        .onMessage(RequeueStale.class, m -> onRequeue(staleQueue, m.key()))
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

  // ---------------------------------------------------------------- events

  private void podChanged(Pod p) {
    PodDisruptionBudget pdb = pdbForPod(p);
    if (pdb != null) {
      queue.add(Informer.key(pdb));
    }
    Duration cleanAfter = staleDisruptionCleanAfter(p);
    if (cleanAfter != null) {
      staleQueue.addAfter(Informer.key(p), cleanAfter);
    }
  }

  /** getPdbForPod: the budget selecting the pod; with several, the first, and a warning event. */
  private PodDisruptionBudget pdbForPod(Pod p) {
    if (p.getMetadata().getLabels() == null || p.getMetadata().getLabels().isEmpty()) {
      return null;
    }
    List<PodDisruptionBudget> matching = new ArrayList<>();
    for (PodDisruptionBudget pdb : pdbs.list(p.getMetadata().getNamespace())) {
      try {
        LabelSelector sel = LabelSelector.from(pdb.getSpec().getSelector());
        if (!sel.isEmpty() && sel.matches(p.getMetadata().getLabels())) {
          matching.add(pdb);
        }
      } catch (SelectorParseException e) {
        // A budget with an invalid selector selects nothing.
      }
    }
    if (matching.isEmpty()) {
      return null;
    }
    if (matching.size() > 1) {
      recorder.event(p, EventRecorder.WARNING, "MultiplePodDisruptionBudgets", "Pod \""
          + p.getMetadata().getNamespace() + "\"/\"" + p.getMetadata().getName()
          + "\" matches multiple PodDisruptionBudgets.  Chose \"" + matching.get(0).getMetadata().getName()
          + "\" arbitrarily.");
    }
    return matching.get(0);
  }

  // ---------------------------------------------------------------- finders

  /** finders(): ReplicaSets (or the Deployment owning them) and StatefulSets, by the pod's controller reference. */
  private DisruptionBudgets.ControllerScale find(OwnerReference ref, String ns) {
    if ("ReplicaSet".equals(ref.getKind()) && "apps/v1".equals(ref.getApiVersion())) {
      ReplicaSet rs = replicaSets.get(ns, ref.getName());
      if (rs == null || !Objects.equals(rs.getMetadata().getUid(), ref.getUid())) {
        return null;
      }
      OwnerReference owner = Owners.controllerOf(rs);
      if (owner != null && "Deployment".equals(owner.getKind())) {
        Deployment d = deployments.get(ns, owner.getName());
        if (d == null || !Objects.equals(d.getMetadata().getUid(), owner.getUid())) {
          return null;
        }
        return new DisruptionBudgets.ControllerScale(d.getMetadata().getUid(), n(d.getSpec().getReplicas()));
      }
      return new DisruptionBudgets.ControllerScale(rs.getMetadata().getUid(), n(rs.getSpec().getReplicas()));
    }
    if ("StatefulSet".equals(ref.getKind()) && "apps/v1".equals(ref.getApiVersion())) {
      StatefulSet ss = statefulSets.get(ns, ref.getName());
      if (ss == null || !Objects.equals(ss.getMetadata().getUid(), ref.getUid())) {
        return null;
      }
      return new DisruptionBudgets.ControllerScale(ss.getMetadata().getUid(), n(ss.getSpec().getReplicas()));
    }
    return null;
  }

  private static int n(Integer v) {
    return v == null ? 1 : v;
  }

  // ---------------------------------------------------------------- sync

  private void sync(String key, WorkQueue.Done done) {
    PodDisruptionBudget pdb = pdbs.get(key);
    if (pdb == null) {
      log.v(4, "podDisruptionBudget has been deleted", "key", key);
      done.done(true);
      return;
    }
    List<Pod> selected;
    try {
      LabelSelector sel = LabelSelector.from(pdb.getSpec().getSelector());
      selected = new ArrayList<>();
      for (Pod p : pods.list(pdb.getMetadata().getNamespace())) {
        if (sel.matches(p.getMetadata().getLabels())) {
          selected.add(p);
        }
      }
    } catch (SelectorParseException e) {
      recorder.event(pdb, EventRecorder.WARNING, "NoPods", "Failed to get pods: " + e.getMessage());
      failSafe(pdb, e.getMessage(), done);
      return;
    }
    if (selected.isEmpty()) {
      recorder.event(pdb, EventRecorder.NORMAL, "NoPods", "No matching pods found");
    }
    String ns = pdb.getMetadata().getNamespace();
    DisruptionBudgets.Counts counts = DisruptionBudgets.expected(pdb, selected, ref -> find(ref, ns));
    if (counts.error() != null) {
      recorder.event(pdb, EventRecorder.WARNING, "CalculateExpectedPodCountFailed",
          "Failed to calculate the number of expected pods: " + counts.error());
      log.error("Failed to sync PDB", "podDisruptionBudget", key, "err", counts.error());
      failSafe(pdb, counts.error(), done);
      return;
    }
    if (!counts.unmanagedPods().isEmpty()) {
      log.v(4, "Found unmanaged pods associated with this PDB", "pods", counts.unmanagedPods());
      recorder.event(pdb, EventRecorder.WARNING, "UnmanagedPods", "Pods selected by this PodDisruptionBudget "
          + "(selector: " + selectorString(pdb) + ") were found to be unmanaged. As a result, the status of the PDB "
          + "cannot be calculated correctly, which may result in undefined behavior. To account for these pods "
          + "please set \".spec.minAvailable\" field of the PDB to an integer value.");
    }
    Instant now = cc.clock().now();
    DisruptionBudgets.Disrupted disrupted = DisruptionBudgets.disrupted(pdb, selected, now,
        settings.disruptedPodTimeout());
    for (String name : disrupted.overdue()) {
      Pod p = pods.get(ns, name);
      log.v(1, "pod was expected to be deleted but it wasn't, updating PDB", "pod", ns + "/" + name,
          "podDisruptionBudget", key);
      if (p != null) {
        recorder.event(p, EventRecorder.WARNING, "NotDeleted", "Pod was expected by PDB " + ns + "/" + ns
            + " to be deleted but it wasn't");
      }
    }
    int healthy = DisruptionBudgets.currentHealthy(selected, disrupted.pods(), now, settings.disruptedPodTimeout());
    updateStatus(pdb, healthy, counts.desiredHealthy(), counts.expectedPods(), disrupted.pods(), ok -> {
      if (ok && disrupted.recheck() != null) {
        Duration wait = Duration.between(now, disrupted.recheck());
        log.v(4, "Enqueue pdb for recheck", "podDisruptionBudget", key, "delay", wait);
        queue.addAfter(key, wait);
      }
      done.done(ok);
    });
  }

  private static String selectorString(PodDisruptionBudget pdb) {
    var s = pdb.getSpec().getSelector();
    if (s == null) {
      return "nil";
    }
    return "&LabelSelector{MatchLabels:map[string]string{" + (s.getMatchLabels() == null ? ""
        : joinLabels(s.getMatchLabels())) + "},MatchExpressions:[]LabelSelectorRequirement{},}";
  }

  private static String joinLabels(Map<String, String> m) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(m).forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(",");
      }
      sb.append(k).append(": ").append(v).append(",");
    });
    return sb.toString();
  }

  /** updatePdbStatus: writes only when a count, the disrupted pods, the generation or the condition moved. */
  private void updateStatus(PodDisruptionBudget pdb, int healthy, int desired, int expected,
      Map<String, String> disrupted, java.util.function.Consumer<Boolean> done) {
    int allowed = DisruptionBudgets.disruptionsAllowed(healthy, desired, expected);
    PodDisruptionBudgetStatus cur = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
    Map<String, String> curDisrupted = cur.getDisruptedPods() == null || cur.getDisruptedPods().isEmpty() ? Map.of()
        : cur.getDisruptedPods();
    long gen = pdb.getMetadata().getGeneration() == null ? 0 : pdb.getMetadata().getGeneration();
    if (z(cur.getCurrentHealthy()) == healthy && z(cur.getDesiredHealthy()) == desired
        && z(cur.getExpectedPods()) == expected && z(cur.getDisruptionsAllowed()) == allowed
        && curDisrupted.equals(disrupted) && cur.getObservedGeneration() != null && cur.getObservedGeneration() == gen
        && DisruptionBudgets.conditionsUpToDate(pdb)) {
      done.accept(true);
      return;
    }
    PodDisruptionBudgetStatus next = new PodDisruptionBudgetStatus();
    next.setCurrentHealthy(healthy);
    next.setDesiredHealthy(desired);
    next.setExpectedPods(expected);
    next.setDisruptionsAllowed(allowed);
    next.setDisruptedPods(disrupted.isEmpty() ? null : disrupted);
    next.setObservedGeneration(gen);
    next.setConditions(cur.getConditions());
    if (allowed > 0) {
      DisruptionBudgets.setCondition(next, "True", DisruptionBudgets.SUFFICIENT_PODS, "", gen, cc.clock().now());
    } else {
      DisruptionBudgets.setCondition(next, "False", DisruptionBudgets.INSUFFICIENT_PODS, "", gen, cc.clock().now());
    }
    PodDisruptionBudget updated = new PodDisruptionBudgetBuilder(pdb).withStatus(next).build();
    client.updateStatus(updated, r -> done.accept(r instanceof Api.Ok));
  }

  /** failSafe: at least make sure no eviction is allowed, with a SyncFailed condition. */
  private void failSafe(PodDisruptionBudget pdb, String err, WorkQueue.Done done) {
    PodDisruptionBudgetStatus next = pdb.getStatus() == null ? new PodDisruptionBudgetStatus()
        : new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder(pdb.getStatus()).build();
    next.setDisruptionsAllowed(0);
    DisruptionBudgets.setCondition(next, "False", DisruptionBudgets.SYNC_FAILED, err, next.getObservedGeneration(),
        cc.clock().now());
    client.updateStatus(new PodDisruptionBudgetBuilder(pdb).withStatus(next).build(), r -> done.done(false));
  }

  private static int z(Integer v) {
    return v == null ? 0 : v;
  }

  // ---------------------------------------------------------------- stale DisruptionTarget conditions

  /**
   * nonTerminatingPodHasStaleDisruptionCondition: a True DisruptionTarget (not the kubelet's) on a
   * pod that is neither being deleted nor finished is reset after stalePodDisruptionTimeout.
   */
  private Duration staleDisruptionCleanAfter(Pod p) {
    if (Pods.terminating(p)) {
      return null;
    }
    PodCondition c = Pods.condition(p, Pods.DISRUPTION_TARGET);
    String phase = Pods.phase(p);
    if (c == null || !"True".equals(c.getStatus()) || "TerminationByKubelet".equals(c.getReason())
        || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      return null;
    }
    Instant since = Times.parse(c.getLastTransitionTime());
    Duration wait = settings.stalePodDisruptionTimeout().minus(Duration.between(since, cc.clock().now()));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private void syncStalePodDisruption(String key, WorkQueue.Done done) {
    Pod pod = pods.get(key);
    if (pod == null) {
      done.done(true);
      return;
    }
    Duration cleanAfter = staleDisruptionCleanAfter(pod);
    if (cleanAfter == null) {
      done.done(true);
      return;
    }
    if (!cleanAfter.isZero()) {
      staleQueue.addAfter(key, cleanAfter);
      done.done(true);
      return;
    }
    PodStatus next = Pods.withCondition(pod.getStatus(), new PodConditionBuilder().withType(Pods.DISRUPTION_TARGET)
        .withStatus("False").withObservedGeneration(pod.getMetadata().getGeneration()).build(), cc.clock().now());
    if (next == null) {
      done.done(true);
      return;
    }
    client.updateStatus(new PodBuilder(pod).withStatus(next).build(), r -> {
      if (r instanceof Api.Ok) {
        log.v(2, "Reset stale DisruptionTarget condition to False", "pod", key);
      }
      done.done(r instanceof Api.Ok);
    });
  }
}
