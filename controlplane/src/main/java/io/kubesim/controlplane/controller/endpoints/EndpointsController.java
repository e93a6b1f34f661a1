package io.kubesim.controlplane.controller.endpoints;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.controller.endpointslice.EndpointSlices;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The legacy Endpoints controller (pkg/controller/endpoint/endpoints_controller.go; the Endpoints
 * API is deprecated since v1.33 but still served and kept): one Endpoints object per Service with a
 * selector, named as the Service, with the selected pods' addresses in {@code addresses} (Ready)
 * or {@code notReadyAddresses}; terminating pods are left out. The object is deleted with its
 * Service.
 */
public final class EndpointsController extends AbstractBehavior<EndpointsController.Command> {

  public static final String COMPONENT = "endpoint-controller";
  public static final String LOG_NAME = "endpoints";

  /** @param concurrentSyncs {@code --concurrent-endpoint-syncs} (5) */
  public record Settings(int concurrentSyncs) {
    public static final Settings DEFAULT = new Settings(5);
  }

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, Settings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new EndpointsController(c, t, ctx, settings)));
  }

  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<Service> services;
  private final Informer<Pod> pods;
  private final Informer<Endpoints> endpoints;
  private final WorkQueue<Command> queue;

  private EndpointsController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      Settings settings) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("endpoint", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentSyncs());
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
    this.endpoints = informers.add(Resources.ENDPOINTS, Endpoints.class, new Informer.Handler<>() {
      @Override
      public void onDelete(Endpoints e) {
        // checkLeftoverEndpoints / onEndpointsDelete: a Service whose Endpoints were deleted gets them back.
        if (services.get(e.getMetadata().getNamespace(), e.getMetadata().getName()) != null) {
          queue.add(Informer.key(e));
        }
      }
    });
    log.info("Starting controller", "name", "endpoint");
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

  private void enqueueServicesOf(Pod p, Pod old) {
    Pods.servicesSelecting(services, p, old).forEach(queue::add);
  }

  // ---------------------------------------------------------------- sync

  private void syncService(String key, WorkQueue.Done done) {
    int slash = key.indexOf('/');
    String ns = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Service svc = services.get(ns, name);
    Endpoints current = endpoints.get(ns, name);
    if (svc == null) {
      // The Service is gone: so are its Endpoints (the controller deletes them itself).
      if (current == null || isApiserverManaged(current)) {
        done.done(true);
        return;
      }
      client.delete(Resources.ENDPOINTS, ns, name, null, r -> {
        boolean ok = r instanceof Api.Ok || (r instanceof Api.Failed f && f.status().getCode() == 404);
        if (ok && r instanceof Api.Ok) {
          log.v(2, "Deleted Endpoints", "endpoints", key);
        }
        done.done(ok);
      });
      return;
    }
    if (svc.getSpec() == null || svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()
        || "ExternalName".equals(svc.getSpec().getType())) {
      done.done(true);
      return;
    }
    LabelSelector sel = LabelSelector.fromSet(svc.getSpec().getSelector());
    List<Pod> selected = new ArrayList<>();
    for (Pod p : pods.list(ns)) {
      if (sel.matches(p.getMetadata().getLabels())) {
        selected.add(p);
      }
    }
    List<EndpointSubset> computed = EndpointSubsets.compute(svc, selected);
    boolean truncated = EndpointSubsets.count(computed) > EndpointSubsets.MAX_CAPACITY;
    List<EndpointSubset> subsets = truncated ? EndpointSubsets.truncate(computed) : computed;
    Map<String, String> labels = new LinkedHashMap<>();
    if (svc.getMetadata().getLabels() != null) {
      labels.putAll(svc.getMetadata().getLabels());
    }
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put(EndpointSlices.HEADLESS_LABEL, "");
    } else {
      labels.remove(EndpointSlices.HEADLESS_LABEL);
    }
    if (current != null) {
      List<EndpointSubset> have = current.getSubsets() == null ? List.of() : current.getSubsets();
      Map<String, String> haveLabels = current.getMetadata().getLabels() == null ? Map.of()
          : current.getMetadata().getLabels();
      Map<String, String> ann = current.getMetadata().getAnnotations();
      boolean wasTruncated = ann != null && ann.containsKey(EndpointSubsets.OVER_CAPACITY);
      if (have.equals(subsets) && haveLabels.equals(labels) && wasTruncated == truncated) {
        done.done(true);
        return;
      }
    }
    EndpointsBuilder b = current == null ? new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .endMetadata() : new EndpointsBuilder(current);
    Map<String, String> annotations = new LinkedHashMap<>(current == null || current.getMetadata().getAnnotations()
        == null ? Map.of() : current.getMetadata().getAnnotations());
    if (truncated) {
      annotations.put(EndpointSubsets.OVER_CAPACITY, "truncated");
    } else {
      annotations.remove(EndpointSubsets.OVER_CAPACITY);
    }
    Endpoints desired = b.editMetadata().withLabels(labels).withAnnotations(annotations.isEmpty() ? null
        : annotations).endMetadata().withSubsets(subsets.isEmpty() ? null : subsets).build();
    java.util.function.Consumer<Api.Response> k = r -> {
      if (r instanceof Api.Ok) {
        if (current == null) {
          log.v(2, "Created Endpoints", "endpoints", key, "addresses", EndpointSubsets.count(subsets));
        }
        done.done(true);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (current == null) {
        recorder.event(svc, EventRecorder.WARNING, "FailedToCreateEndpoint",
            "Failed to create endpoint for service " + key + ": " + f.message());
      } else {
        recorder.event(svc, EventRecorder.WARNING, "FailedToUpdateEndpoint",
            "Failed to update endpoint " + key + ": " + f.message());
      }
      done.done(false);
    };
    if (current == null) {
      client.create(desired, k);
    } else {
      client.update(desired, k);
    }
  }

  /** The kubernetes Service's Endpoints belong to the apiserver's endpoint reconciler. */
  private static boolean isApiserverManaged(Endpoints e) {
    return "default".equals(e.getMetadata().getNamespace()) && "kubernetes".equals(e.getMetadata().getName());
  }
}
