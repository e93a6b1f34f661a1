package io.kubesim.controlplane.apiserver;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.apiserver.admission.LimitRanger;
import io.kubesim.controlplane.apiserver.defaulting.Defaults;
import io.kubesim.controlplane.apiserver.patch.Patches;
import io.kubesim.controlplane.apiserver.patch.ServerSideApply;
import io.kubesim.controlplane.apiserver.validation.Validation;
import io.kubesim.controlplane.quota.QuotaAdmission;
import io.kubesim.controlplane.quota.ResourceLists;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.controlplane.store.Failure;
import io.kubesim.controlplane.store.KeyValue;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.Versioner;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.FieldError;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.api.selector.FieldSelector;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.time.VirtualClock;
import io.kubesim.shared.util.LongMap;
import io.kubesim.shared.util.ModelAccess;
import io.kubesim.shared.util.Receives;
import io.kubesim.shared.util.ShallowCopy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The kube-apiserver of a simulated cluster: the only component that talks to the store. Every
 * other component reads (list, watch) and writes through it with the typed protocol of {@link Api}.
 *
 * <p>Requests go through the same stages as in kube-apiserver: defaulting, mutating admission,
 * the kind's storage strategy, validation, validating admission, then a compare-and-swap write to
 * the store, retried on conflict (GuaranteedUpdate). Reads and watches are served from a watch
 * cache per kind that the store's watch keeps current; a reply to a write is sent only after the
 * cache has seen it, so a client always reads its own writes.
 */
public final class ApiServer extends AbstractBehavior<Api.Request> {

  /** Writes metadata.resourceVersion from the store revision, once, before anyone sees the object. */
  public static final Versioner VERSIONER = (value, revision) -> {
    ((HasMetadata) value).getMetadata().setResourceVersion(Long.toString(revision));
    // From here on the object is shared, read-only: its empty additionalProperties maps can be one.
    return io.kubesim.shared.util.EmptyMaps.share(value);
  };

  /** Namespaces kube-apiserver's bootstrap controller keeps in existence. */
  public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
      Resources.NODE_LEASE_NAMESPACE);

  private static final int MAX_UPDATE_ATTEMPTS = 16;
  /** namespaces/finalize: the namespace controller's release of its hold on a deleted namespace. */
  private static final String FINALIZE = "finalize";
  /** The internal subresource name under which a binding updates its pod. */
  private static final String BINDING = "binding";
  private static final int GENERATE_NAME_ATTEMPTS = 8;
  /** getServiceAccount's attempts at the "default" account before a pod is refused. */
  private static final int SERVICE_ACCOUNT_LOOKUPS = 10;
  /** kube-apiserver's generateName alphabet (k8s.io/apiserver/pkg/storage/names, utilrand.String): no vowels. */
  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  /** The Service (and its Endpoints and EndpointSlice) through which pods reach the apiserver. */
  private static final String KUBERNETES = "kubernetes";

  // ---------------------------------------------------------------- internal messages

  private record StoreReply(Store.Response response) implements Api.Internal {}

  private record StoreChange(Store.WatchMessage message) implements Api.Internal {}

  private record WatcherGone(ActorRef<Api.WatchMessage> watcher) implements Api.Internal {}

  private record WatchTimeout(ActorRef<Api.WatchMessage> watcher, long watchId) implements Api.Internal {}

  private enum BookmarkTick implements Api.Internal { INSTANCE }

  /** A pod create waiting for its namespace's "default" ServiceAccount, looked up again. */
  private record RetryCreate(HasMetadata object, WriteOptions options, Reply reply, int lookups, Duration interval)
      implements Api.Internal {}

  /** Reports counters; for benchmarks and tests. */
  public record GetStats(ActorRef<Stats> replyTo) implements Api.Internal {}

  public record Stats(long revision, int objects, int watches, long requests) {}

  // ---------------------------------------------------------------- creation

  public static Behavior<Api.Request> create(ActorRef<Store.Command> store, VirtualClock clock,
      SplittableRandom random, ApiServerSettings settings, Klog log) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(100_000, stash -> {
      ActorRef<Store.Response> replies = ctx.messageAdapter(Store.Response.class, StoreReply::new);
      store.tell(new Store.Range("/registry/", null, 0, 0, replies, 0));
      return Behaviors.receive(Api.Request.class)
          .onMessage(StoreReply.class, r -> {
            Store.Ranged initial = (Store.Ranged) r.response();
            ApiServer server = new ApiServer(ctx, timers, store, replies, clock, random, settings, log, initial);
            return stash.unstashAll(server.bootstrap());
          })
          .onAnyMessage(m -> {
            stash.stash(m);
            return Behaviors.same();
          })
          .build();
    })));
  }

  // ---------------------------------------------------------------- state

  private final TimerScheduler<Api.Request> timers;
  private final ActorRef<Store.Command> store;
  private final ActorRef<Store.Response> storeReplies;
  /** The watch cache's watch of the store; writes ask to be answered through it (Store.Create#answerVia). */
  private final ActorRef<Store.WatchMessage> storeChanges;
  private final VirtualClock clock;
  /** The etcd leases Events are attached to (their TTL). */
  private final EtcdLeases eventLeases = new EtcdLeases();
  private final SplittableRandom random;
  private final ApiServerSettings settings;
  private final Klog log;
  private final Map<ResourceType, TypeCache> caches = new LinkedHashMap<>();
  private final Map<String, TypeCache> cacheByPlural = new HashMap<>();
  private final LongMap<Consumer<Store.Response>> pending = new LongMap<>();
  private final Map<ActorRef<Api.WatchMessage>, List<WatchSession>> watchesByWatcher = new LinkedHashMap<>();
  /** Writes acknowledged by the store whose change the cache has not applied yet: revision to reply. */
  private final LongMap<Runnable> awaitingCache = new LongMap<>();
  private long nextTag = 1;
  private long revision;
  private long requests;
  /** The Service REST layer's ClusterIP and node port allocators. */
  private final ServiceRest services;

  private ApiServer(ActorContext<Api.Request> ctx, TimerScheduler<Api.Request> timers, ActorRef<Store.Command> store,
      ActorRef<Store.Response> storeReplies, VirtualClock clock, SplittableRandom random, ApiServerSettings settings,
      Klog log, Store.Ranged initial) {
    super(ctx);
    this.timers = timers;
    this.store = store;
    this.storeReplies = storeReplies;
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.log = log;
    this.revision = initial.revision();
    for (ResourceType t : Resources.all()) {
      TypeCache c = new TypeCache(t, settings.watchCacheCapacity(), revision);
      caches.put(t, c);
      cacheByPlural.put(t.plural(), c);
    }
    for (KeyValue kv : initial.kvs()) {
      TypeCache c = cacheFor(kv.key());
      if (c != null) {
        c.load(kv);
      }
    }
    // A generator of its own, split off the apiserver's, so allocations do not shift the names and uids.
    this.services = new ServiceRest(settings, random.split());
    for (KeyValue kv : cache(Resources.SERVICES).scan(null)) {
      services.restore((io.fabric8.kubernetes.api.model.Service) kv.value());
    }
    this.storeChanges = ctx.messageAdapter(Store.WatchMessage.class, StoreChange::new);
    store.tell(new Store.Watch("/registry/", revision + 1, storeChanges, 1));
    timers.startTimerWithFixedDelay(BookmarkTick.INSTANCE, settings.bookmarkInterval());
  }

  /** Creates what kube-apiserver's bootstrap controllers create: system namespaces and priority classes. */
  private Behavior<Api.Request> bootstrap() {
    Reply ignore = Reply.NONE;
    for (String ns : SYSTEM_NAMESPACES) {
      if (cache(Resources.NAMESPACES).get(Resources.NAMESPACES.key(null, ns)) == null) {
        // The kubernetes Service goes into "default" once that namespace is there.
        Reply then = ns.equals("default") ? Reply.then(r -> ensureKubernetesService()) : ignore;
        create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build(), WriteOptions.DEFAULT,
            then, 0);
      } else if (ns.equals("default")) {
        ensureKubernetesService();
      }
    }
    createPriorityClass("system-node-critical", Admission.SYSTEM_NODE_CRITICAL,
        "Used for system critical pods that must not be moved from their current node.");
    createPriorityClass("system-cluster-critical", Admission.SYSTEM_CLUSTER_CRITICAL,
        "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
    return this;
  }

  /**
   * What kube-apiserver's bootstrap controller and endpoint reconciler keep in {@code default}
   * (pkg/controlplane/controller/kubernetesservice, pkg/controlplane/reconcilers): the
   * {@code kubernetes} Service, and the Endpoints and EndpointSlice pointing at this apiserver's
   * advertised address. Called at start and whenever one of them is deleted.
   */
  private void ensureKubernetesService() {
    String ns = "default";
    if (cache(Resources.SERVICES).get(Resources.SERVICES.key(ns, KUBERNETES)) == null) {
      handle(Reply.NONE, () -> create(services.kubernetesService(settings.securePort()), WriteOptions.DEFAULT,
          Reply.NONE, 0));
    }
    String address = settings.advertiseAddress();
    if (address == null || address.isEmpty()) {
      return;
    }
    if (cache(Resources.ENDPOINTS).get(Resources.ENDPOINTS.key(ns, KUBERNETES)) == null) {
      handle(Reply.NONE, () -> create(new io.fabric8.kubernetes.api.model.EndpointsBuilder().withNewMetadata()
          .withName(KUBERNETES).withNamespace(ns).addToLabels("endpointslice.kubernetes.io/skip-mirror", "true")
          .endMetadata().addNewSubset().addNewAddress().withIp(address).endAddress().addNewPort().withName("https")
          .withPort(settings.securePort()).withProtocol("TCP").endPort().endSubset().build(), WriteOptions.DEFAULT,
          Reply.NONE, 0));
    }
    if (cache(Resources.ENDPOINTSLICES).get(Resources.ENDPOINTSLICES.key(ns, KUBERNETES)) == null) {
      handle(Reply.NONE, () -> create(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
          .withNewMetadata().withName(KUBERNETES).withNamespace(ns)
          .addToLabels("kubernetes.io/service-name", KUBERNETES).endMetadata().withAddressType("IPv4")
          .addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions().endEndpoint()
          .addNewPort().withName("https").withPort(settings.securePort()).withProtocol("TCP").endPort().build(),
          WriteOptions.DEFAULT, Reply.NONE, 0));
    }
  }

  private void createPriorityClass(String name, int value, String description) {
    if (cache(Resources.PRIORITYCLASSES).get(Resources.PRIORITYCLASSES.key(null, name)) == null) {
      create(new PriorityClassBuilder().withNewMetadata().withName(name).endMetadata().withValue(value)
          .withDescription(description).withPreemptionPolicy("PreemptLowerPriority").build(), WriteOptions.DEFAULT,
          Reply.NONE, 0);
    }
  }

  @Override
  public Receive<Api.Request> createReceive() {
    return Receives.builder(this)
        .onMessage(Api.Create.class, m -> handle(Reply.of(m.replyTo(), m.tag()),
            () -> create(m.object(), m.options(), Reply.of(m.replyTo(), m.tag()), 0)))
        .onMessage(Api.Get.class, this::onGet)
        .onMessage(Api.List.class, this::onList)
        .onMessage(Api.Update.class, m -> handle(Reply.of(m.replyTo(), m.tag()), () -> onUpdate(m)))
        .onMessage(Api.Patch.class, m -> handle(Reply.of(m.replyTo(), m.tag()), () -> onPatch(m)))
        .onMessage(Api.Delete.class, m -> handle(Reply.of(m.replyTo(), m.tag()),
            () -> delete(m.type(), m.namespace(), m.name(), m.options(), Reply.of(m.replyTo(), m.tag()), null, 0)))
        .onMessage(Api.Bind.class, m -> handle(Reply.of(m.replyTo(), m.tag()), () -> onBind(m)))
        .onMessage(Api.Evict.class, m -> handle(Reply.of(m.replyTo(), m.tag()), () -> onEvict(m)))
        .onMessage(Api.Watch.class, this::onWatch)
        .onMessage(Api.StopWatch.class, this::onStopWatch)
        .onMessage(StoreReply.class, this::onStoreReply)
        .onMessage(StoreChange.class, this::onStoreChange)
        .onMessage(WatcherGone.class, m -> {
          stopWatches(m.watcher());
          return this;
        })
        .onMessage(WatchTimeout.class, this::onWatchTimeout)
        .onMessage(RetryCreate.class, m -> handle(m.reply(),
            () -> create(m.object(), m.options(), m.reply(), 0, m.lookups(), m.interval())))
        .onMessageEquals(BookmarkTick.INSTANCE, this::onBookmarkTick)
        .onMessage(GetStats.class, this::onGetStats)
        .onSignal(Terminated.class, t -> this)
        .build();
  }

  /** Runs a request; an unexpected failure becomes a 500 for that request, never a crash of the apiserver. */
  private Behavior<Api.Request> handle(Reply reply, Runnable work) {
    requests++;
    try {
      work.run();
    } catch (ApiException e) {
      reply.fail(e.status);
    } catch (RuntimeException e) {
      log.error("Request failed", "err", String.valueOf(e));
      reply.fail(ApiErrors.internal(String.valueOf(e.getMessage())));
    }
    return this;
  }

  // ---------------------------------------------------------------- replies

  /** Where an answer goes. */
  /** Where an answer goes: an actor, or a continuation inside the apiserver (for multi-step requests). */
  private record Reply(ActorRef<Api.Response> to, long tag, Consumer<Api.Response> then) {
    static final Reply NONE = new Reply(null, 0, null);

    static Reply of(ActorRef<Api.Response> to, long tag) {
      return new Reply(to, tag, null);
    }

    static Reply then(Consumer<Api.Response> k) {
      return new Reply(null, 0, k);
    }

    void ok(HasMetadata o, boolean created) {
      answer(new Api.Ok(tag, o, created));
    }

    void fail(io.fabric8.kubernetes.api.model.Status s) {
      answer(new Api.Failed(tag, s));
    }

    void answer(Api.Response r) {
      if (then != null) {
        then.accept(r);
      } else if (to != null) {
        to.tell(r);
      }
    }
  }

  // ---------------------------------------------------------------- store plumbing

  private void storeCall(LongFunction<Store.Command> request, Consumer<Store.Response> then) {
    long tag = nextTag++;
    pending.put(tag, then);
    store.tell(request.apply(tag));
  }

  private Behavior<Api.Request> onStoreReply(StoreReply r) {
    continueStoreCall(r.response());
    return this;
  }

  /** Runs what waits for the store's answer {@code response} (an answer or a change answering a write). */
  private void continueStoreCall(Store.Response response) {
    Consumer<Store.Response> k = pending.remove(response.tag());
    if (k != null) {
      try {
        k.accept(response);
      } catch (RuntimeException e) {
        log.error("Store reply handling failed", "err", String.valueOf(e));
      }
    }
  }

  /**
   * Answers a write once the cache holds its revision. The store sends the change before the
   * answer, so this is almost always immediate; it waits only if the change is still in flight.
   */
  private void afterCache(long rev, Runnable answer) {
    if (rev <= revision) {
      answer.run();
    } else {
      awaitingCache.put(rev, answer);
    }
  }

  private TypeCache cacheFor(String key) {
    int start = "/registry/".length();
    // Changes come in runs of one type (a second's lease renewals): the last type found is tried
    // first, by comparing the key's plural in place.
    String plural = lastPlural;
    int end = start + plural.length();
    if (lastPluralCache != null && key.length() > end && key.charAt(end) == '/' && key.startsWith(plural, start)) {
      return lastPluralCache;
    }
    end = key.indexOf('/', start);
    if (end < 0) {
      return null;
    }
    plural = key.substring(start, end);
    TypeCache c = cacheByPlural.get(plural);
    if (c != null) {
      lastPlural = plural;
      lastPluralCache = c;
    }
    return c;
  }

  /** The type {@link #cacheFor} found last, and its cache. */
  private String lastPlural = "";
  private TypeCache lastPluralCache;

  private TypeCache cache(ResourceType type) {
    return caches.get(type);
  }

  // ---------------------------------------------------------------- watch cache

  private Behavior<Api.Request> onStoreChange(StoreChange m) {
    if (m.message() instanceof Store.WatchCanceled c) {
      // Cannot happen while the apiserver keeps up with its own store; fail loudly if it does.
      log.error("Store watch canceled", "compactRevision", c.compactRevision());
      return this;
    }
    Store.Event e = (Store.Event) m.message();
    revision = e.kv().modRevision();
    TypeCache cache = cacheFor(e.kv().key());
    if (cache != null) {
      TypeCache.Change change = cache.apply(e.kv(), e.prev());
      dispatch(cache, change);
      if (change.object() == null && change.prev() instanceof io.fabric8.kubernetes.api.model.Service svc) {
        // The Service is gone from the store: its ClusterIP and node ports are free again.
        services.release(svc);
      }
      if (change.object() == null && change.prev() != null && isKubernetesServiceObject(change.prev())) {
        ensureKubernetesService();
      }
    }
    Runnable answer = awaitingCache.isEmpty() ? null : awaitingCache.remove(revision);
    if (answer != null) {
      answer.run();
    }
    if (e.answers() != 0) {
      // Our own write, answered by its change (Store.Update#answerVia): the cache holds it now.
      continueStoreCall(e.written());
    }
    return this;
  }

  private static boolean isKubernetesServiceObject(HasMetadata o) {
    ResourceType t = Resources.of(o);
    return (t == Resources.SERVICES || t == Resources.ENDPOINTS || t == Resources.ENDPOINTSLICES)
        && KUBERNETES.equals(o.getMetadata().getName()) && "default".equals(o.getMetadata().getNamespace());
  }

  private void dispatch(TypeCache cache, TypeCache.Change c) {
    List<WatchSession> candidates = cache.candidates(c);
    if (candidates.isEmpty()) {
      return;
    }
    HasMetadata gone = null;
    for (int i = 0; i < candidates.size(); i++) {
      WatchSession w = candidates.get(i);
      boolean now = w.matches(c.object());
      boolean before = w.matches(c.prev());
      if (now && before) {
        w.send(Api.EventType.MODIFIED, c.object(), c.revision());
      } else if (now) {
        w.send(Api.EventType.ADDED, c.object(), c.revision());
      } else if (before) {
        // Deleted, or no longer selected: the last state, at the revision of the change (cache_watcher.go).
        if (gone == null) {
          gone = withResourceVersion(c.prev(), c.revision());
        }
        w.send(Api.EventType.DELETED, gone, c.revision());
      }
    }
  }

  private static HasMetadata withResourceVersion(HasMetadata o, long rev) {
    HasMetadata copy = ShallowCopy.of(o);
    ObjectMeta meta = new ObjectMetaBuilder(o.getMetadata()).withResourceVersion(Long.toString(rev)).build();
    copy.setMetadata(meta);
    return copy;
  }

  // ---------------------------------------------------------------- get / list

  private Behavior<Api.Request> onGet(Api.Get m) {
    return handle(Reply.of(m.replyTo(), m.tag()), () -> {
      KeyValue kv = cache(m.type()).get(m.type().key(m.namespace(), m.name()));
      if (kv == null) {
        throw new ApiException(ApiErrors.notFound(m.type(), m.name()));
      }
      m.replyTo().tell(new Api.Ok(m.tag(), (HasMetadata) kv.value(), false));
    });
  }

  private record Selection(String namespace, LabelSelector labels, FieldSelector fields) {
    boolean matches(HasMetadata o) {
      if (namespace != null && !namespace.equals(o.getMetadata().getNamespace())) {
        return false;
      }
      if (!labels.isEmpty() && !labels.matches(o.getMetadata().getLabels())) {
        return false;
      }
      return fields.isEmpty() || fields.matches(f -> FieldAttributes.get(o, f));
    }
  }

  private Selection selection(ResourceType type, String namespace, ListOptions o) {
    LabelSelector labels;
    FieldSelector fields;
    try {
      labels = LabelSelector.parse(o.labelSelector());
      fields = FieldSelector.parse(o.fieldSelector());
    } catch (SelectorParseException e) {
      throw new ApiException(ApiErrors.badRequest(e.getMessage()));
    }
    for (FieldSelector.Requirement r : fields.requirements()) {
      if (!FieldAttributes.supported(type, r.field())) {
        throw new ApiException(ApiErrors.badRequest("field label not supported: " + r.field()));
      }
    }
    String ns = type.namespaced() && namespace != null && !namespace.isEmpty() ? namespace : null;
    return new Selection(ns, labels, fields);
  }

  private static long parseResourceVersion(String rv) {
    if (rv == null || rv.isEmpty()) {
      return 0;
    }
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ApiException(ApiErrors.badRequest("invalid resource version: " + rv));
    }
  }

  private Behavior<Api.Request> onList(Api.List m) {
    return handle(Reply.of(m.replyTo(), m.tag()), () -> {
      ListOptions o = m.options() == null ? ListOptions.ALL : m.options();
      Selection sel = selection(m.type(), m.namespace(), o);
      long rv = parseResourceVersion(o.resourceVersion());
      boolean exact = "Exact".equals(o.resourceVersionMatch());
      if (o.resourceVersionMatch() != null && !o.resourceVersionMatch().isEmpty() && !exact
          && !"NotOlderThan".equals(o.resourceVersionMatch())) {
        throw new ApiException(ApiErrors.badRequest("resourceVersionMatch: Unsupported value: \""
            + o.resourceVersionMatch() + "\""));
      }
      boolean paged = o.limit() > 0 || (o.continueToken() != null && !o.continueToken().isEmpty());
      if (!paged && !exact) {
        if (rv > revision) {
          throw new ApiException(ApiErrors.timeout("Too large resource version: " + rv + ", current: " + revision));
        }
        List<HasMetadata> items = new ArrayList<>();
        for (KeyValue kv : cache(m.type()).scan(sel.namespace())) {
          HasMetadata obj = (HasMetadata) kv.value();
          if (sel.matches(obj)) {
            items.add(obj);
          }
        }
        m.replyTo().tell(new Api.Listed(m.tag(), m.type(), items, Long.toString(revision), null, null));
        return;
      }
      String prefix = m.type().keyPrefix(sel.namespace());
      long readAt;
      String startKey = null;
      if (o.continueToken() != null && !o.continueToken().isEmpty()) {
        ContinueToken token;
        try {
          token = ContinueToken.decode(o.continueToken(), prefix);
        } catch (IllegalArgumentException e) {
          throw new ApiException(ApiErrors.badRequest(e.getMessage()));
        }
        readAt = token.revision();
        startKey = token.startKey();
      } else {
        readAt = exact ? rv : revision;
      }
      pageFromStore(m, sel, prefix, readAt, startKey, new ArrayList<>());
    });
  }

  /** Reads a page from the store at a fixed revision, filtering, until the page is full or the keys run out. */
  private void pageFromStore(Api.List m, Selection sel, String prefix, long readAt, String startKey,
      List<HasMetadata> items) {
    long limit = m.options().limit();
    int chunk = (int) Math.max(limit, 100);
    storeCall(tag -> new Store.Range(prefix, startKey, chunk, readAt, storeReplies, tag), r -> {
      if (r instanceof Store.Failed f) {
        if (f.failure() == Failure.COMPACTED) {
          m.replyTo().tell(new Api.Failed(m.tag(), ApiErrors.expired(m.options().continueToken() != null
              ? "The provided continue parameter is too old to display a consistent list result. You can start a "
                  + "new list without the continue parameter, or use the continue token in this response to "
                  + "retrieve the remainder of the results. Continuing with the provided token results in an "
                  + "inconsistent list - objects that were created, modified, or deleted between the time the first "
                  + "chunk was returned and now may show up in the list."
              : "too old resource version: " + readAt + " (" + f.compactRevision() + ")")));
        } else {
          m.replyTo().tell(new Api.Failed(m.tag(), ApiErrors.timeout("Too large resource version: " + readAt
              + ", current: " + f.revision())));
        }
        return;
      }
      Store.Ranged page = (Store.Ranged) r;
      String lastKey = null;
      for (KeyValue kv : page.kvs()) {
        lastKey = kv.key();
        HasMetadata obj = (HasMetadata) kv.value();
        if (sel.matches(obj)) {
          items.add(obj);
          if (limit > 0 && items.size() == limit) {
            break;
          }
        }
      }
      boolean full = limit > 0 && items.size() == limit;
      boolean moreInStore = page.more() || (full && !lastKey.equals(page.kvs().get(page.kvs().size() - 1).key()));
      if (!full && page.more()) {
        pageFromStore(m, sel, prefix, readAt, lastKey + "\0", items);
        return;
      }
      String token = full && moreInStore ? ContinueToken.encode(readAt, prefix, lastKey + "\0") : null;
      m.replyTo().tell(new Api.Listed(m.tag(), m.type(), items, Long.toString(readAt), token, null));
    });
  }

  // ---------------------------------------------------------------- watch

  private Behavior<Api.Request> onWatch(Api.Watch m) {
    ListOptions o = m.options() == null ? ListOptions.ALL : m.options();
    Selection sel;
    long rv;
    try {
      sel = selection(m.type(), m.namespace(), o);
      rv = parseResourceVersion(o.resourceVersion());
    } catch (ApiException e) {
      m.watcher().tell(new Api.WatchEvent(m.watchId(), Api.EventType.ERROR, null, e.status));
      m.watcher().tell(new Api.WatchEnded(m.watchId()));
      return this;
    }
    TypeCache cache = cache(m.type());
    // Indexed for dispatch: a pod watch by the node it selects, any other by the name it selects
    // (a kubelet's watch of its own Node), so that a change is matched only against the watches that may want it.
    String nodeName = sel.fields().requiredValue(m.type() == Resources.PODS ? "spec.nodeName" : "metadata.name")
        .orElse(null);
    WatchSession w = new WatchSession(m.watcher(), m.watchId(), m.type(), sel.namespace(), sel.labels(), sel.fields(),
        o.allowWatchBookmarks(), nodeName);
    boolean initial = o.sendInitialEvents() != null ? o.sendInitialEvents() : rv == 0;
    if (initial) {
      for (KeyValue kv : cache.scan(sel.namespace())) {
        HasMetadata obj = (HasMetadata) kv.value();
        if (sel.matches(obj)) {
          w.send(Api.EventType.ADDED, obj, kv.modRevision());
        }
      }
      w.lastSent = revision;
      if (Boolean.TRUE.equals(o.sendInitialEvents()) && o.allowWatchBookmarks()) {
        sendBookmark(w, true);
      }
    } else {
      if (rv < cache.floor()) {
        m.watcher().tell(new Api.WatchEvent(m.watchId(), Api.EventType.ERROR, null,
            ApiErrors.tooOldResourceVersion(rv, cache.floor() + 1)));
        m.watcher().tell(new Api.WatchEnded(m.watchId()));
        return this;
      }
      for (TypeCache.Change c : cache.since(rv)) {
        boolean now = w.matches(c.object());
        boolean before = w.matches(c.prev());
        if (now && before) {
          w.send(Api.EventType.MODIFIED, c.object(), c.revision());
        } else if (now) {
          w.send(Api.EventType.ADDED, c.object(), c.revision());
        } else if (before) {
          w.send(Api.EventType.DELETED, withResourceVersion(c.prev(), c.revision()), c.revision());
        }
      }
      w.lastSent = Math.max(rv, revision);
    }
    cache.addWatch(w);
    List<WatchSession> mine = watchesByWatcher.computeIfAbsent(m.watcher(), k -> {
      getContext().watchWith(k, new WatcherGone(k));
      return new ArrayList<>();
    });
    mine.add(w);
    if (o.timeoutSeconds() != null && o.timeoutSeconds() > 0) {
      timers.startSingleTimer(new WatchTimeout(m.watcher(), m.watchId()), new WatchTimeout(m.watcher(), m.watchId()),
          Duration.ofSeconds(o.timeoutSeconds()));
    }
    return this;
  }

  private void sendBookmark(WatchSession w, boolean initialEventsEnd) {
    sendBookmark(w, bookmarkMarker(w.type, Math.max(w.lastSent, revision), initialEventsEnd));
  }

  private static void sendBookmark(WatchSession w, HasMetadata marker) {
    w.watcher.tell(new Api.WatchEvent(w.watchId, Api.EventType.BOOKMARK, marker, null));
  }

  /** The object of a BOOKMARK event: only kind, apiVersion and resourceVersion (and the end-of-initial-events annotation). */
  private static HasMetadata bookmarkMarker(ResourceType type, long rv, boolean initialEventsEnd) {
    HasMetadata marker;
    try {
      marker = type.type().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    marker.setApiVersion(type.apiVersion());
    ModelAccess.setKind(marker, type.kind());
    ObjectMeta meta = new ObjectMeta();
    meta.setResourceVersion(Long.toString(rv));
    if (initialEventsEnd) {
      meta.setAnnotations(Map.of(Api.INITIAL_EVENTS_END, "true"));
    }
    marker.setMetadata(meta);
    return marker;
  }

  private Behavior<Api.Request> onStopWatch(Api.StopWatch m) {
    List<WatchSession> mine = watchesByWatcher.get(m.watcher());
    if (mine != null) {
      for (WatchSession w : List.copyOf(mine)) {
        if (w.is(m.watcher(), m.watchId())) {
          closeWatch(w, false);
        }
      }
    }
    return this;
  }

  private Behavior<Api.Request> onWatchTimeout(WatchTimeout m) {
    List<WatchSession> mine = watchesByWatcher.get(m.watcher());
    if (mine != null) {
      for (WatchSession w : List.copyOf(mine)) {
        if (w.is(m.watcher(), m.watchId())) {
          if (w.bookmarks) {
            sendBookmark(w, false);
          }
          closeWatch(w, true);
        }
      }
    }
    return this;
  }

  private void closeWatch(WatchSession w, boolean tell) {
    cache(w.type).removeWatch(w);
    timers.cancel(new WatchTimeout(w.watcher, w.watchId));
    List<WatchSession> mine = watchesByWatcher.get(w.watcher);
    if (mine != null) {
      mine.remove(w);
      if (mine.isEmpty()) {
        watchesByWatcher.remove(w.watcher);
        getContext().unwatch(w.watcher);
      }
    }
    if (tell) {
      w.watcher.tell(new Api.WatchEnded(w.watchId));
    }
  }

  private void stopWatches(ActorRef<Api.WatchMessage> watcher) {
    List<WatchSession> mine = watchesByWatcher.remove(watcher);
    if (mine != null) {
      for (WatchSession w : mine) {
        cache(w.type).removeWatch(w);
        timers.cancel(new WatchTimeout(w.watcher, w.watchId));
      }
    }
  }

  private Behavior<Api.Request> onBookmarkTick() {
    for (TypeCache c : caches.values()) {
      if (c.watchCount() == 0) {
        continue;
      }
      // One marker per type for the watches that have seen no newer revision than the store's
      // (all of them, as a rule): watch events' objects are shared and read-only.
      HasMetadata shared = null;
      for (WatchSession w : c.allWatches()) {
        if (!w.bookmarks) {
          continue;
        }
        if (w.lastSent > revision) {
          sendBookmark(w, false);
          continue;
        }
        if (shared == null) {
          shared = bookmarkMarker(w.type, revision, false);
        }
        sendBookmark(w, shared);
      }
    }
    return this;
  }

  private Behavior<Api.Request> onGetStats(GetStats m) {
    int objects = 0;
    int watches = 0;
    for (TypeCache c : caches.values()) {
      objects += c.size();
      watches += c.watchCount();
    }
    m.replyTo().tell(new Stats(revision, objects, watches, requests));
    return this;
  }

  // ---------------------------------------------------------------- create

  private Instant now() {
    return clock.now();
  }

  private String uid() {
    long hi = random.nextLong();
    long lo = random.nextLong();
    hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
    lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }

  private String randomSuffix() {
    char[] c = new char[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length()));
    }
    return new String(c);
  }

  private void create(HasMetadata obj, WriteOptions options, Reply reply, int attempt) {
    create(obj, options, reply, attempt, 0, null);
  }

  /**
   * @param lookups how many times the pod's ServiceAccount has been looked up and not found
   * @param interval the wait between those lookups, drawn once per request
   */
  private void create(HasMetadata obj, WriteOptions options, Reply reply, int attempt, int lookups,
      Duration interval) {
    ResourceType type = typeOf(obj);
    if (obj.getMetadata() == null) {
      obj.setMetadata(new ObjectMeta());
    }
    ObjectMeta meta = obj.getMetadata();
    obj.setApiVersion(type.apiVersion());
    ModelAccess.setKind(obj, type.kind());
    if (type.namespaced()) {
      if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
        meta.setNamespace("default");
      }
      admitNamespace(type, meta);
    } else {
      meta.setNamespace(null);
    }
    boolean generated = (meta.getName() == null || meta.getName().isEmpty())
        && meta.getGenerateName() != null && !meta.getGenerateName().isEmpty();
    if (obj instanceof Pod pod && pod.getSpec() != null && !serviceAccountFound(pod, options, reply, attempt,
        lookups, interval)) {
      return;
    }
    Defaults.apply(obj);
    mutatingStorageAdmission(obj);
    if (obj instanceof Pod pod) {
      if (settings.admissionEnabled(ApiServerSettings.LIMIT_RANGER)) {
        LimitRanger.mutatePod(pod, limitRanges(meta.getNamespace()));
      }
      Admission.admitPodCreate(pod, settings, this::priorityClass);
    } else if (obj instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress ing) {
      Admission.defaultIngressClass(ing, ingressClasses());
    }
    // Mutating admission runs before the registry generates the name, so its errors name the
    // object by its generateName ("pods \"web-\" is forbidden: ..."), as kube-apiserver's do.
    if (generated || attempt > 0) {
      meta.setName(meta.getGenerateName() + randomSuffix());
    }
    meta.setUid(uid());
    meta.setCreationTimestamp(Times.rfc3339(now()));
    meta.setResourceVersion(null);
    meta.setDeletionTimestamp(null);
    meta.setDeletionGracePeriodSeconds(null);
    meta.setSelfLink(null);
    // The Service REST layer allocates in BeginCreate, before the strategy, validation and the
    // validating admission run; a create refused after it gives the addresses back.
    ServiceRest.Txn allocation = obj instanceof io.fabric8.kubernetes.api.model.Service svc
        ? services.allocateCreate(svc, options.dryRun()) : ServiceRest.Txn.NONE;
    List<String> charged = List.of();
    try {
      Strategy.prepareForCreate(type, obj, now());
      List<FieldError> errors = Validation.validateCreate(obj);
      if (!errors.isEmpty()) {
        throw new ApiException(ApiErrors.invalid(type, nameForError(meta), errors));
      }
      validatingAdmission(type, obj);
      if (type.namespaced() && settings.admissionEnabled(ApiServerSettings.RESOURCE_QUOTA)) {
        QuotaAdmission.Outcome q = QuotaAdmission.check(resourceQuotas(meta.getNamespace()), obj, null, "CREATE",
            now());
        if (q instanceof QuotaAdmission.Forbidden f) {
          throw new ApiException(ApiErrors.forbidden(type, meta.getName(), f.reason()));
        }
        charged = new ArrayList<>(((QuotaAdmission.Admitted) q).used().keySet());
      }
    } catch (RuntimeException e) {
      allocation.revert();
      throw e;
    }
    if (options.dryRun()) {
      allocation.revert();
      reply.ok(obj, true);
      return;
    }
    if (!charged.isEmpty()) {
      // ResourceQuota admission: the namespace's quotas are charged (a compare-and-swap of their
      // status, checked again against the latest usage) before the object is stored.
      chargeQuotas(obj, charged, 0, reply, allocation::revert,
          () -> store(type, obj, options, reply, attempt, generated, allocation));
      return;
    }
    store(type, obj, options, reply, attempt, generated, allocation);
  }

  /** The time to live of {@code obj} written now: an Event's, on the etcd lease it is attached to; none for the rest. */
  private Duration ttlOf(HasMetadata obj) {
    return obj instanceof Event ? eventLeases.ttlFor(settings.eventTtl(), clock.nanos()) : null;
  }

  /** The last step of a create: the write to the store, retrying a generated name that collides. */
  private void store(ResourceType type, HasMetadata obj, WriteOptions options, Reply reply, int attempt,
      boolean generated, ServiceRest.Txn allocation) {
    ObjectMeta meta = obj.getMetadata();
    String key = type.key(meta.getNamespace(), meta.getName());
    Duration ttl = ttlOf(obj);
    storeCall(tag -> new Store.Create(key, obj, ttl, storeReplies, tag, storeChanges), r -> {
      if (r instanceof Store.Written) {
        allocation.commit();
      } else {
        allocation.revert();
      }
      if (r instanceof Store.Written w) {
        log.v(4, "Object created", "resource", type.groupResource(), "object", objectName(obj));
        afterCache(w.kv().modRevision(), () -> reply.ok((HasMetadata) w.kv().value(), true));
      } else if (((Store.Failed) r).failure() == Failure.KEY_EXISTS) {
        if (generated && attempt + 1 < GENERATE_NAME_ATTEMPTS) {
          // Since Kubernetes 1.32 the apiserver retries a generated name that collides.
          handle(reply, () -> create(obj, options, reply, attempt + 1));
        } else {
          reply.fail(ApiErrors.alreadyExists(type, meta.getName()));
        }
      } else {
        reply.fail(ApiErrors.internal("unexpected store failure " + ((Store.Failed) r).failure()));
      }
    });
  }

  private static String nameForError(ObjectMeta meta) {
    if (meta.getName() != null && !meta.getName().isEmpty()) {
      return meta.getName();
    }
    return meta.getGenerateName() == null ? "" : meta.getGenerateName();
  }

  private static ResourceType typeOf(HasMetadata obj) {
    try {
      return Resources.of(obj);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiErrors.badRequest(e.getMessage()));
    }
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private void admitNamespace(ResourceType type, ObjectMeta meta) {
    KeyValue ns = cache(Resources.NAMESPACES).get(Resources.NAMESPACES.key(null, meta.getNamespace()));
    if (ns == null) {
      throw new ApiException(ApiErrors.namespaceNotFound(meta.getNamespace()));
    }
    Namespace n = (Namespace) ns.value();
    if (n.getMetadata().getDeletionTimestamp() != null && type != Resources.EVENTS) {
      throw new ApiException(ApiErrors.forbidden(type, nameForError(meta),
          "unable to create new content in namespace " + meta.getNamespace() + " because it is being terminated"));
    }
  }

  private List<io.fabric8.kubernetes.api.model.networking.v1.IngressClass> ingressClasses() {
    List<io.fabric8.kubernetes.api.model.networking.v1.IngressClass> out = new ArrayList<>();
    for (KeyValue kv : cache(Resources.INGRESSCLASSES).scan(null)) {
      out.add((io.fabric8.kubernetes.api.model.networking.v1.IngressClass) kv.value());
    }
    return out;
  }

  private PriorityClass priorityClass(String name) {
    TypeCache c = cache(Resources.PRIORITYCLASSES);
    if (name != null) {
      KeyValue kv = c.get(Resources.PRIORITYCLASSES.key(null, name));
      return kv == null ? null : (PriorityClass) kv.value();
    }
    for (KeyValue kv : c.scan(null)) {
      PriorityClass pc = (PriorityClass) kv.value();
      if (Boolean.TRUE.equals(pc.getGlobalDefault())) {
        return pc;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- admission of storage, limits, quota

  /**
   * ServiceAccount admission's lookup (plugin/pkg/admission/serviceaccount, getServiceAccount): the
   * pod's account must exist. The "default" account is created by the serviceaccount controller a
   * moment after its namespace, so a missing "default" is looked up again up to nine more times, a
   * random 100-200 ms apart, before the pod is refused; any other account is refused at once.
   * Returns false when the request was refused or postponed.
   */
  private boolean serviceAccountFound(Pod pod, WriteOptions options, Reply reply, int attempt, int lookups,
      Duration interval) {
    if (!settings.admissionEnabled(ApiServerSettings.SERVICE_ACCOUNT) || Admission.isMirror(pod)) {
      return true;
    }
    String ns = pod.getMetadata().getNamespace();
    String account = Admission.serviceAccountName(pod.getSpec());
    if (cache(Resources.SERVICEACCOUNTS).get(Resources.SERVICEACCOUNTS.key(ns, account)) != null) {
      return true;
    }
    if ("default".equals(account) && lookups < SERVICE_ACCOUNT_LOOKUPS - 1) {
      Duration wait = interval != null ? interval : Duration.ofMillis(100 + random.nextInt(100));
      getContext().scheduleOnce(wait, getContext().getSelf(), new RetryCreate(pod, options, reply, lookups + 1, wait));
      return false;
    }
    throw new ApiException(ApiErrors.forbidden(Resources.PODS, Admission.admissionName(pod),
        "error looking up service account " + ns + "/" + account + ": serviceaccount \"" + account
            + "\" not found"));
  }

  /**
   * DefaultStorageClass (a claim that names no class gets the default one) and
   * StorageObjectInUseProtection (claims and volumes get the finalizer that keeps them while in use).
   */
  private void mutatingStorageAdmission(HasMetadata obj) {
    if (obj instanceof PersistentVolumeClaim pvc) {
      if (settings.admissionEnabled(ApiServerSettings.DEFAULT_STORAGE_CLASS) && pvc.getSpec() != null
          && !StorageHelpers.claimHasClass(pvc)) {
        List<StorageClass> classes = new ArrayList<>();
        for (KeyValue kv : cache(Resources.STORAGECLASSES).scan(null)) {
          classes.add((StorageClass) kv.value());
        }
        StorageClass def = StorageHelpers.defaultClass(classes);
        if (def != null) {
          pvc.getSpec().setStorageClassName(def.getMetadata().getName());
        }
      }
      if (settings.admissionEnabled(ApiServerSettings.STORAGE_OBJECT_IN_USE_PROTECTION)) {
        addFinalizer(pvc, StorageHelpers.PVC_PROTECTION_FINALIZER);
      }
    } else if (obj instanceof PersistentVolume pv
        && settings.admissionEnabled(ApiServerSettings.STORAGE_OBJECT_IN_USE_PROTECTION)) {
      addFinalizer(pv, StorageHelpers.PV_PROTECTION_FINALIZER);
    }
  }

  private static void addFinalizer(HasMetadata obj, String finalizer) {
    List<String> f = new ArrayList<>(obj.getMetadata().getFinalizers() == null ? List.of()
        : obj.getMetadata().getFinalizers());
    if (!f.contains(finalizer)) {
      f.add(finalizer);
      obj.getMetadata().setFinalizers(f);
    }
  }

  /** LimitRanger's validation: min, max and ratio per container, pod and claim. */
  private void validatingAdmission(ResourceType type, HasMetadata obj) {
    if (!settings.admissionEnabled(ApiServerSettings.LIMIT_RANGER)) {
      return;
    }
    String why = null;
    if (obj instanceof Pod pod) {
      why = LimitRanger.validatePod(pod, limitRanges(pod.getMetadata().getNamespace()));
    } else if (obj instanceof PersistentVolumeClaim pvc) {
      why = LimitRanger.validatePvc(pvc, limitRanges(pvc.getMetadata().getNamespace()));
    }
    if (why != null) {
      throw new ApiException(ApiErrors.forbidden(type, obj.getMetadata().getName(), why));
    }
  }

  private List<LimitRange> limitRanges(String ns) {
    List<LimitRange> out = new ArrayList<>();
    for (KeyValue kv : cache(Resources.LIMITRANGES).scan(ns)) {
      out.add((LimitRange) kv.value());
    }
    return out;
  }

  private List<ResourceQuota> resourceQuotas(String ns) {
    List<ResourceQuota> out = new ArrayList<>();
    for (KeyValue kv : cache(Resources.RESOURCEQUOTAS).scan(ns)) {
      out.add((ResourceQuota) kv.value());
    }
    return out;
  }

  /**
   * Charges the object's usage to each named quota in turn: a status update whose function checks
   * the quota again as it is now (another request may have used it meanwhile) and fails the
   * request if it no longer fits. Then {@code then} stores the object.
   */
  private void chargeQuotas(HasMetadata obj, List<String> quotas, int i, Reply reply, Runnable refused,
      Runnable then) {
    if (i == quotas.size()) {
      then.run();
      return;
    }
    String ns = obj.getMetadata().getNamespace();
    String quotaName = quotas.get(i);
    ResourceType type = Resources.of(obj);
    guaranteedUpdate(Resources.RESOURCEQUOTAS, ns, quotaName, "status", WriteOptions.DEFAULT, current -> {
      QuotaAdmission.Outcome q = QuotaAdmission.check(List.of((ResourceQuota) current), obj, null, "CREATE", now());
      if (q instanceof QuotaAdmission.Forbidden f) {
        throw new ApiException(ApiErrors.forbidden(type, obj.getMetadata().getName(), f.reason()));
      }
      var used = ((QuotaAdmission.Admitted) q).used().get(quotaName);
      if (used == null) {
        return current;
      }
      ResourceQuota updated = new ResourceQuotaBuilder((ResourceQuota) current).build();
      updated.getStatus().setUsed(ResourceLists.toQuantities(used));
      return updated;
    }, Reply.then(r -> {
      if (r instanceof Api.Failed f) {
        refused.run();
        reply.fail(f.status());
      } else {
        handle(reply, () -> chargeQuotas(obj, quotas, i + 1, reply, refused, then));
      }
    }), null, 0);
  }

  private static String objectName(HasMetadata o) {
    ObjectMeta m = o.getMetadata();
    return m.getNamespace() == null || m.getNamespace().isEmpty() ? m.getName() : m.getNamespace() + "/" + m.getName();
  }

  // ---------------------------------------------------------------- update and patch

  /** Computes the new object from the stored one; may throw ApiException. */
  @FunctionalInterface
  private interface UpdateFn {
    HasMetadata apply(HasMetadata current);
  }

  private void onUpdate(Api.Update m) {
    HasMetadata obj = m.object();
    ResourceType type = typeOf(obj);
    if (obj.getMetadata() == null || obj.getMetadata().getName() == null) {
      throw new ApiException(ApiErrors.invalid(type, "", List.of(FieldError.required("metadata.name",
          "name or generateName is required"))));
    }
    String ns = type.namespaced() ? (obj.getMetadata().getNamespace() == null ? "default"
        : obj.getMetadata().getNamespace()) : null;
    String requested = obj.getMetadata().getResourceVersion();
    guaranteedUpdate(type, ns, obj.getMetadata().getName(), m.subresource(), m.options(), current -> {
      if (requested != null && !requested.isEmpty()
          && !requested.equals(current.getMetadata().getResourceVersion())) {
        throw new ApiException(ApiErrors.conflict(type, current.getMetadata().getName()));
      }
      obj.setApiVersion(type.apiVersion());
      ModelAccess.setKind(obj, type.kind());
      obj.getMetadata().setNamespace(ns);
      return obj;
    }, Reply.of(m.replyTo(), m.tag()), null, 0);
  }

  private void onPatch(Api.Patch m) {
    ResourceType type = m.type();
    String ns = type.namespaced() ? m.namespace() : null;
    if (m.patchType() == PatchType.APPLY_PATCH && (m.subresource() == null || m.subresource().isEmpty())
        && cache(type).get(type.key(ns, m.name())) == null) {
      // Server-side apply creates what does not exist yet (an upsert).
      HasMetadata obj;
      try {
        obj = ServerSideApply.create(type, m.body(), m.options().fieldManager(), now());
      } catch (Patches.PatchFailure e) {
        throw new ApiException(e.status);
      }
      if (obj.getMetadata() == null || !m.name().equals(obj.getMetadata().getName())) {
        throw new ApiException(ApiErrors.badRequest("the name of the object (" + (obj.getMetadata() == null ? null
            : obj.getMetadata().getName()) + ") does not match the name on the URL (" + m.name() + ")"));
      }
      if (type.namespaced() && obj.getMetadata().getNamespace() != null
          && !obj.getMetadata().getNamespace().isEmpty() && !obj.getMetadata().getNamespace().equals(ns)) {
        throw new ApiException(ApiErrors.badRequest("the namespace of the provided object does not match the "
            + "namespace sent on the request"));
      }
      obj.getMetadata().setNamespace(ns);
      create(obj, m.options(), Reply.of(m.replyTo(), m.tag()), 0);
      return;
    }
    guaranteedUpdate(type, ns, m.name(), m.subresource(), m.options(), current -> {
      HasMetadata patched;
      try {
        patched = "status".equals(m.subresource())
            ? Patches.applyToStatus(type, current, m.patchType(), m.body(), m.options(), now())
            : Patches.apply(type, current, m.patchType(), m.body(), m.options(), now());
      } catch (Patches.PatchFailure e) {
        throw new ApiException(e.status);
      }
      ObjectMeta pm = patched.getMetadata();
      if (pm == null || !m.name().equals(pm.getName())) {
        throw new ApiException(ApiErrors.badRequest("the name of the object (" + (pm == null ? null : pm.getName())
            + ") does not match the name on the URL (" + m.name() + ")"));
      }
      if (type.namespaced() && !Objects.equals(ns, pm.getNamespace())) {
        throw new ApiException(ApiErrors.badRequest("the namespace of the object (" + pm.getNamespace()
            + ") does not match the namespace on the URL (" + ns + ")"));
      }
      String requested = pm.getResourceVersion();
      if (requested != null && !requested.equals(current.getMetadata().getResourceVersion())) {
        throw new ApiException(ApiErrors.conflict(type, m.name()));
      }
      return patched;
    }, Reply.of(m.replyTo(), m.tag()), null, 0);
  }

  /**
   * Read, modify, compare-and-swap, retry on conflict: kube-apiserver's GuaranteedUpdate. The
   * update function sees the current stored object and returns the desired one.
   */
  private void guaranteedUpdate(ResourceType type, String ns, String name, String subresource, WriteOptions options,
      UpdateFn fn, Reply reply, KeyValue known, int attempt) {
    boolean finalize = FINALIZE.equals(subresource) && type == Resources.NAMESPACES;
    if (subresource != null && !subresource.isEmpty() && !"status".equals(subresource)
        && !BINDING.equals(subresource) && !finalize) {
      throw new ApiException(ApiErrors.methodNotAllowed("the server does not allow this method on the requested "
          + "resource (" + type.plural() + "/" + subresource + ")"));
    }
    if ("status".equals(subresource) && !type.hasStatus()) {
      throw new ApiException(ApiErrors.notFound(type, name));
    }
    String key = type.key(ns, name);
    KeyValue cur = known != null ? known : cache(type).get(key);
    if (cur == null) {
      throw new ApiException(ApiErrors.notFound(type, name));
    }
    HasMetadata old = (HasMetadata) cur.value();
    HasMetadata applied = fn.apply(old);
    if (applied == old) {
      reply.ok(old, false);
      return;
    }
    final HasMetadata obj = finalize ? finalizeOnly((Namespace) old, (Namespace) applied) : applied;
    List<FieldError> errors;
    ServiceRest.Txn allocation = ServiceRest.Txn.NONE;
    if (finalize) {
      errors = Validation.validateNamespaceFinalize((Namespace) obj, (Namespace) old);
    } else if ("status".equals(subresource)) {
      Strategy.prepareForStatusUpdate(type, old, obj);
      Strategy.stampPhaseTransition(old, obj, now());
      errors = Validation.validateStatusUpdate(old, obj);
    } else if (BINDING.equals(subresource)) {
      // Binding writes spec.nodeName and the PodScheduled condition in one go, past the
      // spec/status split and the immutability of a pod's spec.
      errors = List.of();
    } else {
      if (obj instanceof io.fabric8.kubernetes.api.model.Service svc) {
        // The Service REST layer's BeginUpdate: keep, allocate and release ClusterIPs and node ports.
        allocation = services.allocateUpdate((io.fabric8.kubernetes.api.model.Service) old, svc, options.dryRun());
      }
      Strategy.prepareForUpdate(type, old, obj);
      try {
        errors = Validation.validateUpdate(old, obj);
      } catch (RuntimeException e) {
        allocation.revert();
        throw e;
      }
    }
    if (!errors.isEmpty()) {
      allocation.revert();
      throw new ApiException(ApiErrors.invalid(type, name, errors));
    }
    obj.getMetadata().setResourceVersion(old.getMetadata().getResourceVersion());
    if (unchanged(obj, old)) {
      // Nothing changed: no write, no new revision, as GuaranteedUpdate skips identical bytes.
      allocation.revert();
      reply.ok(old, false);
      return;
    }
    if (options.dryRun()) {
      allocation.revert();
      reply.ok(obj, false);
      return;
    }
    final ServiceRest.Txn txn = allocation;
    ObjectMeta meta = obj.getMetadata();
    boolean finalized = meta.getDeletionTimestamp() != null
        && (meta.getFinalizers() == null || meta.getFinalizers().isEmpty())
        && (meta.getDeletionGracePeriodSeconds() == null || meta.getDeletionGracePeriodSeconds() == 0)
        && !(obj instanceof Namespace nsObj && Strategy.hasSpecFinalizers(nsObj));
    if (finalized) {
      // The last finalizer is gone from an object being deleted: the object goes now.
      txn.revert();
      storeDelete(type, key, name, cur.modRevision(), reply, () -> handle(reply,
          () -> guaranteedUpdate(type, ns, name, subresource, options, fn, reply, null, attempt + 1)));
      return;
    }
    Duration ttl = ttlOf(obj);
    storeCall(tag -> new Store.Update(key, cur.modRevision(), obj, ttl, storeReplies, tag, storeChanges), r -> {
      if (r instanceof Store.Written w) {
        txn.commit();
        afterCache(w.kv().modRevision(), () -> reply.ok((HasMetadata) w.kv().value(), false));
        return;
      }
      txn.revert();
      Store.Failed f = (Store.Failed) r;
      if (f.failure() == Failure.CONFLICT && attempt + 1 < MAX_UPDATE_ATTEMPTS) {
        handle(reply, () -> guaranteedUpdate(type, ns, name, subresource, options, fn, reply, f.current(),
            attempt + 1));
      } else if (f.failure() == Failure.NOT_FOUND) {
        reply.fail(ApiErrors.notFound(type, name));
      } else {
        reply.fail(ApiErrors.conflict(type, name));
      }
    });
  }

  /**
   * {@code obj.equals(old)}, asking first about the spec and the status, where an update usually
   * differs (a Lease's renewTime, a heartbeat), before the metadata it usually keeps.
   */
  private static boolean unchanged(HasMetadata obj, HasMetadata old) {
    if (ModelAccess.hasSpec(obj) && !Objects.equals(ModelAccess.spec(obj), ModelAccess.spec(old))) {
      return false;
    }
    if (ModelAccess.hasStatus(obj) && !Objects.equals(ModelAccess.status(obj), ModelAccess.status(old))) {
      return false;
    }
    return obj.equals(old);
  }

  /**
   * pkg/registry/core/namespace: namespaces/finalize (namespaceFinalizeStrategy) changes
   * spec.finalizers and nothing else; once they are empty the namespace can go.
   */
  private static Namespace finalizeOnly(Namespace old, Namespace requested) {
    return new NamespaceBuilder(old).editOrNewSpec()
        .withFinalizers(requested.getSpec() == null ? null : requested.getSpec().getFinalizers()).endSpec().build();
  }

  private void storeDelete(ResourceType type, String key, String name, long expected, Reply reply,
      Runnable onConflict) {
    storeCall(tag -> new Store.Delete(key, expected, storeReplies, tag, storeChanges), r -> {
      if (r instanceof Store.Written w) {
        HasMetadata last = withResourceVersion((HasMetadata) w.prev().value(), w.kv().modRevision());
        log.v(4, "Object deleted", "resource", type.groupResource(), "object", objectName(last));
        afterCache(w.kv().modRevision(), () -> reply.ok(last, false));
      } else if (((Store.Failed) r).failure() == Failure.CONFLICT) {
        onConflict.run();
      } else {
        reply.fail(ApiErrors.notFound(type, name));
      }
    });
  }

  // ---------------------------------------------------------------- delete

  private void delete(ResourceType type, String namespace, String name, DeleteOptions options, Reply reply,
      KeyValue known, int attempt) {
    DeleteOptions o = options == null ? new DeleteOptions() : options;
    String ns = type.namespaced() ? namespace : null;
    String key = type.key(ns, name);
    KeyValue cur = known != null ? known : cache(type).get(key);
    if (cur == null) {
      throw new ApiException(ApiErrors.notFound(type, name));
    }
    HasMetadata obj = (HasMetadata) cur.value();
    ObjectMeta meta = obj.getMetadata();
    Preconditions pre = o.getPreconditions();
    if (pre != null) {
      if (pre.getUid() != null && !pre.getUid().equals(meta.getUid())) {
        throw new ApiException(ApiErrors.conflict(type, name, "Precondition failed: UID in precondition: "
            + pre.getUid() + ", UID in object meta: " + meta.getUid()));
      }
      if (pre.getResourceVersion() != null && !pre.getResourceVersion().equals(meta.getResourceVersion())) {
        throw new ApiException(ApiErrors.conflict(type, name, "Precondition failed: ResourceVersion in precondition: "
            + pre.getResourceVersion() + ", ResourceVersion in object meta: " + meta.getResourceVersion()));
      }
    }
    boolean dryRun = o.getDryRun() != null && o.getDryRun().contains("All");

    // Graceful deletion (pods on a node): mark, and let the kubelet finish the deletion.
    long grace = 0;
    if (Strategy.gracefulDelete(obj)) {
      grace = o.getGracePeriodSeconds() != null ? Math.max(0, o.getGracePeriodSeconds())
          : Strategy.defaultGracePeriod(obj);
    }
    List<String> finalizers = new ArrayList<>(meta.getFinalizers() == null ? List.of() : meta.getFinalizers());
    String policy = o.getPropagationPolicy();
    if (policy == null && o.getOrphanDependents() != null) {
      policy = o.getOrphanDependents() ? "Orphan" : "Background";
    }
    if ("Orphan".equals(policy) && !finalizers.contains("orphan")) {
      finalizers.add("orphan");
      finalizers.remove("foregroundDeletion");
    } else if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion")) {
      finalizers.add("foregroundDeletion");
      finalizers.remove("orphan");
    } else if (policy != null && !"Orphan".equals(policy) && !"Foreground".equals(policy)
        && !"Background".equals(policy)) {
      throw new ApiException(ApiErrors.invalid(type, name, List.of(FieldError.notSupported("propagationPolicy",
          policy, List.of("Foreground", "Background", "Orphan")))));
    }

    Long currentGrace = meta.getDeletionGracePeriodSeconds();
    boolean alreadyDeleting = meta.getDeletionTimestamp() != null;
    if (obj instanceof Namespace nsObj && Strategy.hasSpecFinalizers(nsObj)) {
      // pkg/registry/core/namespace/storage: a namespace turns Terminating and stays until the
      // namespace controller has deleted its content and removed the "kubernetes" finalizer.
      if (alreadyDeleting) {
        reply.ok(obj, false);
        return;
      }
      Namespace marked = new NamespaceBuilder(nsObj).editMetadata().withDeletionTimestamp(Times.rfc3339(now()))
          .withDeletionGracePeriodSeconds(0L).withFinalizers(finalizers.isEmpty() ? null : finalizers).endMetadata()
          .editOrNewStatus().withPhase("Terminating").endStatus().build();
      if (dryRun) {
        reply.ok(marked, false);
        return;
      }
      storeCall(tag -> new Store.Update(key, cur.modRevision(), marked, null, storeReplies, tag, storeChanges), r -> {
        if (r instanceof Store.Written w) {
          afterCache(w.kv().modRevision(), () -> reply.ok((HasMetadata) w.kv().value(), false));
        } else if (((Store.Failed) r).failure() == Failure.CONFLICT && attempt + 1 < MAX_UPDATE_ATTEMPTS) {
          handle(reply, () -> delete(type, namespace, name, options, reply, ((Store.Failed) r).current(),
              attempt + 1));
        } else {
          reply.fail(ApiErrors.notFound(type, name));
        }
      });
      return;
    }
    if (grace == 0 && finalizers.isEmpty()) {
      if (dryRun) {
        reply.ok(obj, false);
        return;
      }
      storeDelete(type, key, name, cur.modRevision(), reply,
          () -> handle(reply, () -> delete(type, namespace, name, options, reply, null, attempt + 1)));
      return;
    }
    if (alreadyDeleting && (currentGrace == null || grace >= currentGrace)
        && finalizers.equals(meta.getFinalizers() == null ? List.of() : meta.getFinalizers())) {
      // A second delete that shortens nothing changes nothing.
      reply.ok(obj, false);
      return;
    }
    HasMetadata marked = ShallowCopy.of(obj);
    ObjectMetaBuilder mb = new ObjectMetaBuilder(meta).withFinalizers(finalizers.isEmpty() ? null : finalizers);
    if (!alreadyDeleting || currentGrace == null || grace < currentGrace) {
      mb.withDeletionTimestamp(Times.rfc3339(now().plusSeconds(grace))).withDeletionGracePeriodSeconds(grace);
    }
    if (meta.getGeneration() != null && meta.getGeneration() > 0 && !alreadyDeleting) {
      mb.withGeneration(meta.getGeneration() + 1);
    }
    marked.setMetadata(mb.build());
    if (dryRun) {
      reply.ok(marked, false);
      return;
    }
    storeCall(tag -> new Store.Update(key, cur.modRevision(), marked, null, storeReplies, tag, storeChanges), r -> {
      if (r instanceof Store.Written w) {
        log.v(4, "Object marked for deletion", "resource", type.groupResource(), "object", objectName(marked));
        afterCache(w.kv().modRevision(), () -> reply.ok((HasMetadata) w.kv().value(), false));
      } else if (((Store.Failed) r).failure() == Failure.CONFLICT && attempt + 1 < MAX_UPDATE_ATTEMPTS) {
        handle(reply, () -> delete(type, namespace, name, options, reply, ((Store.Failed) r).current(), attempt + 1));
      } else {
        reply.fail(ApiErrors.notFound(type, name));
      }
    });
  }

  // ---------------------------------------------------------------- pods/binding and pods/eviction

  private void onBind(Api.Bind m) {
    Binding b = m.binding();
    String ns = b.getMetadata() == null || b.getMetadata().getNamespace() == null ? "default"
        : b.getMetadata().getNamespace();
    String name = b.getMetadata() == null ? null : b.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      throw new ApiException(ApiErrors.invalid(Resources.PODS, "", List.of(FieldError.required("metadata.name", ""))));
    }
    if (b.getTarget() == null || b.getTarget().getName() == null || b.getTarget().getName().isEmpty()) {
      throw new ApiException(ApiErrors.invalid(Resources.PODS, name, List.of(FieldError.required("target.name", ""))));
    }
    if (b.getTarget().getKind() != null && !b.getTarget().getKind().isEmpty()
        && !"Node".equals(b.getTarget().getKind())) {
      throw new ApiException(ApiErrors.invalid(Resources.PODS, name, List.of(FieldError.notSupported("target.kind",
          b.getTarget().getKind(), List.of("Node")))));
    }
    String node = b.getTarget().getName();
    Reply reply = Reply.of(m.replyTo(), m.tag());
    // pkg/registry/core/pod/storage: BindingREST.assignPod.
    guaranteedUpdate(Resources.PODS, ns, name, BINDING, WriteOptions.DEFAULT, current -> {
      Pod pod = (Pod) current;
      String bindingConflict = null;
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        bindingConflict = "pod " + name + " is being deleted, cannot be assigned to a host";
      } else if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
        bindingConflict = "pod " + name + " is already assigned to node \"" + pod.getSpec().getNodeName() + "\"";
      }
      if (bindingConflict != null) {
        throw new ApiException(ApiErrors.status(409, "Conflict",
            "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + bindingConflict, null));
      }
      // Stored objects are never changed in place, so the new version shares all it does not change:
      // a shallow copy of the pod, its metadata (the store stamps the resourceVersion there), its spec
      // and its status, instead of a deep copy of every container.
      Pod bound = ShallowCopy.of(pod);
      bound.setMetadata(ShallowCopy.of(pod.getMetadata()));
      bound.setSpec(ShallowCopy.of(pod.getSpec()));
      bound.setStatus(ShallowCopy.of(pod.getStatus() == null ? new io.fabric8.kubernetes.api.model.PodStatus()
          : pod.getStatus()));
      bound.getSpec().setNodeName(node);
      if (b.getMetadata().getAnnotations() != null && !b.getMetadata().getAnnotations().isEmpty()) {
        Map<String, String> ann = new LinkedHashMap<>(
            bound.getMetadata().getAnnotations() == null ? Map.of() : bound.getMetadata().getAnnotations());
        ann.putAll(b.getMetadata().getAnnotations());
        bound.getMetadata().setAnnotations(ann);
      }
      List<PodCondition> conditions = new ArrayList<>();
      boolean found = false;
      for (PodCondition c : bound.getStatus().getConditions() == null ? List.<PodCondition>of()
          : bound.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())) {
          found = true;
          if (!"True".equals(c.getStatus())) {
            c = new io.fabric8.kubernetes.api.model.PodConditionBuilder(c).withStatus("True").withReason(null)
                .withMessage(null).withLastTransitionTime(Times.rfc3339(now())).build();
          }
        }
        conditions.add(c);
      }
      if (!found) {
        conditions.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled")
            .withStatus("True").withLastTransitionTime(Times.rfc3339(now())).build());
      }
      bound.getStatus().setConditions(conditions);
      return bound;
    }, reply, null, 0);
  }

  /**
   * pods/eviction (pkg/registry/core/pod/storage/eviction.go): a delete that respects the
   * PodDisruptionBudget covering the pod. Pods that are Pending, finished or already terminating
   * can always go; with no budget the pod is deleted; with one, it goes only if the budget allows
   * a disruption, which it then uses up (429 otherwise); more than one budget is an error.
   */
  private void onEvict(Api.Evict m) {
    Reply reply = Reply.of(m.replyTo(), m.tag());
    String ns = m.namespace();
    KeyValue kv = cache(Resources.PODS).get(Resources.PODS.key(ns, m.name()));
    if (kv == null) {
      throw new ApiException(ApiErrors.notFound(Resources.PODS, m.name()));
    }
    Pod pod = (Pod) kv.value();
    String phase = pod.getStatus() == null ? "" : pod.getStatus().getPhase();
    boolean ignoreBudget = pod.getMetadata().getDeletionTimestamp() != null || "Pending".equals(phase)
        || "Succeeded".equals(phase) || "Failed".equals(phase);
    List<PodDisruptionBudget> budgets = new ArrayList<>();
    if (!ignoreBudget) {
      for (KeyValue b : cache(Resources.PODDISRUPTIONBUDGETS).scan(ns)) {
        PodDisruptionBudget pdb = (PodDisruptionBudget) b.value();
        if (pdb.getSpec() == null || pdb.getSpec().getSelector() == null) {
          continue;
        }
        LabelSelector sel;
        try {
          sel = LabelSelector.from(pdb.getSpec().getSelector());
        } catch (SelectorParseException e) {
          continue;
        }
        if (!sel.isEmpty() && sel.matches(pod.getMetadata().getLabels())) {
          budgets.add(pdb);
        }
      }
    }
    if (budgets.size() > 1) {
      throw new ApiException(ApiErrors.internal("This pod has more than one PodDisruptionBudget, which the eviction "
          + "subresource does not support."));
    }
    if (budgets.isEmpty()) {
      evictPod(pod, m, reply);
      return;
    }
    PodDisruptionBudget pdb = budgets.get(0);
    String pdbName = pdb.getMetadata().getName();
    var st = pdb.getStatus();
    long observed = st == null || st.getObservedGeneration() == null ? 0 : st.getObservedGeneration();
    long generation = pdb.getMetadata().getGeneration() == null ? 0 : pdb.getMetadata().getGeneration();
    if (observed < generation) {
      throw new ApiException(tooManyRequests(pdbName, "The disruption budget " + pdbName
          + " is still being processed by the server."));
    }
    int allowed = st == null || st.getDisruptionsAllowed() == null ? 0 : st.getDisruptionsAllowed();
    int healthy = st == null || st.getCurrentHealthy() == null ? 0 : st.getCurrentHealthy();
    int desired = st == null || st.getDesiredHealthy() == null ? 0 : st.getDesiredHealthy();
    if (allowed < 0) {
      throw new ApiException(ApiErrors.forbidden(Resources.PODS, m.name(), "pdb disruptions allowed is negative"));
    }
    // unhealthyPodEvictionPolicy IfHealthyBudget (the default): a pod that is not ready may go
    // without using up the budget when the budget is met.
    boolean podReady = isReady(pod);
    String policy = pdb.getSpec().getUnhealthyPodEvictionPolicy();
    if (!podReady && ("AlwaysAllow".equals(policy) || healthy >= desired)) {
      evictPod(pod, m, reply);
      return;
    }
    if (allowed == 0) {
      throw new ApiException(tooManyRequests(pdbName, "The disruption budget " + pdbName + " needs " + desired
          + " healthy pods and has " + healthy + " currently"));
    }
    if (m.dryRun()) {
      reply.ok(pod, false);
      return;
    }
    // Use up one disruption in the budget's status before deleting, as checkAndDecrement does.
    guaranteedUpdate(Resources.PODDISRUPTIONBUDGETS, ns, pdbName, "status", WriteOptions.DEFAULT, current -> {
      PodDisruptionBudget b = new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder(
          (PodDisruptionBudget) current).build();
      int left = b.getStatus().getDisruptionsAllowed() == null ? 0 : b.getStatus().getDisruptionsAllowed();
      if (left <= 0) {
        throw new ApiException(tooManyRequests(pdbName, "The disruption budget " + pdbName + " needs " + desired
            + " healthy pods and has " + healthy + " currently"));
      }
      b.getStatus().setDisruptionsAllowed(left - 1);
      Map<String, String> disrupted = new LinkedHashMap<>(
          b.getStatus().getDisruptedPods() == null ? Map.of() : b.getStatus().getDisruptedPods());
      disrupted.put(m.name(), Times.rfc3339(now()));
      b.getStatus().setDisruptedPods(disrupted);
      return b;
    }, Reply.then(r -> {
      if (r instanceof Api.Failed f) {
        reply.fail(f.status());
      } else {
        handle(reply, () -> evictPod(pod, m, reply));
      }
    }), null, 0);
  }

  private static io.fabric8.kubernetes.api.model.Status tooManyRequests(String pdbName, String cause) {
    io.fabric8.kubernetes.api.model.StatusDetails d = new io.fabric8.kubernetes.api.model.StatusDetails();
    io.fabric8.kubernetes.api.model.StatusCause c = new io.fabric8.kubernetes.api.model.StatusCause();
    c.setReason("DisruptionBudget");
    c.setMessage(cause);
    d.setCauses(List.of(c));
    return ApiErrors.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", d);
  }

  private static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** Marks the pod with the DisruptionTarget condition, then deletes it (gracefully, per the options). */
  private void evictPod(Pod pod, Api.Evict m, Reply reply) {
    if (m.dryRun()) {
      reply.ok(pod, false);
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Runnable delete = () -> handle(reply, () -> delete(Resources.PODS, ns, name, m.options(), reply, null, 0));
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      delete.run();
      return;
    }
    guaranteedUpdate(Resources.PODS, ns, name, "status", WriteOptions.DEFAULT, current -> {
      Pod p = new io.fabric8.kubernetes.api.model.PodBuilder((Pod) current).build();
      List<PodCondition> conditions = new ArrayList<>();
      for (PodCondition c : p.getStatus().getConditions()) {
        if (!"DisruptionTarget".equals(c.getType())) {
          conditions.add(c);
        }
      }
      conditions.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("DisruptionTarget")
          .withStatus("True").withReason("EvictionByEvictionAPI").withMessage("Eviction API: evicting")
          .withLastTransitionTime(Times.rfc3339(now())).build());
      p.getStatus().setConditions(conditions);
      return p;
    }, Reply.then(r -> {
      if (r instanceof Api.Failed f) {
        reply.fail(f.status());
      } else {
        delete.run();
      }
    }), null, 0);
  }
}
