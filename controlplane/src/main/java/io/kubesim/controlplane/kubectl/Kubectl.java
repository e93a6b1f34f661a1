package io.kubesim.controlplane.kubectl;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user at a terminal running kubectl against the simulated cluster: the operations a scenario's
 * timeline performs, sent to the apiserver the way kubectl sends them (the same patches, the same
 * eviction loop for drain), and reported in the log the way kubectl prints them ("node/w1-k8s
 * cordoned", "evicting pod default/web-5d8f7", "node/w1-k8s drained").
 */
public final class Kubectl extends AbstractBehavior<Kubectl.Command> {

  public sealed interface Command {}

  public record Apply(List<HasMetadata> objects) implements Command {}

  public record Delete(ResourceType type, String namespace, String name, String propagationPolicy,
      Long gracePeriodSeconds) implements Command {}

  public record Scale(ResourceType type, String namespace, String name, int replicas) implements Command {}

  public record Cordon(String node, boolean cordon) implements Command {}

  public record Drain(String node, boolean ignoreDaemonSets, boolean force, boolean deleteEmptyDirData,
      Long gracePeriodSeconds, Duration timeout) implements Command {}

  /** Taint specs as kubectl takes them: key=value:Effect, key:Effect, or with a trailing "-" to remove. */
  public record TaintNode(String node, List<String> taints) implements Command {}

  /** Label specs: key=value, or key- to remove. */
  public record Label(ResourceType type, String namespace, String name, List<String> labels) implements Command {}

  public record SetImage(ResourceType type, String namespace, String name, String container, String image)
      implements Command {}

  private record FromApi(Object message) implements Command {}

  private record EvictRetry(String drainId, String namespace, String pod) implements Command {}

  private record WaitDeleted(String drainId, String namespace, String pod, String uid) implements Command {}

  private record DrainTimeout(String drainId) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new Kubectl(c, t, ctx)));
  }

  private final TimerScheduler<Command> timers;
  private final ApiClient api;
  private final Klog log;
  private final Map<String, DrainState> drains = new LinkedHashMap<>();
  private int drainCount;

  /** kubectl drain's polling interval while waiting for evicted pods to go, and its retry after a 429. */
  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration EVICTION_RETRY = Duration.ofSeconds(5);

  private Kubectl(ActorContext<Command> ctx, TimerScheduler<Command> timers, ComponentContext c) {
    super(ctx);
    this.timers = timers;
    this.api = ApiClient.create(ctx, c.apiserver(), FromApi::new);
    this.log = c.log("kubectl");
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, m -> {
          api.receive(m.message());
          return this;
        })
        .onMessage(Apply.class, this::onApply)
        .onMessage(Delete.class, this::onDelete)
        .onMessage(Scale.class, this::onScale)
        .onMessage(Cordon.class, this::onCordon)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(TaintNode.class, this::onTaint)
        .onMessage(Label.class, this::onLabel)
        .onMessage(SetImage.class, this::onSetImage)
        .onMessage(EvictRetry.class, this::onEvictRetry)
        .onMessage(WaitDeleted.class, this::onWaitDeleted)
        .onMessage(DrainTimeout.class, this::onDrainTimeout)
        .build();
  }

  /** "deployment.apps/web", "node/w1-k8s", as kubectl names objects in its output. */
  static String ref(ResourceType type, String name) {
    return (type.group().isEmpty() ? type.singular() : type.singular() + "." + type.group()) + "/" + name;
  }

  private void error(Api.Failed f) {
    log.error("error: " + errorText(f));
  }

  static String errorText(Api.Failed f) {
    return "Error from server (" + f.reason() + "): " + f.message();
  }

  // ---------------------------------------------------------------- apply, delete, scale, label, image

  private Behavior<Command> onApply(Apply m) {
    applyAll(m.objects(), 0);
    return this;
  }

  /** One object after the other, each once the previous one's answer is in, as kubectl apply -f does. */
  private void applyAll(List<HasMetadata> objects, int i) {
    if (i < objects.size()) {
      apply(objects.get(i), () -> applyAll(objects, i + 1));
    }
  }

  /**
   * Creates the object, or, if it exists, patches it with the manifest's fields (a strategic merge
   * of everything but status, as kubectl apply sends when the live object was applied before).
   */
  private void apply(HasMetadata o, Runnable next) {
    ResourceType type = Resources.of(o);
    String ns = type.namespaced() ? (o.getMetadata().getNamespace() == null ? "default"
        : o.getMetadata().getNamespace()) : null;
    if (type.namespaced()) {
      o.getMetadata().setNamespace(ns);
    }
    String name = o.getMetadata().getName();
    ObjectNode manifest = (ObjectNode) Json.tree(o);
    manifest.remove("status");
    String lastApplied = Json.write(manifest);
    Map<String, String> ann = new LinkedHashMap<>(o.getMetadata().getAnnotations() == null ? Map.of()
        : o.getMetadata().getAnnotations());
    ann.put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
    api.get(type, ns, name, r -> {
      if (r instanceof Api.Failed f && f.code() == 404) {
        o.getMetadata().setAnnotations(ann);
        api.create(o, c -> {
          if (c instanceof Api.Failed cf) {
            error(cf);
          } else {
            log.info(ref(type, name) + " created");
          }
          next.run();
        });
      } else if (r instanceof Api.Ok ok) {
        String live = ok.object().getMetadata().getAnnotations() == null ? null
            : ok.object().getMetadata().getAnnotations().get("kubectl.kubernetes.io/last-applied-configuration");
        if (lastApplied.equals(live)) {
          log.info(ref(type, name) + " unchanged");
          next.run();
          return;
        }
        ObjectNode patch = manifest.deepCopy();
        patch.remove("apiVersion");
        patch.remove("kind");
        ((ObjectNode) patch.withObject("metadata")).withObject("annotations")
            .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
        api.patch(type, ns, name, PatchType.STRATEGIC_MERGE_PATCH, Json.write(patch), p -> {
          if (p instanceof Api.Failed pf) {
            error(pf);
          } else {
            log.info(ref(type, name) + " configured");
          }
          next.run();
        });
      } else if (r instanceof Api.Failed f) {
        error(f);
        next.run();
      }
    });
  }

  private Behavior<Command> onDelete(Delete m) {
    DeleteOptions o = new DeleteOptions();
    o.setPropagationPolicy(m.propagationPolicy() == null ? "Background" : m.propagationPolicy());
    o.setGracePeriodSeconds(m.gracePeriodSeconds());
    api.delete(m.type(), m.namespace(), m.name(), o, r -> {
      if (r instanceof Api.Failed f) {
        error(f);
      } else {
        String kind = m.type().group().isEmpty() ? m.type().singular() : m.type().plural() + "." + m.type().group();
        log.info(kind + " \"" + m.name() + "\" deleted");
      }
    });
    return this;
  }

  private Behavior<Command> onScale(Scale m) {
    api.patch(m.type(), m.namespace(), m.name(), PatchType.MERGE_PATCH,
        "{\"spec\":{\"replicas\":" + m.replicas() + "}}", r -> {
          if (r instanceof Api.Failed f) {
            error(f);
          } else {
            log.info(ref(m.type(), m.name()) + " scaled");
          }
        });
    return this;
  }

  private Behavior<Command> onLabel(Label m) {
    Map<String, Object> labels = new LinkedHashMap<>();
    for (String l : m.labels()) {
      if (l.endsWith("-")) {
        labels.put(l.substring(0, l.length() - 1), null);
      } else {
        int eq = l.indexOf('=');
        if (eq <= 0) {
          log.error("error: invalid label spec: " + l);
          return this;
        }
        labels.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    String patch = Json.write(Map.of("metadata", Map.of("labels", labels)));
    api.patch(m.type(), m.namespace(), m.name(), PatchType.MERGE_PATCH, patch, r -> {
      if (r instanceof Api.Failed f) {
        error(f);
      } else {
        log.info(ref(m.type(), m.name()) + " labeled");
      }
    });
    return this;
  }

  private Behavior<Command> onSetImage(SetImage m) {
    String patch = Json.write(Map.of("spec", Map.of("template", Map.of("spec", Map.of(
        "$setElementOrder/containers", List.of(Map.of("name", m.container())),
        "containers", List.of(Map.of("name", m.container(), "image", m.image())))))));
    api.patch(m.type(), m.namespace(), m.name(), PatchType.STRATEGIC_MERGE_PATCH, patch, r -> {
      if (r instanceof Api.Failed f) {
        error(f);
      } else {
        log.info(ref(m.type(), m.name()) + " image updated");
      }
    });
    return this;
  }

  // ---------------------------------------------------------------- cordon and taint

  private Behavior<Command> onCordon(Cordon m) {
    cordon(m.node(), m.cordon(), () -> {});
    return this;
  }

  /** As kubectl: read the node, and patch only if it is not already in that state. */
  private void cordon(String node, boolean cordon, Runnable then) {
    api.get(Resources.NODES, null, node, r -> {
      if (r instanceof Api.Failed f) {
        error(f);
        return;
      }
      Node n = (Node) ((Api.Ok) r).object();
      boolean is = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      if (is == cordon) {
        log.info("node/" + node + " already " + (cordon ? "cordoned" : "uncordoned"));
        then.run();
        return;
      }
      api.patch(Resources.NODES, null, node, PatchType.STRATEGIC_MERGE_PATCH,
          cordon ? "{\"spec\":{\"unschedulable\":true}}" : "{\"spec\":{\"unschedulable\":null}}", p -> {
            if (p instanceof Api.Failed f) {
              error(f);
            } else {
              log.info("node/" + node + (cordon ? " cordoned" : " uncordoned"));
              then.run();
            }
          });
    });
  }

  private Behavior<Command> onTaint(TaintNode m) {
    api.get(Resources.NODES, null, m.node(), r -> {
      if (r instanceof Api.Failed f) {
        error(f);
        return;
      }
      Node n = (Node) ((Api.Ok) r).object();
      List<Taint> taints = new ArrayList<>(n.getSpec() == null || n.getSpec().getTaints() == null ? List.of()
          : n.getSpec().getTaints());
      boolean removed = false;
      for (String spec : m.taints()) {
        TaintSpec t;
        try {
          t = TaintSpec.parse(spec);
        } catch (IllegalArgumentException e) {
          log.error("error: " + e.getMessage());
          return;
        }
        if (t.remove()) {
          boolean any = taints.removeIf(x -> x.getKey().equals(t.key())
              && (t.effect() == null || t.effect().equals(x.getEffect())));
          if (!any) {
            log.error("error: taint \"" + spec.substring(0, spec.length() - 1) + "\" not found");
            return;
          }
          removed = true;
        } else {
          for (Taint x : taints) {
            if (x.getKey().equals(t.key()) && x.getEffect().equals(t.effect())) {
              log.error("error: node " + m.node() + " already has " + t.key()
                  + " taint(s) with same effect(s) and --overwrite is false");
              return;
            }
          }
          taints.add(new Taint(t.effect(), t.key(), null, t.value()));
        }
      }
      boolean untainted = removed && m.taints().stream().allMatch(s -> s.endsWith("-"));
      String patch = taints.isEmpty() ? "{\"spec\":{\"taints\":null}}"
          : Json.write(Map.of("spec", Map.of("taints", taints)));
      api.patch(Resources.NODES, null, m.node(), PatchType.STRATEGIC_MERGE_PATCH, patch, p -> {
        if (p instanceof Api.Failed f) {
          error(f);
        } else {
          log.info("node/" + m.node() + (untainted ? " untainted" : " tainted"));
        }
      });
    });
    return this;
  }

  /** A taint argument of kubectl taint. */
  record TaintSpec(String key, String value, String effect, boolean remove) {
    static TaintSpec parse(String s) {
      boolean remove = s.endsWith("-");
      String body = remove ? s.substring(0, s.length() - 1) : s;
      String effect = null;
      int colon = body.lastIndexOf(':');
      if (colon >= 0) {
        effect = body.substring(colon + 1);
        body = body.substring(0, colon);
      }
      String key = body;
      String value = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        key = body.substring(0, eq);
        value = body.substring(eq + 1);
      }
      if (key.isEmpty()) {
        throw new IllegalArgumentException("invalid taint spec: " + s);
      }
      if (effect == null && !remove) {
        throw new IllegalArgumentException("invalid taint spec: " + s + ", effect is required");
      }
      if (effect != null && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
        throw new IllegalArgumentException("invalid taint effect: " + effect
            + ", unsupported taint effect");
      }
      return new TaintSpec(key, value, effect, remove);
    }
  }

  // ---------------------------------------------------------------- drain

  /** One drain in progress: the pods still being evicted. */
  private static final class DrainState {
    final Drain request;
    final List<String> pending = new ArrayList<>();

    DrainState(Drain request) {
      this.request = request;
    }
  }

  private Behavior<Command> onDrain(Drain m) {
    String id = m.node() + "#" + (++drainCount);
    cordon(m.node(), true, () -> api.list(Resources.PODS, null, ListOptions.fields("spec.nodeName=" + m.node()),
        r -> {
          if (r instanceof Api.Failed f) {
            error(f);
            return;
          }
          startEvictions(id, m, ((Api.Listed) r).items());
        }));
    return this;
  }

  /** kubectl's pod filters ({@link DrainFilters}), then the evictions (staging/src/k8s.io/kubectl/pkg/cmd/drain). */
  private void startEvictions(String id, Drain m, List<HasMetadata> items) {
    List<Pod> pods = items.stream().map(Pod.class::cast).toList();
    DrainFilters.Plan plan = DrainFilters.plan(pods, m.ignoreDaemonSets(), m.force(), m.deleteEmptyDirData());
    if (plan.refused()) {
      log.error("error: unable to drain node \"" + m.node() + "\" due to error: " + plan.errorText()
          + ", continuing command...");
      log.error("There are pending nodes to be drained:", "node", m.node());
      for (String e : plan.errors()) {
        log.error(e);
      }
      return;
    }
    if (!plan.warnings().isEmpty()) {
      log.warning("Warning: " + plan.warnings());
    }
    DrainState state = new DrainState(m);
    drains.put(id, state);
    if (m.timeout() != null && !m.timeout().isZero()) {
      timers.startSingleTimer(new DrainTimeout(id), m.timeout());
    }
    if (plan.toEvict().isEmpty()) {
      finishDrain(id);
      return;
    }
    for (Pod p : plan.toEvict()) {
      String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
      state.pending.add(key);
      log.info("evicting pod " + key);
      evict(id, p.getMetadata().getNamespace(), p.getMetadata().getName());
    }
  }

  private void evict(String id, String ns, String pod) {
    DrainState state = drains.get(id);
    if (state == null) {
      return;
    }
    DeleteOptions o = null;
    if (state.request.gracePeriodSeconds() != null && state.request.gracePeriodSeconds() >= 0) {
      o = new DeleteOptions();
      o.setGracePeriodSeconds(state.request.gracePeriodSeconds());
    }
    api.evict(ns, pod, o, r -> {
      if (r instanceof Api.Failed f) {
        if (f.code() == 404) {
          podGone(id, ns, pod);
        } else if (f.code() == 429) {
          log.error("error when evicting pods/\"" + pod + "\" -n \"" + ns + "\" (will retry after 5s): "
              + f.message());
          timers.startSingleTimer(new EvictRetry(id, ns, pod), EVICTION_RETRY);
        } else {
          error(f);
        }
        return;
      }
      String uid = ((Api.Ok) r).object().getMetadata().getUid();
      timers.startSingleTimer(new WaitDeleted(id, ns, pod, uid), POLL);
    });
  }

  private Behavior<Command> onEvictRetry(EvictRetry m) {
    evict(m.drainId(), m.namespace(), m.pod());
    return this;
  }

  private Behavior<Command> onWaitDeleted(WaitDeleted m) {
    api.get(Resources.PODS, m.namespace(), m.pod(), r -> {
      boolean gone = r instanceof Api.Failed f && f.code() == 404
          || r instanceof Api.Ok ok && !m.uid().equals(ok.object().getMetadata().getUid());
      if (gone) {
        podGone(m.drainId(), m.namespace(), m.pod());
      } else {
        timers.startSingleTimer(m, POLL);
      }
    });
    return this;
  }

  private void podGone(String id, String ns, String pod) {
    DrainState state = drains.get(id);
    if (state == null) {
      return;
    }
    log.info("pod/" + pod + " evicted");
    state.pending.remove(ns + "/" + pod);
    if (state.pending.isEmpty()) {
      finishDrain(id);
    }
  }

  private Behavior<Command> onDrainTimeout(DrainTimeout m) {
    DrainState state = drains.remove(m.drainId());
    if (state != null) {
      log.error("error: unable to drain node \"" + state.request.node() + "\" due to error: global timeout reached: "
          + io.kubesim.shared.time.GoDuration.format(state.request.timeout()) + ", continuing command...");
      log.error("There are pending nodes to be drained:", "node", state.request.node());
    }
    return this;
  }

  private void finishDrain(String id) {
    DrainState state = drains.remove(id);
    log.info("node/" + state.request.node() + " drained");
  }
}
