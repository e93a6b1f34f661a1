package io.kubesim.controlplane.http;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.time.Times;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The decisions behind {@code pods/log} and {@code pods/exec}, as pure functions: which container a
 * request means (kube-apiserver's validateContainer), whether the kubelet will serve that
 * container's log (its validateContainerLogStatus, from the pod's status), and how the lines are
 * written out (kubelet's log writer: since, timestamps, tail, byte limit).
 */
final class PodLogs {

  /** kubectl's default-container annotation; kube-apiserver ignores it, kubesim honours it for clients that do not send a container. */
  static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

  /** The kubelet's RFC3339NanoFixed (pkg/kubelet/types): nine fractional digits, always. */
  static final DateTimeFormatter NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  private PodLogs() {}

  /** PodLogOptions, validated as ValidatePodLogOptions does. */
  record Options(String container, boolean follow, boolean previous, boolean timestamps, Long tailLines,
      Long limitBytes, Long sinceSeconds, Instant sinceTime) {}

  static Options options(Query q, String pod) {
    Long tail = q.integer("tailLines");
    Long limit = q.integer("limitBytes");
    Long since = q.integer("sinceSeconds");
    String sinceTimeText = q.get("sinceTime");
    Instant sinceTime;
    try {
      sinceTime = Times.parse(sinceTimeText);
    } catch (RuntimeException e) {
      throw new StatusException(ApiErrors.badRequest("sinceTime: Invalid value: \"" + sinceTimeText
          + "\": must be an RFC3339 time"));
    }
    List<StatusCause> causes = new ArrayList<>();
    // pkg/apis/core/validation: ValidatePodLogOptions
    if (tail != null && tail < 0) {
      causes.add(cause("tailLines", "Invalid value: " + tail + ": must be greater than or equal to 0"));
    }
    if (limit != null && limit < 1) {
      causes.add(cause("limitBytes", "Invalid value: " + limit + ": must be greater than 0"));
    }
    if (since != null && sinceTime != null) {
      causes.add(cause("", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"));
    } else if (since != null && since < 1) {
      causes.add(cause("sinceSeconds", "Invalid value: " + since + ": must be greater than 0"));
    }
    if (!causes.isEmpty()) {
      StatusDetails d = new StatusDetails();
      d.setKind("PodLogOptions");
      d.setName(pod);
      d.setCauses(causes);
      List<String> parts = new ArrayList<>();
      for (StatusCause c : causes) {
        parts.add(c.getField().isEmpty() ? c.getMessage() : c.getField() + ": " + c.getMessage());
      }
      String msg = "PodLogOptions \"" + pod + "\" is invalid: " + (parts.size() == 1 ? parts.get(0)
          : "[" + String.join(", ", parts) + "]");
      throw new StatusException(ApiErrors.status(422, "Invalid", msg, d));
    }
    return new Options(q.get("container"), q.bool("follow"), q.bool("previous"), q.bool("timestamps"), tail, limit,
        since, sinceTime);
  }

  private static StatusCause cause(String field, String message) {
    StatusCause c = new StatusCause();
    c.setField(field);
    c.setMessage(message);
    c.setReason(message.startsWith("Forbidden") ? "FieldValueForbidden" : "FieldValueInvalid");
    return c;
  }

  /** Every container name of the pod in VisitContainers order: init, regular, ephemeral. */
  static List<String> containerNames(Pod pod) {
    List<String> names = new ArrayList<>();
    if (pod.getSpec() == null) {
      return names;
    }
    for (Container c : nullToEmpty(pod.getSpec().getInitContainers())) {
      names.add(c.getName());
    }
    for (Container c : nullToEmpty(pod.getSpec().getContainers())) {
      names.add(c.getName());
    }
    for (EphemeralContainer c : nullToEmpty(pod.getSpec().getEphemeralContainers())) {
      names.add(c.getName());
    }
    return names;
  }

  /**
   * The container a log or exec request means; pkg/registry/core/pod/strategy.go validateContainer,
   * plus kubectl's default-container annotation when no container is named.
   */
  static String container(Pod pod, String requested) {
    String name = pod.getMetadata().getName();
    List<Container> regular = pod.getSpec() == null ? List.of() : nullToEmpty(pod.getSpec().getContainers());
    if (requested == null || requested.isEmpty()) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String preferred = annotations == null ? null : annotations.get(DEFAULT_CONTAINER);
      if (preferred != null && containerNames(pod).contains(preferred)) {
        return preferred;
      }
      if (regular.size() == 1) {
        return regular.get(0).getName();
      }
      if (regular.isEmpty()) {
        throw new StatusException(ApiErrors.badRequest("a container name must be specified for pod " + name));
      }
      throw new StatusException(ApiErrors.badRequest("a container name must be specified for pod " + name
          + ", choose one of: [" + String.join(" ", containerNames(pod)) + "]"));
    }
    if (!containerNames(pod).contains(requested)) {
      throw new StatusException(ApiErrors.badRequest("container " + requested + " is not valid for pod " + name));
    }
    return requested;
  }

  /**
   * Why the kubelet will not serve this container's log, from the pod's status, or null if it will;
   * pkg/kubelet/kubelet_pods.go validateContainerLogStatus.
   */
  static String kubeletRefusal(Pod pod, String container, boolean previous) {
    String name = pod.getMetadata().getName();
    ContainerStatus cs = null;
    if (pod.getStatus() != null) {
      for (List<ContainerStatus> list : List.of(nullToEmpty(pod.getStatus().getContainerStatuses()),
          nullToEmpty(pod.getStatus().getInitContainerStatuses()),
          nullToEmpty(pod.getStatus().getEphemeralContainerStatuses()))) {
        for (ContainerStatus s : list) {
          if (container.equals(s.getName()) && cs == null) {
            cs = s;
          }
        }
      }
    }
    String q = "container \"" + container + "\" in pod \"" + name + "\"";
    if (cs == null) {
      return q + " is not available";
    }
    ContainerState state = cs.getState() == null ? new ContainerState() : cs.getState();
    ContainerState last = cs.getLastState() == null ? new ContainerState() : cs.getLastState();
    boolean lastTerminated = last.getTerminated() != null && notEmpty(last.getTerminated().getContainerID());
    if (previous) {
      return lastTerminated ? null : "previous terminated container \"" + container + "\" in pod \"" + name
          + "\" not found";
    }
    if (state.getRunning() != null) {
      return null;
    }
    if (state.getTerminated() != null) {
      return notEmpty(state.getTerminated().getContainerID()) || lastTerminated ? null : q + " is terminated";
    }
    if (last.getTerminated() != null) {
      return lastTerminated ? null : q + " is terminated";
    }
    if (state.getWaiting() != null) {
      String reason = state.getWaiting().getReason() == null ? "" : state.getWaiting().getReason();
      return switch (reason) {
        case "ErrImagePull" -> q + " is waiting to start: image can't be pulled";
        case "ImagePullBackOff" -> q + " is waiting to start: trying and failing to pull image";
        default -> q + " is waiting to start: " + reason;
      };
    }
    return q + " is waiting to start - no logs yet";
  }

  /** The apiserver's message when it cannot dial the node's kubelet for a log. */
  static String logDialError(Pod pod, String container, Options o, String dialError) {
    String host = hostOf(pod);
    StringBuilder url = new StringBuilder("https://").append(host).append(":10250/containerLogs/")
        .append(pod.getMetadata().getNamespace()).append('/').append(pod.getMetadata().getName()).append('/')
        .append(container);
    List<String> params = new ArrayList<>();
    if (o.follow()) {
      params.add("follow=true");
    }
    if (o.limitBytes() != null) {
      params.add("limitBytes=" + o.limitBytes());
    }
    if (o.previous()) {
      params.add("previous=true");
    }
    if (o.sinceSeconds() != null) {
      params.add("sinceSeconds=" + o.sinceSeconds());
    }
    if (o.tailLines() != null) {
      params.add("tailLines=" + o.tailLines());
    }
    if (o.timestamps()) {
      params.add("timestamps=true");
    }
    if (!params.isEmpty()) {
      url.append('?').append(String.join("&", params));
    }
    return "Get \"" + url + "\": dial tcp " + host + ":10250: " + dialError;
  }

  /** The apiserver's message when it cannot dial the node's kubelet for an exec. */
  static String execDialError(Pod pod, String dialError) {
    String host = hostOf(pod);
    return "error dialing backend: dial tcp " + host + ":10250: " + dialError;
  }

  private static String hostOf(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getHostIP();
    return ip == null || ip.isEmpty() ? pod.getSpec().getNodeName() : ip;
  }

  /**
   * Writes log lines as the kubelet's logWriter does: lines older than {@code since} are skipped,
   * each line optionally prefixed with its time, and the output cut at {@code limitBytes}.
   */
  static final class Writer {
    private final boolean timestamps;
    private final Instant since;
    private long remaining;

    Writer(Options o, Instant now) {
      this.timestamps = o.timestamps();
      Instant s = o.sinceSeconds() == null ? null : now.minusSeconds(o.sinceSeconds());
      if (o.sinceTime() != null && (s == null || o.sinceTime().isAfter(s))) {
        s = o.sinceTime();
      }
      this.since = s;
      this.remaining = o.limitBytes() == null ? Long.MAX_VALUE : o.limitBytes();
    }

    /** True once the byte limit is reached: nothing more is written. */
    boolean full() {
      return remaining <= 0;
    }

    /** The bytes of one line (with its newline), possibly cut; empty when skipped or full. */
    byte[] write(ClusterProxy.LogLine line) {
      if (full() || (since != null && line.time().isBefore(since))) {
        return new byte[0];
      }
      String text = (timestamps ? NANO_FIXED.format(line.time()) + " " : "") + line.text() + "\n";
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      if (b.length > remaining) {
        b = java.util.Arrays.copyOf(b, (int) remaining);
      }
      remaining -= b.length;
      return b;
    }

    byte[] writeAll(List<ClusterProxy.LogLine> lines) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (ClusterProxy.LogLine l : lines) {
        out.writeBytes(write(l));
        if (full()) {
          break;
        }
      }
      return out.toByteArray();
    }
  }

  /** The last {@code n} lines (all when n is null); tail.FindTailLineStartIndex. */
  static List<ClusterProxy.LogLine> tail(List<ClusterProxy.LogLine> lines, Long n) {
    if (n == null || n >= lines.size()) {
      return lines;
    }
    return lines.subList(lines.size() - n.intValue(), lines.size());
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
