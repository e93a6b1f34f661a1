package io.kubesim.nodeagent.runtime;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.VirtualClock;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The container runtime of one simulated node (its containerd): sandboxes, containers and the
 * simulated processes inside them, images, logs. It is an actor of its own, apart from the
 * kubelet, so containers keep running while the kubelet is stopped and restarted, and all die when
 * the runtime itself is stopped (the node crashes).
 *
 * <p>The kubelet talks to it with a CRI-like protocol (sandboxes, image pulls, create, start,
 * stop, list, exec for probes) and subscribes to container state changes, as the kubelet's PLEG
 * watches containerd. Users (through the HTTP front) read logs, exec into containers, and inject
 * crashes.
 */
public final class ContainerRuntime extends AbstractBehavior<ContainerRuntime.Command> {

  // ---------------------------------------------------------------- data

  public enum State { CREATED, RUNNING, EXITED }

  /** What the kubelet asks for in RunPodSandbox. */
  public record SandboxConfig(String podUid, String namespace, String podName, int attempt, String hostname,
      boolean hostNetwork, String nodeIp, String podCidr) {}

  public record SandboxInfo(String id, String podUid, String namespace, String podName, int attempt, boolean ready,
      String ip, boolean hostNetwork, Instant createdAt) {}

  /** A volume's files as the kubelet projects them into the container. */
  public record Mount(String name, String mountPath, Map<String, String> files, boolean readOnly) {}

  /**
   * What the kubelet asks for in CreateContainer: the container's command and args with the
   * kubelet's $(VAR) expansion already done, its resolved environment, its mounts, and the
   * simulated behaviour from the pod's annotations.
   */
  public record ContainerConfig(String podUid, String namespace, String podName, String name, int attempt,
      String image, List<String> command, List<String> args, Map<String, String> env, String workingDir,
      boolean stdin, boolean tty, Long memoryLimitBytes, List<Mount> mounts, ContainerBehavior behavior) {}

  public record ContainerInfo(String id, String sandboxId, String podUid, String namespace, String podName,
      String name, int attempt, String image, String imageRef, State state, Instant createdAt, Instant startedAt,
      Instant finishedAt, int exitCode, String reason) {}

  /** An image in the node's store; {@code name} is containerd's normalized name. */
  public record ImageInfo(String name, String id, String repoDigest, long sizeBytes) {}

  public record LogLine(Instant time, String stream, String text) {}

  // ---------------------------------------------------------------- protocol

  public sealed interface Command {}

  /** Container state changes go to {@code subscriber} from now on (replacing an earlier one). */
  public record Subscribe(ActorRef<Event> subscriber) implements Command {}

  public record RunPodSandbox(SandboxConfig config, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** Stops the sandbox: kills its containers and tears its network down. */
  public record StopPodSandbox(String sandboxId, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** Removes the sandbox and its containers (and their logs). */
  public record RemovePodSandbox(String sandboxId, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** Pulls an image; {@code behavior} may make the pull fail or set its duration. */
  public record PullImage(String image, ContainerBehavior.ImagePull behavior, ActorRef<Reply> replyTo, long tag)
      implements Command {}

  public record ImageStatus(String image, ActorRef<Reply> replyTo, long tag) implements Command {}

  public record ListImages(ActorRef<Reply> replyTo, long tag) implements Command {}

  public record CreateContainer(String sandboxId, ContainerConfig config, ActorRef<Reply> replyTo, long tag)
      implements Command {}

  public record StartContainer(String containerId, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** SIGTERM, then SIGKILL after {@code gracePeriod}; answered when the container has exited. */
  public record StopContainer(String containerId, Duration gracePeriod, ActorRef<Reply> replyTo, long tag)
      implements Command {}

  public record RemoveContainer(String containerId, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** One container's state (CRI ContainerStatus); answered with {@link ContainerStatusResult}. */
  public record ContainerStatus(String containerId, ActorRef<Reply> replyTo, long tag) implements Command {}

  /** Every sandbox and container, as the kubelet's PLEG relists them after a restart. */
  public record Relist(ActorRef<Reply> replyTo, long tag) implements Command {}

  /** Runs a command in a running container, for exec probes. */
  public record ExecSync(String containerId, List<String> command, Duration timeout, ActorRef<Reply> replyTo,
      long tag) implements Command {}

  /** The lines a container wrote, with their virtual times; {@code previous} for the instance before the current one. */
  public record Logs(String namespace, String pod, String container, boolean previous, ActorRef<LogsResult> replyTo)
      implements Command {}

  /**
   * kubectl logs -f: the follower gets the current instance's lines so far (or the error), then
   * each new line as the container writes it, and a last message once the container has stopped.
   */
  public record FollowLogs(String namespace, String pod, String container, ActorRef<LogsFollowed> follower)
      implements Command {}

  /** The follower's client went away. */
  public record StopFollowing(ActorRef<LogsFollowed> follower) implements Command {}

  /** kubectl exec: runs a command in the container, answered from the simulated container's state. */
  public record Exec(String namespace, String pod, String container, List<String> command,
      ActorRef<ExecResult> replyTo) implements Command {}

  /** Fault: the container's process dies with this exit code. */
  public record CrashContainer(String namespace, String pod, String container, int exitCode) implements Command {}

  /** Fault: the kernel OOM-kills the container's process (exit 137, OOMKilled). */
  public record OomKill(String namespace, String pod, String container) implements Command {}

  /**
   * The fault injector cuts ({@code false}) or restores the node's link to the control plane: the
   * node's view of Services (its kube-proxy's and DNS's watches) stays as it was while cut off.
   */
  public record SetNetwork(boolean connected) implements Command {}

  private record FromApi(Object message) implements Command {}

  private record Resume(String containerId, long generation) implements Command {}

  private record StartNow(String containerId, ActorRef<Reply> replyTo, long tag) implements Command {}

  private record ExitAfter(String containerId) implements Command {}

  private record OomNow(String containerId) implements Command {}

  private record Kill(String containerId) implements Command {}

  private record TermExit(String containerId) implements Command {}

  private record SandboxUp(String sandboxId, ActorRef<Reply> replyTo, long tag) implements Command {}

  private record PullDone(long seq, String image, boolean fail, Duration took, ActorRef<Reply> replyTo, long tag)
      implements Command {}

  private record ExecResume(long execId) implements Command {}

  private record ExecTimeout(long execId) implements Command {}

  // ---------------------------------------------------------------- answers

  public sealed interface Reply {
    long tag();
  }

  public record Ok(long tag) implements Reply {}

  public record Failure(long tag, String error) implements Reply {}

  public record SandboxReady(long tag, SandboxInfo sandbox) implements Reply {}

  public record ImagePulled(long tag, ImageInfo image, Duration pullDuration) implements Reply {}

  public record ImagePullFailed(long tag, String error) implements Reply {}

  /** The image if present, else null. */
  public record ImageStatusResult(long tag, ImageInfo image) implements Reply {}

  public record ImageList(long tag, List<ImageInfo> images) implements Reply {}

  public record ContainerCreated(long tag, ContainerInfo container) implements Reply {}

  public record ContainerStarted(long tag, ContainerInfo container) implements Reply {}

  public record ContainerStopped(long tag, ContainerInfo container) implements Reply {}

  public record Snapshot(long tag, List<SandboxInfo> sandboxes, List<ContainerInfo> containers) implements Reply {}

  /** The container, or null if the runtime has no such container. */
  public record ContainerStatusResult(long tag, ContainerInfo container) implements Reply {}

  public record ExecSyncResult(long tag, String stdout, String stderr, int exitCode, boolean timedOut)
      implements Reply {}

  /** Container state changes, for the subscriber (the kubelet). */
  public sealed interface Event {}

  public record ContainerChanged(ContainerInfo container) implements Event {}

  /** The logs, or an error saying why there are none (as the kubelet's log endpoint words it). */
  public record LogsResult(List<LogLine> lines, String error) {}

  /** What a follower gets: lines (all so far, then one at a time) or an error; {@code ended} when no more will come. */
  public record LogsFollowed(List<LogLine> lines, String error, boolean ended) {}

  /** The output and exit code of an exec, or an error if it could not run at all. */
  public record ExecResult(String stdout, String stderr, int exitCode, String error) {}

  // ---------------------------------------------------------------- creation

  public static Behavior<Command> create(ComponentContext ctx, String nodeName, RuntimeSettings settings) {
    return Behaviors.supervise(Behaviors.<Command>setup(actx -> Behaviors.withTimers(timers -> new ContainerRuntime(
        actx, timers, ctx, nodeName, settings)))).onFailure(akka.actor.typed.SupervisorStrategy.resume());
  }

  // ---------------------------------------------------------------- state

  private final class Sandbox {
    final String id;
    final SandboxConfig config;
    final Instant createdAt;
    boolean ready;
    String ip;

    Sandbox(String id, SandboxConfig config, Instant createdAt) {
      this.id = id;
      this.config = config;
      this.createdAt = createdAt;
    }

    SandboxInfo info() {
      return new SandboxInfo(id, config.podUid(), config.namespace(), config.podName(), config.attempt(), ready, ip,
          config.hostNetwork(), createdAt);
    }
  }

  private final class Container {
    final String id;
    final Sandbox sandbox;
    final ContainerConfig config;
    final Instant createdAt;
    final String imageRef;
    final Deque<LogLine> logs = new ArrayDeque<>();
    State state = State.CREATED;
    Instant startedAt;
    Instant finishedAt;
    int exitCode;
    String reason;
    SimProcess process;
    ContainerFs fs;
    Map<String, String> env;
    long generation;
    boolean terminating;
    /** A server whose program is not simulated: it shuts down cleanly (exit 0) on SIGTERM. */
    boolean server;
    final List<Consumer<ContainerInfo>> onExit = new ArrayList<>();
    final List<ActorRef<LogsFollowed>> followers = new ArrayList<>();

    Container(String id, Sandbox sandbox, ContainerConfig config, Instant createdAt, String imageRef) {
      this.id = id;
      this.sandbox = sandbox;
      this.config = config;
      this.createdAt = createdAt;
      this.imageRef = imageRef;
    }

    ContainerInfo info() {
      return new ContainerInfo(id, sandbox.id, config.podUid(), config.namespace(), config.podName(), config.name(),
          config.attempt(), Images.normalize(config.image()), imageRef, state, createdAt, startedAt, finishedAt,
          exitCode, reason);
    }

    void log(String stream, String text) {
      LogLine line = new LogLine(clock.now(), stream, text);
      logs.addLast(line);
      for (ActorRef<LogsFollowed> f : followers) {
        f.tell(new LogsFollowed(List.of(line), null, false));
      }
      while (logs.size() > settings.maxLogLinesPerContainer()) {
        logs.removeFirst();
      }
    }
  }

  /** An exec in progress (it may sleep in virtual time before it answers). */
  private final class Execution {
    final long id;
    final SimProcess process;
    final StringBuilder out = new StringBuilder();
    final StringBuilder err = new StringBuilder();
    final Duration timeout;
    final String commandLine;
    final Consumer<Execution> done;
    int exitCode;
    boolean timedOut;
    boolean unsupportedBlock;
    boolean finished;

    Execution(long id, Container c, List<String> command, Duration timeout, Consumer<Execution> done) {
      this.id = id;
      this.timeout = timeout;
      this.commandLine = String.join(" ", command);
      this.done = done;
      Map<String, String> env = c.env == null ? Map.of() : c.env;
      SimProcess.Host base = host(c, (stream, line) -> (stream.equals("stderr") ? err : out).append(line)
          .append('\n'));
      this.process = new SimProcess(Script.argv(command), List.of(command.isEmpty() ? "" : command.get(0)), env,
          SimProcess.Mode.EXEC, new SimProcess.Host() {
            @Override
            public Instant now() {
              return base.now();
            }

            @Override
            public String hostname() {
              return base.hostname();
            }

            @Override
            public ContainerFs fs() {
              return base.fs();
            }

            @Override
            public void output(String stream, String line) {
              base.output(stream, line);
            }

            @Override
            public void outputPartial(String stream, String text) {
              (stream.equals("stderr") ? err : out).append(text);
            }

            @Override
            public int random() {
              return base.random();
            }

            @Override
            public ClusterDns dns() {
              return base.dns();
            }
          });
    }
  }

  private final TimerScheduler<Command> timers;
  private final String nodeName;
  private final RuntimeSettings settings;
  private final VirtualClock clock;
  private final Klog log;
  private final SplittableRandom random;
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Container> containers = new LinkedHashMap<>();
  private final Map<String, ImageInfo> images = new TreeMap<>();
  private final Map<String, IpPool> pools = new TreeMap<>();
  private final Map<Long, Execution> executions = new TreeMap<>();
  private ActorRef<Event> subscriber;
  private long nextSeq = 1;
  /** The node's view of Services and EndpointSlices, from its own watches (kube-proxy's and CoreDNS's). */
  private final ClusterDns dns = new ClusterDns();
  private final io.kubesim.shared.client.ApiClient client;
  private final List<io.kubesim.shared.client.Informer<?>> informers = new ArrayList<>();

  private ContainerRuntime(ActorContext<Command> actx, TimerScheduler<Command> timers, ComponentContext ctx,
      String nodeName, RuntimeSettings settings) {
    super(actx);
    this.timers = timers;
    this.nodeName = nodeName;
    this.settings = settings;
    this.clock = ctx.clock();
    this.log = ctx.log("containerd/" + nodeName);
    // Seeded by node and start time: a node that restarts gets new container IDs, the same in every run.
    this.random = ctx.random("containerd/" + nodeName + "@" + clock.nanos());
    for (String image : new TreeSet<>(settings.preloadedImages())) {
      ImageInfo info = imageInfo(image);
      images.put(info.name(), info);
    }
    this.client = io.kubesim.shared.client.ApiClient.create(actx, ctx.apiserver(), FromApi::new);
    if (settings.clusterDns()) {
      watchServices();
    }
  }

  private void watchServices() {
    informers.add(io.kubesim.shared.client.Informer.of(client, io.kubesim.shared.api.Resources.SERVICES,
        io.fabric8.kubernetes.api.model.Service.class,
        new io.kubesim.shared.client.Informer.Handler<io.fabric8.kubernetes.api.model.Service>() {
          @Override
          public void onAdd(io.fabric8.kubernetes.api.model.Service s) {
            dns.put(s);
          }

          @Override
          public void onUpdate(io.fabric8.kubernetes.api.model.Service old, io.fabric8.kubernetes.api.model.Service s) {
            dns.put(s);
          }

          @Override
          public void onDelete(io.fabric8.kubernetes.api.model.Service s) {
            dns.remove(s);
          }
        }));
    informers.add(io.kubesim.shared.client.Informer.of(client, io.kubesim.shared.api.Resources.ENDPOINTSLICES,
        io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class,
        new io.kubesim.shared.client.Informer.Handler<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice>() {
          @Override
          public void onAdd(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
            dns.put(s);
          }

          @Override
          public void onUpdate(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice old,
              io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
            dns.put(s);
          }

          @Override
          public void onDelete(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
            dns.remove(s);
          }
        }));
    for (io.kubesim.shared.client.Informer<?> i : informers) {
      i.start();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(RunPodSandbox.class, this::onRunPodSandbox)
        .onMessage(SandboxUp.class, this::onSandboxUp)
        .onMessage(StopPodSandbox.class, this::onStopPodSandbox)
        .onMessage(RemovePodSandbox.class, this::onRemovePodSandbox)
        .onMessage(PullImage.class, this::onPullImage)
        .onMessage(PullDone.class, this::onPullDone)
        .onMessage(ImageStatus.class, this::onImageStatus)
        .onMessage(ListImages.class, this::onListImages)
        .onMessage(CreateContainer.class, this::onCreateContainer)
        .onMessage(StartContainer.class, this::onStartContainer)
        .onMessage(StartNow.class, this::onStartNow)
        .onMessage(StopContainer.class, this::onStopContainer)
        .onMessage(RemoveContainer.class, this::onRemoveContainer)
        .onMessage(Relist.class, this::onRelist)
        .onMessage(ContainerStatus.class, this::onContainerStatus)
        .onMessage(ExecSync.class, this::onExecSync)
        .onMessage(Logs.class, this::onLogs)
        .onMessage(Exec.class, this::onExec)
        .onMessage(FollowLogs.class, this::onFollowLogs)
        .onMessage(StopFollowing.class, this::onStopFollowing)
        .onMessage(CrashContainer.class, this::onCrashContainer)
        .onMessage(OomKill.class, this::onOomKill)
        .onMessage(SetNetwork.class, this::onSetNetwork)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessage(Resume.class, this::onResume)
        .onMessage(ExitAfter.class, this::onExitAfter)
        .onMessage(OomNow.class, this::onOomNow)
        .onMessage(Kill.class, this::onKill)
        .onMessage(TermExit.class, this::onTermExit)
        .onMessage(ExecResume.class, this::onExecResume)
        .onMessage(ExecTimeout.class, this::onExecTimeout)
        .build();
  }

  // ---------------------------------------------------------------- the node's view of Services

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onSetNetwork(SetNetwork m) {
    if (m.connected() == client.connected()) {
      return this;
    }
    client.setConnected(m.connected());
    if (m.connected()) {
      // Back in touch: the watches resume from where they were (or list again), as an informer's do.
      for (io.kubesim.shared.client.Informer<?> i : informers) {
        i.reconnect();
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- sandboxes

  private Behavior<Command> onSubscribe(Subscribe m) {
    subscriber = m.subscriber();
    return this;
  }

  private Behavior<Command> onRunPodSandbox(RunPodSandbox m) {
    SandboxConfig cfg = m.config();
    Sandbox s = new Sandbox(hex64(), cfg, clock.now());
    if (cfg.hostNetwork()) {
      s.ip = cfg.nodeIp();
    } else {
      String ip = pools.computeIfAbsent(cfg.podCidr(), IpPool::new).allocate();
      if (ip == null) {
        m.replyTo().tell(new Failure(m.tag(), "failed to setup network for sandbox \"" + s.id
            + "\": plugin type=\"bridge\" failed (add): failed to allocate for range 0: no IP addresses available in "
            + "range set: " + cfg.podCidr()));
        return this;
      }
      s.ip = ip;
    }
    sandboxes.put(s.id, s);
    log.v(4, "RunPodSandbox", "pod", cfg.namespace() + "/" + cfg.podName(), "sandbox", s.id.substring(0, 13),
        "ip", s.ip);
    timers.startSingleTimer(new SandboxUp(s.id, m.replyTo(), m.tag()), settings.sandboxStartDuration());
    return this;
  }

  private Behavior<Command> onSandboxUp(SandboxUp m) {
    Sandbox s = sandboxes.get(m.sandboxId());
    if (s == null) {
      m.replyTo().tell(new Failure(m.tag(), "sandbox " + m.sandboxId() + " was removed while starting"));
      return this;
    }
    s.ready = true;
    m.replyTo().tell(new SandboxReady(m.tag(), s.info()));
    return this;
  }

  private Behavior<Command> onStopPodSandbox(StopPodSandbox m) {
    Sandbox s = sandboxes.get(m.sandboxId());
    if (s != null) {
      stopSandbox(s);
    }
    m.replyTo().tell(new Ok(m.tag()));
    return this;
  }

  private void stopSandbox(Sandbox s) {
    for (Container c : List.copyOf(containers.values())) {
      if (c.sandbox == s && c.state != State.EXITED) {
        exit(c, 137, "Error");
      }
    }
    if (s.ready && !s.config.hostNetwork() && s.ip != null) {
      IpPool pool = pools.get(s.config.podCidr());
      if (pool != null) {
        pool.release(s.ip);
      }
    }
    s.ready = false;
  }

  private Behavior<Command> onRemovePodSandbox(RemovePodSandbox m) {
    Sandbox s = sandboxes.get(m.sandboxId());
    if (s != null) {
      stopSandbox(s);
      containers.values().removeIf(c -> c.sandbox == s);
      sandboxes.remove(s.id);
    }
    m.replyTo().tell(new Ok(m.tag()));
    return this;
  }

  // ---------------------------------------------------------------- images

  private ImageInfo imageInfo(String image) {
    String name = Images.normalize(image);
    return new ImageInfo(name, Images.imageId(name), Images.repoDigest(name), Images.size(name));
  }

  private Behavior<Command> onPullImage(PullImage m) {
    String name = Images.normalize(m.image());
    boolean fail = settings.missing(m.image()) || (m.behavior() != null && m.behavior().fail());
    Duration d;
    if (m.behavior() != null && m.behavior().duration() != null) {
      d = m.behavior().duration();
    } else if (fail) {
      // Resolving a reference the registry does not have fails within a second or so.
      d = Duration.ofSeconds(1);
    } else if (images.containsKey(name)) {
      d = settings.repullDuration();
    } else {
      d = settings.pullDuration(m.image());
    }
    long seq = nextSeq++;
    timers.startSingleTimer(new PullDone(seq, m.image(), fail, d, m.replyTo(), m.tag()), d);
    return this;
  }

  private Behavior<Command> onPullDone(PullDone m) {
    String name = Images.normalize(m.image());
    if (m.fail()) {
      m.replyTo().tell(new ImagePullFailed(m.tag(), "rpc error: code = NotFound desc = failed to pull and unpack "
          + "image \"" + name + "\": failed to resolve reference \"" + name + "\": " + name + ": not found"));
      return this;
    }
    ImageInfo info = imageInfo(m.image());
    images.put(info.name(), info);
    m.replyTo().tell(new ImagePulled(m.tag(), info, m.took()));
    return this;
  }

  private Behavior<Command> onImageStatus(ImageStatus m) {
    m.replyTo().tell(new ImageStatusResult(m.tag(), images.get(Images.normalize(m.image()))));
    return this;
  }

  private Behavior<Command> onListImages(ListImages m) {
    m.replyTo().tell(new ImageList(m.tag(), List.copyOf(images.values())));
    return this;
  }

  // ---------------------------------------------------------------- containers

  private Behavior<Command> onCreateContainer(CreateContainer m) {
    Sandbox s = sandboxes.get(m.sandboxId());
    if (s == null || !s.ready) {
      m.replyTo().tell(new Failure(m.tag(), "sandbox " + m.sandboxId() + " is not ready"));
      return this;
    }
    ImageInfo image = images.get(Images.normalize(m.config().image()));
    if (image == null) {
      m.replyTo().tell(new Failure(m.tag(), "failed to create containerd container: image \""
          + Images.normalize(m.config().image()) + "\": not found"));
      return this;
    }
    Container c = new Container(hex64(), s, m.config(), clock.now(), image.repoDigest());
    containers.put(c.id, c);
    m.replyTo().tell(new ContainerCreated(m.tag(), c.info()));
    return this;
  }

  private Behavior<Command> onStartContainer(StartContainer m) {
    Container c = containers.get(m.containerId());
    if (c == null || c.state != State.CREATED) {
      m.replyTo().tell(new Failure(m.tag(), "container " + m.containerId() + " is not in created state"));
      return this;
    }
    Duration delay = c.config.behavior() == null ? null : c.config.behavior().startDelay();
    if (delay != null && !delay.isZero()) {
      timers.startSingleTimer(timerKey("start", c), new StartNow(c.id, m.replyTo(), m.tag()), delay);
    } else {
      startNow(c, m.replyTo(), m.tag());
    }
    return this;
  }

  private Behavior<Command> onStartNow(StartNow m) {
    Container c = containers.get(m.containerId());
    if (c == null || c.state != State.CREATED) {
      m.replyTo().tell(new Failure(m.tag(), "container " + m.containerId() + " is not in created state"));
      return this;
    }
    startNow(c, m.replyTo(), m.tag());
    return this;
  }

  private void startNow(Container c, ActorRef<Reply> replyTo, long tag) {
    c.state = State.RUNNING;
    c.startedAt = clock.now();
    c.fs = filesystem(c);
    c.env = environment(c);
    ContainerBehavior b = c.config.behavior() == null ? ContainerBehavior.DEFAULT : c.config.behavior();
    ProcessPlan plan = ProcessPlan.of(c.config.image(), c.config.command(), c.config.args(), c.config.stdin(),
        c.config.tty());
    c.server = plan.forever();
    c.process = plan.script() == null ? null
        : new SimProcess(plan.script(), plan.positional(), c.env, SimProcess.Mode.MAIN, host(c, c::log));
    replyTo.tell(new ContainerStarted(tag, c.info()));
    notifySubscriber(c);
    log.v(4, "Container started", "container", c.config.name(), "pod", c.config.namespace() + "/" + c.config.podName(),
        "id", c.id.substring(0, 13));
    if (b.exitAfter() != null) {
      timers.startSingleTimer(timerKey("exit-after", c), new ExitAfter(c.id), b.exitAfter());
    }
    if (b.memoryUsageBytes() != null && c.config.memoryLimitBytes() != null
        && b.memoryUsageBytes() > c.config.memoryLimitBytes()) {
      // The process allocates its working set as it starts; the cgroup's OOM killer ends it.
      timers.startSingleTimer(timerKey("oom", c), new OomNow(c.id), Duration.ZERO);
      return;
    }
    if (plan.immediateExit() != null) {
      plan.output().forEach(line -> c.log("stdout", line));
      exitOnItsOwn(c, plan.immediateExit());
      return;
    }
    if (plan.forever()) {
      return;
    }
    advance(c);
  }

  private SimProcess.Host host(Container c, java.util.function.BiConsumer<String, String> output) {
    return new SimProcess.Host() {
      @Override
      public Instant now() {
        return clock.now();
      }

      @Override
      public String hostname() {
        return c.sandbox.config.hostname();
      }

      @Override
      public ContainerFs fs() {
        return c.fs;
      }

      @Override
      public void output(String stream, String line) {
        output.accept(stream, line);
      }

      @Override
      public int random() {
        return random.nextInt(32768);
      }

      @Override
      public ClusterDns dns() {
        return dns;
      }
    };
  }

  private ContainerFs filesystem(Container c) {
    ContainerFs fs = new ContainerFs();
    SandboxConfig sb = c.sandbox.config;
    String ip = c.sandbox.ip == null ? "" : c.sandbox.ip;
    fs.put("/etc/hostname", sb.hostname() + "\n");
    fs.put("/etc/hosts", "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
        + "ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\t"
        + "ip6-allrouters\n" + ip + "\t" + sb.hostname() + "\n");
    fs.put("/etc/resolv.conf", "search " + sb.namespace() + ".svc.cluster.local svc.cluster.local cluster.local\n"
        + "nameserver 10.96.0.10\noptions ndots:5\n");
    fs.put("/dev/termination-log", "");
    fs.put("/dev/null", "");
    for (Mount mount : c.config.mounts()) {
      fs.mount(mount.mountPath(), mount.files(), mount.readOnly());
    }
    return fs;
  }

  private Map<String, String> environment(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", c.sandbox.config.hostname());
    env.putAll(c.config.env());
    env.putIfAbsent("HOME", "/root");
    return env;
  }

  private void advance(Container c) {
    if (c.state != State.RUNNING || c.process == null) {
      return;
    }
    SimProcess.Step step = c.process.run();
    if (step instanceof SimProcess.Sleep s) {
      c.generation++;
      timers.startSingleTimer(timerKey("proc", c), new Resume(c.id, c.generation), s.duration());
    } else if (step instanceof SimProcess.Exit e) {
      exitOnItsOwn(c, e.code());
    }
  }

  private Behavior<Command> onResume(Resume m) {
    Container c = containers.get(m.containerId());
    if (c != null && c.generation == m.generation()) {
      advance(c);
    }
    return this;
  }

  private void exitOnItsOwn(Container c, int code) {
    Integer override = c.config.behavior() == null ? null : c.config.behavior().exitCode();
    exit(c, override != null ? override : code, null);
  }

  private Behavior<Command> onExitAfter(ExitAfter m) {
    Container c = containers.get(m.containerId());
    if (c != null && c.state == State.RUNNING) {
      if (c.process != null) {
        c.process.flush();
      }
      Integer code = c.config.behavior() == null ? null : c.config.behavior().exitCode();
      exit(c, code == null ? 0 : code, null);
    }
    return this;
  }

  private Behavior<Command> onOomNow(OomNow m) {
    Container c = containers.get(m.containerId());
    if (c != null && c.state == State.RUNNING) {
      exit(c, 137, "OOMKilled");
    }
    return this;
  }

  private Behavior<Command> onKill(Kill m) {
    Container c = containers.get(m.containerId());
    if (c != null && c.state == State.RUNNING) {
      exit(c, 137, "Error");
    }
    return this;
  }

  private Behavior<Command> onTermExit(TermExit m) {
    Container c = containers.get(m.containerId());
    if (c != null && c.state == State.RUNNING) {
      exit(c, 0, null);
    }
    return this;
  }

  /** The process ends: record how, stop its timers, tell the subscriber and whoever waits in StopContainer. */
  private void exit(Container c, int code, String reason) {
    if (c.state == State.EXITED) {
      return;
    }
    if (c.process != null) {
      c.process.flush();
    }
    c.state = State.EXITED;
    if (c.startedAt == null) {
      c.startedAt = clock.now();
    }
    c.finishedAt = clock.now();
    c.exitCode = code;
    c.reason = reason != null ? reason : (code == 0 ? "Completed" : "Error");
    c.process = null;
    for (String k : List.of("proc", "exit-after", "oom", "kill", "term", "start")) {
      timers.cancel(timerKey(k, c));
    }
    log.v(4, "Container exited", "container", c.config.name(), "pod", c.config.namespace() + "/" + c.config.podName(),
        "exitCode", code, "reason", c.reason);
    ContainerInfo info = c.info();
    for (Consumer<ContainerInfo> k : List.copyOf(c.onExit)) {
      k.accept(info);
    }
    c.onExit.clear();
    for (ActorRef<LogsFollowed> f : c.followers) {
      f.tell(new LogsFollowed(List.of(), null, true));
    }
    c.followers.clear();
    notifySubscriber(c);
  }

  private Behavior<Command> onStopContainer(StopContainer m) {
    Container c = containers.get(m.containerId());
    if (c == null) {
      m.replyTo().tell(new Failure(m.tag(), "container " + m.containerId() + " not found"));
      return this;
    }
    if (c.state == State.EXITED) {
      m.replyTo().tell(new ContainerStopped(m.tag(), c.info()));
      return this;
    }
    if (c.state == State.CREATED) {
      timers.cancel(timerKey("start", c));
      exit(c, 0, "Completed");
      m.replyTo().tell(new ContainerStopped(m.tag(), c.info()));
      return this;
    }
    c.onExit.add(info -> m.replyTo().tell(new ContainerStopped(m.tag(), info)));
    Duration grace = m.gracePeriod() == null || m.gracePeriod().isNegative() ? Duration.ZERO : m.gracePeriod();
    if (grace.isZero()) {
      exit(c, 137, "Error");
      return this;
    }
    // A second stop with a shorter grace period brings the SIGKILL forward; a longer one changes nothing.
    timers.startSingleTimer(timerKey("kill", c), new Kill(c.id), grace);
    if (c.terminating) {
      return this;
    }
    c.terminating = true;
    ContainerBehavior.Sigterm term = c.config.behavior() == null ? null : c.config.behavior().sigterm();
    if (term != null && term.kind() == ContainerBehavior.Sigterm.Kind.IGNORE) {
      return this;
    }
    if (term != null && term.kind() == ContainerBehavior.Sigterm.Kind.EXIT_AFTER) {
      timers.startSingleTimer(timerKey("term", c), new TermExit(c.id), term.after());
      return this;
    }
    SimProcess.Exit died = c.process == null ? new SimProcess.Exit(c.server ? 0 : 143) : c.process.terminate();
    if (died != null) {
      exit(c, died.code(), null);
    }
    return this;
  }

  private Behavior<Command> onRemoveContainer(RemoveContainer m) {
    Container c = containers.get(m.containerId());
    if (c != null) {
      if (c.state != State.EXITED) {
        exit(c, 137, "Error");
      }
      containers.remove(c.id);
    }
    m.replyTo().tell(new Ok(m.tag()));
    return this;
  }

  private Behavior<Command> onRelist(Relist m) {
    List<SandboxInfo> sbs = new ArrayList<>();
    for (Sandbox s : sandboxes.values()) {
      sbs.add(s.info());
    }
    List<ContainerInfo> cs = new ArrayList<>();
    for (Container c : containers.values()) {
      cs.add(c.info());
    }
    m.replyTo().tell(new Snapshot(m.tag(), sbs, cs));
    return this;
  }

  private Behavior<Command> onContainerStatus(ContainerStatus m) {
    Container c = containers.get(m.containerId());
    m.replyTo().tell(new ContainerStatusResult(m.tag(), c == null ? null : c.info()));
    return this;
  }

  private void notifySubscriber(Container c) {
    if (subscriber != null) {
      subscriber.tell(new ContainerChanged(c.info()));
    }
  }

  // ---------------------------------------------------------------- exec

  private Behavior<Command> onExecSync(ExecSync m) {
    Container c = containers.get(m.containerId());
    if (c == null || c.state != State.RUNNING) {
      m.replyTo().tell(new ExecSyncResult(m.tag(), "", "container is not running", 1, false));
      return this;
    }
    startExecution(c, m.command(), m.timeout(), e -> m.replyTo().tell(new ExecSyncResult(m.tag(), e.out.toString(),
        e.err.toString(), e.exitCode, e.timedOut)));
    return this;
  }

  private Behavior<Command> onExec(Exec m) {
    Lookup l = lookup(m.namespace(), m.pod(), m.container());
    if (l.error() != null) {
      m.replyTo().tell(new ExecResult("", "", -1, l.error()));
      return this;
    }
    Container c = l.current();
    if (c == null || c.state != State.RUNNING) {
      m.replyTo().tell(new ExecResult("", "", -1, "unable to upgrade connection: container not found (\""
          + l.name() + "\")"));
      return this;
    }
    if (m.command() == null || m.command().isEmpty()) {
      m.replyTo().tell(new ExecResult("", "", -1, "you must specify at least one command for the container"));
      return this;
    }
    startExecution(c, m.command(), null, e -> m.replyTo().tell(new ExecResult(e.out.toString(), e.err.toString(),
        e.exitCode, null)));
    return this;
  }

  private void startExecution(Container c, List<String> command, Duration timeout, Consumer<Execution> done) {
    Execution e = new Execution(nextSeq++, c, command, timeout, done);
    executions.put(e.id, e);
    if (timeout != null) {
      timers.startSingleTimer(new ExecTimeout(e.id), new ExecTimeout(e.id), timeout);
    }
    stepExecution(e);
  }

  private void stepExecution(Execution e) {
    SimProcess.Step step = e.process.run();
    if (step instanceof SimProcess.Exit x) {
      e.exitCode = x.code();
      finishExecution(e);
    } else if (step instanceof SimProcess.Sleep s) {
      timers.startSingleTimer(new ExecResume(e.id), new ExecResume(e.id), s.duration());
    } else if (e.timeout == null) {
      // Nothing to wait for: a command that never ends would hang the caller.
      e.err.append(SimProcess.UNSUPPORTED).append(e.commandLine).append(" (it would not return)\n");
      e.exitCode = 126;
      finishExecution(e);
    }
  }

  private Behavior<Command> onExecResume(ExecResume m) {
    Execution e = executions.get(m.execId());
    if (e != null && !e.finished) {
      stepExecution(e);
    }
    return this;
  }

  private Behavior<Command> onExecTimeout(ExecTimeout m) {
    Execution e = executions.get(m.execId());
    if (e != null && !e.finished) {
      e.timedOut = true;
      e.exitCode = -1;
      finishExecution(e);
    }
    return this;
  }

  private void finishExecution(Execution e) {
    e.finished = true;
    executions.remove(e.id);
    timers.cancel(new ExecResume(e.id));
    timers.cancel(new ExecTimeout(e.id));
    e.done.accept(e);
  }

  // ---------------------------------------------------------------- users: logs and faults

  /** A pod's container found by namespace, pod name and container name, as kubectl names it. */
  private record Lookup(String name, Container current, Container previous, String error) {}

  private Lookup lookup(String namespace, String pod, String container) {
    Sandbox sandbox = null;
    for (Sandbox s : sandboxes.values()) {
      if (s.config.namespace().equals(namespace) && s.config.podName().equals(pod)) {
        if (sandbox == null || s.ready || !sandbox.ready) {
          sandbox = s;
        }
      }
    }
    if (sandbox == null) {
      return new Lookup(container, null, null, "pods \"" + pod + "\" not found");
    }
    String uid = sandbox.config.podUid();
    Map<String, List<Container>> byName = new TreeMap<>();
    for (Container c : containers.values()) {
      if (c.config.podUid().equals(uid)) {
        byName.computeIfAbsent(c.config.name(), k -> new ArrayList<>()).add(c);
      }
    }
    String name = container;
    if (name == null || name.isEmpty()) {
      if (byName.size() != 1) {
        return new Lookup(null, null, null, "a container name must be specified for pod " + pod
            + ", choose one of: [" + String.join(" ", byName.keySet()) + "]");
      }
      name = byName.keySet().iterator().next();
    }
    List<Container> instances = byName.getOrDefault(name, List.of());
    if (instances.isEmpty()) {
      return new Lookup(name, null, null, "container \"" + name + "\" in pod \"" + pod
          + "\" is waiting to start: ContainerCreating");
    }
    List<Container> sorted = new ArrayList<>(instances);
    sorted.sort(Comparator.comparingInt((Container c) -> c.config.attempt()).reversed());
    return new Lookup(name, sorted.get(0), sorted.size() > 1 ? sorted.get(1) : null, null);
  }

  private Behavior<Command> onLogs(Logs m) {
    Lookup l = lookup(m.namespace(), m.pod(), m.container());
    if (l.error() != null) {
      m.replyTo().tell(new LogsResult(List.of(), l.error()));
      return this;
    }
    if (m.previous()) {
      if (l.previous() == null) {
        m.replyTo().tell(new LogsResult(List.of(), "previous terminated container \"" + l.name() + "\" in pod \""
            + m.pod() + "\" not found"));
      } else {
        m.replyTo().tell(new LogsResult(List.copyOf(l.previous().logs), null));
      }
      return this;
    }
    m.replyTo().tell(new LogsResult(List.copyOf(l.current().logs), null));
    return this;
  }

  private Behavior<Command> onFollowLogs(FollowLogs m) {
    Lookup l = lookup(m.namespace(), m.pod(), m.container());
    if (l.error() != null) {
      m.follower().tell(new LogsFollowed(List.of(), l.error(), true));
      return this;
    }
    Container c = l.current();
    boolean ended = c.state == State.EXITED;
    m.follower().tell(new LogsFollowed(List.copyOf(c.logs), null, ended));
    if (!ended) {
      c.followers.add(m.follower());
    }
    return this;
  }

  private Behavior<Command> onStopFollowing(StopFollowing m) {
    for (Container c : containers.values()) {
      c.followers.remove(m.follower());
    }
    return this;
  }

  private Behavior<Command> onCrashContainer(CrashContainer m) {
    Lookup l = lookup(m.namespace(), m.pod(), m.container());
    if (l.current() != null && l.current().state == State.RUNNING) {
      log.info("Injected container crash", "container", l.name(), "pod", m.namespace() + "/" + m.pod(),
          "exitCode", m.exitCode());
      exit(l.current(), m.exitCode(), null);
    }
    return this;
  }

  private Behavior<Command> onOomKill(OomKill m) {
    Lookup l = lookup(m.namespace(), m.pod(), m.container());
    if (l.current() != null && l.current().state == State.RUNNING) {
      log.info("Injected OOM kill", "container", l.name(), "pod", m.namespace() + "/" + m.pod());
      exit(l.current(), 137, "OOMKilled");
    }
    return this;
  }

  // ---------------------------------------------------------------- helpers

  private static String timerKey(String kind, Container c) {
    return kind + "/" + c.id;
  }

  private String hex64() {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      String h = Long.toHexString(random.nextLong());
      sb.append("0".repeat(16 - h.length())).append(h);
    }
    return sb.toString();
  }

  /**
   * Pod IPs from the node's pod CIDR as the host-local IPAM plugin hands them out: in order from
   * .2 (.1 is the bridge's gateway), continuing after the last one given, skipping those in use.
   */
  static final class IpPool {
    private final long base;
    private final int size;
    private final TreeSet<Integer> used = new TreeSet<>();
    private int last = 1;

    IpPool(String cidr) {
      String[] parts = cidr.split("/");
      long ip = 0;
      for (String octet : parts[0].split("\\.")) {
        ip = (ip << 8) | Integer.parseInt(octet);
      }
      int prefix = Integer.parseInt(parts[1]);
      long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      this.base = ip & mask;
      this.size = (int) Math.min(1L << (32 - prefix), 1 << 20);
    }

    String allocate() {
      // Usable: base+2 .. base+size-2 (network, gateway and broadcast excluded).
      int usable = size - 3;
      for (int i = 0; i < usable; i++) {
        int candidate = last + 1 + i;
        if (candidate > size - 2) {
          candidate = 2 + (candidate - (size - 1));
        }
        if (!used.contains(candidate)) {
          used.add(candidate);
          last = candidate;
          return format(base + candidate);
        }
      }
      return null;
    }

    void release(String ip) {
      long v = 0;
      for (String octet : ip.split("\\.")) {
        v = (v << 8) | Integer.parseInt(octet);
      }
      used.remove((int) (v - base));
    }

    private static String format(long ip) {
      return ((ip >> 24) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 8) & 0xff) + "." + (ip & 0xff);
    }
  }
}
