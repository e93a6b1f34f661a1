package io.kubesim.controlplane.controller.endpointslice;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go): for
 * every Service with a selector, keeps EndpointSlices listing the pods it selects, with their
 * addresses, ready, serving and terminating conditions, node, zone and ports; at most
 * {@code maxEndpointsPerSlice} endpoints each. A pod whose node becomes unreachable turns
 * not-ready (the node lifecycle controller sets its Ready condition False), so its endpoint turns
 * ready=false. Slices of a deleted Service go with it through their owner reference (the garbage
 * collector).
 */
public final class EndpointSliceController extends AbstractBehavior<EndpointSliceController.Command> {

  public static final String COMPONENT = "endpoint-slice-controller";
  public static final String LOG_NAME = "endpointslice";

  /**
   * @param concurrentSyncs {@code --concurrent-service-endpoint-syncs} (5)
   * @param maxEndpointsPerSlice {@code --max-endpoints-per-slice} (100)
   */
  public record Settings(int concurrentSyncs, int maxEndpointsPerSlice) {
    public static final Settings DEFAULT = new Settings(5, EndpointSlices.DEFAULT_MAX_ENDPOINTS_PER_SLICE);
  }

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, Settings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new EndpointSliceController(c, t, ctx, settings)));
  }

  private final Settings settings;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<Service> services;
  private final Informer<Pod> pods;
  private final Informer<EndpointSlice> slices;
  private final Informer<Node> nodes;
  private final WorkQueue<Command> queue;

  private EndpointSliceController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      Settings settings) {
    super(context);
    this.settings = settings;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("endpoint_slice", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, settings.concurrentSyncs());
    InformerSet informers = new InformerSet(client);
    this.services = informers.add(Resources.SERVICES, Service.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Service s) {
        queue.add(Informer.key(s));
      }

      @Override
      public void onUpdate(Service old, Service s) {
        queue.add(Informer.key(s));
      }

      @Override
      public void onDelete(Service s) {
        queue.add(Informer.key(s));
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        enqueueServicesOf(p, null);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
          enqueueServicesOf(p, old);
        }
      }

      @Override
      public void onDelete(Pod p) {
        enqueueServicesOf(p, null);
      }
    });
    this.slices = informers.add(Resources.ENDPOINTSLICES, EndpointSlice.class, new Informer.Handler<>() {
      @Override
      public void onAdd(EndpointSlice s) {
        enqueueOwner(s);
      }

      @Override
      public void onUpdate(EndpointSlice old, EndpointSlice s) {
        enqueueOwner(s);
      }

      @Override
      public void onDelete(EndpointSlice s) {
        enqueueOwner(s);
      }
    });
    // The zone of each endpoint comes from its node's topology label.
    this.nodes = informers.add(Resources.NODES, Node.class, new Informer.Handler<>() {
      @Override
      public void onUpdate(Node old, Node n) {
        if (!Objects.equals(zone(old), zone(n))) {
          for (Service s : services.list()) {
            queue.add(Informer.key(s));
          }
        }
      }
    });
    log.info("Starting controller", "name", "endpointslice");
    informers.start(() -> queue.start(this::syncService));
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

  private static String zone(Node n) {
    return n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(EndpointSlices.ZONE_LABEL);
  }

  /** GetPodServiceMemberships: the Services of the pod's namespace whose selector picks it (before or after). */
  private void enqueueServicesOf(Pod p, Pod old) {
    Pods.servicesSelecting(services, p, old).forEach(queue::add);
  }

  private void enqueueOwner(EndpointSlice s) {
    if (!EndpointSlices.managedBy(s, null)) {
      return;
    }
    String svc = s.getMetadata().getLabels().get(EndpointSlices.SERVICE_NAME_LABEL);
    if (svc != null && !svc.isEmpty()) {
      queue.add(Informer.key(s.getMetadata().getNamespace(), svc));
    }
  }

  // ---------------------------------------------------------------- sync

  private void syncService(String key, WorkQueue.Done done) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Service svc = services.get(ns, name);
    if (svc == null || svc.getSpec() == null || svc.getSpec().getSelector() == null
        || svc.getSpec().getSelector().isEmpty() || "ExternalName".equals(svc.getSpec().getType())) {
      // Deleted Services lose their slices through the garbage collector; selectorless ones are
      // left to whoever manages their endpoints.
      done.done(true);
      return;
    }
    if (svc.getMetadata().getDeletionTimestamp() != null) {
      done.done(true);
      return;
    }
    LabelSelector sel = LabelSelector.fromSet(svc.getSpec().getSelector());
    List<Pod> selected = new ArrayList<>();
    boolean missingNode = false;
    for (Pod p : pods.list(ns)) {
      if (!sel.matches(p.getMetadata().getLabels())) {
        continue;
      }
      String node = p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
      if (!node.isEmpty() && nodes.get(node) == null && EndpointSlices.shouldPodBeInEndpoints(p, true)) {
        // The reconciler leaves out a pod whose node it cannot find, and tries the Service again later.
        missingNode = true;
        continue;
      }
      selected.add(p);
    }
    List<EndpointSlice> existing = new ArrayList<>();
    for (EndpointSlice s : slices.list(ns)) {
      if (EndpointSlices.managedBy(s, name)) {
        existing.add(s);
      }
    }
    EndpointSlices.Plan plan = EndpointSlices.reconcile(svc, selected, n -> n.isEmpty() ? null : nodes.get(n),
        existing, settings.maxEndpointsPerSlice());
    boolean retry = missingNode;
    if (plan.isEmpty()) {
      done.done(!retry);
      return;
    }
    int writes = plan.create().size() + plan.update().size() + plan.delete().size();
    List<String> errors = new ArrayList<>();
    Consumer<Boolean> all = WorkQueue.all(writes, ok -> {
      if (!errors.isEmpty()) {
        // endpointslice_controller.go: the reconciler's error goes to the Service as an event.
        recorder.event(svc, EventRecorder.WARNING, "FailedToUpdateEndpointSlices",
            "Error updating Endpoint Slices for Service " + key + ": " + errors.get(0));
      }
      done.done(ok && !retry);
    });
    for (EndpointSlice s : plan.delete()) {
      client.delete(Resources.ENDPOINTSLICES, ns, s.getMetadata().getName(), null, r -> {
        boolean ok = r instanceof Api.Ok || (r instanceof Api.Failed f && f.status().getCode() == 404);
        if (ok) {
          log.v(2, "Deleted EndpointSlice", "endpointSlice", ns + "/" + s.getMetadata().getName(), "service", key);
        } else {
          errors.add("failed to delete " + s.getMetadata().getName() + " EndpointSlice for Service " + key + ": "
              + ((Api.Failed) r).message());
        }
        all.accept(ok);
      });
    }
    for (EndpointSlice s : plan.update()) {
      client.update(s, r -> {
        boolean ok = r instanceof Api.Ok;
        if (!ok) {
          errors.add("failed to update " + s.getMetadata().getName() + " EndpointSlice for Service " + key + ": "
              + ((Api.Failed) r).message());
        }
        all.accept(ok);
      });
    }
    for (EndpointSlice s : plan.create()) {
      client.create(s, r -> {
        boolean ok = r instanceof Api.Ok;
        if (ok) {
          log.v(2, "Created EndpointSlice", "endpointSlice", ns + "/" + ((Api.Ok) r).object().getMetadata().getName(),
              "service", key, "endpoints", s.getEndpoints() == null ? 0 : s.getEndpoints().size());
        } else {
          errors.add("failed to create EndpointSlice for Service " + key + ": " + ((Api.Failed) r).message());
        }
        all.accept(ok);
      });
    }
  }
}
