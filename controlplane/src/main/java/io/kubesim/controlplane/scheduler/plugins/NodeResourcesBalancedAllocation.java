package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Prefers nodes whose CPU and memory would be used in equal shares
 * (plugins/noderesources/balanced_allocation.go): with f = requested/allocatable per resource
 * (the pod included, capped at 1), the score is (1 − std(f)) × 100, which for two resources is
 * (1 − |f_cpu − f_mem| / 2) × 100. Counts actual requests, not the non-zero defaults, and skips
 * pods that request nothing (BestEffort), so those are not piled onto one node.
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {

  public static final String NAME = "NodeResourcesBalancedAllocation";

  /** NodeResourcesBalancedAllocationArgs: the resources to balance (default cpu and memory, weight 1). */
  public record Args(List<NodeResourcesFit.ResourceSpec> resources) {
    public static final Args DEFAULT = new Args(NodeResourcesFit.Args.DEFAULT_RESOURCES);

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "", Set.of("resources"));
      List<JsonNode> rs = io.kubesim.controlplane.scheduler.plugins.Args.array(node, "resources", "");
      if (rs == null) {
        return DEFAULT;
      }
      List<NodeResourcesFit.ResourceSpec> out = new ArrayList<>();
      for (int i = 0; i < rs.size(); i++) {
        String p = "resources[" + i + "]";
        io.kubesim.controlplane.scheduler.plugins.Args.known(rs.get(i), p, Set.of("name", "weight"));
        String name = io.kubesim.controlplane.scheduler.plugins.Args.string(rs.get(i), "name", p, "");
        int weight = io.kubesim.controlplane.scheduler.plugins.Args.integer(rs.get(i), "weight", p, 1);
        if (weight != 1) {
          throw new PluginArgsException(p + ".weight", "Invalid value: " + weight + ": must be 1");
        }
        out.add(new NodeResourcesFit.ResourceSpec(name, weight));
      }
      return new Args(List.copyOf(out));
    }
  }

  private static final CycleState.Key<PreScoreState> PRE_SCORE = new CycleState.Key<>("PreScore" + NAME);

  record PreScoreState(long[] podRequests) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  private final String[] names;
  private final int[] kinds;

  public NodeResourcesBalancedAllocation(Args args) {
    Args a = args == null ? Args.DEFAULT : args;
    this.names = a.resources().stream().map(NodeResourcesFit.ResourceSpec::name).toArray(String[]::new);
    this.kinds = NodeResourcesFit.kinds(names);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    long[] req = new long[names.length];
    boolean any = false;
    for (int i = 0; i < names.length; i++) {
      req[i] = NodeResourcesFit.podRequest(pod, kinds[i], names[i], true);
      any |= req[i] != 0;
    }
    if (!any) {
      // kubernetes#129138: balancing best-effort pods would pile them onto one node
      return Status.SKIP;
    }
    state.write(PRE_SCORE, new PreScoreState(req));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return score(state.read(PRE_SCORE), pod, node);
  }

  @Override
  public void scoreAll(CycleState state, PodInfo pod, NodeInfo[] nodes, int n, long[] out) {
    PreScoreState s = state.read(PRE_SCORE);
    for (int i = 0; i < n; i++) {
      out[i] = score(s, pod, nodes[i]);
    }
  }

  private long score(PreScoreState s, PodInfo pod, NodeInfo node) {
    double f0 = 0;
    double f1 = 0;
    double total = 0;
    int count = 0;
    double[] more = null;
    for (int i = 0; i < names.length; i++) {
      long podReq = s != null ? s.podRequests()[i] : NodeResourcesFit.podRequest(pod, kinds[i], names[i], true);
      if (podReq == 0 && kinds[i] == 3) {
        continue;
      }
      long alloc = NodeResourcesFit.allocatable(node, kinds[i], names[i]);
      if (alloc == 0) {
        continue;
      }
      long req = NodeResourcesFit.requested(node, kinds[i], names[i], true) + podReq;
      double f = (double) req / (double) alloc;
      if (f > 1) {
        f = 1;
      }
      total += f;
      if (count == 0) {
        f0 = f;
      } else if (count == 1) {
        f1 = f;
      } else {
        if (more == null) {
          more = new double[names.length];
          more[0] = f0;
          more[1] = f1;
        }
        more[count] = f;
      }
      count++;
    }
    double std = 0;
    if (count == 2) {
      std = Math.abs((f0 - f1) / 2);
    } else if (count > 2) {
      double mean = total / count;
      double sum = 0;
      for (int i = 0; i < count; i++) {
        sum += (more[i] - mean) * (more[i] - mean);
      }
      std = Math.sqrt(sum / count);
    }
    return (long) ((1 - std) * MAX_NODE_SCORE);
  }
}
