package io.kubesim.nodeagent.kubelet;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.DaemonEndpoint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpoints;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.shared.time.Times;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Node object a kubelet registers and the status it keeps posting (pkg/kubelet/
 * kubelet_node_status.go and pkg/kubelet/nodestatus/setters.go): labels and addresses, capacity
 * and allocatable, nodeInfo, daemon endpoints, the images on the node, and the four conditions
 * with their heartbeat and transition times. Pure functions; the Kubelet actor calls them.
 */
public final class NodeStatuses {

  private NodeStatuses() {}

  /** The parts of the status that do not change while the kubelet runs. */
  public record Template(String name, Map<String, String> labels, Map<String, String> annotations, NodeSpec spec,
      List<NodeAddress> addresses, Map<String, Quantity> capacity, Map<String, Quantity> allocatable,
      NodeSystemInfo nodeInfo, int kubeletPort) {}

  /** A status computed by the setters, and the node events its condition changes call for. */
  public record Result(NodeStatus status, List<String> events) {}

  /** nodeStatusMaxImages: the kubelet reports at most 50 images, biggest first. */
  static final int MAX_IMAGES = 50;

  public static Template template(NodeConfig cfg, KubeletSettings s, String machineId, String systemUuid,
      String bootId) {
    Node manifest = cfg.node();
    String name = cfg.name();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    if (manifest.getMetadata().getLabels() != null) {
      labels.putAll(manifest.getMetadata().getLabels());
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (manifest.getMetadata().getAnnotations() != null) {
      annotations.putAll(manifest.getMetadata().getAnnotations());
    }
    annotations.put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
    NodeSpec spec = new NodeSpec();
    NodeSpec ms = manifest.getSpec();
    spec.setPodCIDR(cfg.podCidr());
    spec.setPodCIDRs(List.of(cfg.podCidr()));
    if (ms != null) {
      spec.setTaints(ms.getTaints() == null || ms.getTaints().isEmpty() ? null : ms.getTaints());
      spec.setUnschedulable(ms.getUnschedulable());
      spec.setProviderID(ms.getProviderID());
    }
    List<NodeAddress> addresses = List.of(new NodeAddress(cfg.internalIp(), "InternalIP"),
        new NodeAddress(name, "Hostname"));
    Map<String, Quantity> capacity = capacity(manifest, s);
    Map<String, Quantity> allocatable = manifest.getStatus() != null && manifest.getStatus().getAllocatable() != null
        && !manifest.getStatus().getAllocatable().isEmpty()
        ? new LinkedHashMap<>(manifest.getStatus().getAllocatable()) : allocatable(capacity, s);
    NodeSystemInfo info = new NodeSystemInfo();
    info.setArchitecture("amd64");
    info.setBootID(bootId);
    info.setContainerRuntimeVersion(s.containerRuntimeVersion());
    info.setKernelVersion(s.kernelVersion());
    info.setKubeProxyVersion("");
    info.setKubeletVersion(s.kubeletVersion());
    info.setMachineID(machineId);
    info.setOperatingSystem("linux");
    info.setOsImage(s.osImage());
    info.setSystemUUID(systemUuid);
    return new Template(name, labels, annotations, spec, addresses, capacity, allocatable, info, s.kubeletPort());
  }

  /**
   * Capacity as cAdvisor would report it: the manifest's values (memory and storage in Ki, as the
   * kubelet writes them), with the defaults of a small lab VM where the manifest gives none.
   */
  public static Map<String, Quantity> capacity(Node manifest, KubeletSettings s) {
    Map<String, Quantity> given = manifest.getStatus() == null || manifest.getStatus().getCapacity() == null
        ? Map.of() : manifest.getStatus().getCapacity();
    Map<String, Quantity> cap = new LinkedHashMap<>();
    cap.put("cpu", given.getOrDefault("cpu", new Quantity("2")));
    cap.put("ephemeral-storage", kibibytes(given.getOrDefault("ephemeral-storage", new Quantity("61202244Ki"))));
    cap.put("hugepages-1Gi", given.getOrDefault("hugepages-1Gi", new Quantity("0")));
    cap.put("hugepages-2Mi", given.getOrDefault("hugepages-2Mi", new Quantity("0")));
    cap.put("memory", kibibytes(given.getOrDefault("memory", new Quantity("4Gi"))));
    cap.put("pods", given.getOrDefault("pods", new Quantity(Integer.toString(s.maxPods()))));
    for (Map.Entry<String, Quantity> e : given.entrySet()) {
      cap.putIfAbsent(e.getKey(), e.getValue());
    }
    return cap;
  }

  /**
   * Allocatable = capacity − kube-reserved − system-reserved − hard eviction thresholds
   * (pkg/kubelet/cm/node_container_manager_linux.go GetNodeAllocatableAbsolute): with the
   * defaults, 100Mi of memory and 10% of the disk are held back.
   */
  public static Map<String, Quantity> allocatable(Map<String, Quantity> capacity, KubeletSettings s) {
    Map<String, Quantity> out = new LinkedHashMap<>(capacity);
    BigDecimal mem = Quantity.getAmountInBytes(capacity.get("memory"))
        .subtract(Quantity.getAmountInBytes(new Quantity(s.evictionHardMemory())));
    out.put("memory", new Quantity(mem.divide(BigDecimal.valueOf(1024), 0, RoundingMode.FLOOR).toPlainString() + "Ki"));
    BigDecimal disk = Quantity.getAmountInBytes(capacity.get("ephemeral-storage"));
    BigDecimal reserved = disk.multiply(BigDecimal.valueOf(s.evictionHardNodefsPercent()))
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
    out.put("ephemeral-storage", new Quantity(disk.subtract(reserved).toPlainString()));
    return out;
  }

  private static Quantity kibibytes(Quantity q) {
    BigDecimal bytes = Quantity.getAmountInBytes(q);
    if (bytes.remainder(BigDecimal.valueOf(1024)).signum() != 0) {
      return new Quantity(bytes.toPlainString());
    }
    return new Quantity(bytes.divide(BigDecimal.valueOf(1024), 0, RoundingMode.FLOOR).toPlainString() + "Ki");
  }

  /** The Node object for registration (initialNode): metadata, spec and a first status. */
  public static Node initialNode(Template t, Instant now, boolean runtimeReady) {
    Node node = new Node();
    node.setApiVersion("v1");
    node.setKind("Node");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(t.name());
    meta.setLabels(new LinkedHashMap<>(t.labels()));
    meta.setAnnotations(new LinkedHashMap<>(t.annotations()));
    node.setMetadata(meta);
    node.setSpec(new NodeBuilder().withSpec(t.spec()).build().getSpec());
    node.setStatus(apply(null, t, now, runtimeReady, List.of()).status());
    return node;
  }

  /** The events the setters record for a node built from scratch (memory, disk and PID conditions are new). */
  public static List<String> initialEvents(Template t, Instant now) {
    List<String> events = new ArrayList<>(apply(null, t, now, false, List.of()).events());
    events.remove("NodeNotReady");
    return events;
  }

  /**
   * Runs the status setters over {@code current} (the stored status, or null at registration):
   * every condition gets a fresh heartbeat, a new transition time if its status changed, and an
   * event when it changes (a new Ready condition records none, as in setters.go ReadyCondition).
   */
  public static Result apply(NodeStatus current, Template t, Instant now, boolean runtimeReady,
      List<ContainerRuntime.ImageInfo> images) {
    return apply(current, t, now, runtimeReady, images(images), true);
  }

  /** As {@link #apply(NodeStatus, Template, Instant, boolean, List)}, with the image list already built. */
  public static Result apply(NodeStatus current, Template t, Instant now, boolean runtimeReady,
      List<ContainerImage> images, boolean unused) {
    String nowText = Times.rfc3339(now);
    List<String> events = new ArrayList<>();
    List<NodeCondition> old = current == null || current.getConditions() == null ? List.of()
        : current.getConditions();
    List<NodeCondition> conditions = new ArrayList<>();
    // Conditions set by others (NetworkUnavailable from a CNI, node-problem-detector's) are kept.
    for (NodeCondition c : old) {
      if (!List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready").contains(c.getType())) {
        conditions.add(c);
      }
    }
    conditions.add(pressure(old, "MemoryPressure", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", "NodeHasSufficientMemory", nowText, events));
    conditions.add(pressure(old, "DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
        "NodeHasNoDiskPressure", nowText, events));
    conditions.add(pressure(old, "PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
        "NodeHasSufficientPID", nowText, events));
    NodeCondition ready = new NodeCondition();
    ready.setType("Ready");
    ready.setStatus(runtimeReady ? "True" : "False");
    ready.setReason(runtimeReady ? "KubeletReady" : "KubeletNotReady");
    ready.setMessage(runtimeReady ? "kubelet is posting ready status"
        : "container runtime status check may not have completed yet");
    ready.setLastHeartbeatTime(nowText);
    NodeCondition oldReady = find(old, "Ready");
    if (oldReady == null) {
      ready.setLastTransitionTime(nowText);
    } else if (Objects.equals(oldReady.getStatus(), ready.getStatus())) {
      ready.setLastTransitionTime(oldReady.getLastTransitionTime());
    } else {
      ready.setLastTransitionTime(nowText);
      events.add(runtimeReady ? "NodeReady" : "NodeNotReady");
    }
    conditions.add(ready);

    NodeStatus s = new NodeStatus();
    s.setCapacity(new LinkedHashMap<>(t.capacity()));
    s.setAllocatable(new LinkedHashMap<>(t.allocatable()));
    s.setConditions(conditions);
    s.setAddresses(t.addresses());
    DaemonEndpoint port = new DaemonEndpoint(t.kubeletPort());
    s.setDaemonEndpoints(new NodeDaemonEndpoints(port));
    s.setNodeInfo(t.nodeInfo());
    s.setImages(images);
    if (current != null) {
      s.setVolumesInUse(current.getVolumesInUse());
      s.setVolumesAttached(current.getVolumesAttached());
    }
    return new Result(s, events);
  }

  private static NodeCondition pressure(List<NodeCondition> old, String type, String reason, String message,
      String event, String now, List<String> events) {
    NodeCondition prior = find(old, type);
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus("False");
    c.setReason(reason);
    c.setMessage(message);
    c.setLastHeartbeatTime(now);
    if (prior != null && "False".equals(prior.getStatus())) {
      c.setLastTransitionTime(prior.getLastTransitionTime());
    } else {
      c.setLastTransitionTime(now);
      events.add(event);
    }
    return c;
  }

  private static NodeCondition find(List<NodeCondition> list, String type) {
    for (NodeCondition c : list) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static List<ContainerImage> images(List<ContainerRuntime.ImageInfo> images) {
    List<ContainerRuntime.ImageInfo> sorted = new ArrayList<>(images);
    sorted.sort(Comparator.comparingLong(ContainerRuntime.ImageInfo::sizeBytes).reversed()
        .thenComparing(ContainerRuntime.ImageInfo::name));
    List<ContainerImage> out = new ArrayList<>();
    for (ContainerRuntime.ImageInfo i : sorted) {
      if (out.size() == MAX_IMAGES) {
        break;
      }
      out.add(new ContainerImage(List.of(i.repoDigest(), i.name()), i.sizeBytes()));
    }
    return out;
  }

  /**
   * nodeStatusHasChanged: the status differs from the stored one in anything but the conditions'
   * heartbeat times. An unchanged status is posted only every nodeStatusReportFrequency.
   */
  public static boolean changed(NodeStatus stored, NodeStatus computed) {
    return stored == null || conditionsChanged(stored, computed) || restChanged(stored, computed);
  }

  /** The conditions differ in anything but their heartbeat times. */
  public static boolean conditionsChanged(NodeStatus stored, NodeStatus computed) {
    List<NodeCondition> a = stored.getConditions() == null ? List.of() : stored.getConditions();
    List<NodeCondition> b = computed.getConditions() == null ? List.of() : computed.getConditions();
    if (a.size() != b.size()) {
      return true;
    }
    for (int i = 0; i < a.size(); i++) {
      NodeCondition x = a.get(i);
      NodeCondition y = b.get(i);
      if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
          || !Objects.equals(x.getReason(), y.getReason()) || !Objects.equals(x.getMessage(), y.getMessage())
          || !Objects.equals(x.getLastTransitionTime(), y.getLastTransitionTime())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Map equality of resource quantities, as Quantity.equals (numeric), but without parsing the
   * quantities whose text is the same: the common case, and Quantity.equals parses both every time.
   */
  static boolean sameQuantities(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Quantity> e : a.entrySet()) {
      Quantity x = e.getValue();
      Quantity y = b.get(e.getKey());
      if (x == y) {
        if (x == null && !b.containsKey(e.getKey())) {
          return false;
        }
        continue;
      }
      if (x == null || y == null) {
        return false;
      }
      boolean sameText = Objects.equals(x.getAmount(), y.getAmount()) && Objects.equals(x.getFormat(), y.getFormat());
      if (!sameText && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** Capacity, allocatable, addresses, nodeInfo, images, daemon endpoints or volumes differ. */
  public static boolean restChanged(NodeStatus stored, NodeStatus computed) {
    return !sameQuantities(stored.getCapacity(), computed.getCapacity())
        || !sameQuantities(stored.getAllocatable(), computed.getAllocatable())
        || !Objects.equals(stored.getAddresses(), computed.getAddresses())
        || !Objects.equals(stored.getNodeInfo(), computed.getNodeInfo())
        || !Objects.equals(stored.getImages(), computed.getImages())
        || !Objects.equals(stored.getDaemonEndpoints(), computed.getDaemonEndpoints())
        || !Objects.equals(stored.getVolumesInUse(), computed.getVolumesInUse())
        || !Objects.equals(stored.getVolumesAttached(), computed.getVolumesAttached());
  }
}
