package io.kubesim.controlplane.controller.resourcequota;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.quota.Evaluator;
import io.kubesim.controlplane.quota.Evaluators;
import io.kubesim.controlplane.quota.QuotaUsage;
import io.kubesim.controlplane.quota.ResourceLists;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The resource quota controller (pkg/controller/resourcequota): keeps each ResourceQuota's
 * {@code status.hard} equal to its spec and {@code status.used} equal to what its namespace
 * actually uses. A quota is measured when it is created or its limits change, again whenever an
 * object it counts goes away or stops counting (a pod finishes, a service changes type: the
 * replenishment of resource_quota_monitor.go), and every {@code --resource-quota-sync-period}.
 * Between those, the apiserver's quota admission adds each new object's usage itself.
 *
 * <p>It watches the kinds its quotas count as they are first needed, as QuotaMonitor starts an
 * informer per quotable resource.
 */
public final class ResourceQuotaController extends AbstractBehavior<ResourceQuotaController.Command> {

  public static final String COMPONENT = "resourcequota-controller";
  public static final String LOG_NAME = "resource-quota";

  /**
   * @param resyncPeriod {@code --resource-quota-sync-period} (5m): every quota is measured again this often
   * @param workers {@code --concurrent-resource-quota-syncs} (5)
   */
  public record Settings(Duration resyncPeriod, int workers) {
    public static final Settings DEFAULT = new Settings(Duration.ofMinutes(5), 5);
  }

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  private enum Resync implements Command { INSTANCE }

  public static Behavior<Command> create(ComponentContext ctx, Settings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new ResourceQuotaController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final Informer<ResourceQuota> quotas;
  private final WorkQueue<Command> queue;
  /** One informer per counted kind, started when a quota first needs it. */
  private final Map<ResourceType, Informer<HasMetadata>> monitors = new LinkedHashMap<>();

  private ResourceQuotaController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc, Settings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("resourcequota_primary", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, settings.workers());
    InformerSet informers = new InformerSet(client);
    this.quotas = informers.add(Resources.RESOURCEQUOTAS, ResourceQuota.class, new Informer.Handler<>() {
      @Override
      public void onAdd(ResourceQuota q) {
        queue.add(Informer.key(q));
      }

      @Override
      public void onUpdate(ResourceQuota old, ResourceQuota q) {
        // Only a change of the limits calls for a new measurement; status changes are this
        // controller's own (or admission's).
        if (!ResourceLists.equal(hard(old.getSpec() == null ? null : old.getSpec().getHard()),
            hard(q.getSpec() == null ? null : q.getSpec().getHard()))) {
          queue.add(Informer.key(q));
        }
      }

      @Override
      public void onDelete(ResourceQuota q) {
        queue.add(Informer.key(q));
      }
    });
    log.info("Starting resource quota controller");
    informers.start(() -> queue.start(this::syncQuota));
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.resyncPeriod());
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

  /** enqueueAll: the full recalculation every resync period. */
  private Behavior<Command> onResync() {
    log.v(4, "Resource quota controller queued all resource quota for full calculation of usage");
    for (ResourceQuota q : quotas.list()) {
      queue.add(Informer.key(q));
    }
    return this;
  }

  private static TreeMap<String, Parsed> hard(Map<String, Quantity> list) {
    return ResourceLists.parse(list);
  }

  // ---------------------------------------------------------------- monitors and replenishment

  /** Starts the informer of a counted kind if it is not running; true once it has its initial list. */
  private boolean monitor(ResourceType type) {
    Informer<HasMetadata> m = monitors.get(type);
    if (m == null) {
      m = new Informer<>(client, type, HasMetadata.class, null, ListOptions.ALL, new Replenisher(type));
      monitors.put(type, m);
      log.v(4, "QuotaMonitor created object count evaluator", "resource", type.groupResource());
      m.start();
    }
    return m.synced();
  }

  /** The monitor's handler: a counted object went away, or stopped counting, so its namespace's quotas are measured. */
  private final class Replenisher implements Informer.Handler<HasMetadata> {
    private final ResourceType type;

    Replenisher(ResourceType type) {
      this.type = type;
    }

    @Override
    public void onUpdate(HasMetadata old, HasMetadata now) {
      boolean replenish = false;
      if (old instanceof Pod o && now instanceof Pod n) {
        replenish = Evaluators.chargedForCompute(o, cc.clock().now()) && !Evaluators.chargedForCompute(n, cc.clock().now());
      } else if (old instanceof Service o && now instanceof Service n) {
        replenish = !Objects.equals(o.getSpec() == null ? null : o.getSpec().getType(),
            n.getSpec() == null ? null : n.getSpec().getType());
      } else if (old instanceof PersistentVolumeClaim o && now instanceof PersistentVolumeClaim n) {
        replenish = !Objects.equals(o.getSpec() == null ? null : o.getSpec().getResources(),
            n.getSpec() == null ? null : n.getSpec().getResources());
      }
      if (replenish) {
        replenishQuota(type, now.getMetadata().getNamespace());
      }
    }

    @Override
    public void onDelete(HasMetadata last) {
      replenishQuota(type, last.getMetadata().getNamespace());
    }

    @Override
    public void onSynced() {
      // Quotas that waited for this kind's list can be measured now.
      for (ResourceQuota q : quotas.list()) {
        if (QuotaUsage.kindsFor(q).contains(type)) {
          queue.add(Informer.key(q));
        }
      }
    }
  }

  /** replenishQuota: the quotas of the namespace that track this kind are measured again. */
  private void replenishQuota(ResourceType type, String namespace) {
    Evaluator evaluator = Evaluators.of(type);
    if (evaluator == null) {
      return;
    }
    for (ResourceQuota q : quotas.list(namespace)) {
      Map<String, Quantity> statusHard = q.getStatus() == null ? null : q.getStatus().getHard();
      if (!evaluator.matchingResources(hard(statusHard).keySet()).isEmpty()) {
        queue.add(Informer.key(q));
      }
    }
  }

  // ---------------------------------------------------------------- sync

  /** syncResourceQuota: status.hard from the spec, status.used measured; written only if either changed. */
  private void syncQuota(String key, WorkQueue.Done done) {
    ResourceQuota q = quotas.get(key);
    if (q == null) {
      log.info("Resource quota has been deleted", "key", key);
      done.done(true);
      return;
    }
    boolean ready = true;
    for (ResourceType t : QuotaUsage.kindsFor(q)) {
      ready &= monitor(t);
    }
    if (!ready) {
      // measured when the monitors have their lists (Replenisher.onSynced)
      done.done(true);
      return;
    }
    Map<String, Quantity> specHard = q.getSpec() == null || q.getSpec().getHard() == null ? Map.of()
        : q.getSpec().getHard();
    ResourceQuotaStatus status = q.getStatus();
    Map<String, Quantity> statusHard = status == null ? null : status.getHard();
    Map<String, Quantity> statusUsed = status == null ? null : status.getUsed();
    boolean dirty = statusHard == null || statusUsed == null || !ResourceLists.equal(hard(specHard), hard(statusHard));

    String ns = q.getMetadata().getNamespace();
    TreeMap<String, Parsed> used = hard(statusUsed);
    used.putAll(QuotaUsage.calculate(q, t -> objectsOf(t, ns), cc.clock().now()));
    used = ResourceLists.mask(used, specHard.keySet());
    dirty |= !ResourceLists.equal(used, hard(statusUsed));
    if (!dirty) {
      log.v(4, "Finished syncing resource quota", "key", key);
      done.done(true);
      return;
    }
    ResourceQuota updated = new ResourceQuotaBuilder(q).withNewStatus()
        .withHard(new TreeMap<>(specHard)).withUsed(ResourceLists.toQuantities(used)).endStatus().build();
    client.updateStatus(updated, r -> {
      if (r instanceof Api.Failed f) {
        log.v(4, "Failed to update resource quota status", "key", key, "err", f.message());
        done.done(f.code() == 404);
        return;
      }
      log.v(4, "Finished syncing resource quota", "key", key);
      done.done(true);
    });
  }

  private Collection<HasMetadata> objectsOf(ResourceType type, String namespace) {
    Informer<HasMetadata> m = monitors.get(type);
    return m == null ? List.of() : new ArrayList<>(m.list(namespace));
  }
}
