package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.kubesim.nodeagent.runtime.BehaviorAnnotations;
import io.kubesim.nodeagent.runtime.ContainerBehavior;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.nodeagent.runtime.ContainerRuntime.ContainerInfo;
import io.kubesim.nodeagent.staticpod.StaticPods;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.log.Klog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One pod on the node: the kubelet's pod worker (pod_workers.go) and what its syncPod does
 * (kubelet.go, kuberuntime_manager.go SyncPod and computePodActions): sandbox, image pulls, init
 * containers one at a time, app containers, restarts with back-off, probes, and termination.
 * At most one sync runs at a time; a change that arrives meanwhile makes it run once more.
 *
 * <p>What it knows of its containers comes from the runtime (so a restarted kubelet picks up
 * running containers as they are); what it remembers itself is only what the real kubelet keeps
 * in memory: why a container last failed to start, back-offs, probe results.
 */
final class PodWorker {

  /** What a worker needs from its kubelet. */
  interface Host {
    Instant now();

    Klog log();

    EventRecorder events();

    RuntimeClient runtime();

    KubeletSettings settings();

    NodeConfig config();

    Map<String, Quantity> allocatable();

    Backoff containerBackoff();

    Backoff imageBackoff();

    boolean imagePresent(String image);

    /** Queues a pull behind the others (serializeImagePulls: true); answers with the runtime's reply. */
    void pull(String image, ContainerBehavior.ImagePull behavior, Consumer<ContainerRuntime.Reply> k);

    /** GETs an object with the kubelet's request timeout; answers null when the request is lost. */
    void get(io.kubesim.shared.api.ResourceType type, String namespace, String name, Consumer<Api.Response> k);

    /** Runs {@link #sync()} again after {@code delay}. */
    void resyncAfter(PodWorker w, Duration delay);

    /** Fires {@link #probe} for one probe of one container instance after {@code delay}, then every {@code period}. */
    void startProbe(PodWorker w, String container, String type, String containerId, Duration delay, Duration period);

    void stopProbe(PodWorker w, String container, String type, String containerId);

    /** The pod's status may have changed: compute it and write it if it did. */
    void statusChanged(PodWorker w);

    /**
     * Something the status is computed from changed ({@link #version} moved), or a sync started:
     * check the status at the next status sync, and do not skip the next periodic sync.
     */
    void statusDirty(PodWorker w);

    /** The pod was deleted and its containers are stopped: write the final status, then remove the object. */
    void terminatedAfterDeletion(PodWorker w);

    /** The worker has nothing left to do and its runtime state is removed. */
    void finished(PodWorker w);
  }

  enum State { ACTIVE, TERMINATING, TERMINATED, REJECTED }

  static final String READINESS = "Readiness";
  static final String LIVENESS = "Liveness";
  static final String STARTUP = "Startup";

  /** kuberuntime_container.go minimumGracePeriodInSeconds. */
  static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);
  /** The pod worker's requeue after a failed sync (pod_workers.go backOffPeriod without its jitter). */
  static final Duration SYNC_ERROR_REQUEUE = Duration.ofSeconds(10);

  final String uid;
  final boolean isStatic;
  private final Host host;
  /** The pod as this worker runs it: the API object, or the static pod from its manifest. */
  Pod pod;
  /** The newest object of this pod in the apiserver (the mirror pod for a static pod), or null. */
  Pod apiPod;
  ContainerRuntime.SandboxInfo sandbox;
  int sandboxAttempts;
  final Map<String, List<ContainerInfo>> instances = new TreeMap<>();
  final Map<String, PodStatuses.Waiting> reasons = new TreeMap<>();
  /** Probe states per container: [startup, readiness, liveness]. */
  private final Map<String, ProbeState[]> probes = new java.util.HashMap<>();
  private final Map<String, String> probeKills = new LinkedHashMap<>();
  private final Map<String, ContainerBehavior> behaviors = new TreeMap<>();
  State state = State.ACTIVE;
  PodAdmission.Rejection rejection;
  boolean removed;
  boolean deadlineExceeded;
  private boolean deadlineScheduled;
  Instant startTime;
  private boolean busy;
  private boolean dirty;
  private Duration mountRetry = Duration.ofMillis(500);
  private final TreeSet<String> stopping = new TreeSet<>();
  private final Map<String, Instant> backOffEvents = new TreeMap<>();
  private final TreeSet<String> forceRestart = new TreeSet<>();

  PodWorker(String uid, Pod pod, boolean isStatic, Host host) {
    this.uid = uid;
    this.pod = pod;
    this.isStatic = isStatic;
    this.host = host;
    parseBehaviors();
  }

  String key() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** format.Pod: "name_namespace(uid)". */
  String formatted() {
    return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")";
  }

  // ---------------------------------------------------------------- inputs

  /** Bumped whenever anything the status is computed from changes; the kubelet skips unchanged pods. */
  long version;
  /** The {@link #version} at which the last pass found nothing to do for a pod whose sync cannot change by itself. */
  private long quietVersion = -1;

  private void bump() {
    version++;
    host.statusDirty(this);
  }

  /** The kubelet's status manager's bookkeeping for this pod (status_manager.go podStatusSyncRequest). */
  static final class StatusWrite {
    /** The worker version and stored pod the last check saw: when neither changed, there is nothing to do. */
    long checkedVersion = -1;
    Pod checkedApiPod;
    boolean inFlight;
    boolean again;
    boolean deleteWhenDone;
    boolean deleting;
  }

  final StatusWrite statusWrite = new StatusWrite();
  /** The pod spec changed since containers were last compared with it. */
  private boolean specChanged = true;

  private void setReason(String container, PodStatuses.Waiting w) {
    if (!w.equals(reasons.put(container, w))) {
      bump();
    }
  }

  private void clearReason(String container) {
    if (reasons.remove(container) != null) {
      bump();
    }
  }

  void update(Pod newer) {
    bump();
    if (newer.getSpec() != pod.getSpec()) {
      specChanged = true;
    }
    Map<String, String> before = pod.getMetadata().getAnnotations();
    pod = newer;
    if (!java.util.Objects.equals(before, newer.getMetadata().getAnnotations())) {
      parseBehaviors();
    }
  }

  /** The runtime's view of this pod, after a relist. */
  void adopt(List<ContainerRuntime.SandboxInfo> sandboxes, List<ContainerInfo> containers) {
    for (ContainerRuntime.SandboxInfo s : sandboxes) {
      if (sandbox == null || s.ready() || !sandbox.ready()) {
        sandbox = s;
        bump();
      }
      sandboxAttempts = Math.max(sandboxAttempts, s.attempt() + 1);
    }
    for (ContainerInfo c : containers) {
      record(c);
    }
    for (List<ContainerInfo> list : instances.values()) {
      ContainerInfo latest = list.get(list.size() - 1);
      if (latest.state() == ContainerRuntime.State.RUNNING) {
        startProbes(specOf(latest.name()), latest);
      }
    }
  }

  /** A container changed in the runtime (started, exited). */
  void onContainerChanged(ContainerInfo c) {
    record(c);
  }

  private void record(ContainerInfo c) {
    bump();
    List<ContainerInfo> list = instances.computeIfAbsent(c.name(), k -> new ArrayList<>());
    list.removeIf(x -> x.id().equals(c.id()));
    list.add(c);
    list.sort(Comparator.comparingInt(ContainerInfo::attempt).thenComparing(ContainerInfo::createdAt));
    while (list.size() > 2) {
      // The kubelet keeps the newest dead instance of each container for `logs --previous`.
      list.remove(0);
    }
  }

  ContainerInfo latest(String name) {
    List<ContainerInfo> list = instances.get(name);
    return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
  }

  ContainerInfo previous(String name) {
    List<ContainerInfo> list = instances.get(name);
    return list == null || list.size() < 2 ? null : list.get(list.size() - 2);
  }

  private void parseBehaviors() {
    behaviors.clear();
    Map<String, String> ann = pod.getMetadata().getAnnotations();
    List<String> names = new ArrayList<>();
    for (Container c : allContainers()) {
      names.add(c.getName());
      BehaviorAnnotations.Parsed parsed = BehaviorAnnotations.parse(ann, c.getName());
      behaviors.put(c.getName(), parsed.behavior());
      parsed.problems().forEach(this::reportAnnotation);
    }
    BehaviorAnnotations.unknownContainers(ann, names).forEach(this::reportAnnotation);
  }

  private void reportAnnotation(BehaviorAnnotations.Problem p) {
    host.log().warning("Ignoring invalid behavior annotation", "pod", key(), "annotation", p.annotation(),
        "err", p.message());
    host.events().event(pod, EventRecorder.WARNING, "InvalidBehaviorAnnotation",
        "Ignoring annotation " + p.annotation() + ": " + p.message());
  }

  ContainerBehavior behavior(String container) {
    return behaviors.getOrDefault(container, ContainerBehavior.DEFAULT);
  }

  List<Container> allContainers() {
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    all.addAll(pod.getSpec().getContainers());
    return all;
  }

  /** The containers of the spec by name, built when the spec changes (probes look them up every period). */
  private Map<String, Container> specByName;
  private io.fabric8.kubernetes.api.model.PodSpec specIndexed;

  Container specOf(String name) {
    if (specIndexed != pod.getSpec()) {
      Map<String, Container> m = new java.util.HashMap<>();
      for (Container c : allContainers()) {
        m.put(c.getName(), c);
      }
      specByName = m;
      specIndexed = pod.getSpec();
    }
    return specByName.get(name);
  }

  boolean isInit(String name) {
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        if (c.getName().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  String fieldPath(String name) {
    return (isInit(name) ? "spec.initContainers{" : "spec.containers{") + name + "}";
  }

  String restartPolicy() {
    return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
  }

  /** ShouldContainerBeRestarted: whether an exited container is started again. */
  boolean shouldRestart(String name, ContainerInfo exited) {
    Container spec = specOf(name);
    if (spec == null) {
      return false;
    }
    if (isInit(name)) {
      if (PodStatuses.isSidecar(spec)) {
        return true;
      }
      // Init containers with restartPolicy Always are treated as OnFailure.
      return exited.exitCode() != 0 && !restartPolicy().equals("Never");
    }
    return switch (restartPolicy()) {
      case "Never" -> false;
      case "OnFailure" -> exited.exitCode() != 0;
      default -> true;
    };
  }

  boolean deleted() {
    return !isStatic && pod.getMetadata().getDeletionTimestamp() != null;
  }

  // ---------------------------------------------------------------- status

  /** The status this worker would report, given the stored one. */
  PodStatus status(PodStatus stored, String hostIp) {
    if (state == State.REJECTED) {
      PodStatus s = new PodStatus();
      s.setPhase("Failed");
      s.setReason(rejection.reason());
      s.setMessage("Pod was rejected: " + rejection.message());
      s.setQosClass(stored == null ? null : stored.getQosClass());
      s.setStartTime(stored == null ? null : stored.getStartTime());
      s.setObservedGeneration(pod.getMetadata().getGeneration());
      if (stored != null && stored.getConditions() != null) {
        s.setConditions(stored.getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).toList());
      }
      return s;
    }
    List<PodStatuses.ContainerView> init = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        init.add(view(c));
      }
    }
    List<PodStatuses.ContainerView> app = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      app.add(view(c));
    }
    boolean sandboxReady = sandbox != null && sandbox.ready() && state == State.ACTIVE;
    String podIp = sandbox != null && sandbox.ip() != null ? sandbox.ip() : null;
    boolean terminal = state == State.TERMINATED && (deleted() || removed || deadlineExceeded);
    PodStatus s = PodStatuses.compute(new PodStatuses.Input(pod, stored, host.now(), sandboxReady, podIp, hostIp,
        init, app, terminal, startTime));
    if (deadlineExceeded) {
      s.setPhase("Failed");
      s.setReason("DeadlineExceeded");
      s.setMessage("Pod was active on the node longer than the specified deadline");
    }
    return s;
  }

  private PodStatuses.ContainerView view(Container c) {
    ContainerInfo latest = latest(c.getName());
    boolean willRestart = latest != null && latest.state() == ContainerRuntime.State.EXITED
        && state == State.ACTIVE && shouldRestart(c.getName(), latest);
    boolean ready = true;
    boolean started = true;
    if (latest != null && latest.state() == ContainerRuntime.State.RUNNING) {
      ProbeState r = probeState(c.getName(), READINESS);
      if (r != null && r.containerId.equals(latest.id())) {
        ready = Boolean.TRUE.equals(r.published);
      } else if (c.getReadinessProbe() != null) {
        ready = false;
      }
      ProbeState st = probeState(c.getName(), STARTUP);
      if (st != null && st.containerId.equals(latest.id())) {
        started = Boolean.TRUE.equals(st.published);
      } else if (c.getStartupProbe() != null) {
        started = false;
      }
    }
    return new PodStatuses.ContainerView(c.getName(), c.getImage(), isInit(c.getName()) && PodStatuses.isSidecar(c),
        latest, previous(c.getName()), reasons.get(c.getName()), willRestart, ready, started,
        Volumes.mountStatuses(c), c.getResources());
  }

  // ---------------------------------------------------------------- sync

  /** Runs a sync pass now, or once more after the one in progress. */
  void sync() {
    host.statusDirty(this);
    if (busy) {
      dirty = true;
      return;
    }
    if (state == State.TERMINATED || state == State.REJECTED) {
      host.statusChanged(this);
      return;
    }
    busy = true;
    dirty = false;
    if (startTime == null) {
      // The time the kubelet first acknowledged the pod (generateAPIPodStatus keeps the stored one).
      String stored = apiPod == null || apiPod.getStatus() == null ? null : apiPod.getStatus().getStartTime();
      startTime = stored != null ? io.kubesim.shared.time.Times.parse(stored) : host.now();
    }
    // generateAPIPodStatus runs before the runtime is touched: the status shows the pod being set up.
    host.statusChanged(this);
    pass(() -> {
      busy = false;
      host.statusChanged(this);
      if (dirty) {
        sync();
      }
    });
  }

  boolean busy() {
    return busy;
  }

  /**
   * A periodic sync (syncFrequency) would change nothing: the last pass found nothing to do, nothing
   * it reads changed since, and nothing in it depends on time passing. The kubelet skips these.
   */
  boolean syncIsNoop() {
    return state == State.ACTIVE && !busy && startTime != null && quietVersion == version && !removed
        && !deleted();
  }

  /**
   * A running pod whose next pass can only find what this one found: every container running,
   * no probes (whose results arrive on their own), no deadline, nothing being stopped or delayed,
   * restarted always (so that its phase cannot become terminal).
   */
  private boolean steady() {
    if (pod.getSpec().getActiveDeadlineSeconds() != null || !"Always".equals(restartPolicy()) || instances.isEmpty()
        || !probeKills.isEmpty() || !forceRestart.isEmpty() || specChanged || !stopping.isEmpty()
        || !delayed.isEmpty()) {
      return false;
    }
    for (Container c : allContainers()) {
      if (c.getStartupProbe() != null || c.getReadinessProbe() != null || c.getLivenessProbe() != null) {
        return false;
      }
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        ContainerInfo latest = latest(c.getName());
        if (PodStatuses.isSidecar(c) || latest == null || latest.state() != ContainerRuntime.State.EXITED
            || latest.exitCode() != 0) {
          return false;
        }
      }
    }
    for (Container c : pod.getSpec().getContainers()) {
      ContainerInfo latest = latest(c.getName());
      if (latest == null || latest.state() != ContainerRuntime.State.RUNNING) {
        return false;
      }
    }
    return true;
  }

  private void pass(Runnable done) {
    if (state == State.TERMINATING) {
      done.run();
      return;
    }
    if (removed || deleted()) {
      terminate(done);
      return;
    }
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    if (deadline != null && startTime != null && !deadlineExceeded) {
      Instant until = startTime.plusSeconds(deadline);
      if (!host.now().isBefore(until)) {
        deadlineExceeded = true;
        bump();
        host.events().event(pod, EventRecorder.NORMAL, "DeadlineExceeded",
            "Pod was active on the node longer than the specified deadline");
        terminate(done);
        return;
      }
      if (!deadlineScheduled) {
        deadlineScheduled = true;
        host.resyncAfter(this, Duration.between(host.now(), until));
      }
    }
    if (terminalPhase()) {
      terminate(done);
      return;
    }
    List<Kill> kills = new ArrayList<>();
    List<Container> starts = new ArrayList<>();
    computeActions(kills, starts);
    boolean needSandbox = sandbox == null || !sandbox.ready();
    if (!needSandbox && starts.isEmpty() && kills.isEmpty()) {
      quietVersion = steady() ? version : -1;
      done.run();
      return;
    }
    killAll(kills, () -> {
      if (starts.isEmpty() && !needSandbox) {
        done.run();
        return;
      }
      resolveReferences(refs -> {
        if (refs == null) {
          host.resyncAfter(this, SYNC_ERROR_REQUEUE);
          done.run();
          return;
        }
        Map<String, Map<String, String>> volumes;
        try {
          volumes = Volumes.render(pod, sources(refs));
          mountRetry = Duration.ofMillis(500);
        } catch (Volumes.MountError e) {
          host.events().event(pod, EventRecorder.WARNING, "FailedMount", e.getMessage());
          host.log().error("Error syncing pod, skipping", "err", "unmounted volumes=[" + e.volume + "]", "pod",
              key(), "podUID", uid);
          host.resyncAfter(this, mountRetry);
          // The volume manager retries with exponential back-off, from 500ms up to 2m2s.
          mountRetry = mountRetry.multipliedBy(2).compareTo(Duration.ofSeconds(122)) > 0 ? Duration.ofSeconds(122)
              : mountRetry.multipliedBy(2);
          done.run();
          return;
        }
        Runnable startContainers = () -> startAll(new ArrayList<>(starts), refs, volumes, done);
        if (needSandbox) {
          createSandbox(ok -> {
            if (!ok) {
              done.run();
              return;
            }
            // A new sandbox: what should start is computed again (init containers run anew).
            List<Kill> k2 = new ArrayList<>();
            starts.clear();
            computeActions(k2, starts);
            startContainers.run();
          });
        } else {
          startContainers.run();
        }
      });
    });
  }

  /** The pod is Succeeded or Failed by its restart policy: nothing will run again. */
  private boolean terminalPhase() {
    if (instances.isEmpty() || restartPolicy().equals("Always")) {
      // With restartPolicy Always every container is restarted: the pod never finishes by itself.
      return false;
    }
    PodStatus s = status(apiPod == null ? null : apiPod.getStatus(), null);
    return "Succeeded".equals(s.getPhase()) || "Failed".equals(s.getPhase());
  }

  private record Kill(ContainerInfo container, String message, Duration grace) {}

  /** computePodActions: which containers to kill (failed probes) and which to start, in order. */
  private void computeActions(List<Kill> kills, List<Container> starts) {
    for (Map.Entry<String, String> e : new ArrayList<>(probeKills.entrySet())) {
      ContainerInfo c = byId(e.getKey());
      if (c == null || c.state() != ContainerRuntime.State.RUNNING) {
        probeKills.remove(e.getKey());
        continue;
      }
      Container spec = specOf(c.name());
      Probe probe = e.getValue().contains("liveness") ? spec.getLivenessProbe() : spec.getStartupProbe();
      Duration grace = probe != null && probe.getTerminationGracePeriodSeconds() != null
          ? Duration.ofSeconds(probe.getTerminationGracePeriodSeconds()) : specGrace();
      kills.add(new Kill(c, e.getValue(), grace));
    }
    // A container whose spec changed (kubectl set image) is killed and started again
    // (computePodActions: "Container app definition changed, will be restarted").
    boolean mismatch = false;
    for (Container spec : specChanged ? allContainers() : List.<Container>of()) {
      ContainerInfo c = latest(spec.getName());
      if (c != null && c.state() == ContainerRuntime.State.RUNNING && spec.getImage() != null
          && !io.kubesim.nodeagent.runtime.Images.normalize(spec.getImage()).equals(c.image())
          && !probeKills.containsKey(c.id()) && !stopping.contains(c.id())) {
        forceRestart.add(spec.getName());
        kills.add(new Kill(c, "Container " + spec.getName() + " definition changed, will be restarted",
            specGrace()));
        mismatch = true;
      }
    }
    specChanged = mismatch;
    boolean initDone = true;
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        ContainerInfo latest = latest(c.getName());
        boolean sidecar = PodStatuses.isSidecar(c);
        if (latest == null || latest.state() == ContainerRuntime.State.CREATED) {
          starts.add(c);
          initDone = false;
          break;
        }
        if (latest.state() == ContainerRuntime.State.RUNNING) {
          if (sidecar && isStarted(c, latest)) {
            continue;
          }
          initDone = false;
          break;
        }
        // Exited.
        if (!sidecar && latest.exitCode() == 0) {
          continue;
        }
        if (shouldRestart(c.getName(), latest)) {
          starts.add(c);
        }
        initDone = false;
        break;
      }
    }
    if (!initDone) {
      return;
    }
    for (Container c : pod.getSpec().getContainers()) {
      ContainerInfo latest = latest(c.getName());
      if (latest == null || latest.state() == ContainerRuntime.State.CREATED) {
        starts.add(c);
      } else if (latest.state() == ContainerRuntime.State.EXITED
          && (shouldRestart(c.getName(), latest) || forceRestart.contains(c.getName()))) {
        starts.add(c);
      }
    }
  }

  private boolean isStarted(Container c, ContainerInfo running) {
    if (c.getStartupProbe() == null) {
      return true;
    }
    ProbeState st = probeState(c.getName(), STARTUP);
    return st != null && st.containerId.equals(running.id()) && Boolean.TRUE.equals(st.published);
  }

  private ContainerInfo byId(String id) {
    for (List<ContainerInfo> list : instances.values()) {
      for (ContainerInfo c : list) {
        if (c.id().equals(id)) {
          return c;
        }
      }
    }
    return null;
  }

  private Duration specGrace() {
    Long g = pod.getSpec().getTerminationGracePeriodSeconds();
    return Duration.ofSeconds(g == null ? 30 : g);
  }

  // ---------------------------------------------------------------- references (ConfigMaps, Secrets)

  /** The ConfigMaps and Secrets the pod refers to, fetched from the apiserver; null when a request was lost. */
  private record Refs(Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {}

  private void resolveReferences(Consumer<Refs> k) {
    List<TreeSet<String>> names = Volumes.references(pod);
    Refs refs = new Refs(new TreeMap<>(), new TreeMap<>());
    int total = names.get(0).size() + names.get(1).size();
    if (total == 0) {
      k.accept(refs);
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    int[] remaining = {total};
    boolean[] lost = {false};
    Consumer<Runnable> countDown = r -> {
      r.run();
      if (--remaining[0] == 0) {
        k.accept(lost[0] ? null : refs);
      }
    };
    for (String n : names.get(0)) {
      host.get(Resources.CONFIGMAPS, ns, n, resp -> countDown.accept(() -> {
        if (resp instanceof Api.Ok ok) {
          refs.configMaps().put(n, (ConfigMap) ok.object());
        } else if (!(resp instanceof Api.Failed f && f.code() == 404)) {
          lost[0] = true;
        }
      }));
    }
    for (String n : names.get(1)) {
      host.get(Resources.SECRETS, ns, n, resp -> countDown.accept(() -> {
        if (resp instanceof Api.Ok ok) {
          refs.secrets().put(n, (Secret) ok.object());
        } else if (!(resp instanceof Api.Failed f && f.code() == 404)) {
          lost[0] = true;
        }
      }));
    }
  }

  private EnvVars.Sources sources(Refs refs) {
    String podIp = sandbox == null ? null : sandbox.ip();
    return new EnvVars.Sources(pod, podIp, host.config().internalIp(), host.allocatable(), refs.configMaps()::get,
        refs.secrets()::get);
  }

  // ---------------------------------------------------------------- sandbox

  private void createSandbox(Consumer<Boolean> k) {
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    String hostname = hostNetwork ? host.config().name()
        : pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty() ? pod.getSpec().getHostname()
        : pod.getMetadata().getName();
    ContainerRuntime.SandboxConfig cfg = new ContainerRuntime.SandboxConfig(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), sandboxAttempts, hostname, hostNetwork, host.config().internalIp(),
        host.config().podCidr());
    // After a node restart the runtime has nothing, but the pod's status says it ran here: the
    // sandbox is re-created, as after a reboot (kuberuntime_manager.go podSandboxChanged).
    boolean recreate = sandboxAttempts > 0 || ranBefore();
    sandboxAttempts++;
    if (recreate) {
      host.events().event(pod, EventRecorder.NORMAL, "SandboxChanged",
          "Pod sandbox changed, it will be killed and re-created.");
    }
    host.runtime().runPodSandbox(cfg, r -> {
      if (r instanceof ContainerRuntime.SandboxReady ready) {
        sandbox = ready.sandbox();
        bump();
        if (recreate) {
          // Init containers run again in a new sandbox; the old instances no longer count.
          instances.clear();
        }
        host.log().v(4, "Created PodSandbox for pod", "pod", key(), "podSandboxID", sandbox.id().substring(0, 13));
        k.accept(true);
      } else {
        String err = r instanceof ContainerRuntime.Failure f ? f.error() : String.valueOf(r);
        host.events().event(pod, EventRecorder.WARNING, "FailedCreatePodSandBox",
            "Failed to create pod sandbox: rpc error: code = Unknown desc = " + err);
        host.log().error("Failed to create sandbox for pod", "err", err, "pod", key());
        host.resyncAfter(this, SYNC_ERROR_REQUEUE);
        k.accept(false);
      }
    });
  }

  // ---------------------------------------------------------------- starting containers

  /** Restart counts of containers that ran on this node before its runtime lost them (a node restart). */
  private final Map<String, Integer> priorRestarts = new TreeMap<>();

  /**
   * The pod's stored status when this worker starts with nothing in the runtime: containers that
   * ran here before continue their restart counts, as they would after a reboot, where containerd
   * still knows the dead containers.
   */
  void notePriorStatus(Pod stored) {
    if (stored.getStatus() == null) {
      return;
    }
    for (List<io.fabric8.kubernetes.api.model.ContainerStatus> l : java.util.Arrays.asList(
        stored.getStatus().getContainerStatuses(), stored.getStatus().getInitContainerStatuses())) {
      if (l != null) {
        for (io.fabric8.kubernetes.api.model.ContainerStatus cs : l) {
          if (cs.getContainerID() != null && !cs.getContainerID().isEmpty()) {
            priorRestarts.put(cs.getName(), (cs.getRestartCount() == null ? 0 : cs.getRestartCount()) + 1);
          }
        }
      }
    }
  }

  private boolean ranBefore() {
    return !priorRestarts.isEmpty();
  }

  private int priorRestarts(String name) {
    return priorRestarts.getOrDefault(name, 0);
  }

  private void startAll(List<Container> starts, Refs refs, Map<String, Map<String, String>> volumes, Runnable done) {
    if (starts.isEmpty() || state != State.ACTIVE) {
      done.run();
      return;
    }
    Container c = starts.remove(0);
    startContainer(c, refs, volumes, () -> startAll(starts, refs, volumes, done));
  }

  /** GetStableKey without the spec hash: the back-off of one container of one pod. */
  private String backoffKey(Container c) {
    return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "_" + uid + "_" + c.getName();
  }

  private void startContainer(Container c, Refs refs, Map<String, Map<String, String>> volumes, Runnable next) {
    String name = c.getName();
    Instant now = host.now();
    ContainerInfo latest = latest(name);
    if (latest != null && latest.state() == ContainerRuntime.State.EXITED) {
      // kuberuntime_manager.go doBackOff: the delay is counted from the dead container's finishedAt.
      String key = backoffKey(c);
      Instant finished = latest.finishedAt();
      if (host.containerBackoff().isInBackOffSince(key, finished, now)) {
        Duration d = host.containerBackoff().get(key);
        Instant last = backOffEvents.get(latest.id());
        if (last == null || !now.isBefore(last.plus(SYNC_ERROR_REQUEUE))) {
          // One event per pod-worker retry (every 10 s or so), not one per status change.
          backOffEvents.clear();
          backOffEvents.put(latest.id(), now);
          host.events().event(pod, fieldPath(name), EventRecorder.WARNING, "BackOff",
              "Back-off restarting failed container " + name + " in pod " + formatted());
        }
        String msg = "back-off " + Klog.goDuration(d) + " restarting failed container=" + name + " pod="
            + formatted();
        setReason(name, new PodStatuses.Waiting(PodStatuses.CRASH_LOOP_BACK_OFF, msg));
        host.log().v(3, "Back-off restarting failed container", "err", msg);
        host.resyncAfter(this, Duration.between(now, host.containerBackoff().expiry(key, finished)));
        next.run();
        return;
      }
      host.containerBackoff().next(key, finished, now);
    }
    ensureImage(c, ok -> {
      if (!ok || state != State.ACTIVE || deleted() || removed) {
        next.run();
        return;
      }
      createAndStart(c, refs, volumes, next);
    });
  }

  private void ensureImage(Container c, Consumer<Boolean> k) {
    String image = c.getImage();
    String name = c.getName();
    String policy = c.getImagePullPolicy() == null || c.getImagePullPolicy().isEmpty()
        ? StaticPods.pullPolicy(image) : c.getImagePullPolicy();
    boolean present = host.imagePresent(image);
    String fp = fieldPath(name);
    if (policy.equals("Never") || (policy.equals("IfNotPresent") && present)) {
      if (present) {
        host.events().event(pod, fp, EventRecorder.NORMAL, "Pulled",
            "Container image \"" + image + "\" already present on machine");
        k.accept(true);
      } else {
        String msg = "Container image \"" + image + "\" is not present with pull policy of Never";
        host.events().event(pod, fp, EventRecorder.WARNING, "ErrImageNeverPull", msg);
        setReason(name, new PodStatuses.Waiting("ErrImageNeverPull", msg));
        host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: ErrImageNeverPull");
        host.resyncAfter(this, SYNC_ERROR_REQUEUE);
        k.accept(false);
      }
      return;
    }
    String key = uid + "_" + image;
    Instant now = host.now();
    if (host.imageBackoff().isInBackOffSinceUpdate(key, now)) {
      String msg = "Back-off pulling image \"" + image + "\"";
      host.events().event(pod, fp, EventRecorder.NORMAL, "BackOff", msg);
      setReason(name, new PodStatuses.Waiting("ImagePullBackOff", msg));
      host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff");
      // The pod worker retries a failed sync after its own back-off period, not when the pull's ends.
      host.resyncAfter(this, SYNC_ERROR_REQUEUE);
      k.accept(false);
      return;
    }
    host.events().event(pod, fp, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
    Instant asked = now;
    host.pull(image, behavior(name).imagePull(), r -> {
      if (r instanceof ContainerRuntime.ImagePulled p) {
        Duration total = Duration.between(asked, host.now()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        host.events().event(pod, fp, EventRecorder.NORMAL, "Pulled", "Successfully pulled image \"" + image + "\" in "
            + Klog.goDuration(p.pullDuration()) + " (" + Klog.goDuration(total) + " including waiting). Image size: "
            + p.image().sizeBytes() + " bytes.");
        k.accept(true);
      } else {
        String err = r instanceof ContainerRuntime.ImagePullFailed f ? f.error() : String.valueOf(r);
        host.events().event(pod, fp, EventRecorder.WARNING, "Failed",
            "Failed to pull image \"" + image + "\": " + err);
        host.imageBackoff().next(key, host.now(), host.now());
        setReason(name, new PodStatuses.Waiting("ErrImagePull", err));
        host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
        host.resyncAfter(this, SYNC_ERROR_REQUEUE);
        k.accept(false);
      }
    });
  }

  private void createAndStart(Container c, Refs refs, Map<String, Map<String, String>> volumes, Runnable next) {
    String name = c.getName();
    String fp = fieldPath(name);
    Map<String, String> env;
    try {
      env = EnvVars.resolve(c, sources(refs));
    } catch (EnvVars.ConfigError e) {
      setReason(name, new PodStatuses.Waiting("CreateContainerConfigError", e.getMessage()));
      host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
      host.resyncAfter(this, SYNC_ERROR_REQUEUE);
      next.run();
      return;
    }
    ContainerInfo latest = latest(name);
    int attempt = latest == null ? priorRestarts(name) : latest.attempt() + 1;
    Long memLimit = null;
    if (c.getResources() != null && c.getResources().getLimits() != null
        && c.getResources().getLimits().get("memory") != null) {
      memLimit = PodAdmission.bytes(c.getResources().getLimits().get("memory"));
    }
    ContainerRuntime.ContainerConfig cfg = new ContainerRuntime.ContainerConfig(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), name, attempt, c.getImage(), EnvVars.expandAll(c.getCommand(), env),
        EnvVars.expandAll(c.getArgs(), env), env, c.getWorkingDir(), Boolean.TRUE.equals(c.getStdin()),
        Boolean.TRUE.equals(c.getTty()), memLimit, Volumes.mounts(pod, c, volumes), behavior(name));
    host.runtime().createContainer(sandbox.id(), cfg, r -> {
      if (!(r instanceof ContainerRuntime.ContainerCreated created)) {
        String err = r instanceof ContainerRuntime.Failure f ? f.error() : String.valueOf(r);
        setReason(name, new PodStatuses.Waiting("CreateContainerError", err));
        host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: " + err);
        host.resyncAfter(this, SYNC_ERROR_REQUEUE);
        next.run();
        return;
      }
      record(created.container());
      host.events().event(pod, fp, EventRecorder.NORMAL, "Created", "Created container: " + name);
      host.runtime().startContainer(created.container().id(), r2 -> {
        if (r2 instanceof ContainerRuntime.ContainerStarted started) {
          record(started.container());
          clearReason(name);
          forceRestart.remove(name);
          host.events().event(pod, fp, EventRecorder.NORMAL, "Started", "Started container " + name);
          startProbes(c, started.container());
          // The container's start may already be followed by its exit (an OOM kill at once).
          ContainerInfo now = latest(name);
          if (now != null && now.state() == ContainerRuntime.State.EXITED) {
            dirty = true;
          }
        } else {
          String err = r2 instanceof ContainerRuntime.Failure f ? f.error() : String.valueOf(r2);
          setReason(name, new PodStatuses.Waiting("RunContainerError", err));
          host.events().event(pod, fp, EventRecorder.WARNING, "Failed", "Error: " + err);
        }
        host.statusChanged(this);
        next.run();
      });
    });
  }

  // ---------------------------------------------------------------- killing and termination

  private void killAll(List<Kill> kills, Runnable done) {
    if (kills.isEmpty()) {
      done.run();
      return;
    }
    int[] remaining = {kills.size()};
    for (Kill k : kills) {
      probeKills.remove(k.container().id());
      killContainer(k.container(), k.message(), k.grace(), () -> {
        if (--remaining[0] == 0) {
          done.run();
        }
      });
    }
  }

  /** killContainer: Killing event, preStop hook, then SIGTERM with what is left of the grace period. */
  private void killContainer(ContainerInfo c, String message, Duration grace, Runnable done) {
    if (!stopping.add(c.id())) {
      done.run();
      return;
    }
    String name = c.name();
    host.events().event(pod, fieldPath(name), EventRecorder.NORMAL, "Killing", message);
    host.log().v(2, "Killing container with a grace period", "pod", key(), "podUID", uid, "containerName", name,
        "containerID", "containerd://" + c.id(), "gracePeriod", grace.toSeconds());
    Container spec = specOf(name);
    LifecycleHandler preStop = spec == null || spec.getLifecycle() == null ? null : spec.getLifecycle().getPreStop();
    Instant started = host.now();
    Runnable sigterm = () -> {
      Duration left = grace.minus(Duration.between(started, host.now()));
      if (left.compareTo(MINIMUM_GRACE) < 0) {
        left = MINIMUM_GRACE;
      }
      host.runtime().stopContainer(c.id(), left, r -> {
        stopping.remove(c.id());
        if (r instanceof ContainerRuntime.ContainerStopped s) {
          record(s.container());
        }
        done.run();
      });
    };
    if (preStop != null && preStop.getExec() != null && preStop.getExec().getCommand() != null) {
      host.runtime().execSync(c.id(), preStop.getExec().getCommand(), grace, r -> sigterm.run());
    } else if (preStop != null && preStop.getSleep() != null && preStop.getSleep().getSeconds() != null) {
      Duration d = Duration.ofSeconds(Math.min(preStop.getSleep().getSeconds(), grace.toSeconds()));
      delay(d, sigterm);
    } else {
      sigterm.run();
    }
  }

  private final List<Runnable> delayed = new ArrayList<>();
  private final List<Instant> delayedAt = new ArrayList<>();

  /** Runs {@code r} after {@code d} of virtual time (preStop sleep). */
  private void delay(Duration d, Runnable r) {
    delayed.add(r);
    delayedAt.add(host.now().plus(d));
    host.resyncAfter(this, d);
  }

  /** Runs the delayed actions that are due. Called on every timer-driven resync. */
  void runDue() {
    Instant now = host.now();
    for (int i = 0; i < delayed.size(); i++) {
      if (!delayedAt.get(i).isAfter(now)) {
        Runnable r = delayed.remove(i);
        delayedAt.remove(i);
        i--;
        r.run();
      }
    }
  }

  private Duration terminationGrace() {
    if (apiPod != null && apiPod.getMetadata().getDeletionGracePeriodSeconds() != null && !isStatic) {
      return Duration.ofSeconds(apiPod.getMetadata().getDeletionGracePeriodSeconds());
    }
    if (pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
      return Duration.ofSeconds(pod.getMetadata().getDeletionGracePeriodSeconds());
    }
    return specGrace();
  }

  /** Stops every container and the sandbox; then the final status (and, for a deleted pod, its removal). */
  private void terminate(Runnable done) {
    state = State.TERMINATING;
    bump();
    host.log().v(2, "Pod is terminating", "pod", key(), "podUID", uid, "deleted", deleted(), "removed", removed);
    List<ContainerInfo> running = new ArrayList<>();
    for (String name : instances.keySet()) {
      ContainerInfo c = latest(name);
      if (c != null && c.state() != ContainerRuntime.State.EXITED) {
        running.add(c);
      }
    }
    Duration grace = terminationGrace();
    Runnable afterKill = () -> stopSandbox(() -> {
      state = State.TERMINATED;
      bump();
      host.log().v(2, "Pod termination finished", "pod", key(), "podUID", uid);
      if (removed) {
        removeFromRuntime(() -> {
          host.finished(this);
          done.run();
        });
      } else if (deleted()) {
        host.terminatedAfterDeletion(this);
        done.run();
      } else {
        done.run();
      }
    });
    if (running.isEmpty()) {
      afterKill.run();
      return;
    }
    int[] remaining = {running.size()};
    for (ContainerInfo c : running) {
      killContainer(c, "Stopping container " + c.name(), grace, () -> {
        if (--remaining[0] == 0) {
          afterKill.run();
        }
      });
    }
  }

  private void stopSandbox(Runnable k) {
    if (sandbox == null || !sandbox.ready()) {
      k.run();
      return;
    }
    ContainerRuntime.SandboxInfo s = sandbox;
    host.runtime().stopPodSandbox(s.id(), r -> {
      sandbox = new ContainerRuntime.SandboxInfo(s.id(), s.podUid(), s.namespace(), s.podName(), s.attempt(), false,
          s.ip(), s.hostNetwork(), s.createdAt());
      bump();
      k.run();
    });
  }

  /** Removes the pod's sandboxes and containers from the runtime (the kubelet's pod cleanup). */
  void removeFromRuntime(Runnable k) {
    if (sandbox == null) {
      k.run();
      return;
    }
    host.runtime().removePodSandbox(sandbox.id(), r -> k.run());
  }

  /** The pod is gone from the apiserver (or from the static pod source). */
  void markRemoved() {
    removed = true;
    bump();
  }

  /** The pod was not admitted: it is Failed and nothing runs. */
  void reject(PodAdmission.Rejection r) {
    state = State.REJECTED;
    bump();
    rejection = r;
    host.events().event(pod, EventRecorder.WARNING, r.reason(), r.message());
    host.log().v(2, "Predicate failed on Pod", "pod", key(), "err", r.message());
  }

  boolean active() {
    return state == State.ACTIVE || state == State.TERMINATING;
  }

  // ---------------------------------------------------------------- probes (prober/worker.go)

  private static final class ProbeState {
    final String containerId;
    final String type;
    final Probe spec;
    final Instant startedAt;
    /** The published result: null (unknown), true (success), false (failure). */
    Boolean published;
    Boolean lastResult;
    int run;
    boolean onHold;

    ProbeState(String containerId, String type, Probe spec, Instant startedAt, Boolean initial) {
      this.containerId = containerId;
      this.type = type;
      this.spec = spec;
      this.startedAt = startedAt;
      this.published = initial;
    }
  }

  private static int probeIndex(String type) {
    return type.equals(STARTUP) ? 0 : type.equals(READINESS) ? 1 : 2;
  }

  private ProbeState probeState(String container, String type) {
    ProbeState[] states = probes.get(container);
    return states == null ? null : states[probeIndex(type)];
  }

  private void setProbeState(String container, String type, ProbeState st) {
    probes.computeIfAbsent(container, k -> new ProbeState[3])[probeIndex(type)] = st;
  }

  private void startProbes(Container c, ContainerInfo running) {
    if (c == null) {
      return;
    }
    for (String type : List.of(STARTUP, READINESS, LIVENESS)) {
      Probe p = switch (type) {
        case STARTUP -> c.getStartupProbe();
        case READINESS -> c.getReadinessProbe();
        default -> c.getLivenessProbe();
      };
      if (p == null) {
        setProbeState(c.getName(), type, null);
        continue;
      }
      // Readiness starts as failure, liveness as success, startup as unknown (prober_manager.go).
      Boolean initial = type.equals(READINESS) ? Boolean.FALSE : type.equals(LIVENESS) ? Boolean.TRUE : null;
      setProbeState(c.getName(), type, new ProbeState(running.id(), type, p, running.startedAt(), initial));
      int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
      Instant first = running.startedAt().plusSeconds(delay);
      Duration wait = Duration.between(host.now(), first);
      host.startProbe(this, c.getName(), type, running.id(), wait.isNegative() ? Duration.ZERO : wait,
          period(p));
    }
  }

  private static Duration period(Probe p) {
    return Duration.ofSeconds(p.getPeriodSeconds() == null || p.getPeriodSeconds() < 1 ? 10 : p.getPeriodSeconds());
  }

  /** One probe tick for one container instance (prober/worker.go doProbe). */
  void probe(String container, String type, String containerId) {
    ProbeState ps = probeState(container, type);
    ContainerInfo latest = latest(container);
    if (ps == null || !ps.containerId.equals(containerId) || latest == null || !latest.id().equals(containerId)
        || latest.state() != ContainerRuntime.State.RUNNING || state != State.ACTIVE || ps.onHold
        || (type.equals(STARTUP) && Boolean.TRUE.equals(ps.published))) {
      // The container is gone, or this probe has nothing more to say about it.
      host.stopProbe(this, container, type, containerId);
      return;
    }
    Container spec = specOf(container);
    if (!type.equals(STARTUP) && spec.getStartupProbe() != null && !isStarted(spec, latest)) {
      return;
    }
    evaluate(spec, ps, latest, result -> apply(spec, ps, latest, result.success(), result.output()));
  }

  private record Outcome(boolean success, String output) {}

  private void evaluate(Container spec, ProbeState ps, ContainerInfo c, Consumer<Outcome> k) {
    ContainerBehavior b = behavior(spec.getName());
    ContainerBehavior.ProbeOutcome forced = switch (ps.type) {
      case READINESS -> b.readiness();
      case LIVENESS -> b.liveness();
      default -> b.startup();
    };
    Probe p = ps.spec;
    if (forced != null) {
      boolean ok = forced.passes(Duration.between(c.startedAt(), host.now()));
      k.accept(new Outcome(ok, ok ? "" : failureOutput(p)));
      return;
    }
    if (p.getExec() != null && p.getExec().getCommand() != null && !p.getExec().getCommand().isEmpty()) {
      Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null || p.getTimeoutSeconds() < 1 ? 1
          : p.getTimeoutSeconds());
      List<String> cmd = p.getExec().getCommand();
      host.runtime().execSync(c.id(), cmd, timeout, r -> {
        if (r instanceof ContainerRuntime.ExecSyncResult res) {
          if (res.timedOut()) {
            k.accept(new Outcome(false, "command " + goQuote(String.join(" ", cmd)) + " timed out"));
          } else if (res.exitCode() == 126 && res.stderr().startsWith(
              io.kubesim.nodeagent.runtime.SimProcess.UNSUPPORTED)) {
            // A command the simulation cannot run: the application is taken to be healthy.
            k.accept(new Outcome(true, ""));
          } else {
            String out = (res.stdout() + res.stderr()).stripTrailing();
            k.accept(new Outcome(res.exitCode() == 0, out));
          }
        } else {
          k.accept(new Outcome(false, String.valueOf(r)));
        }
      });
      return;
    }
    k.accept(new Outcome(true, ""));
  }

  private String failureOutput(Probe p) {
    String ip = sandbox == null || sandbox.ip() == null ? "" : sandbox.ip();
    if (p.getHttpGet() != null) {
      return "HTTP probe failed with statuscode: 503";
    }
    if (p.getTcpSocket() != null) {
      return "dial tcp " + ip + ":" + portOf(p.getTcpSocket().getPort()) + ": connect: connection refused";
    }
    if (p.getGrpc() != null) {
      return "service unhealthy (responded with \"NOT_SERVING\")";
    }
    return "";
  }

  private String portOf(io.fabric8.kubernetes.api.model.IntOrString port) {
    if (port == null) {
      return "";
    }
    if (port.getIntVal() != null) {
      return port.getIntVal().toString();
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() != null) {
        for (ContainerPort cp : c.getPorts()) {
          if (port.getStrVal().equals(cp.getName())) {
            return cp.getContainerPort().toString();
          }
        }
      }
    }
    return port.getStrVal();
  }

  private static String goQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void apply(Container spec, ProbeState ps, ContainerInfo c, boolean success, String output) {
    ProbeState current = probeState(spec.getName(), ps.type);
    if (current != ps || state != State.ACTIVE) {
      return;
    }
    if (!success) {
      host.events().event(pod, fieldPath(spec.getName()), EventRecorder.WARNING, "Unhealthy",
          ps.type + " probe failed: " + output);
      host.log().v(1, "Probe failed", "probeType", ps.type, "pod", key(), "podUID", uid, "containerName",
          spec.getName(), "probeResult", "failure", "output", output);
    }
    if (ps.lastResult != null && ps.lastResult == success) {
      ps.run++;
    } else {
      ps.lastResult = success;
      ps.run = 1;
    }
    int failureThreshold = ps.spec.getFailureThreshold() == null ? 3 : ps.spec.getFailureThreshold();
    int successThreshold = ps.spec.getSuccessThreshold() == null ? 1 : ps.spec.getSuccessThreshold();
    if ((!success && ps.run < failureThreshold) || (success && ps.run < successThreshold)) {
      return;
    }
    boolean changed = !Boolean.valueOf(success).equals(ps.published);
    ps.published = success;
    if (changed) {
      bump();
    }
    if (!success && (ps.type.equals(LIVENESS) || ps.type.equals(STARTUP))) {
      ps.onHold = true;
      ps.run = 0;
      String which = ps.type.equals(LIVENESS) ? "liveness" : "startup";
      probeKills.put(c.id(), "Container " + spec.getName() + " failed " + which + " probe, will be restarted");
      host.log().info("Container failed " + which + " probe, will be restarted", "pod", key(), "podUID", uid,
          "containerName", spec.getName());
      sync();
      return;
    }
    if (changed) {
      if (ps.type.equals(STARTUP)) {
        // Started: readiness and liveness probes begin now.
        sync();
      }
      host.statusChanged(this);
    }
  }

}
