package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeMountStatus;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pod status the kubelet reports, computed from what the runtime says about the pod's
 * sandbox and containers and what the kubelet remembers (why a container waits, probe results):
 * kubelet_pods.go generateAPIPodStatus, getPhase and convertToAPIContainerStatuses, status/generate.go
 * for the conditions, and status_manager.go for merging with the stored status (conditions the
 * kubelet does not own are kept; lastTransitionTime changes only when a condition's status does).
 */
public final class PodStatuses {

  private PodStatuses() {}

  public static final String CONTAINER_CREATING = "ContainerCreating";
  public static final String POD_INITIALIZING = "PodInitializing";
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";

  /** Condition types the kubelet owns (pkg/kubelet/types PodConditionByKubelet). */
  static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized", "ContainersReady",
      "PodReadyToStartContainers");

  /** Why a container is waiting, from the kubelet's last attempt to start it (its reasonCache). */
  public record Waiting(String reason, String message) {}

  /**
   * One container of the pod as the kubelet sees it.
   *
   * @param latest the newest instance in the runtime, or null if none was created yet
   * @param previous the instance before it, or null
   * @param waiting why the last start attempt failed (CrashLoopBackOff, ErrImagePull...), or null
   * @param willRestart the latest instance has exited and the kubelet will start another
   * @param ready the readiness probe's verdict (or true when there is none) for a running container
   * @param started the startup probe's verdict (or true when there is none) for a running container
   */
  public record ContainerView(String name, String specImage, boolean sidecar, ContainerRuntime.ContainerInfo latest,
      ContainerRuntime.ContainerInfo previous, Waiting waiting, boolean willRestart, boolean ready, boolean started,
      List<VolumeMountStatus> mounts, ResourceRequirements resources) {}

  /**
   * @param pod the pod (its spec and metadata)
   * @param old the status stored in the apiserver, for transition times, startTime and foreign conditions
   * @param sandboxReady the pod has a sandbox with its network set up
   * @param podIp the sandbox's IP, or null
   * @param terminal the pod is done for good (deleted and stopped, or all containers finished for good)
   */
  public record Input(Pod pod, PodStatus old, Instant now, boolean sandboxReady, String podIp, String hostIp,
      List<ContainerView> initContainers, List<ContainerView> containers, boolean terminal, Instant startTime) {}

  public static PodStatus compute(Input in) {
    Pod pod = in.pod();
    PodSpec spec = pod.getSpec();
    PodStatus old = in.old() == null ? new PodStatus() : in.old();
    boolean hasInit = spec.getInitContainers() != null && !spec.getInitContainers().isEmpty();
    List<ContainerStatus> init = new ArrayList<>();
    for (ContainerView v : in.initContainers()) {
      init.add(containerStatus(v, hasInit));
    }
    List<ContainerStatus> app = new ArrayList<>();
    for (ContainerView v : in.containers()) {
      app.add(containerStatus(v, hasInit));
    }
    String phase = phase(spec, init, app, in.terminal());
    if ("Succeeded".equals(old.getPhase()) || "Failed".equals(old.getPhase())) {
      // A pod never leaves a terminal phase (status_manager.go refuses the transition).
      phase = old.getPhase();
    }
    Long generation = pod.getMetadata().getGeneration();
    List<PodCondition> mine = new ArrayList<>();
    mine.add(condition("PodReadyToStartContainers", in.sandboxReady() ? "True" : "False", null, null));
    List<ContainerStatus> all = new ArrayList<>(init);
    all.addAll(app);
    mine.add(initializedCondition(spec, init, app, phase));
    PodCondition containersReady = containersReadyCondition(spec, init, app, phase);
    mine.add(readyCondition(spec, containersReady, old.getConditions()));
    mine.add(containersReady);
    mine.add(condition("PodScheduled", "True", null, null));

    List<PodCondition> conditions = new ArrayList<>();
    if (old.getConditions() != null) {
      for (PodCondition c : old.getConditions()) {
        if (!KUBELET_CONDITIONS.contains(c.getType())) {
          conditions.add(c);
        }
      }
    }
    String nowText = Times.rfc3339(in.now());
    for (PodCondition c : mine) {
      PodCondition prior = find(old.getConditions(), c.getType());
      c.setLastTransitionTime(prior != null && Objects.equals(prior.getStatus(), c.getStatus())
          ? prior.getLastTransitionTime() : nowText);
      c.setObservedGeneration(generation);
      conditions.add(c);
    }

    PodStatus s = new PodStatus();
    s.setObservedGeneration(generation);
    s.setPhase(phase);
    s.setConditions(conditions);
    s.setHostIP(in.hostIp());
    s.setHostIPs(in.hostIp() == null ? null : List.of(new HostIP(in.hostIp())));
    if (in.podIp() != null) {
      s.setPodIP(in.podIp());
      s.setPodIPs(List.of(new PodIP(in.podIp())));
    } else if (old.getPodIP() != null) {
      // The IP stays in the status after the sandbox is gone (kubelet keeps the last known IPs).
      s.setPodIP(old.getPodIP());
      s.setPodIPs(old.getPodIPs());
    }
    s.setStartTime(old.getStartTime() != null ? old.getStartTime()
        : in.startTime() == null ? null : Times.rfc3339(in.startTime()));
    s.setQosClass(old.getQosClass());
    s.setNominatedNodeName(old.getNominatedNodeName());
    if (hasInit) {
      s.setInitContainerStatuses(init);
    }
    s.setContainerStatuses(app);
    s.setResourceClaimStatuses(old.getResourceClaimStatuses());
    return s;
  }

  private static PodCondition find(List<PodCondition> list, String type) {
    if (list != null) {
      for (PodCondition c : list) {
        if (type.equals(c.getType())) {
          return c;
        }
      }
    }
    return null;
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    PodCondition c = new PodCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    return c;
  }

  // ---------------------------------------------------------------- container statuses

  static ContainerStatus containerStatus(ContainerView v, boolean podHasInitContainers) {
    ContainerStatus s = new ContainerStatus();
    s.setName(v.name());
    ContainerRuntime.ContainerInfo latest = v.latest();
    if (latest == null) {
      s.setImage(v.specImage());
      s.setImageID("");
      s.setRestartCount(0);
      s.setReady(false);
      s.setStarted(false);
      String reason = podHasInitContainers ? POD_INITIALIZING : CONTAINER_CREATING;
      String message = null;
      if (v.waiting() != null) {
        reason = v.waiting().reason();
        message = v.waiting().message();
      }
      s.setState(waiting(reason, message));
      s.setLastState(new ContainerState());
      return s;
    }
    s.setContainerID("containerd://" + latest.id());
    s.setImage(latest.image());
    s.setImageID(latest.imageRef());
    s.setRestartCount(latest.attempt());
    s.setLastState(v.previous() != null && v.previous().state() == ContainerRuntime.State.EXITED
        ? terminated(v.previous()) : new ContainerState());
    switch (latest.state()) {
      case RUNNING -> {
        ContainerState st = new ContainerState();
        st.setRunning(new ContainerStateRunning(Times.rfc3339(latest.startedAt())));
        s.setState(st);
        s.setReady(v.ready() && v.started());
        s.setStarted(v.started());
      }
      case CREATED -> {
        s.setState(waiting(v.waiting() != null ? v.waiting().reason() : CONTAINER_CREATING,
            v.waiting() != null ? v.waiting().message() : null));
        s.setReady(false);
        s.setStarted(false);
      }
      case EXITED -> {
        s.setReady(false);
        s.setStarted(false);
        if (v.willRestart() && v.waiting() != null) {
          s.setLastState(terminated(latest));
          s.setState(waiting(v.waiting().reason(), v.waiting().message()));
        } else {
          s.setState(terminated(latest));
        }
      }
    }
    if (v.mounts() != null && !v.mounts().isEmpty()) {
      s.setVolumeMounts(v.mounts());
    }
    if (v.resources() != null && latest.state() == ContainerRuntime.State.RUNNING
        && ((v.resources().getRequests() != null && !v.resources().getRequests().isEmpty())
        || (v.resources().getLimits() != null && !v.resources().getLimits().isEmpty()))) {
      ResourceRequirements r = new ResourceRequirements();
      r.setRequests(v.resources().getRequests() == null || v.resources().getRequests().isEmpty() ? null
          : v.resources().getRequests());
      r.setLimits(v.resources().getLimits() == null || v.resources().getLimits().isEmpty() ? null
          : v.resources().getLimits());
      s.setResources(r);
    }
    return s;
  }

  static ContainerState waiting(String reason, String message) {
    ContainerState st = new ContainerState();
    ContainerStateWaiting w = new ContainerStateWaiting();
    w.setReason(reason);
    w.setMessage(message);
    st.setWaiting(w);
    return st;
  }

  static ContainerState terminated(ContainerRuntime.ContainerInfo c) {
    ContainerState st = new ContainerState();
    ContainerStateTerminated t = new ContainerStateTerminated();
    t.setContainerID("containerd://" + c.id());
    t.setExitCode(c.exitCode());
    t.setReason(c.reason());
    t.setStartedAt(c.startedAt() == null ? null : Times.rfc3339(c.startedAt()));
    t.setFinishedAt(c.finishedAt() == null ? null : Times.rfc3339(c.finishedAt()));
    st.setTerminated(t);
    return st;
  }

  // ---------------------------------------------------------------- phase

  static boolean isSidecar(Container c) {
    return "Always".equals(c.getRestartPolicy());
  }

  private static ContainerStatus statusOf(List<ContainerStatus> list, String name) {
    for (ContainerStatus s : list) {
      if (s.getName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static boolean waitingWithoutPriorTermination(ContainerStatus s) {
    return s.getState().getWaiting() != null
        && (s.getLastState() == null || s.getLastState().getTerminated() == null);
  }

  /** Whether any regular container has ever started (kubecontainer.HasAnyRegularContainerStarted). */
  static boolean anyRegularStarted(List<ContainerStatus> app) {
    for (ContainerStatus s : app) {
      if (s.getState().getRunning() != null || s.getState().getTerminated() != null
          || (s.getLastState() != null && s.getLastState().getTerminated() != null)) {
        return true;
      }
    }
    return false;
  }

  /** kubelet_pods.go getPhase. */
  public static String phase(PodSpec spec, List<ContainerStatus> init, List<ContainerStatus> app,
      boolean podIsTerminal) {
    int pendingRegularInit = 0;
    int pendingSidecars = 0;
    int failedInitialization = 0;
    List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    for (Container c : inits) {
      if (isSidecar(c)) {
        continue;
      }
      ContainerStatus s = statusOf(init, c.getName());
      if (s == null) {
        pendingRegularInit++;
        continue;
      }
      ContainerState st = s.getState();
      if (st.getRunning() != null) {
        pendingRegularInit++;
      } else if (st.getTerminated() != null) {
        if (st.getTerminated().getExitCode() != 0) {
          failedInitialization++;
        }
      } else if (st.getWaiting() != null) {
        if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
          if (s.getLastState().getTerminated().getExitCode() != 0) {
            failedInitialization++;
          }
        } else {
          pendingRegularInit++;
        }
      } else {
        pendingRegularInit++;
      }
    }
    int unknown = 0;
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (Container c : inits) {
      if (!isSidecar(c)) {
        continue;
      }
      ContainerStatus s = statusOf(init, c.getName());
      if (s == null) {
        unknown++;
        continue;
      }
      ContainerState st = s.getState();
      if (st.getRunning() != null) {
        if (!Boolean.TRUE.equals(s.getStarted())) {
          pendingSidecars++;
        }
        running++;
      } else if (st.getTerminated() != null) {
        // Terminated sidecars do not count.
      } else if (waitingWithoutPriorTermination(s) || st.getWaiting() == null) {
        pendingSidecars++;
      }
    }
    for (Container c : spec.getContainers()) {
      ContainerStatus s = statusOf(app, c.getName());
      if (s == null) {
        unknown++;
        continue;
      }
      ContainerState st = s.getState();
      if (st.getRunning() != null) {
        running++;
      } else if (st.getTerminated() != null) {
        stopped++;
        if (st.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (st.getWaiting() != null) {
        if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
          stopped++;
        } else {
          waiting++;
        }
      } else {
        unknown++;
      }
    }
    String policy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
    if (failedInitialization > 0 && policy.equals("Never")) {
      return "Failed";
    }
    if (pendingRegularInit > 0 || (pendingSidecars > 0 && !anyRegularStarted(app)) || waiting > 0) {
      return "Pending";
    }
    if (running > 0 && unknown == 0) {
      return "Running";
    }
    if (running == 0 && stopped > 0 && unknown == 0) {
      if (podIsTerminal) {
        return stopped == succeeded ? "Succeeded" : "Failed";
      }
      if (policy.equals("Always")) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      if (policy.equals("Never")) {
        return "Failed";
      }
      return "Running";
    }
    return "Pending";
  }

  // ---------------------------------------------------------------- conditions (status/generate.go)

  static PodCondition initializedCondition(PodSpec spec, List<ContainerStatus> init, List<ContainerStatus> app,
      String phase) {
    List<String> unknown = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    for (Container c : inits) {
      ContainerStatus s = statusOf(init, c.getName());
      if (s == null) {
        unknown.add(c.getName());
        continue;
      }
      if (isSidecar(c)) {
        if (!Boolean.TRUE.equals(s.getStarted())) {
          incomplete.add(c.getName());
        }
        continue;
      }
      if (s.getState().getTerminated() == null || s.getState().getTerminated().getExitCode() != 0) {
        incomplete.add(c.getName());
      }
    }
    if ("Succeeded".equals(phase) && unknown.isEmpty()) {
      return condition("Initialized", "True", "PodCompleted", null);
    }
    if (anyRegularStarted(app)) {
      return condition("Initialized", "True", null, null);
    }
    List<String> messages = new ArrayList<>();
    if (!unknown.isEmpty()) {
      messages.add("containers with unknown status: " + goList(unknown));
    }
    if (!incomplete.isEmpty()) {
      messages.add("containers with incomplete status: " + goList(incomplete));
    }
    if (!messages.isEmpty()) {
      return condition("Initialized", "False", "ContainersNotInitialized", String.join(", ", messages));
    }
    return condition("Initialized", "True", null, null);
  }

  static PodCondition containersReadyCondition(PodSpec spec, List<ContainerStatus> init, List<ContainerStatus> app,
      String phase) {
    List<String> unknown = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    for (Container c : inits) {
      if (!isSidecar(c)) {
        continue;
      }
      ContainerStatus s = statusOf(init, c.getName());
      if (s == null) {
        unknown.add(c.getName());
      } else if (!Boolean.TRUE.equals(s.getReady())) {
        unready.add(c.getName());
      }
    }
    for (Container c : spec.getContainers()) {
      ContainerStatus s = statusOf(app, c.getName());
      if (s == null) {
        unknown.add(c.getName());
      } else if (!Boolean.TRUE.equals(s.getReady())) {
        unready.add(c.getName());
      }
    }
    if ("Succeeded".equals(phase) && unknown.isEmpty()) {
      return condition("ContainersReady", "False", "PodCompleted", null);
    }
    if ("Failed".equals(phase)) {
      return condition("ContainersReady", "False", "PodFailed", null);
    }
    List<String> messages = new ArrayList<>();
    if (!unknown.isEmpty()) {
      messages.add("containers with unknown status: " + goList(unknown));
    }
    if (!unready.isEmpty()) {
      messages.add("containers with unready status: " + goList(unready));
    }
    if (!messages.isEmpty()) {
      return condition("ContainersReady", "False", "ContainersNotReady", String.join(", ", messages));
    }
    return condition("ContainersReady", "True", null, null);
  }

  static PodCondition readyCondition(PodSpec spec, PodCondition containersReady, List<PodCondition> existing) {
    if (!"True".equals(containersReady.getStatus())) {
      return condition("Ready", containersReady.getStatus(), containersReady.getReason(),
          containersReady.getMessage());
    }
    List<String> messages = new ArrayList<>();
    if (spec.getReadinessGates() != null) {
      for (PodReadinessGate g : spec.getReadinessGates()) {
        PodCondition c = find(existing, g.getConditionType());
        if (c == null) {
          messages.add("corresponding condition of pod readiness gate \"" + g.getConditionType()
              + "\" does not exist.");
        } else if (!"True".equals(c.getStatus())) {
          messages.add("the status of pod readiness gate \"" + g.getConditionType() + "\" is not \"True\", but "
              + c.getStatus());
        }
      }
    }
    if (!messages.isEmpty()) {
      return condition("Ready", "False", "ReadinessGatesNotReady", String.join(", ", messages));
    }
    return condition("Ready", "True", null, null);
  }

  /** Go's %s of a []string: "[a b]". */
  static String goList(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }

  /** kubectl's STATUS column, for logs and tests: Init:0/2, PodInitializing, CrashLoopBackOff, Running... */
  public static String kubectlStatus(Pod pod) {
    PodStatus s = pod.getStatus();
    if (s == null) {
      return "Unknown";
    }
    String reason = s.getReason() != null ? s.getReason() : s.getPhase();
    List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    boolean initializing = false;
    List<ContainerStatus> initStatuses = s.getInitContainerStatuses() == null ? List.of()
        : s.getInitContainerStatuses();
    for (int i = 0; i < initStatuses.size(); i++) {
      ContainerStatus cs = initStatuses.get(i);
      ContainerState st = cs.getState();
      if (st.getTerminated() != null && st.getTerminated().getExitCode() == 0) {
        continue;
      }
      if (st.getTerminated() != null) {
        reason = "Init:" + (st.getTerminated().getReason() == null ? "ExitCode:" + st.getTerminated().getExitCode()
            : st.getTerminated().getReason());
      } else if (st.getWaiting() != null && st.getWaiting().getReason() != null
          && !st.getWaiting().getReason().equals(POD_INITIALIZING)) {
        reason = "Init:" + st.getWaiting().getReason();
      } else {
        reason = "Init:" + i + "/" + inits.size();
      }
      initializing = true;
      break;
    }
    if (!initializing) {
      boolean hasRunning = false;
      List<ContainerStatus> statuses = s.getContainerStatuses() == null ? List.of() : s.getContainerStatuses();
      for (int i = statuses.size() - 1; i >= 0; i--) {
        ContainerStatus cs = statuses.get(i);
        ContainerState st = cs.getState();
        if (st.getWaiting() != null && st.getWaiting().getReason() != null) {
          reason = st.getWaiting().getReason();
        } else if (st.getTerminated() != null && st.getTerminated().getReason() != null) {
          reason = st.getTerminated().getReason();
        } else if (st.getRunning() != null && Boolean.TRUE.equals(cs.getReady())) {
          hasRunning = true;
        }
      }
      if ("Completed".equals(reason) && hasRunning) {
        reason = "Running";
      }
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      reason = "Terminating";
    }
    return reason;
  }
}
