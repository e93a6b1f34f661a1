package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Resource;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Resource requests against what the node has left (plugins/noderesources/fit.go). Filter: the
 * node must have room for one more pod and for each requested resource; every shortage is a
 * reason ("Too many pods", "Insufficient cpu", "Insufficient memory", ...), and one that exceeds the
 * node's whole allocatable makes the rejection unresolvable by preemption. Score: the configured
 * strategy over the non-zero requests (a container without requests counts as 100m and 200 MiB):
 * LeastAllocated (the default), MostAllocated or RequestedToCapacityRatio.
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
    EnqueueExtensions {

  public static final String NAME = "NodeResourcesFit";
  public static final String REASON_TOO_MANY_PODS = "Too many pods";
  public static final String REASON_INSUFFICIENT = "Insufficient ";

  public static final String LEAST_ALLOCATED = "LeastAllocated";
  public static final String MOST_ALLOCATED = "MostAllocated";
  public static final String REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio";

  /** A resource and its weight in the score. */
  public record ResourceSpec(String name, int weight) {}

  /** A point of the RequestedToCapacityRatio shape: utilization 0..100 maps to score 0..10. */
  public record ShapePoint(int utilization, int score) {}

  /** NodeResourcesFitArgs, with the defaults of pkg/scheduler/apis/config/v1/defaults.go. */
  public record Args(String scoringStrategy, List<ResourceSpec> resources, List<ShapePoint> shape,
      Set<String> ignoredResources, Set<String> ignoredResourceGroups) {

    public static final List<ResourceSpec> DEFAULT_RESOURCES = List.of(new ResourceSpec("cpu", 1),
        new ResourceSpec("memory", 1));
    public static final Args DEFAULT = new Args(LEAST_ALLOCATED, DEFAULT_RESOURCES, List.of(), Set.of(), Set.of());

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "",
          Set.of("scoringStrategy", "ignoredResources", "ignoredResourceGroups"));
      JsonNode ss = io.kubesim.controlplane.scheduler.plugins.Args.get(node, "scoringStrategy");
      io.kubesim.controlplane.scheduler.plugins.Args.known(ss, "scoringStrategy",
          Set.of("type", "resources", "requestedToCapacityRatio"));
      String type = io.kubesim.controlplane.scheduler.plugins.Args.string(ss, "type", "scoringStrategy",
          LEAST_ALLOCATED);
      if (!type.equals(LEAST_ALLOCATED) && !type.equals(MOST_ALLOCATED) && !type.equals(REQUESTED_TO_CAPACITY_RATIO)) {
        throw new PluginArgsException("scoringStrategy.type", "Unsupported value: \"" + type
            + "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
      }
      List<ResourceSpec> resources = DEFAULT_RESOURCES;
      List<JsonNode> rs = io.kubesim.controlplane.scheduler.plugins.Args.array(ss, "resources", "scoringStrategy");
      if (rs != null) {
        resources = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
          String p = "scoringStrategy.resources[" + i + "]";
          io.kubesim.controlplane.scheduler.plugins.Args.known(rs.get(i), p, Set.of("name", "weight"));
          String name = io.kubesim.controlplane.scheduler.plugins.Args.string(rs.get(i), "name", p, "");
          int weight = io.kubesim.controlplane.scheduler.plugins.Args.integer(rs.get(i), "weight", p, 1);
          if (weight < 1 || weight > 100) {
            throw new PluginArgsException(p + ".weight", "Invalid value: " + weight
                + ": resource weight of " + name + " should be in range [1, 100]");
          }
          resources.add(new ResourceSpec(name, weight));
        }
      }
      List<ShapePoint> shape = List.of();
      JsonNode rtcr = io.kubesim.controlplane.scheduler.plugins.Args.get(ss, "requestedToCapacityRatio");
      if (type.equals(REQUESTED_TO_CAPACITY_RATIO)) {
        String p = "scoringStrategy.requestedToCapacityRatio";
        io.kubesim.controlplane.scheduler.plugins.Args.known(rtcr, p, Set.of("shape"));
        List<JsonNode> points = io.kubesim.controlplane.scheduler.plugins.Args.array(rtcr, "shape", p);
        if (points == null || points.isEmpty()) {
          throw new PluginArgsException(p + ".shape", "Required value: at least one point must be specified");
        }
        shape = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < points.size(); i++) {
          String pp = p + ".shape[" + i + "]";
          int u = io.kubesim.controlplane.scheduler.plugins.Args.integer(points.get(i), "utilization", pp, 0);
          int s = io.kubesim.controlplane.scheduler.plugins.Args.integer(points.get(i), "score", pp, 0);
          if (u < 0 || u > 100) {
            throw new PluginArgsException(pp + ".utilization", "Invalid value: " + u + ": not in valid range [0, 100]");
          }
          if (u <= last) {
            throw new PluginArgsException(pp + ".utilization", "Invalid value: " + u
                + ": utilization values must be sorted in increasing order");
          }
          if (s < 0 || s > 10) {
            throw new PluginArgsException(pp + ".score", "Invalid value: " + s + ": not in valid range [0, 10]");
          }
          last = u;
          shape.add(new ShapePoint(u, s));
        }
      } else if (rtcr != null) {
        throw new PluginArgsException("scoringStrategy.requestedToCapacityRatio",
            "Forbidden: only valid with RequestedToCapacityRatio");
      }
      return new Args(type, List.copyOf(resources), shape,
          Set.copyOf(io.kubesim.controlplane.scheduler.plugins.Args.strings(node, "ignoredResources", "")),
          Set.copyOf(io.kubesim.controlplane.scheduler.plugins.Args.strings(node, "ignoredResourceGroups", "")));
    }
  }

  private final Args args;
  private final String[] resourceNames;
  /** 0 cpu, 1 memory, 2 ephemeral-storage, 3 extended: saves a string switch per node. */
  private final int[] resourceKinds;
  private final long[] resourceWeights;
  private final long[] shapeUtil;
  private final long[] shapeScore;
  private final boolean mostAllocated;
  private final boolean requestedToCapacityRatio;

  public NodeResourcesFit(Args args) {
    this.args = args == null ? Args.DEFAULT : args;
    this.resourceNames = this.args.resources().stream().map(ResourceSpec::name).toArray(String[]::new);
    this.resourceKinds = kinds(resourceNames);
    this.resourceWeights = this.args.resources().stream().mapToLong(ResourceSpec::weight).toArray();
    // MaxCustomPriorityScore is 10: the shape's scores are scaled to 0..100
    this.shapeUtil = this.args.shape().stream().mapToLong(ShapePoint::utilization).toArray();
    this.shapeScore = this.args.shape().stream().mapToLong(p -> p.score() * (MAX_NODE_SCORE / 10)).toArray();
    this.mostAllocated = this.args.scoringStrategy().equals(MOST_ALLOCATED);
    this.requestedToCapacityRatio = this.args.scoringStrategy().equals(REQUESTED_TO_CAPACITY_RATIO);
  }

  static int[] kinds(String[] names) {
    int[] kinds = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      kinds[i] = switch (names[i]) {
        case "cpu" -> 0;
        case "memory" -> 1;
        case "ephemeral-storage" -> 2;
        default -> 3;
      };
    }
    return kinds;
  }

  /** The pod's request for scoring, by resource kind: non-zero CPU and memory unless {@code useRequested}. */
  static long podRequest(PodInfo pod, int kind, String name, boolean useRequested) {
    return switch (kind) {
      case 0 -> useRequested ? pod.requests().milliCpu : pod.nonZeroCpu();
      case 1 -> useRequested ? pod.requests().memory : pod.nonZeroMemory();
      case 2 -> pod.requests().ephemeralStorage;
      default -> pod.requests().scalar(name);
    };
  }

  static long allocatable(NodeInfo node, int kind, String name) {
    return switch (kind) {
      case 0 -> node.allocatableMilliCpu();
      case 1 -> node.allocatableMemory();
      case 2 -> node.allocatableEphemeralStorage();
      default -> Resource.isScalarResourceName(name) ? node.allocatableScalar(name) : 0;
    };
  }

  static long requested(NodeInfo node, int kind, String name, boolean useRequested) {
    return switch (kind) {
      case 0 -> useRequested ? node.requestedMilliCpu() : node.nonZeroCpu();
      case 1 -> useRequested ? node.requestedMemory() : node.nonZeroMemory();
      case 2 -> node.requestedEphemeralStorage();
      default -> Resource.isScalarResourceName(name) ? node.requestedScalar(name) : 0;
    };
  }

  public Args args() {
    return args;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    return Result.OK;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    List<String> reasons = null;
    boolean unresolvable = false;
    if (node.podCount() + 1 > node.allowedPodNumber()) {
      reasons = new ArrayList<>(2);
      reasons.add(REASON_TOO_MANY_PODS);
    }
    Resource req = pod.requests();
    if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && req.scalars == null) {
      return reasons == null ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new)).withPlugin(NAME);
    }
    long allocCpu = node.allocatableMilliCpu();
    if (req.milliCpu > 0 && req.milliCpu > allocCpu - node.requestedMilliCpu()) {
      reasons = add(reasons, REASON_INSUFFICIENT + "cpu");
      unresolvable |= req.milliCpu > allocCpu;
    }
    long allocMem = node.allocatableMemory();
    if (req.memory > 0 && req.memory > allocMem - node.requestedMemory()) {
      reasons = add(reasons, REASON_INSUFFICIENT + "memory");
      unresolvable |= req.memory > allocMem;
    }
    long allocEph = node.allocatableEphemeralStorage();
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > allocEph - node.requestedEphemeralStorage()) {
      reasons = add(reasons, REASON_INSUFFICIENT + "ephemeral-storage");
      unresolvable |= req.ephemeralStorage > allocEph;
    }
    if (req.scalars != null) {
      for (Map.Entry<String, Long> e : req.scalars.entrySet()) {
        String rName = e.getKey();
        long want = e.getValue();
        if (want == 0 || ignored(rName)) {
          continue;
        }
        long allocScalar = node.allocatableScalar(rName);
        if (want > allocScalar - node.requestedScalar(rName)) {
          reasons = add(reasons, REASON_INSUFFICIENT + rName);
          unresolvable |= want > allocScalar;
        }
      }
    }
    if (reasons == null) {
      return Status.SUCCESS;
    }
    String[] r = reasons.toArray(String[]::new);
    return (unresolvable ? Status.unresolvable(r) : Status.unschedulable(r)).withPlugin(NAME);
  }

  private boolean ignored(String resource) {
    if (args.ignoredResources().contains(resource)) {
      return true;
    }
    int slash = resource.indexOf('/');
    return slash > 0 && args.ignoredResourceGroups().contains(resource.substring(0, slash));
  }

  private static List<String> add(List<String> l, String s) {
    if (l == null) {
      l = new ArrayList<>(2);
    }
    l.add(s);
    return l;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return score(podRequests(pod), node);
  }

  @Override
  public void scoreAll(CycleState state, PodInfo pod, NodeInfo[] nodes, int n, long[] out) {
    long[] podRequests = podRequests(pod);
    for (int i = 0; i < n; i++) {
      out[i] = score(podRequests, nodes[i]);
    }
  }

  /** The pod's scoring request per configured resource (non-zero CPU and memory). */
  private long[] podRequests(PodInfo pod) {
    long[] req = new long[resourceNames.length];
    for (int i = 0; i < req.length; i++) {
      req[i] = podRequest(pod, resourceKinds[i], resourceNames[i], false);
    }
    return req;
  }

  private long score(long[] podRequests, NodeInfo node) {
    long nodeScore = 0;
    long weightSum = 0;
    boolean rtcr = requestedToCapacityRatio;
    boolean most = mostAllocated;
    for (int i = 0; i < resourceNames.length; i++) {
      int kind = resourceKinds[i];
      String r = resourceNames[i];
      long podReq = podRequests[i];
      if (podReq == 0 && kind == 3) {
        continue;
      }
      long alloc = allocatable(node, kind, r);
      if (alloc == 0) {
        continue;
      }
      long req = requested(node, kind, r, false) + podReq;
      long w = resourceWeights[i];
      if (rtcr) {
        long rs = brokenLinear(req > alloc ? 100 : req * 100 / alloc);
        if (rs > 0) {
          nodeScore += rs * w;
          weightSum += w;
        }
        continue;
      }
      long rs;
      if (most) {
        // requested may exceed capacity because pods without requests count as 100m/200Mi
        rs = (Math.min(req, alloc) * MAX_NODE_SCORE) / alloc;
      } else {
        rs = req > alloc ? 0 : ((alloc - req) * MAX_NODE_SCORE) / alloc;
      }
      nodeScore += rs * w;
      weightSum += w;
    }
    if (weightSum == 0) {
      return 0;
    }
    if (rtcr) {
      return Math.round((double) nodeScore / weightSum);
    }
    return nodeScore / weightSum;
  }

  /** helper.BuildBrokenLinearFunction over the shape. */
  private long brokenLinear(long p) {
    for (int i = 0; i < shapeUtil.length; i++) {
      if (p <= shapeUtil[i]) {
        if (i == 0) {
          return shapeScore[0];
        }
        return shapeScore[i - 1] + (shapeScore[i] - shapeScore[i - 1]) * (p - shapeUtil[i - 1])
            / (shapeUtil[i] - shapeUtil[i - 1]);
      }
    }
    return shapeScore[shapeScore.length - 1];
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    ClusterEvent.HintFn nodeHint = (pod, oldObj, newObj) -> {
      NodeInfo n = new NodeInfo(((Node) newObj).getMetadata().getName());
      n.setNode((Node) newObj);
      Resource req = pod.requests();
      boolean fits = req.milliCpu <= n.allocatableMilliCpu() && req.memory <= n.allocatableMemory()
          && req.ephemeralStorage <= n.allocatableEphemeralStorage();
      return fits ? ClusterEvent.Hint.QUEUE : ClusterEvent.Hint.SKIP;
    };
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.ASSIGNED_POD_DELETE),
        // a pod's own requests going down may let it fit, as may any pod's on the node
        ClusterEvent.WithHint.of(new ClusterEvent(ClusterEvent.Kind.POD, ClusterEvent.UPDATE_POD_SCALE_DOWN,
            "PodScaleDown")),
        new ClusterEvent.WithHint(ClusterEvent.NODE_ADD, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_ALLOCATABLE_CHANGE, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_TAINT_CHANGE, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_LABEL_CHANGE, nodeHint));
  }
}
