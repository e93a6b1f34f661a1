package io.kubesim.controlplane.http;

import akka.NotUsed;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.log.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * kubesim's own endpoints beside the Kubernetes API (the clock is in {@link ApiHttpServer}):
 * <ul>
 *   <li>{@code POST /kubesim/v1/faults} with {@code {"fault":"node-down","node":"w3-k8s"}}: a node
 *       fault; answers with the result line;
 *   <li>{@code GET /kubesim/v1/logs[?component=NAME][&follow=true]}: the components' log lines
 *       (controllers, scheduler, kubelets) in virtual-time order, then with follow the new ones;
 *   <li>{@code GET /kubesim/v1/explain?namespace=NS&pod=NAME}: the scheduler's latest decision for
 *       a pod, as a table of filter verdicts and scores.
 * </ul>
 */
final class KubesimApi {

  /** Log lines buffered for a slow follower before its stream is cut. */
  private static final int FOLLOW_BUFFER = 50_000;

  private final SimulationLink link;
  private final Materializer mat;

  KubesimApi(SimulationLink link, Materializer mat) {
    this.link = link;
    this.mat = mat;
  }

  CompletionStage<HttpResponse> handle(String method, List<String> path, Query q, byte[] body) {
    if (path.size() != 3 || !path.get(1).equals("v1")) {
      throw ResourceApi.notFound();
    }
    return switch (path.get(2)) {
      case "faults" -> {
        if (!method.equals("POST")) {
          throw ResourceApi.methodNotAllowed();
        }
        yield fault(q, body);
      }
      case "logs" -> {
        if (!method.equals("GET")) {
          throw ResourceApi.methodNotAllowed();
        }
        yield logs(q);
      }
      case "explain" -> {
        if (!method.equals("GET")) {
          throw ResourceApi.methodNotAllowed();
        }
        yield explain(q);
      }
      default -> throw ResourceApi.notFound();
    };
  }

  // ---------------------------------------------------------------- faults

  private CompletionStage<HttpResponse> fault(Query q, byte[] body) {
    Map<String, String> args = new LinkedHashMap<>();
    if (body.length > 0) {
      try {
        Json.MAPPER.readTree(body).properties().forEach(e -> args.put(e.getKey(), e.getValue().asString()));
      } catch (RuntimeException e) {
        throw new StatusException(ApiErrors.badRequest("the body must be a JSON object: " + e.getMessage()));
      }
    }
    for (String k : List.of("fault", "node")) {
      if (q.get(k) != null) {
        args.put(k, q.get(k));
      }
    }
    String fault = args.getOrDefault("fault", "");
    String node = args.getOrDefault("node", "");
    if (fault.isEmpty() || node.isEmpty()) {
      throw new StatusException(ApiErrors.badRequest("a fault needs \"fault\" (node-down, node-up, kubelet-stop, "
          + "kubelet-start, partition, heal) and \"node\""));
    }
    return link.fault(fault, node).thenApply(result -> {
      if (result.startsWith("error: ")) {
        String message = result.substring("error: ".length());
        int code = message.startsWith("no node named") ? 404 : message.startsWith("unknown fault") ? 400 : 409;
        String reason = code == 404 ? "NotFound" : code == 400 ? "BadRequest" : "Conflict";
        return Render.status(ApiErrors.status(code, reason, message, null));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("kind", "FaultResult");
      out.put("apiVersion", "kubesim.io/v1");
      out.put("fault", fault);
      out.put("node", node);
      out.put("result", result);
      return Render.json(200, out);
    });
  }

  // ---------------------------------------------------------------- logs

  /** Matches a component by its name ("node-lifecycle"), or a family by its prefix ("kubelet" for "kubelet/w1-k8s"). */
  static Predicate<LogLine> component(String name) {
    if (name == null || name.isEmpty()) {
      return l -> true;
    }
    return l -> l.component().equals(name) || l.component().startsWith(name + "/");
  }

  private CompletionStage<HttpResponse> logs(Query q) {
    Predicate<LogLine> wanted = component(q.get("component"));
    boolean follow = q.bool("follow");
    LogBuffer buffer = link.clusterLogs();
    if (!follow) {
      StringBuilder sb = new StringBuilder(header(buffer));
      for (LogLine l : buffer.lines()) {
        if (wanted.test(l)) {
          sb.append(l.text()).append('\n');
        }
      }
      return done(HttpResponse.create().withStatus(200).withEntity(ContentTypes.TEXT_PLAIN_UTF8,
          sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
    Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> pair =
        Source.<ByteString>queue(FOLLOW_BUFFER).preMaterialize(mat);
    BoundedSourceQueue<ByteString> queue = pair.first();
    Consumer<LogLine> listener = new Consumer<>() {
      @Override
      public void accept(LogLine l) {
        // On the driver thread, as components write: only enqueue.
        if (wanted.test(l) && !Queues.offer(queue, line(l))) {
          buffer.removeListener(this);
          Queues.complete(queue);
        }
      }
    };
    List<LogLine> sofar = buffer.linesThenListen(listener);
    StringBuilder sb = new StringBuilder(header(buffer));
    for (LogLine l : sofar) {
      if (wanted.test(l)) {
        sb.append(l.text()).append('\n');
      }
    }
    Source<ByteString, NotUsed> body = pair.second()
        .prepend(Source.single(ByteString.fromString(sb.toString())))
        .watchTermination((m, done) -> {
          done.whenComplete((d, t) -> buffer.removeListener(listener));
          return m;
        });
    return done(HttpResponse.create().withStatus(200).withEntity(HttpEntities.createChunked(
        ContentTypes.TEXT_PLAIN_UTF8, body)));
  }

  private static String header(LogBuffer buffer) {
    long dropped = buffer.dropped();
    return dropped == 0 ? "" : "(" + dropped + " earlier lines dropped: the log keeps the latest "
        + buffer.lines().size() + ")\n";
  }

  private static ByteString line(LogLine l) {
    return ByteString.fromString(l.text() + "\n");
  }

  // ---------------------------------------------------------------- explain

  private CompletionStage<HttpResponse> explain(Query q) {
    String ns = q.get("namespace") == null || q.get("namespace").isEmpty() ? "default" : q.get("namespace");
    String name = q.get("pod");
    if (name == null || name.isEmpty()) {
      throw new StatusException(ApiErrors.badRequest("explain needs \"pod\" (and \"namespace\", default \"default\")"));
    }
    ResourceApi.checkPathSegment("resource", name);
    ResourceApi.checkPathSegment("namespace", ns);
    return link.call((r, tag) -> new Api.Get(Resources.PODS, ns, name, r, tag)).thenCompose(a -> {
      if (a.response() instanceof Api.Failed f) {
        return done(Render.status(f.status()));
      }
      Pod pod = (Pod) ((Api.Ok) a.response()).object();
      return link.explain(ns, name).thenApply(d -> d.isPresent()
          ? HttpResponse.create().withStatus(200).withEntity(ContentTypes.TEXT_PLAIN_UTF8,
              d.get().render().getBytes(StandardCharsets.UTF_8))
          : Render.status(ApiErrors.status(404, "NotFound", noDecision(pod), null)));
    });
  }

  /** Why the scheduler has nothing to say about a pod. */
  static String noDecision(Pod pod) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    String node = pod.getSpec().getNodeName();
    String scheduler = pod.getSpec().getSchedulerName();
    if (node != null && !node.isEmpty()) {
      String mirror = pod.getMetadata().getAnnotations() == null ? null
          : pod.getMetadata().getAnnotations().get("kubernetes.io/config.mirror");
      return "the scheduler has no decision for pod " + key + ": it did not place it; " + (mirror != null
          ? "it is the mirror of a static pod of " + node
          : "it was created bound to " + node + " (spec.nodeName)");
    }
    if (scheduler != null && !scheduler.isEmpty() && !scheduler.equals("default-scheduler")) {
      return "the scheduler has no decision for pod " + key + ": it asks for scheduler \"" + scheduler
          + "\" (spec.schedulerName), and no profile of kubesim's scheduler by that name has tried it";
    }
    return "the scheduler has no decision for pod " + key + " yet: it has not tried to schedule it";
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
