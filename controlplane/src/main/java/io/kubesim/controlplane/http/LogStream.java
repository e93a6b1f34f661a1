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
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ApiErrors;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET pods/NAME/log}: the container's simulated output from its node, as kube-apiserver
 * proxies the kubelet's containerLogs endpoint. Plain text; with {@code follow=true} a chunked
 * stream that sends each new line as the container writes it (in virtual time) and ends when the
 * container stops or the client goes away.
 */
final class LogStream {

  /** Lines of a followed log buffered for a slow client before the stream is cut. */
  private static final int FOLLOW_BUFFER = 10_000;

  private LogStream() {}

  static CompletionStage<HttpResponse> serve(SimulationLink link, Materializer mat, ResourceApi.Target t, Query q) {
    PodLogs.Options o = PodLogs.options(q, t.name());
    return link.call((r, tag) -> new Api.Get(t.type(), t.namespace(), t.name(), r, tag)).thenCompose(a -> {
      if (a.response() instanceof Api.Failed f) {
        return done(Render.status(f.status()));
      }
      Pod pod = (Pod) ((Api.Ok) a.response()).object();
      String container = PodLogs.container(pod, o.container());
      String node = pod.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        // LogLocation: a pod not yet scheduled has no log location, and the answer is empty.
        return done(text(new byte[0]));
      }
      if (!o.follow() || o.previous()) {
        return link.containerLogs(node, t.namespace(), t.name(), container, o.previous())
            .thenApply(ans -> {
              HttpResponse refused = refusal(pod, container, o, ans);
              if (refused != null) {
                return refused;
              }
              PodLogs.Writer w = new PodLogs.Writer(o, a.now());
              return text(w.writeAll(PodLogs.tail(ans.lines(), o.tailLines())));
            });
      }
      return follow(link, mat, pod, container, o, a.now());
    });
  }

  /** The error response for a log the node cannot serve, or null. */
  private static HttpResponse refusal(Pod pod, String container, PodLogs.Options o, ClusterProxy.LogsAnswer ans) {
    if (ans.unreachable() != null) {
      return Render.status(ApiErrors.status(500, null, PodLogs.logDialError(pod, container, o, ans.unreachable()),
          null));
    }
    String refusal = PodLogs.kubeletRefusal(pod, container, o.previous());
    if (refusal == null) {
      refusal = ans.error();
    }
    return refusal == null ? null : Render.status(ApiErrors.badRequest(refusal));
  }

  private static CompletionStage<HttpResponse> follow(SimulationLink link, Materializer mat, Pod pod,
      String container, PodLogs.Options o, Instant now) {
    Pair<BoundedSourceQueue<ClusterProxy.LogsAnswer>, Source<ClusterProxy.LogsAnswer, NotUsed>> pair =
        Source.<ClusterProxy.LogsAnswer>queue(FOLLOW_BUFFER).preMaterialize(mat);
    BoundedSourceQueue<ClusterProxy.LogsAnswer> queue = pair.first();
    CompletableFuture<ClusterProxy.LogsAnswer> first = new CompletableFuture<>();
    long id = link.followLogs(pod.getSpec().getNodeName(), pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), container, part -> {
          // Called on the driver thread: only hand the part over.
          if (!first.isDone()) {
            first.complete(part);
          } else if (part.ended() && part.lines().isEmpty()) {
            Queues.complete(queue);
          } else {
            Queues.offer(queue, part);
            if (part.ended()) {
              Queues.complete(queue);
            }
          }
        });
    return first.thenApplyAsync(initial -> {
      HttpResponse refused = refusal(pod, container, o, initial);
      if (refused != null) {
        link.stopFollowing(id);
        Queues.complete(queue);
        return refused;
      }
      if (initial.ended()) {
        Queues.complete(queue);
      }
      PodLogs.Writer w = new PodLogs.Writer(o, now);
      ByteString head = ByteString.fromArrayUnsafe(w.writeAll(PodLogs.tail(initial.lines(), o.tailLines())));
      Source<ByteString, NotUsed> rest = pair.second()
          .map(p -> ByteString.fromArrayUnsafe(w.writeAll(p.lines())))
          .takeWhile(b -> !w.full(), true)
          .filter(b -> !b.isEmpty());
      Source<ByteString, NotUsed> body = (w.full() ? Source.<ByteString>empty() : rest)
          .prepend(Source.single(head))
          .watchTermination((m, done) -> {
            done.whenComplete((d, t) -> link.stopFollowing(id));
            return m;
          });
      return HttpResponse.create().withStatus(200).withEntity(HttpEntities.createChunked(
          ContentTypes.TEXT_PLAIN_UTF8, body));
    }, link.executor());
  }

  private static HttpResponse text(byte[] body) {
    return HttpResponse.create().withStatus(200).withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
