package io.kubesim.controlplane.controller.namespace;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The namespace controller (pkg/controller/namespace): a deleted namespace (Terminating, held by
 * its "kubernetes" spec finalizer) has every namespaced object in it deleted, its deletion
 * conditions kept current, and once nothing is left its finalizer released through
 * namespaces/finalize, so that the apiserver removes it. Content still terminating (pods in their
 * grace period, objects with finalizers) makes it look again later.
 */
public final class NamespaceController extends AbstractBehavior<NamespaceController.Command> {

  public static final String COMPONENT = "namespace-controller";
  public static final String LOG_NAME = "namespace";
  public static final String FINALIZER = "kubernetes";
  /** namespaceDeletionGracePeriod: time for the caches (and admission) to see the deletion before acting. */
  static final Duration DELETION_GRACE = Duration.ofSeconds(5);
  /** finalizerEstimateSeconds: how long to wait for content held by finalizers. */
  static final long FINALIZER_ESTIMATE_SECONDS = 15;

  static final List<String> CONDITION_TYPES = List.of("NamespaceDeletionDiscoveryFailure",
      "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure", "NamespaceContentRemaining",
      "NamespaceFinalizersRemaining");
  private static final Map<String, String[]> OK = Map.of(
      "NamespaceDeletionDiscoveryFailure", new String[] {"ResourcesDiscovered", "All resources successfully discovered"},
      "NamespaceDeletionGroupVersionParsingFailure",
      new String[] {"ParsedGroupVersions", "All legacy kube types successfully parsed"},
      "NamespaceDeletionContentFailure",
      new String[] {"ContentDeleted", "All content successfully deleted, may be waiting on finalization"},
      "NamespaceContentRemaining", new String[] {"ContentRemoved", "All content successfully removed"},
      "NamespaceFinalizersRemaining",
      new String[] {"ContentHasNoFinalizers", "All content-preserving finalizers finished"});

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  private enum Resync implements Command { INSTANCE }

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new NamespaceController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final Informer<Namespace> namespaces;
  private final WorkQueue<Command> queue;

  private NamespaceController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("namespace", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentNamespaceSyncs());
    InformerSet informers = new InformerSet(client);
    this.namespaces = informers.add(Resources.NAMESPACES, Namespace.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Namespace ns) {
        enqueue(ns);
      }

      @Override
      public void onUpdate(Namespace old, Namespace ns) {
        enqueue(ns);
      }
    });
    log.info("Starting namespace controller");
    informers.start(() -> queue.start(this::syncNamespace));
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.namespaceSyncPeriod());
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
        .onMessageEquals(Resync.INSTANCE, this::onResync)
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

  /** The informer's periodic resync (--namespace-sync-period) offers every namespace again. */
  private Behavior<Command> onResync() {
    for (Namespace ns : namespaces.list()) {
      enqueue(ns);
    }
    return this;
  }

  private void enqueue(Namespace ns) {
    if (ns.getMetadata().getDeletionTimestamp() == null) {
      return;
    }
    queue.addAfter(ns.getMetadata().getName(), DELETION_GRACE);
  }

  // ---------------------------------------------------------------- sync

  private void syncNamespace(String name, WorkQueue.Done done) {
    client.get(Resources.NAMESPACES, null, name, r -> {
      if (!(r instanceof Api.Ok ok)) {
        done.done(r instanceof Api.Failed f && f.code() == 404);
        return;
      }
      Namespace ns = (Namespace) ok.object();
      if (ns.getMetadata().getDeletionTimestamp() == null || !hasFinalizer(ns)) {
        done.done(true);
        return;
      }
      deleteAllContent(ns, (estimate, error) -> {
        if (error) {
          done.done(false);
        } else if (estimate > 0) {
          long wait = estimate / 2 + 1;
          log.v(4, "Content remaining in namespace", "namespace", name, "waitSeconds", wait);
          queue.addAfter(name, Duration.ofSeconds(wait));
          done.done(true);
        } else {
          finalizeNamespace(name, 0, done::done);
        }
      });
    });
  }

  private static boolean hasFinalizer(Namespace ns) {
    return ns.getSpec() != null && ns.getSpec().getFinalizers() != null
        && ns.getSpec().getFinalizers().contains(FINALIZER);
  }

  /** What deleting one kind's content left behind. */
  private record Remains(ResourceType type, long estimate, int count, Map<String, Integer> finalizers,
      boolean unexpected) {}

  /** deleteAllContent: deletes every namespaced kind's objects; {@code then} gets the wait estimate and whether it failed. */
  private void deleteAllContent(Namespace ns, java.util.function.BiConsumer<Long, Boolean> then) {
    String name = ns.getMetadata().getName();
    log.v(4, "namespace controller - deleteAllContent", "namespace", name);
    List<ResourceType> kinds = new ArrayList<>();
    for (ResourceType t : Resources.all()) {
      if (t.namespaced()) {
        kinds.add(t);
      }
    }
    List<Remains> results = new ArrayList<>();
    int[] left = {kinds.size()};
    for (ResourceType t : kinds) {
      deleteAllContentFor(t, name, remains -> {
        results.add(remains);
        if (--left[0] == 0) {
          finishContent(ns, kinds, results, then);
        }
      });
    }
  }

  private void finishContent(Namespace ns, List<ResourceType> kinds, List<Remains> results,
      java.util.function.BiConsumer<Long, Boolean> then) {
    results.sort((a, b) -> Integer.compare(kinds.indexOf(a.type()), kinds.indexOf(b.type())));
    long estimate = 0;
    boolean error = false;
    List<String> remaining = new ArrayList<>();
    Map<String, Integer> finalizers = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    for (Remains r : results) {
      estimate = Math.max(estimate, r.estimate());
      if (r.unexpected()) {
        error = true;
        errors.add("unexpected items still remain in namespace: " + ns.getMetadata().getName() + " for gvr: "
            + gvr(r.type()));
      }
      if (r.count() > 0) {
        remaining.add(r.type().plural() + "." + r.type().group() + " has " + r.count() + " resource instances");
        r.finalizers().forEach((f, n) -> finalizers.merge(f, n, Integer::sum));
      }
    }
    java.util.Collections.sort(remaining);
    List<String> byFinalizer = new ArrayList<>();
    finalizers.forEach((f, n) -> byFinalizer.add(f + " in " + n + " resource instances"));
    java.util.Collections.sort(byFinalizer);
    Map<String, NamespaceCondition> wanted = new TreeMap<>();
    if (!errors.isEmpty()) {
      wanted.put("NamespaceDeletionContentFailure", cond("NamespaceDeletionContentFailure", "True",
          "ContentDeletionFailed", "Failed to delete all resource types, " + errors.size()
              + " remaining: " + String.join(", ", errors)));
    }
    if (!remaining.isEmpty()) {
      wanted.put("NamespaceContentRemaining", cond("NamespaceContentRemaining", "True", "SomeResourcesRemain",
          "Some resources are remaining: " + String.join(", ", remaining)));
    }
    if (!byFinalizer.isEmpty()) {
      wanted.put("NamespaceFinalizersRemaining", cond("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
          "Some content in the namespace has finalizers remaining: " + String.join(", ", byFinalizer)));
    }
    long est = estimate;
    boolean err = error;
    updateConditions(ns, wanted, () -> {
      log.v(4, "namespace controller - deleteAllContent", "namespace", ns.getMetadata().getName(), "estimate", est,
          "err", err ? String.join(", ", errors) : null);
      then.accept(est, err);
    });
  }

  private static String gvr(ResourceType t) {
    return t.group() + "/" + t.version() + ", Resource=" + t.plural();
  }

  private NamespaceCondition cond(String type, String status, String reason, String message) {
    return new NamespaceConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(Times.rfc3339(cc.clock().now())).build();
  }

  /** namespaceConditionUpdater.Update: all five conditions, in order, transition times kept when unchanged. */
  private void updateConditions(Namespace ns, Map<String, NamespaceCondition> wanted, Runnable then) {
    List<NamespaceCondition> old = ns.getStatus() == null || ns.getStatus().getConditions() == null ? List.of()
        : ns.getStatus().getConditions();
    List<NamespaceCondition> next = new ArrayList<>();
    boolean changed = false;
    for (String type : CONDITION_TYPES) {
      NamespaceCondition c = wanted.get(type);
      if (c == null) {
        c = cond(type, "False", OK.get(type)[0], OK.get(type)[1]);
      }
      NamespaceCondition prev = null;
      for (NamespaceCondition o : old) {
        if (type.equals(o.getType())) {
          prev = o;
        }
      }
      if (prev != null && Objects.equals(prev.getStatus(), c.getStatus())
          && Objects.equals(prev.getMessage(), c.getMessage()) && Objects.equals(prev.getReason(), c.getReason())) {
        c.setLastTransitionTime(prev.getLastTransitionTime());
      } else {
        changed = true;
      }
      next.add(c);
    }
    if (!changed) {
      then.run();
      return;
    }
    Namespace updated = new NamespaceBuilder(ns).editOrNewStatus().withConditions(next).endStatus().build();
    client.updateStatus(updated, r -> {
      if (r instanceof Api.Failed f) {
        log.error("couldn't update status condition for namespace", "namespace", ns.getMetadata().getName(),
            "err", f.message());
      }
      then.run();
    });
  }

  /** deleteAllContentForGroupVersionResource: estimate, delete each object, then see what remains. */
  private void deleteAllContentFor(ResourceType type, String ns, Consumer<Remains> then) {
    client.list(type, ns, ListOptions.ALL, r -> {
      if (!(r instanceof Api.Listed listed)) {
        then.accept(new Remains(type, 0, 0, Map.of(), true));
        return;
      }
      long estimate = 0;
      if (type == Resources.PODS) {
        // estimateGracefulTerminationForPods: the longest grace period of a pod not yet finished.
        for (HasMetadata o : listed.items()) {
          Pod p = (Pod) o;
          String phase = p.getStatus() == null ? "" : p.getStatus().getPhase();
          if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            continue;
          }
          Long grace = p.getSpec().getTerminationGracePeriodSeconds();
          if (grace != null && grace > estimate) {
            estimate = grace;
          }
        }
      }
      long est = estimate;
      List<HasMetadata> items = listed.items();
      if (items.isEmpty()) {
        then.accept(new Remains(type, 0, 0, Map.of(), false));
        return;
      }
      int[] left = {items.size()};
      for (HasMetadata o : items) {
        client.delete(type, ns, o.getMetadata().getName(),
            new DeleteOptionsBuilder().withPropagationPolicy("Background").build(), d -> {
              if (--left[0] == 0) {
                checkRemaining(type, ns, est, then);
              }
            });
      }
    });
  }

  private void checkRemaining(ResourceType type, String ns, long estimate, Consumer<Remains> then) {
    client.list(type, ns, ListOptions.ALL, r -> {
      if (!(r instanceof Api.Listed listed)) {
        then.accept(new Remains(type, estimate, 0, Map.of(), true));
        return;
      }
      if (listed.items().isEmpty()) {
        then.accept(new Remains(type, 0, 0, Map.of(), false));
        return;
      }
      Map<String, Integer> finalizers = new TreeMap<>();
      for (HasMetadata o : listed.items()) {
        if (o.getMetadata().getFinalizers() != null) {
          for (String f : o.getMetadata().getFinalizers()) {
            finalizers.merge(f, 1, Integer::sum);
          }
        }
      }
      int count = listed.items().size();
      if (estimate != 0) {
        then.accept(new Remains(type, estimate, count, finalizers, false));
      } else if (!finalizers.isEmpty()) {
        then.accept(new Remains(type, FINALIZER_ESTIMATE_SECONDS, count, finalizers, false));
      } else {
        then.accept(new Remains(type, estimate, count, Map.of(), true));
      }
    });
  }

  /** finalizeNamespace: removes "kubernetes" from spec.finalizers through namespaces/finalize; retried on conflict. */
  private void finalizeNamespace(String name, int attempt, Consumer<Boolean> done) {
    client.get(Resources.NAMESPACES, null, name, r -> {
      if (!(r instanceof Api.Ok ok)) {
        done.accept(r instanceof Api.Failed f && f.code() == 404);
        return;
      }
      Namespace ns = (Namespace) ok.object();
      List<String> rest = new ArrayList<>(ns.getSpec() == null || ns.getSpec().getFinalizers() == null ? List.of()
          : ns.getSpec().getFinalizers());
      rest.removeIf(FINALIZER::equals);
      Namespace released = new NamespaceBuilder(ns).editOrNewSpec().withFinalizers(rest).endSpec().build();
      client.update(released, "finalize", u -> {
        if (u instanceof Api.Ok || (u instanceof Api.Failed f && f.code() == 404)) {
          log.v(4, "Finished syncing namespace", "namespace", name);
          done.accept(true);
        } else if (u instanceof Api.Failed f && f.code() == 409 && attempt < 5) {
          finalizeNamespace(name, attempt + 1, done);
        } else {
          done.accept(false);
        }
      });
    });
  }
}
