package io.kubesim.nodeagent.kubelet;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.kubesim.nodeagent.runtime.ContainerBehavior;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.nodeagent.runtime.Images;
import io.kubesim.nodeagent.staticpod.StaticPods;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import io.kubesim.shared.util.ShallowCopy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The kubelet of one simulated node. It registers its Node, renews its Lease every 10 s, posts
 * the node status, watches the pods bound to its node and runs them through the node's
 * {@link ContainerRuntime}, runs static pods from its {@link NodeConfig#staticPods()} source and
 * keeps their mirror pods, and reports every pod's status, all through the apiserver, in virtual
 * time.
 *
 * <p>Stopping this actor is a kubelet crash: containers keep running in the runtime, and a new
 * kubelet for the same node picks them up. {@link SetNetwork} cuts or restores its link to the
 * apiserver.
 */
public final class Kubelet extends AbstractBehavior<Kubelet.Command> {

  // ---------------------------------------------------------------- protocol

  public sealed interface Command {}

  /** The fault injector cuts ({@code false}) or restores the kubelet's link to the apiserver. */
  public record SetNetwork(boolean connected) implements Command {}

  private record FromApi(Object message) implements Command {}

  private record FromRuntime(ContainerRuntime.Reply reply) implements Command {}

  private record RuntimeEvent(ContainerRuntime.Event event) implements Command {}

  private enum Tick implements Command { REGISTER }

  /** The duties' timer went off; only the one set last counts ({@link #armDuties}). */
  private record DutiesDue(long generation) implements Command {}

  /**
   * What the kubelet does on its own at virtual instants, all served by one timer ({@link DutiesDue}):
   * the sync loops' periodic work, the next lease renewal and node status check, and the deadline of
   * the oldest request without an answer. Declared in the order their timers used to be started.
   */
  private enum Duty { STATIC_PODS, STATUS_SYNC, HOUSEKEEPING, SYNC_ALL, LEASE, NODE_STATUS, REQUEST_DEADLINE }

  /** A request's continuation and the virtual time at which it gives up; {@code done} once answered or timed out. */
  private static final class Pending {
    final Consumer<Api.Response> k;
    final long deadlineNanos;
    boolean done;

    Pending(Consumer<Api.Response> k, long deadlineNanos) {
      this.k = k;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private record Resync(String uid) implements Command {}

  private record ResyncKey(String uid, long atNanos) {}

  private record ProbeTick(String uid, String container, String type, String containerId) implements Command {}

  private record LeaseRetry(long generation) implements Command {}

  private record StatusRetry(String uid) implements Command {}

  // ---------------------------------------------------------------- creation

  public static Behavior<Command> create(ComponentContext ctx, NodeConfig config, KubeletSettings settings,
      ActorRef<ContainerRuntime.Command> runtime) {
    // A bug met while handling one message must not take the node down: the kubelet goes on.
    return Behaviors.supervise(Behaviors.<Command>setup(actx -> Behaviors.withTimers(timers -> new Kubelet(actx,
        timers, ctx, config, settings, runtime)))).onFailure(akka.actor.typed.SupervisorStrategy.resume());
  }

  /** housekeepingPeriod: the kubelet cleans up orphaned pods every 2 s; 10 s is enough in a simulation. */
  static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
  /** Lease creation backoff (component-helpers lease controller: doubling from 100ms, at most 7s). */
  static final Duration MAX_LEASE_BACKOFF = Duration.ofSeconds(7);
  /** Attempts per node status update (kubelet.go nodeStatusUpdateRetry). */
  static final int NODE_STATUS_UPDATE_RETRY = 5;
  /** Immediate retries of a lease update (lease controller maxUpdateRetries). */
  static final int LEASE_UPDATE_RETRIES = 5;

  // ---------------------------------------------------------------- state

  private final ComponentContext ctx;
  private final TimerScheduler<Command> timers;
  private final NodeConfig config;
  private final KubeletSettings settings;
  private final String nodeName;
  /** The lease's namespace/name as the log lines name it (built once: the lease is renewed every 10 s). */
  private final String leaseKey;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final RuntimeClient runtime;
  private final Informer<Pod> pods;
  private final Informer<Node> nodeWatch;
  private final NodeStatuses.Template template;
  private final ObjectReference nodeRef;
  private final Backoff containerBackoff;
  private final Backoff imageBackoff;
  private final Map<String, PodWorker> workers = new LinkedHashMap<>();
  /**
   * Workers whose status check may find something to do (see {@link #statusClean}): every other
   * worker's check is a no-op, so the 10 s status sync walks the workers only when this is not empty.
   */
  private final java.util.Set<PodWorker> statusDirty = new java.util.LinkedHashSet<>();
  /**
   * Workers whose periodic sync may do something (see {@link #syncAll}): every other worker's sync
   * is a no-op, so the minute's sync walks the workers only when this is not empty.
   */
  private final java.util.Set<PodWorker> syncSuspects = new java.util.LinkedHashSet<>();
  /** The static pods' workers among {@link #workers}, by uid: the file source checks only these. */
  private final Map<String, PodWorker> staticWorkers = new LinkedHashMap<>();
  private final Map<String, PodWorker> staticByName = new TreeMap<>();
  private final Map<String, String> staticSeen = new TreeMap<>();
  private final Map<String, ContainerRuntime.ImageInfo> images = new TreeMap<>();
  /** The stored status last compared with a computed one, and whether all but its conditions differed. */
  private NodeStatus comparedStatus;
  private List<io.fabric8.kubernetes.api.model.ContainerImage> comparedImages;
  private boolean comparedRestChanged;
  /**
   * The stored status (and image list) the setters last found unchanged. NodeStatuses.apply depends
   * only on the stored status, the template, the images and the time, and the time moves only the
   * heartbeat times and the transition times of conditions that are new or flipped, which would
   * have been a change: so while the stored status and the images stay the same objects, the
   * check's answer stays "unchanged" and is not computed again every 10 s.
   */
  private NodeStatus unchangedStatus;
  private List<io.fabric8.kubernetes.api.model.ContainerImage> unchangedImages;
  /**
   * The node lister has delivered nothing since its node was last read and found with
   * {@link #unchangedStatus}: the next check has that same answer without reading the lister.
   */
  private boolean listedUnchanged;
  /** status.images, rebuilt when the node's images change. */
  private List<io.fabric8.kubernetes.api.model.ContainerImage> imageList;
  private final Deque<PullRequest> pullQueue = new ArrayDeque<>();
  private boolean pulling;
  private final Map<String, RuntimePod> unclaimed = new TreeMap<>();
  /**
   * Requests without an answer, oldest first. Every request has the same timeout, so deadlines
   * fall in this order and one timer, set for the oldest, serves them all.
   */
  private final ArrayDeque<Pending> timeouts = new ArrayDeque<>();
  private final Duties<Duty> duties = new Duties<>(Duty.class);
  /** When the duties timer goes off; Long.MAX_VALUE when none is set. */
  private long dutiesArmedAt = Long.MAX_VALUE;
  private long dutiesGeneration;
  private akka.actor.Cancellable dutiesTimer;
  private final TreeSet<String> mirrorsInFlight = new TreeSet<>();
  private boolean started;
  private boolean registered;
  private Node node;
  /** When an unchanged status is posted again (nodeStatusReportFrequency after the last post). */
  private Instant nextStatusReport;
  private long statusGeneration;
  private Duration registerBackoff = Duration.ofMillis(100);
  private Lease latestLease;
  private long leaseGeneration;
  private Duration leaseBackoff = Duration.ofMillis(100);
  private boolean informerSynced;
  /** Mirror pods have been seen on this node (only then can there be orphaned ones to clean up). */
  private boolean mirrorsSeen;
  private final PodWorker.Host host = new WorkerHost();

  private record PullRequest(String image, ContainerBehavior.ImagePull behavior,
      Consumer<ContainerRuntime.Reply> k) {}

  private record RuntimePod(List<ContainerRuntime.SandboxInfo> sandboxes,
      List<ContainerRuntime.ContainerInfo> containers) {}


  private Kubelet(ActorContext<Command> actx, TimerScheduler<Command> timers, ComponentContext ctx, NodeConfig config,
      KubeletSettings settings, ActorRef<ContainerRuntime.Command> runtimeRef) {
    super(actx);
    this.ctx = ctx;
    this.timers = timers;
    this.config = config;
    this.settings = settings;
    this.nodeName = config.name();
    this.leaseKey = Resources.NODE_LEASE_NAMESPACE + "/" + nodeName;
    this.log = ctx.log("kubelet/" + nodeName);
    this.client = ApiClient.create(actx, ctx.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, ctx.clock(), "kubelet", nodeName);
    this.runtime = new RuntimeClient(runtimeRef, actx.messageAdapter(ContainerRuntime.Reply.class, FromRuntime::new));
    this.containerBackoff = new Backoff(settings.crashLoopBackOffInitial(), settings.crashLoopBackOffMax());
    this.imageBackoff = new Backoff(settings.imagePullBackOffInitial(), settings.imagePullBackOffMax());
    SplittableRandom random = ctx.random("kubelet/" + nodeName);
    this.template = NodeStatuses.template(config, settings, hex(random, 32), uuid(random), uuid(random));
    // The kubelet's node reference uses the node name as its UID (kubelet.go nodeRef).
    this.nodeRef = new ObjectReference();
    nodeRef.setKind("Node");
    nodeRef.setName(nodeName);
    nodeRef.setUid(nodeName);
    this.pods = new Informer<>(client, Resources.PODS, Pod.class, null,
        ListOptions.fields("spec.nodeName=" + nodeName), new PodHandler());
    // The kubelet's node lister (kubelet.go nodeLister): its own Node as the apiserver has it, so
    // that admission sees labels and taints others add as soon as they are there.
    this.nodeWatch = new Informer<>(client, Resources.NODES, Node.class, null,
        ListOptions.fields("metadata.name=" + nodeName), new Informer.Handler<Node>() {
          @Override
          public void onAdd(Node n) {
            listedUnchanged = false;
            observed(n);
          }

          @Override
          public void onUpdate(Node old, Node n) {
            listedUnchanged = false;
            observed(n);
          }

          @Override
          public void onDelete(Node last) {
            listedUnchanged = false;
          }
        });
    start(actx);
  }

  private static String hex(SplittableRandom r, int n) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < n) {
      sb.append(Long.toHexString(r.nextLong() | Long.MIN_VALUE));
    }
    return sb.substring(0, n);
  }

  private static String uuid(SplittableRandom r) {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private Instant now() {
    return ctx.clock().now();
  }

  /** A metav1.MicroTime: microsecond precision, UTC. */
  private java.time.ZonedDateTime microNow() {
    Instant now = now();
    MicroNow last = lastMicroNow;
    if (last.instant() == now) {
      return last.time();
    }
    // Instant.truncatedTo(MICROS) without its general unit arithmetic: this runs every 10 s on every node.
    java.time.ZonedDateTime t = java.time.ZonedDateTime.ofInstant(
        Instant.ofEpochSecond(now.getEpochSecond(), now.getNano() / 1000 * 1000), java.time.ZoneOffset.UTC);
    lastMicroNow = new MicroNow(now, t);
    return t;
  }

  /**
   * The last instant made into a renewTime, by any kubelet: nodes renew at the same virtual
   * instants, and the runtime hands out one Instant per instant. Immutable values only, so the
   * kubelets of simulations on other threads may share it.
   */
  private record MicroNow(Instant instant, java.time.ZonedDateTime time) {}

  private static volatile MicroNow lastMicroNow = new MicroNow(null, null);

  /** kubelet.go Run: node events, the runtime's state, then the sync loops. */
  private void start(ActorContext<Command> actx) {
    log.info("Starting kubelet", "node", nodeName, "version", settings.kubeletVersion());
    nodeEvent("Starting", "Starting kubelet.");
    for (String e : NodeStatuses.initialEvents(template, now())) {
      nodeEvent(e, "Node " + nodeName + " status is now: " + e);
    }
    nodeEvent("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
    runtime.subscribe(actx.messageAdapter(ContainerRuntime.Event.class, RuntimeEvent::new));
    runtime.listImages(r -> {
      if (r instanceof ContainerRuntime.ImageList l) {
        for (ContainerRuntime.ImageInfo i : l.images()) {
          images.put(i.name(), i);
        }
        imageList = null;
      }
    });
    runtime.relist(this::onRelist);
  }

  private void onRelist(ContainerRuntime.Reply r) {
    if (r instanceof ContainerRuntime.Snapshot s) {
      Map<String, List<ContainerRuntime.SandboxInfo>> sbs = new TreeMap<>();
      for (ContainerRuntime.SandboxInfo sb : s.sandboxes()) {
        sbs.computeIfAbsent(sb.podUid(), k -> new ArrayList<>()).add(sb);
      }
      Map<String, List<ContainerRuntime.ContainerInfo>> cs = new TreeMap<>();
      for (ContainerRuntime.ContainerInfo c : s.containers()) {
        cs.computeIfAbsent(c.podUid(), k -> new ArrayList<>()).add(c);
      }
      for (String uid : sbs.keySet()) {
        unclaimed.put(uid, new RuntimePod(sbs.get(uid), cs.getOrDefault(uid, List.of())));
      }
      if (!unclaimed.isEmpty()) {
        log.info("Found containers left by a previous kubelet", "pods", unclaimed.size(), "containers",
            s.containers().size());
      }
    }
    started = true;
    readStaticPods();
    pods.start();
    nodeWatch.start();
    register();
    every(Duty.STATIC_PODS, settings.fileCheckFrequency());
    every(Duty.STATUS_SYNC, settings.statusSyncPeriod());
    every(Duty.HOUSEKEEPING, HOUSEKEEPING);
    every(Duty.SYNC_ALL, settings.syncFrequency());
    armDuties();
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(SetNetwork.class, this::onSetNetwork)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessage(FromRuntime.class, this::onFromRuntime)
        .onMessage(RuntimeEvent.class, this::onRuntimeEvent)
        .onMessageEquals(Tick.REGISTER, this::onRegisterTick)
        .onMessage(DutiesDue.class, this::onDuties)
        .onMessage(Resync.class, this::onResync)
        .onMessage(ProbeTick.class, this::onProbeTick)
        .onMessage(LeaseRetry.class, this::onLeaseRetry)
        .onMessage(StatusRetry.class, this::onStatusRetry)
        .onSignal(akka.actor.typed.PostStop.class, s -> {
          // As Akka's timers are when an actor stops.
          if (dutiesTimer != null) {
            dutiesTimer.cancel();
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onFromRuntime(FromRuntime m) {
    runtime.receive(m.reply());
    return this;
  }

  // ---------------------------------------------------------------- requests with a deadline

  /**
   * Wraps a continuation with the kubelet's request timeout: it gets the answer, or null when
   * none came in time (the request or its answer was lost).
   */
  private Consumer<Api.Response> timed(Consumer<Api.Response> k) {
    Pending p = new Pending(k, ctx.clock().nanos() + settings.heartbeatTimeout().toNanos());
    timeouts.addLast(p);
    armRequestDeadline();
    return resp -> {
      if (!p.done) {
        p.done = true;
        p.k.accept(resp);
      }
    };
  }

  private void armRequestDeadline() {
    while (!timeouts.isEmpty() && timeouts.peekFirst().done) {
      timeouts.pollFirst();
    }
    if (timeouts.isEmpty()) {
      return;
    }
    long at = timeouts.peekFirst().deadlineNanos;
    if (at < duties.dueAt(Duty.REQUEST_DEADLINE)) {
      duties.once(Duty.REQUEST_DEADLINE, at);
      armDuties();
    }
  }

  private void onRequestDeadline() {
    long now = ctx.clock().nanos();
    Pending p;
    while ((p = timeouts.peekFirst()) != null && (p.done || p.deadlineNanos <= now)) {
      timeouts.pollFirst();
      if (!p.done) {
        p.done = true;
        p.k.accept(null);
      }
    }
    armRequestDeadline();
  }

  // ---------------------------------------------------------------- duties

  private void every(Duty d, Duration period) {
    duties.every(d, ctx.clock().nanos() + period.toNanos(), period.toNanos());
  }

  private void once(Duty d, Duration delay) {
    duties.once(d, ctx.clock().nanos() + delay.toNanos());
    armDuties();
  }

  /** Sets the DUTIES timer for the earliest duty, unless it is already set for that instant or earlier. */
  private void armDuties() {
    long next = duties.next();
    if (next < dutiesArmedAt) {
      dutiesArmedAt = next;
      // A plain scheduled message rather than a TimerScheduler timer: this one goes off every few
      // seconds on every node, and Akka's timers fetch the actor's logger (setting and clearing
      // the logging MDC) for each timer message. Same scheduler, same instants, same order; the
      // generation does what the timer key's did: a replaced timer's message is ignored.
      if (dutiesTimer != null) {
        dutiesTimer.cancel();
      }
      ActorRef<Command> self = getContext().getSelf();
      DutiesDue due = new DutiesDue(++dutiesGeneration);
      // Sent from the scheduler's own task (parasitic), as Akka's timers send theirs; the
      // context's scheduleOnce would send it from a task queued on the dispatcher, later.
      dutiesTimer = getContext().getSystem().scheduler().scheduleOnce(
          Duration.ofNanos(Math.max(0, next - ctx.clock().nanos())), () -> self.tell(due),
          scala.concurrent.ExecutionContext.parasitic$.MODULE$);
    }
  }

  /**
   * Runs the duties due now, in the order their own timers would have fired. The timer is set for
   * the next instant first, and one duty's failure does not keep the others from running.
   */
  private Behavior<Command> onDuties(DutiesDue m) {
    if (m.generation() != dutiesGeneration) {
      return this;
    }
    dutiesTimer = null;
    dutiesArmedAt = Long.MAX_VALUE;
    List<Duty> due = duties.takeDue(ctx.clock().nanos());
    armDuties();
    RuntimeException failure = null;
    for (Duty d : due) {
      try {
        switch (d) {
          case STATIC_PODS -> readStaticPods();
          case STATUS_SYNC -> syncStatuses();
          case HOUSEKEEPING -> housekeeping();
          case SYNC_ALL -> syncAll();
          case LEASE -> leaseSync(leaseGeneration);
          case NODE_STATUS -> nodeStatusTick();
          case REQUEST_DEADLINE -> onRequestDeadline();
          default -> throw new IllegalStateException("unknown duty " + d);
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return this;
  }

  /** The error client-go reports for a request without an answer in time. */
  private String deadline(String method, String path) {
    return method + " \"" + settings.apiServerUrl() + path + (path.contains("?") ? "&" : "?") + "timeout="
        + Klog.goDuration(settings.heartbeatTimeout()) + "\": context deadline exceeded";
  }

  private static String message(Api.Response r) {
    if (r instanceof Api.Failed f) {
      return f.message();
    }
    return String.valueOf(r);
  }

  // ---------------------------------------------------------------- node registration and status

  private void nodeEvent(String reason, String message) {
    recorder.event(nodeRef, EventRecorder.NORMAL, reason, message);
  }

  private Behavior<Command> onRegisterTick() {
    register();
    return this;
  }

  /** registerWithAPIServer: create the Node; if it exists, take it over as a restarting kubelet does. */
  private void register() {
    long gen = statusGeneration;
    log.info("Attempting to register node", "node", nodeName);
    Node initial = NodeStatuses.initialNode(template, now(), false);
    client.create(initial, timed(r -> {
      if (gen != statusGeneration) {
        return;
      }
      if (r instanceof Api.Ok ok) {
        log.info("Successfully registered node", "node", nodeName);
        onRegistered((Node) ok.object());
        return;
      }
      if (r instanceof Api.Failed f && "AlreadyExists".equals(f.reason())) {
        client.get(Resources.NODES, null, nodeName, timed(g -> {
          if (gen != statusGeneration) {
            return;
          }
          if (g instanceof Api.Ok ok) {
            log.info("Node was previously registered", "node", nodeName);
            reconcileExisting((Node) ok.object(), gen);
          } else {
            registerFailed(g == null ? deadline("Get", "/api/v1/nodes/" + nodeName) : message(g));
          }
        }));
        return;
      }
      registerFailed(r == null ? deadline("Post", "/api/v1/nodes") : message(r));
    }));
  }

  private void registerFailed(String err) {
    log.error("Unable to register node with API server", "err", err, "node", nodeName);
    timers.startSingleTimer(Tick.REGISTER, registerBackoff);
    registerBackoff = registerBackoff.multipliedBy(2).compareTo(Duration.ofSeconds(7)) > 0 ? Duration.ofSeconds(7)
        : registerBackoff.multipliedBy(2);
  }

  /** The default labels and the attach-detach annotation are made right on an existing node (updateDefaultLabels). */
  private void reconcileExisting(Node existing, long gen) {
    Map<String, String> labels = new LinkedHashMap<>(existing.getMetadata().getLabels() == null ? Map.of()
        : existing.getMetadata().getLabels());
    Map<String, String> ann = new LinkedHashMap<>(existing.getMetadata().getAnnotations() == null ? Map.of()
        : existing.getMetadata().getAnnotations());
    boolean changed = false;
    for (String k : List.of("beta.kubernetes.io/arch", "beta.kubernetes.io/os", "kubernetes.io/arch",
        "kubernetes.io/hostname", "kubernetes.io/os")) {
      if (!template.labels().get(k).equals(labels.get(k))) {
        labels.put(k, template.labels().get(k));
        changed = true;
      }
    }
    String cmad = "volumes.kubernetes.io/controller-managed-attach-detach";
    if (!"true".equals(ann.get(cmad))) {
      ann.put(cmad, "true");
      changed = true;
    }
    if (!changed) {
      onRegistered(existing);
      return;
    }
    Node updated = ShallowCopy.of(existing);
    updated.setMetadata(new ObjectMetaBuilder(existing.getMetadata()).withLabels(labels).withAnnotations(ann).build());
    client.update(updated, timed(u -> {
      if (gen != statusGeneration) {
        return;
      }
      if (u instanceof Api.Ok ok) {
        onRegistered((Node) ok.object());
      } else {
        registerFailed("Unable to reconcile node with API server,error updating node: "
            + (u == null ? deadline("Put", "/api/v1/nodes/" + nodeName) : message(u)));
      }
    }));
  }

  /** A newer version of the node from the watch replaces the one held (never an older one). */
  private void observed(Node n) {
    if (node == null || Long.parseLong(n.getMetadata().getResourceVersion())
        > Long.parseLong(node.getMetadata().getResourceVersion())) {
      node = n;
    }
  }

  private void onRegistered(Node n) {
    boolean first = !registered;
    registered = true;
    node = n;
    registerBackoff = Duration.ofMillis(100);
    // syncNodeStatus: registration and the first status update happen in the same pass.
    updateNodeStatus(0, statusGeneration);
    if (first) {
      leaseSync(leaseGeneration);
      for (PodWorker w : staticByName.values()) {
        syncMirror(w);
      }
    }
  }

  private void nodeStatusTick() {
    if (registered) {
      updateNodeStatus(0, statusGeneration);
    }
  }

  /**
   * updateNodeStatus / tryUpdateNodeStatus: read the node, run the setters, post it if changed or
   * due. The first attempt reads the kubelet's node lister (its own informer) and asks the
   * apiserver nothing; the retries GET the node (kubelet_node_status.go since v1.30, PR #123977:
   * "avoid majority of GET Node calls to kube-apiserver coming from kubelet").
   */
  private void updateNodeStatus(int attempt, long gen) {
    if (attempt == 0) {
      if (listedUnchanged && imageList == unchangedImages && !statusReportDue()) {
        scheduleNodeStatus(gen);
        return;
      }
      Node listed = nodeWatch.get(nodeName);
      if (listed == null) {
        nodeStatusFailed(attempt, gen, "error getting node \"" + nodeName + "\": node \"" + nodeName + "\" not found");
      } else {
        tryUpdateNodeStatus(listed, attempt, gen);
      }
      return;
    }
    client.get(Resources.NODES, null, nodeName, timed(r -> {
      if (gen != statusGeneration) {
        return;
      }
      if (!(r instanceof Api.Ok ok)) {
        nodeStatusFailed(attempt, gen, "error getting node \"" + nodeName + "\": "
            + (r == null ? deadline("Get", "/api/v1/nodes/" + nodeName) : message(r)));
        return;
      }
      tryUpdateNodeStatus((Node) ok.object(), attempt, gen);
    }));
  }

  private boolean statusReportDue() {
    return nextStatusReport == null || !now().isBefore(nextStatusReport);
  }

  private void tryUpdateNodeStatus(Node current, int attempt, long gen) {
    observed(current);
    listedUnchanged = false;
    if (imageList == null) {
      imageList = NodeStatuses.images(List.copyOf(images.values()));
    }
    boolean due = statusReportDue();
    if (!due && current.getStatus() != null && current.getStatus() == unchangedStatus
        && imageList == unchangedImages) {
      // The setters' result differs from this stored status only in heartbeat times, as it did
      // at the last check: it depends on nothing else that moved (see unchangedStatus).
      listedUnchanged = attempt == 0;
      scheduleNodeStatus(gen);
      return;
    }
    NodeStatuses.Result result = NodeStatuses.apply(current.getStatus(), template, now(), true, imageList, true);
    boolean changed = statusChanged(current.getStatus(), result.status());
    if (!changed) {
      unchangedStatus = current.getStatus();
      unchangedImages = imageList;
      listedUnchanged = attempt == 0;
    }
    if (!changed && !due) {
      scheduleNodeStatus(gen);
      return;
    }
    // patchNodeStatus: a patch of the status, so that a concurrent change of the node's spec or
    // metadata (taints, annotations by controllers) is no conflict.
    // Like the kubelet's two-way patch, only what differs from the stored status: when all but
    // the conditions are the same (the usual case, heartbeats), the conditions alone.
    String body = current.getStatus() != null && !comparedRestChanged
        ? "{\"status\":{\"conditions\":" + io.kubesim.shared.json.Json.write(result.status().getConditions()) + "}}"
        : "{\"status\":" + io.kubesim.shared.json.Json.write(result.status()) + "}";
    client.patchStatus(Resources.NODES, null, nodeName, io.kubesim.shared.api.PatchType.MERGE_PATCH, body, timed(u -> {
      if (gen != statusGeneration) {
        return;
      }
      if (u instanceof Api.Ok uok) {
        node = (Node) uok.object();
        nextStatusReport = now().plus(settings.nodeStatusReportFrequency());
        for (String e : result.events()) {
          nodeEvent(e, "Node " + nodeName + " status is now: " + e);
        }
        log.v(4, "Node status updated", "node", nodeName);
        scheduleNodeStatus(gen);
      } else {
        nodeStatusFailed(attempt, gen, u == null ? deadline("Patch", "/api/v1/nodes/" + nodeName + "/status")
            : message(u));
      }
    }));
  }

  /**
   * NodeStatuses.changed, remembering for the last stored status seen whether its capacity,
   * addresses, nodeInfo and images matched: stored objects never change, and the computed ones come
   * from the template and {@link #imageList}, so only the conditions need a look every 10 s.
   */
  private boolean statusChanged(NodeStatus stored, NodeStatus computed) {
    if (stored == null) {
      return true;
    }
    if (stored != comparedStatus || imageList != comparedImages) {
      comparedStatus = stored;
      comparedImages = imageList;
      comparedRestChanged = NodeStatuses.restChanged(stored, computed);
    }
    return comparedRestChanged || NodeStatuses.conditionsChanged(stored, computed);
  }

  private void nodeStatusFailed(int attempt, long gen, String err) {
    log.error("Error updating node status, will retry", "err", err);
    if (attempt + 1 < NODE_STATUS_UPDATE_RETRY) {
      updateNodeStatus(attempt + 1, gen);
    } else {
      log.error("Unable to update node status", "err", "update node status exceeds retry count");
      scheduleNodeStatus(gen);
    }
  }

  private void scheduleNodeStatus(long gen) {
    if (gen == statusGeneration) {
      once(Duty.NODE_STATUS, settings.nodeStatusUpdateFrequency());
    }
  }

  // ---------------------------------------------------------------- node lease (component-helpers lease controller)

  private Behavior<Command> onLeaseRetry(LeaseRetry m) {
    if (m.generation() == leaseGeneration) {
      ensureLease(leaseGeneration);
    }
    return this;
  }

  private void leaseSync(long gen) {
    if (latestLease != null) {
      updateLease(latestLease, 0, gen);
    } else {
      ensureLease(gen);
    }
  }

  private void scheduleLease(long gen) {
    if (gen == leaseGeneration) {
      once(Duty.LEASE, settings.leaseRenewInterval());
    }
  }

  /**
   * newLease(base): the stored lease with a new renewTime (built field by field: this runs every 10 s
   * on every node). The additionalProperties maps are the stored ones too (the store's shared empty
   * map), so that storing the renewal has no empty maps to share (EmptyMaps).
   */
  private Lease renewed(Lease base) {
    Lease l = new Lease();
    l.setApiVersion(base.getApiVersion());
    l.setKind(base.getKind());
    l.setAdditionalProperties(base.getAdditionalProperties());
    ObjectMeta bm = base.getMetadata();
    ObjectMeta m = new ObjectMeta();
    m.setName(bm.getName());
    m.setNamespace(bm.getNamespace());
    m.setUid(bm.getUid());
    m.setResourceVersion(bm.getResourceVersion());
    m.setCreationTimestamp(bm.getCreationTimestamp());
    m.setLabels(bm.getLabels());
    m.setAnnotations(bm.getAnnotations());
    m.setOwnerReferences(bm.getOwnerReferences());
    m.setManagedFields(bm.getManagedFields());
    m.setAdditionalProperties(bm.getAdditionalProperties());
    l.setMetadata(m);
    LeaseSpec bs = base.getSpec();
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(bs.getHolderIdentity());
    spec.setLeaseDurationSeconds(bs.getLeaseDurationSeconds());
    spec.setAcquireTime(bs.getAcquireTime());
    spec.setLeaseTransitions(bs.getLeaseTransitions());
    spec.setPreferredHolder(bs.getPreferredHolder());
    spec.setStrategy(bs.getStrategy());
    spec.setRenewTime(microNow());
    spec.setAdditionalProperties(bs.getAdditionalProperties());
    l.setSpec(spec);
    return l;
  }

  private void updateLease(Lease base, int attempt, long gen) {
    client.update(renewed(base), timed(r -> {
      if (gen != leaseGeneration) {
        return;
      }
      if (r instanceof Api.Ok ok) {
        latestLease = (Lease) ok.object();
        log.v(5, "Lease renewed", "lease", leaseKey);
        scheduleLease(gen);
        return;
      }
      String err = r == null ? deadline("Put", "/apis/coordination.k8s.io/v1/namespaces/"
          + Resources.NODE_LEASE_NAMESPACE + "/leases/" + nodeName) : message(r);
      log.error("Failed to update lease", "err", err);
      if (r instanceof Api.Failed f && f.code() == 409) {
        latestLease = null;
        ensureLease(gen);
      } else if (attempt + 1 < LEASE_UPDATE_RETRIES) {
        updateLease(base, attempt + 1, gen);
      } else {
        log.info("Failed to update lease using latest lease, fallback to ensure lease", "err",
            "failed " + LEASE_UPDATE_RETRIES + " attempts to update lease");
        latestLease = null;
        ensureLease(gen);
      }
    }));
  }

  /** backoffEnsureLease: GET the lease, create it if missing (owned by the node), back off on errors. */
  private void ensureLease(long gen) {
    client.get(Resources.LEASES, Resources.NODE_LEASE_NAMESPACE, nodeName, timed(r -> {
      if (gen != leaseGeneration) {
        return;
      }
      if (r instanceof Api.Ok ok) {
        leaseBackoff = Duration.ofMillis(100);
        updateLease((Lease) ok.object(), 0, gen);
        return;
      }
      if (r instanceof Api.Failed f && f.code() == 404) {
        if (node == null || node.getMetadata().getUid() == null) {
          // newLeasePostProcessFunc cannot set the owner yet: the lease is created once the node exists.
          scheduleLease(gen);
          return;
        }
        client.create(newLease(), timed(c -> {
          if (gen != leaseGeneration) {
            return;
          }
          if (c instanceof Api.Ok cok) {
            latestLease = (Lease) cok.object();
            leaseBackoff = Duration.ofMillis(100);
            log.v(1, "Lease created", "lease", leaseKey);
            scheduleLease(gen);
          } else {
            leaseEnsureFailed(gen, c == null ? deadline("Post", "/apis/coordination.k8s.io/v1/namespaces/"
                + Resources.NODE_LEASE_NAMESPACE + "/leases") : message(c));
          }
        }));
        return;
      }
      leaseEnsureFailed(gen, r == null ? deadline("Get", "/apis/coordination.k8s.io/v1/namespaces/"
          + Resources.NODE_LEASE_NAMESPACE + "/leases/" + nodeName) : message(r));
    }));
  }

  private void leaseEnsureFailed(long gen, String err) {
    leaseBackoff = leaseBackoff.multipliedBy(2).compareTo(MAX_LEASE_BACKOFF) > 0 ? MAX_LEASE_BACKOFF
        : leaseBackoff.multipliedBy(2);
    log.error("Failed to ensure lease exists, will retry", "err", err, "interval", leaseBackoff);
    timers.startSingleTimer(new LeaseRetry(gen), new LeaseRetry(gen), leaseBackoff);
  }

  private Lease newLease() {
    Lease l = new Lease();
    l.setApiVersion("coordination.k8s.io/v1");
    l.setKind("Lease");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(nodeName);
    meta.setNamespace(Resources.NODE_LEASE_NAMESPACE);
    OwnerReference owner = new OwnerReference();
    owner.setApiVersion("v1");
    owner.setKind("Node");
    owner.setName(nodeName);
    owner.setUid(node.getMetadata().getUid());
    meta.setOwnerReferences(List.of(owner));
    l.setMetadata(meta);
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(nodeName);
    spec.setLeaseDurationSeconds(settings.nodeLeaseDurationSeconds());
    spec.setRenewTime(microNow());
    l.setSpec(spec);
    return l;
  }

  // ---------------------------------------------------------------- partition

  private Behavior<Command> onSetNetwork(SetNetwork m) {
    if (m.connected() == client.connected()) {
      return this;
    }
    client.setConnected(m.connected());
    for (PodWorker pw : workers.values()) {
      pw.statusWrite.inFlight = false;
      pw.statusWrite.checkedVersion = -1;
      touched(pw);
    }
    if (!m.connected()) {
      log.v(2, "Network to the API server is cut", "node", nodeName);
      return this;
    }
    log.v(2, "Network to the API server is back", "node", nodeName);
    pods.reconnect();
    nodeWatch.reconnect();
    // The connections are new: renew the lease and post the status now instead of waiting for the
    // requests lost in the partition to time out.
    leaseGeneration++;
    statusGeneration++;
    duties.cancel(Duty.LEASE);
    duties.cancel(Duty.NODE_STATUS);
    leaseSync(leaseGeneration);
    if (registered) {
      // As the retry after a request lost in the partition would: from the apiserver, since the
      // node lister has not caught up with what changed meanwhile (its watch resumes just now).
      updateNodeStatus(1, statusGeneration);
    } else {
      register();
    }
    for (PodWorker w : List.copyOf(workers.values())) {
      statusChanged(w);
    }
    return this;
  }

  // ---------------------------------------------------------------- pods from the apiserver

  private final class PodHandler implements Informer.Handler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      handlePod(pod);
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      handlePod(pod);
    }

    @Override
    public void onDelete(Pod last) {
      handlePodGone(last);
    }

    @Override
    public void onSynced() {
      informerSynced = true;
    }
  }

  private static Pod newer(Pod a, Pod b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (!a.getMetadata().getUid().equals(b.getMetadata().getUid())) {
      return b;
    }
    long ra = parseRv(a);
    long rb = parseRv(b);
    return rb >= ra ? b : a;
  }

  private static long parseRv(Pod p) {
    try {
      return Long.parseLong(p.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void handlePod(Pod pod) {
    if (StaticPods.isMirror(pod)) {
      mirrorsSeen = true;
      PodWorker w = staticByName.get(Informer.key(pod));
      if (w != null) {
        setApiPod(w, newer(w.apiPod, pod));
        syncMirror(w);
        statusChanged(w);
      }
      return;
    }
    String uid = pod.getMetadata().getUid();
    PodWorker w = workers.get(uid);
    if (w == null) {
      RuntimePod rp = unclaimed.remove(uid);
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (rp == null && ("Succeeded".equals(phase) || "Failed".equals(phase))) {
        // Finished before this kubelet saw it: nothing to run.
        return;
      }
      w = new PodWorker(uid, pod, false, host);
      setApiPod(w, pod);
      workers.put(uid, w);
      log.v(1, "SyncLoop ADD", "source", "api", "pods", "[" + Informer.key(pod) + "]");
      if (rp != null) {
        w.adopt(rp.sandboxes(), rp.containers());
      } else {
        w.notePriorStatus(pod);
      }
      if (rp == null && pod.getMetadata().getDeletionTimestamp() == null) {
        PodAdmission.Rejection rejection = PodAdmission.admit(pod, admittedPods(w), admissionNode(),
            settings.maxPods());
        if (rejection != null) {
          w.reject(rejection);
        }
      }
    } else {
      Pod before = w.pod;
      setApiPod(w, newer(w.apiPod, pod));
      if (!differsSemantically(before, pod)) {
        // A status-only change (ours, or the node controller's) is no reason to sync the pod
        // (pkg/kubelet/config checkAndUpdatePod): the status manager reconciles it.
        statusChanged(w);
        return;
      }
      w.update(pod);
    }
    w.sync();
  }

  /** podsDifferSemantically: spec, labels, annotations or deletion fields changed. */
  private static boolean differsSemantically(Pod a, Pod b) {
    ObjectMeta x = a.getMetadata();
    ObjectMeta y = b.getMetadata();
    return !java.util.Objects.equals(x.getDeletionTimestamp(), y.getDeletionTimestamp())
        || !java.util.Objects.equals(x.getDeletionGracePeriodSeconds(), y.getDeletionGracePeriodSeconds())
        || !java.util.Objects.equals(x.getLabels(), y.getLabels())
        || !java.util.Objects.equals(x.getAnnotations(), y.getAnnotations())
        || (a.getSpec() != b.getSpec() && !java.util.Objects.equals(a.getSpec(), b.getSpec()));
  }

  private void handlePodGone(Pod pod) {
    if (StaticPods.isMirror(pod)) {
      PodWorker w = staticByName.get(Informer.key(pod));
      if (w != null && w.apiPod != null && w.apiPod.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        setApiPod(w, null);
        syncMirror(w);
      }
      return;
    }
    PodWorker w = workers.get(pod.getMetadata().getUid());
    if (w == null) {
      return;
    }
    log.v(1, "SyncLoop REMOVE", "source", "api", "pods", "[" + Informer.key(pod) + "]");
    setApiPod(w, null);
    if (w.state == PodWorker.State.TERMINATED || w.state == PodWorker.State.REJECTED) {
      w.removeFromRuntime(() -> finished(w));
      return;
    }
    w.markRemoved();
    w.sync();
  }

  private List<Pod> admittedPods(PodWorker except) {
    List<Pod> out = new ArrayList<>();
    for (PodWorker w : workers.values()) {
      if (w != except && w.active()) {
        out.add(w.pod);
      }
    }
    return out;
  }

  /** The node as admission sees it: the stored node, or what the kubelet would register. */
  private Node admissionNode() {
    return node != null ? node : NodeStatuses.initialNode(template, now(), true);
  }

  // ---------------------------------------------------------------- static pods and mirror pods

  private void readStaticPods() {
    List<Pod> manifests;
    try {
      manifests = config.staticPods().read();
    } catch (RuntimeException e) {
      log.error("Could not read static pod source", "err", String.valueOf(e.getMessage()));
      return;
    }
    for (String err : config.staticPods().lastErrors()) {
      log.error("Could not process manifest file", "err", err);
    }
    Map<String, Pod> wanted = new LinkedHashMap<>();
    for (Pod m : manifests) {
      Pod probe = StaticPods.prepare(m, nodeName, "");
      String uid = probe.getMetadata().getUid();
      String seen = staticSeen.computeIfAbsent(uid, k -> now().toString());
      wanted.put(uid, StaticPods.prepare(m, nodeName, seen));
    }
    for (PodWorker w : List.copyOf(staticWorkers.values())) {
      if (!wanted.containsKey(w.uid) && !w.removed) {
        log.v(1, "SyncLoop REMOVE", "source", "file", "pods", "[" + w.key() + "]");
        w.markRemoved();
        w.sync();
      }
    }
    for (Map.Entry<String, Pod> e : wanted.entrySet()) {
      if (workers.containsKey(e.getKey())) {
        continue;
      }
      Pod pod = e.getValue();
      PodWorker w = new PodWorker(e.getKey(), pod, true, host);
      workers.put(w.uid, w);
      staticWorkers.put(w.uid, w);
      staticByName.put(w.key(), w);
      log.v(1, "SyncLoop ADD", "source", "file", "pods", "[" + w.key() + "]");
      RuntimePod rp = unclaimed.remove(w.uid);
      if (rp != null) {
        w.adopt(rp.sandboxes(), rp.containers());
      }
      setApiPod(w, pods.get(w.key()));
      if (w.apiPod != null && !StaticPods.isMirror(w.apiPod)) {
        setApiPod(w, null);
      }
      w.sync();
      syncMirror(w);
    }
  }

  /** kubelet.go syncPod for static pods: the mirror pod must exist and match; otherwise delete and recreate it. */
  private void syncMirror(PodWorker w) {
    if (!w.isStatic || w.state != PodWorker.State.ACTIVE || w.removed || !registered || node == null
        || mirrorsInFlight.contains(w.key())) {
      return;
    }
    Pod mirror = pods.get(w.key());
    if (mirror != null && !StaticPods.isMirror(mirror)) {
      return;
    }
    if (mirror != null && (mirror.getMetadata().getDeletionTimestamp() != null
        || !StaticPods.isMirrorOf(mirror, w.pod))) {
      String mirrorUid = mirror.getMetadata().getUid();
      log.info("Trying to delete pod", "pod", w.key(), "podUID", mirrorUid);
      mirrorsInFlight.add(w.key());
      client.delete(Resources.PODS, mirror.getMetadata().getNamespace(), mirror.getMetadata().getName(),
          graceZero(mirrorUid), timed(r -> {
            mirrorsInFlight.remove(w.key());
            if (r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)) {
              log.info("Deleted mirror pod because it is outdated", "pod", w.key());
              setApiPod(w, null);
              createMirror(w);
            } else {
              log.error("Failed deleting mirror pod", "err", r == null ? "timeout" : message(r), "pod", w.key());
            }
          }));
      return;
    }
    if (mirror == null) {
      createMirror(w);
    }
  }

  private void createMirror(PodWorker w) {
    if (mirrorsInFlight.contains(w.key()) || node == null) {
      return;
    }
    log.v(4, "Creating a mirror pod for static pod", "pod", w.key());
    mirrorsInFlight.add(w.key());
    client.create(StaticPods.mirror(w.pod, node), timed(r -> {
      mirrorsInFlight.remove(w.key());
      if (r instanceof Api.Ok ok) {
        log.v(1, "Created mirror pod", "pod", w.key(), "podUID", ok.object().getMetadata().getUid());
        setApiPod(w, newer(w.apiPod, (Pod) ok.object()));
        statusChanged(w);
      } else if (!(r instanceof Api.Failed f && "AlreadyExists".equals(f.reason()))) {
        log.error("Failed creating a mirror pod", "err", r == null ? "timeout" : message(r), "pod", w.key());
      }
    }));
  }

  private static DeleteOptions graceZero(String uid) {
    DeleteOptions o = new DeleteOptions();
    o.setGracePeriodSeconds(0L);
    Preconditions p = new Preconditions();
    p.setUid(uid);
    o.setPreconditions(p);
    return o;
  }

  // ---------------------------------------------------------------- runtime events

  private Behavior<Command> onRuntimeEvent(RuntimeEvent m) {
    if (m.event() instanceof ContainerRuntime.ContainerChanged c) {
      PodWorker w = workers.get(c.container().podUid());
      if (w != null) {
        w.onContainerChanged(c.container());
        if (c.container().state() == ContainerRuntime.State.EXITED) {
          log.v(2, "Container exited", "pod", w.key(), "containerName", c.container().name(), "exitCode",
              c.container().exitCode(), "reason", c.container().reason());
        }
        w.sync();
        statusChanged(w);
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- pod status (status_manager.go)

  /** status_manager.go syncBatch: every pod whose status may differ from the stored one is checked, in pod order. */
  private void syncStatuses() {
    if (statusDirty.isEmpty()) {
      return;
    }
    for (PodWorker w : List.copyOf(workers.values())) {
      if (statusDirty.contains(w)) {
        statusChanged(w);
      }
    }
    statusDirty.removeIf(w -> workers.get(w.uid) != w || statusClean(w));
  }

  /** What {@link #statusChanged} would find nothing to do for: no stored pod, or the check already made for this version. */
  private static boolean statusClean(PodWorker w) {
    PodWorker.StatusWrite sw = w.statusWrite;
    return w.apiPod == null || (!sw.inFlight && !sw.deleteWhenDone && sw.checkedVersion == w.version
        && sw.checkedApiPod == w.apiPod);
  }

  private void setApiPod(PodWorker w, Pod apiPod) {
    w.apiPod = apiPod;
    touched(w);
  }

  /** Something a worker's status check or periodic sync reads changed, or a sync started. */
  private void touched(PodWorker w) {
    statusDirty.add(w);
    syncSuspects.add(w);
  }

  private Behavior<Command> onStatusRetry(StatusRetry m) {
    PodWorker w = workers.get(m.uid());
    if (w != null) {
      statusChanged(w);
    }
    return this;
  }

  /** Computes the pod's status and writes it through the status subresource if it differs from the stored one. */
  private void statusChanged(PodWorker w) {
    Pod target = w.apiPod;
    PodWorker.StatusWrite sw = w.statusWrite;
    if (target == null) {
      return;
    }
    if (sw.inFlight) {
      sw.again = true;
      return;
    }
    if (!sw.deleteWhenDone && sw.checkedVersion == w.version && sw.checkedApiPod == target) {
      return;
    }
    sw.checkedVersion = w.version;
    sw.checkedApiPod = target;
    PodStatus desired = w.status(target.getStatus(), config.internalIp());
    if (w.isStatic) {
      desired.setObservedGeneration(target.getMetadata().getGeneration());
      if (desired.getConditions() != null) {
        desired.getConditions().forEach(c -> c.setObservedGeneration(target.getMetadata().getGeneration()));
      }
    }
    if (desired.equals(target.getStatus())) {
      if (sw.deleteWhenDone) {
        deleteTerminated(w, sw);
      }
      return;
    }
    Pod copy = ShallowCopy.of(target);
    copy.setMetadata(new ObjectMetaBuilder(target.getMetadata()).build());
    copy.setStatus(desired);
    sw.inFlight = true;
    sw.again = false;
    touched(w);
    client.updateStatus(copy, timed(r -> {
      sw.inFlight = false;
      if (r instanceof Api.Ok ok) {
        Pod written = (Pod) ok.object();
        setApiPod(w, newer(w.apiPod, written));
        log.v(3, "Status for pod updated successfully", "pod", w.key(), "statusVersion",
            written.getMetadata().getResourceVersion(), "status", written.getStatus().getPhase());
      } else if (r instanceof Api.Failed f && f.code() == 409) {
        // Someone else wrote the pod meanwhile: try again from the newer object.
        sw.checkedVersion = -1;
        touched(w);
        timers.startSingleTimer(new StatusRetry(w.uid), new StatusRetry(w.uid), Duration.ofMillis(500));
        return;
      } else if (r instanceof Api.Failed f && f.code() == 404) {
        return;
      } else if (r == null) {
        sw.checkedVersion = -1;
        touched(w);
        log.v(2, "Failed to update status for pod", "pod", w.key(), "err",
            deadline("Put", "/api/v1/namespaces/" + target.getMetadata().getNamespace() + "/pods/"
                + target.getMetadata().getName() + "/status"));
        return;
      } else {
        sw.checkedVersion = -1;
        touched(w);
        log.error("Failed to update status for pod", "pod", w.key(), "err", message(r));
        return;
      }
      if (sw.again || sw.deleteWhenDone) {
        statusChanged(w);
      }
    }));
  }

  /** The pod was deleted and has stopped: final status written, remove it with grace 0 (status manager canBeDeleted). */
  private void terminatedAfterDeletion(PodWorker w) {
    PodWorker.StatusWrite sw = w.statusWrite;
    sw.deleteWhenDone = true;
    touched(w);
    statusChanged(w);
  }

  private void deleteTerminated(PodWorker w, PodWorker.StatusWrite sw) {
    if (sw.deleting || w.apiPod == null) {
      return;
    }
    sw.deleting = true;
    Pod target = w.apiPod;
    client.delete(Resources.PODS, target.getMetadata().getNamespace(), target.getMetadata().getName(),
        graceZero(target.getMetadata().getUid()), timed(r -> {
          sw.deleting = false;
          if (r instanceof Api.Ok || (r instanceof Api.Failed f && (f.code() == 404 || f.code() == 409))) {
            log.v(3, "Pod fully terminated and removed from etcd", "pod", w.key());
            sw.deleteWhenDone = false;
            w.removeFromRuntime(() -> finished(w));
          }
        }));
  }

  private void finished(PodWorker w) {
    if (workers.get(w.uid) == w) {
      workers.remove(w.uid);
      statusDirty.remove(w);
      syncSuspects.remove(w);
      staticWorkers.remove(w.uid);
      if (w.isStatic && staticByName.get(w.key()) == w) {
        staticByName.remove(w.key());
        Pod mirror = pods.get(w.key());
        if (mirror != null && StaticPods.isMirror(mirror)) {
          deleteOrphanMirror(mirror);
        }
      }
      log.v(2, "Pod worker finished", "pod", w.key(), "podUID", w.uid);
    }
  }

  private void deleteOrphanMirror(Pod mirror) {
    if (mirrorsInFlight.contains(Informer.key(mirror))) {
      return;
    }
    log.info("Deleting orphaned mirror pod", "pod", Informer.key(mirror));
    mirrorsInFlight.add(Informer.key(mirror));
    client.delete(Resources.PODS, mirror.getMetadata().getNamespace(), mirror.getMetadata().getName(),
        graceZero(mirror.getMetadata().getUid()), timed(r -> mirrorsInFlight.remove(Informer.key(mirror))));
  }

  // ---------------------------------------------------------------- periodic work

  private void housekeeping() {
    if (!informerSynced) {
      return;
    }
    // HandlePodCleanups: containers of pods this node no longer has are killed and removed.
    for (Map.Entry<String, RuntimePod> e : unclaimed.isEmpty() ? List.<Map.Entry<String, RuntimePod>>of()
        : new ArrayList<>(unclaimed.entrySet())) {
      RuntimePod rp = e.getValue();
      String name = rp.sandboxes().isEmpty() ? e.getKey()
          : rp.sandboxes().get(0).namespace() + "/" + rp.sandboxes().get(0).podName();
      log.info("Cleaning up orphaned pod", "pod", name, "podUID", e.getKey());
      for (ContainerRuntime.SandboxInfo sb : rp.sandboxes()) {
        runtime.removePodSandbox(sb.id(), r -> {});
      }
      unclaimed.remove(e.getKey());
    }
    if (mirrorsSeen) {
      for (Pod p : List.copyOf(pods.list())) {
        if (StaticPods.isMirror(p) && !staticByName.containsKey(Informer.key(p))) {
          deleteOrphanMirror(p);
        }
      }
    }
    containerBackoff.gc(now());
    imageBackoff.gc(now());
  }

  /** syncFrequency: every pod worker syncs, except those for which a sync provably changes nothing. */
  private void syncAll() {
    if (syncSuspects.isEmpty() && staticWorkers.isEmpty()) {
      return;
    }
    for (PodWorker w : List.copyOf(workers.values())) {
      if (!syncIsNoop(w)) {
        w.sync();
      }
      if (w.isStatic) {
        syncMirror(w);
      }
    }
    syncSuspects.removeIf(w -> workers.get(w.uid) != w || syncIsNoop(w));
  }

  private static boolean syncIsNoop(PodWorker w) {
    return w.syncIsNoop() && statusClean(w);
  }

  private Behavior<Command> onResync(Resync m) {
    PodWorker w = workers.get(m.uid());
    if (w != null) {
      w.runDue();
      w.sync();
    }
    return this;
  }

  private Behavior<Command> onProbeTick(ProbeTick m) {
    PodWorker w = workers.get(m.uid());
    if (w != null) {
      w.probe(m.container(), m.type(), m.containerId());
    } else {
      timers.cancel(m);
    }
    return this;
  }

  // ---------------------------------------------------------------- image pulls (serializeImagePulls: true)

  private void pull(String image, ContainerBehavior.ImagePull behavior, Consumer<ContainerRuntime.Reply> k) {
    pullQueue.add(new PullRequest(image, behavior, k));
    drainPulls();
  }

  private void drainPulls() {
    if (pulling || pullQueue.isEmpty()) {
      return;
    }
    pulling = true;
    PullRequest p = pullQueue.poll();
    runtime.pullImage(p.image(), p.behavior(), r -> {
      pulling = false;
      if (r instanceof ContainerRuntime.ImagePulled ok && images.put(ok.image().name(), ok.image()) == null) {
        imageList = null;
      }
      p.k().accept(r);
      drainPulls();
    });
  }

  // ---------------------------------------------------------------- what pod workers get

  private final class WorkerHost implements PodWorker.Host {
    @Override
    public Instant now() {
      return Kubelet.this.now();
    }

    @Override
    public Klog log() {
      return log;
    }

    @Override
    public EventRecorder events() {
      return recorder;
    }

    @Override
    public RuntimeClient runtime() {
      return runtime;
    }

    @Override
    public KubeletSettings settings() {
      return settings;
    }

    @Override
    public NodeConfig config() {
      return config;
    }

    @Override
    public Map<String, Quantity> allocatable() {
      NodeStatus s = node == null ? null : node.getStatus();
      return s != null && s.getAllocatable() != null ? s.getAllocatable() : template.allocatable();
    }

    @Override
    public Backoff containerBackoff() {
      return containerBackoff;
    }

    @Override
    public Backoff imageBackoff() {
      return imageBackoff;
    }

    @Override
    public boolean imagePresent(String image) {
      return images.containsKey(Images.normalize(image));
    }

    @Override
    public void pull(String image, ContainerBehavior.ImagePull behavior, Consumer<ContainerRuntime.Reply> k) {
      Kubelet.this.pull(image, behavior, k);
    }

    @Override
    public void get(ResourceType type, String namespace, String name, Consumer<Api.Response> k) {
      client.get(type, namespace, name, timed(k));
    }

    @Override
    public void resyncAfter(PodWorker w, Duration delay) {
      Duration d = delay.isNegative() ? Duration.ZERO : delay;
      long at = ctx.clock().nanos() + d.toNanos();
      timers.startSingleTimer(new ResyncKey(w.uid, at), new Resync(w.uid), d);
    }

    @Override
    public void startProbe(PodWorker w, String container, String type, String containerId, Duration delay,
        Duration period) {
      // One fixed-rate timer per probe: ticks at initialDelaySeconds + k × periodSeconds.
      ProbeTick tick = new ProbeTick(w.uid, container, type, containerId);
      timers.startTimerAtFixedRate(tick, tick, delay, period);
    }

    @Override
    public void stopProbe(PodWorker w, String container, String type, String containerId) {
      timers.cancel(new ProbeTick(w.uid, container, type, containerId));
    }

    @Override
    public void statusChanged(PodWorker w) {
      Kubelet.this.statusChanged(w);
    }

    @Override
    public void statusDirty(PodWorker w) {
      Kubelet.this.touched(w);
    }

    @Override
    public void terminatedAfterDeletion(PodWorker w) {
      Kubelet.this.terminatedAfterDeletion(w);
    }

    @Override
    public void finished(PodWorker w) {
      Kubelet.this.finished(w);
    }
  }
}
