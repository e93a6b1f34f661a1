package io.kubesim.controlplane.http;

import akka.actor.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.stream.Materializer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.controlplane.launcher.Version;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.time.GoDuration;
import io.kubesim.shared.time.RealtimeDriver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-apiserver-compatible HTTP front of {@code kubesim serve}: akka-http in an ordinary
 * (real-time) actor system of its own, outside the simulation. It authenticates (optional bearer
 * token), limits bodies, routes ({@code /version}, discovery, OpenAPI, the resource endpoints,
 * kubesim's own {@code /kubesim/v1/clock}), and reaches the simulation only through
 * {@link SimulationLink}.
 */
public final class ApiHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);

  private static final String AKKA_CONFIG = String.join("\n",
      // Bodies are limited here, with a Status answer, not by akka's parser.
      "akka.http.server.parsing.max-content-length = infinite",
      "akka.http.server.parsing.uri-parsing-mode = relaxed",
      "akka.http.server.parsing.max-uri-length = 64k",
      "akka.http.server.parsing.illegal-header-warnings = off",
      // Watches stay open for as long as the client keeps them (kubectl get -w has no timeout).
      "akka.http.server.idle-timeout = infinite",
      "akka.http.server.request-timeout = 60s",
      "akka.http.server.server-header = \"\"",
      "akka.http.server.transparent-head-requests = off",
      // Two workers, one pool: a request crosses threads several times (connection, driver,
      // response, TCP writer), and with akka's defaults (eight fork-join workers, and an internal
      // pool for the TCP actors) each hand-off woke an idle worker, a futex wake and a context
      // switch. Nothing here blocks; the simulation runs on its own driver thread. Measured with
      // `bench http --watchers 0` at load ~10: HTTP CPU per create 861 -> 702 us with two workers,
      // 529 us with one; so one it was. With 100 watchers, in steady state on a quiet machine, one
      // worker is the bottleneck (~85 % busy while the process leaves a fifth of its two cores
      // idle): two gave more creates/s in ten of eleven alternating pairs of runs, median 3,579
      // against 2,997 in the last six, and more creates per CPU-second too (docs/BENCHMARKS.md).
      "akka.actor.default-dispatcher.fork-join-executor.parallelism-min = 2",
      "akka.actor.default-dispatcher.fork-join-executor.parallelism-max = 2",
      "akka.actor.internal-dispatcher.fork-join-executor.parallelism-min = 1",
      "akka.actor.internal-dispatcher.fork-join-executor.parallelism-max = 1",
      "akka.io.tcp.worker-dispatcher = \"akka.actor.default-dispatcher\"",
      "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
      "akka.jvm-shutdown-hooks = off",
      "akka.loglevel = WARNING",
      "akka.stdout-loglevel = WARNING");

  private final ActorSystem system;
  private final ServerBinding binding;
  private final SimulationLink link;
  private final HttpSettings settings;
  private final Materializer mat;
  private final ResourceApi resources;
  private final byte[] token;
  private final TlsIdentity tls;
  private final KubesimApi kubesim;

  private ApiHttpServer(ActorSystem system, HttpSettings settings, RealtimeDriver driver,
      akka.actor.typed.ActorRef<Gateway.Command> gateway, akka.actor.typed.ActorRef<ClusterProxy.Command> proxy,
      LogBuffer logs) {
    this.system = system;
    this.settings = settings;
    this.mat = Materializer.matFromSystem(system);
    this.link = new SimulationLink(driver, gateway, proxy, logs, system.dispatcher());
    this.resources = new ResourceApi(link, mat, settings);
    this.kubesim = new KubesimApi(link, mat);
    this.token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
    try {
      this.tls = settings.tls() ? TlsIdentity.generate(settings.address()) : null;
      var server = Http.get(system).newServerAt(settings.address(), settings.port());
      if (tls != null) {
        server = server.enableHttps(ConnectionContext.httpsServer(tls.serverContext()));
      }
      this.binding = server.bind(this::handle).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot listen on " + settings.address() + ":" + settings.port() + ": "
          + cause.getMessage(), cause);
    }
  }

  /** Binds the HTTP front; the gateway and the proxy must already run in the driver's simulation. */
  public static ApiHttpServer start(HttpSettings settings, RealtimeDriver driver,
      akka.actor.typed.ActorRef<Gateway.Command> gateway, akka.actor.typed.ActorRef<ClusterProxy.Command> proxy,
      LogBuffer logs) {
    // System properties (-Dakka...) override the settings above, to measure other dispatcher settings.
    Config config = ConfigFactory.systemProperties().withFallback(ConfigFactory.parseString(AKKA_CONFIG))
        .withFallback(ConfigFactory.load());
    ActorSystem system = ActorSystem.create("kubesim-http", config);
    return new ApiHttpServer(system, settings, driver, gateway, proxy, logs);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return binding.localAddress().getPort();
  }

  public String address() {
    return settings.address();
  }

  /** "https" with TLS, else "http". */
  public String scheme() {
    return tls != null ? "https" : "http";
  }

  /** The serving certificate in PEM (a kubeconfig's certificate authority), or null without TLS. */
  public String certificatePem() {
    return tls == null ? null : tls.certificatePem();
  }

  public SimulationLink link() {
    return link;
  }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("unbind failed", e);
    }
    try {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("HTTP actor system did not terminate in time", e);
    }
  }

  // ---------------------------------------------------------------- request handling

  /** A refused body up to this many times the limit is read to its end; a larger one closes the connection. */
  private static final long DRAINED_BODY_FACTOR = 4;

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {}", request.method().value(), request.getUri());
    }
    try {
      List<String> path = segments(request);
      if (!isPublic(path) && !authorized(request)) {
        request.discardEntityBytes(mat);
        return done(Render.status(ApiErrors.unauthorized()));
      }
      HttpEntity entity = request.entity();
      if (entity.getContentLengthOption().isPresent()
          && entity.getContentLengthOption().getAsLong() > settings.maxRequestBodyBytes()) {
        HttpResponse tooLarge = Render.status(ApiErrors.entityTooLarge(settings.maxRequestBodyBytes()));
        if (entity.getContentLengthOption().getAsLong() <= DRAINED_BODY_FACTOR * settings.maxRequestBodyBytes()) {
          // Read and drop the body before answering: a connection closed with the client's bytes
          // still unread is reset, and the client may lose the 413 with it (Go's server, for the
          // same reason, reads a refused body or lingers before it closes).
          return request.discardEntityBytes(mat).completionStage().thenApply(drained -> tooLarge);
        }
        request.discardEntityBytes(mat);
        return done(tooLarge.addHeader(akka.http.javadsl.model.headers.Connection.create("close")));
      }
      String contentType = request.getHeader("Content-Type").map(HttpHeader::value)
          .orElse(entity.getContentType().toString());
      if (!request.getHeader("Content-Type").isPresent()
          && entity.getContentType().equals(ContentTypes.APPLICATION_OCTET_STREAM)) {
        contentType = null;
      }
      String ct = contentType;
      if (entity.isStrict()) {
        // The common case (every body kubectl sends fits one chunk): route on this thread.
        return guarded(route(request, path, ct, ((HttpEntity.Strict) entity).getData().toArray()));
      }
      // akka's Java futures run plain callbacks on the common pool, which on a 2-core machine
      // starts a thread per task: hop explicitly onto the HTTP dispatcher instead.
      return entity.withSizeLimit(settings.maxRequestBodyBytes())
          .toStrict(30_000, mat)
          .thenComposeAsync(strict -> guarded(route(request, path, ct, strict.getData().toArray())),
              system.dispatcher())
          .exceptionally(this::failure);
    } catch (StatusException e) {
      request.discardEntityBytes(mat);
      return done(Render.status(e.status));
    } catch (RuntimeException e) {
      request.discardEntityBytes(mat);
      return done(failure(e));
    }
  }

  /** Turns a failed stage into its Status response (on whichever thread completes it). */
  private CompletionStage<HttpResponse> guarded(CompletionStage<HttpResponse> stage) {
    return stage.toCompletableFuture().exceptionally(this::failure);
  }

  private HttpResponse failure(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof StatusException se) {
      return Render.status(se.status);
    }
    if (c instanceof EntityStreamSizeException) {
      return Render.status(ApiErrors.entityTooLarge(settings.maxRequestBodyBytes()));
    }
    LOG.warn("request failed", c);
    return Render.status(ApiErrors.internal(String.valueOf(c.getMessage())));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static List<String> segments(HttpRequest request) {
    List<String> out = new ArrayList<>();
    for (String s : request.getUri().pathSegments()) {
      out.add(s);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    return out;
  }

  private static boolean isPublic(List<String> path) {
    return path.size() == 1 && (path.get(0).equals("healthz") || path.get(0).equals("livez")
        || path.get(0).equals("readyz"));
  }

  private boolean authorized(HttpRequest request) {
    if (token == null) {
      return true;
    }
    String auth = request.getHeader("Authorization").map(HttpHeader::value).orElse("");
    if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  private CompletionStage<HttpResponse> route(HttpRequest request, List<String> path, String contentType,
      byte[] body) {
    String method = request.method().value();
    Query q = new Query(request.getUri().query());
    Negotiation neg = Negotiation.of(request.getHeader("Accept").map(HttpHeader::value).orElse(null));
    if (path.isEmpty()) {
      return done(Render.json(200, Map.of("paths", List.of("/api", "/api/v1", "/apis", "/healthz", "/livez",
          "/openapi/v3", "/readyz", "/version", "/kubesim/v1/clock", "/kubesim/v1/explain", "/kubesim/v1/faults",
          "/kubesim/v1/logs"))));
    }
    String first = path.get(0);
    switch (first) {
      case "version":
        return path.size() == 1 ? done(Render.json(200, version())) : notFound();
      case "healthz", "livez", "readyz":
        return done(HttpResponse.create().withStatus(200).withEntity(ContentTypes.TEXT_PLAIN_UTF8, "ok"));
      case "openapi":
        return done(openApi(path, q));
      case "kubesim":
        if (path.size() >= 3 && path.get(1).equals("v1") && path.get(2).equals("clock")) {
          return clock(method, path, q, body);
        }
        return kubesim.handle(method, path, q, body);
      case "api":
        if (path.size() == 1) {
          return done(discovery(true, neg, request));
        }
        if (!path.get(1).equals("v1")) {
          return notFound();
        }
        if (path.size() == 2) {
          return done(bytes(Discovery.resourceList("", "v1")));
        }
        return resource(request, method, "", "v1", path.subList(2, path.size()), q, neg, contentType, body);
      case "apis":
        if (path.size() == 1) {
          return done(discovery(false, neg, request));
        }
        if (path.size() == 2) {
          return done(bytes(Discovery.group(path.get(1))));
        }
        if (path.size() == 3) {
          return done(bytes(Discovery.resourceList(path.get(1), path.get(2))));
        }
        return resource(request, method, path.get(1), path.get(2), path.subList(3, path.size()), q, neg, contentType,
            body);
      default:
        return notFound();
    }
  }

  private static CompletionStage<HttpResponse> notFound() {
    return done(Render.status(ResourceApi.notFound().status));
  }

  private static HttpResponse bytes(byte[] b) {
    return b == null ? Render.status(ResourceApi.notFound().status) : Render.json(200, b, List.of());
  }

  private CompletionStage<HttpResponse> resource(HttpRequest request, String method, String group, String version,
      List<String> rest, Query q, Negotiation neg, String contentType, byte[] body) {
    boolean legacyWatch = !rest.isEmpty() && rest.get(0).equals("watch");
    List<String> r = legacyWatch ? rest.subList(1, rest.size()) : rest;
    ResourceApi.Target t = ResourceApi.parse(group, version, r);
    if (t == null) {
      return notFound();
    }
    if (legacyWatch) {
      if (!method.equals("GET") || t.subresource() != null) {
        return notFound();
      }
      q = q.with("watch", "true");
    }
    if ("exec".equals(t.subresource()) && t.type().plural().equals("pods")) {
      ResourceApi.checkPathSegment("resource", t.name());
      ResourceApi.checkPathSegment("namespace", t.namespace());
      return PodExec.serve(link, mat, request, t, q);
    }
    return resources.handle(request, method, t, q, neg, contentType, body);
  }

  // ---------------------------------------------------------------- version, discovery, OpenAPI

  static Map<String, Object> version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("major", Version.KUBERNETES_MAJOR);
    v.put("minor", Version.KUBERNETES_MINOR);
    v.put("emulationMajor", Version.KUBERNETES_MAJOR);
    v.put("emulationMinor", Version.KUBERNETES_MINOR);
    v.put("minCompatibilityMajor", Version.KUBERNETES_MAJOR);
    v.put("minCompatibilityMinor", String.valueOf(Integer.parseInt(Version.KUBERNETES_MINOR) - 1));
    v.put("gitVersion", Version.KUBERNETES_GIT_VERSION);
    v.put("gitCommit", "kubesim-" + Version.KUBESIM);
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-08-27T00:00:00Z");
    v.put("goVersion", "go1.24.6");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  private HttpResponse discovery(boolean core, Negotiation neg, HttpRequest request) {
    if (neg.discoveryVersion() != null) {
      return HttpResponse.create().withStatus(200).withEntity(
          ContentTypes.parse(Discovery.aggregatedContentType(neg.discoveryVersion())),
          Discovery.aggregated(core, neg.discoveryVersion()));
    }
    if (core) {
      String host = request.getHeader("Host").map(HttpHeader::value).orElse(settings.address() + ":" + port());
      return Render.json(200, Discovery.apiVersions(host), List.of());
    }
    return Render.json(200, Discovery.groupList(), List.of());
  }

  private static HttpResponse openApi(List<String> path, Query q) {
    if (path.size() >= 2 && path.get(1).equals("v3")) {
      if (path.size() == 2) {
        return Render.json(200, OpenApi.root(), List.of());
      }
      String key = String.join("/", path.subList(2, path.size()));
      byte[] doc = OpenApi.document(key);
      if (doc == null) {
        return Render.status(ResourceApi.notFound().status);
      }
      boolean current = OpenApi.hash(key).equals(q.get("hash"));
      return Render.json(200, doc, List.of()).addHeader(RawHeader.create("Cache-Control",
          current ? "public, immutable" : "no-cache, private")).addHeader(RawHeader.create("Etag", OpenApi.etag(key)));
    }
    // kubectl asks for v2 in protobuf only; without it, it falls back on v3.
    return Render.status(ResourceApi.notFound().status);
  }

  // ---------------------------------------------------------------- kubesim's clock

  private CompletionStage<HttpResponse> clock(String method, List<String> path, Query q, byte[] body) {
    if (path.size() < 3 || !path.get(1).equals("v1") || !path.get(2).equals("clock") || path.size() > 4) {
      return notFound();
    }
    if (path.size() == 3) {
      if (!method.equals("GET")) {
        throw ResourceApi.methodNotAllowed();
      }
      return link.clockStatus().thenApply(this::clockResponse);
    }
    if (!method.equals("POST")) {
      throw ResourceApi.methodNotAllowed();
    }
    Map<String, String> args = new LinkedHashMap<>();
    if (body.length > 0) {
      try {
        var tree = Json.MAPPER.readTree(body);
        tree.properties().forEach(e -> args.put(e.getKey(), e.getValue().asString()));
      } catch (RuntimeException e) {
        throw new StatusException(ApiErrors.badRequest("the body must be a JSON object: " + e.getMessage()));
      }
    }
    for (String k : List.of("duration", "speed")) {
      if (q.get(k) != null) {
        args.put(k, q.get(k));
      }
    }
    CompletionStage<RealtimeDriver.Status> result = switch (path.get(3)) {
      case "pause" -> link.pause();
      case "resume" -> link.resume();
      case "advance" -> {
        Duration d;
        try {
          d = GoDuration.parse(args.get("duration"));
        } catch (IllegalArgumentException e) {
          throw new StatusException(ApiErrors.badRequest("duration: " + e.getMessage()));
        }
        if (d.isNegative()) {
          throw new StatusException(ApiErrors.badRequest("duration: cannot advance the clock backwards"));
        }
        yield link.advance(d);
      }
      case "speed" -> {
        double s;
        try {
          s = Double.parseDouble(args.getOrDefault("speed", ""));
        } catch (NumberFormatException e) {
          throw new StatusException(ApiErrors.badRequest("speed: Invalid value: \"" + args.get("speed")
              + "\": must be a positive number"));
        }
        if (!(s > 0) || Double.isInfinite(s)) {
          throw new StatusException(ApiErrors.badRequest("speed: Invalid value: " + s + ": must be a positive number"));
        }
        yield link.speed(s);
      }
      default -> throw ResourceApi.notFound();
    };
    return result.thenApply(this::clockResponse);
  }

  private HttpResponse clockResponse(RealtimeDriver.Status s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "Clock");
    out.put("apiVersion", "kubesim.io/v1");
    Instant now = link.epoch().plusNanos(s.virtualNanos());
    out.put("now", io.kubesim.shared.time.Times.micro(now));
    out.put("elapsed", GoDuration.format(Duration.ofNanos(s.virtualNanos())));
    out.put("paused", s.paused());
    out.put("speed", s.speed());
    out.put("pendingTimers", s.pendingTimers());
    return Render.json(200, out);
  }
}
