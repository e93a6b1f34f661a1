package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.NodeSelectorTerms;
import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.RequiredNodeAffinity;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.json.Json;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * nodeSelector and node affinity (plugins/nodeaffinity). Filter: the node must carry the
 * nodeSelector labels and match one of the required terms. A term that selects nodes by
 * metadata.name narrows the nodes already in PreFilter. Score: the sum of the weights of the
 * preferred terms the node matches, normalized to 0..100 by the best node.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin,
    EnqueueExtensions {

  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
  public static final String ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
  public static final String ERR_REASON_CONFLICT = "pod affinity terms conflict";

  private static final Status POD_MISMATCH = Status.unresolvable(ERR_REASON_POD).withPlugin(NAME);
  private static final Status ENFORCED_MISMATCH = Status.unresolvable(ERR_REASON_ENFORCED).withPlugin(NAME);
  private static final CycleState.Key<PreFilterState> PRE_FILTER = new CycleState.Key<>("PreFilter" + NAME);
  private static final CycleState.Key<PreScoreState> PRE_SCORE = new CycleState.Key<>("PreScore" + NAME);

  /** NodeAffinityArgs: an affinity the scheduler adds to every pod of the profile. */
  public record Args(io.fabric8.kubernetes.api.model.NodeAffinity addedAffinity) {
    public static final Args DEFAULT = new Args(null);

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "", Set.of("addedAffinity"));
      JsonNode added = io.kubesim.controlplane.scheduler.plugins.Args.get(node, "addedAffinity");
      if (added == null) {
        return DEFAULT;
      }
      try {
        return new Args(Json.convert(added, io.fabric8.kubernetes.api.model.NodeAffinity.class));
      } catch (RuntimeException e) {
        throw new PluginArgsException("addedAffinity", "cannot be read as a NodeAffinity: " + e.getMessage());
      }
    }
  }

  record PreFilterState(RequiredNodeAffinity required) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  record PreScoreState(NodeSelectorTerms.Preferred preferred) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  private final NodeSelectorTerms addedRequired;
  private final NodeSelectorTerms.Preferred addedPreferred;

  public NodeAffinity(Args args) {
    io.fabric8.kubernetes.api.model.NodeAffinity added = args == null ? null : args.addedAffinity();
    this.addedRequired = added == null || added.getRequiredDuringSchedulingIgnoredDuringExecution() == null ? null
        : NodeSelectorTerms.of(added.getRequiredDuringSchedulingIgnoredDuringExecution());
    this.addedPreferred = added == null || added.getPreferredDuringSchedulingIgnoredDuringExecution() == null
        || added.getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty() ? null
        : NodeSelectorTerms.Preferred.of(added.getPreferredDuringSchedulingIgnoredDuringExecution());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    Affinity a = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getAffinity();
    NodeSelector required = a == null || a.getNodeAffinity() == null ? null
        : a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    boolean noNodeSelector = pod.pod().getSpec() == null || pod.pod().getSpec().getNodeSelector() == null;
    if (required == null && addedRequired == null && noNodeSelector) {
      return Result.SKIP;
    }
    state.write(PRE_FILTER, new PreFilterState(pod.requiredNodeAffinity()));
    if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
      return Result.OK;
    }
    // Terms that name nodes (matchFields metadata.name In) narrow the nodes to try.
    Set<String> names = null;
    for (NodeSelectorTerm t : required.getNodeSelectorTerms()) {
      Set<String> termNames = null;
      if (t != null && t.getMatchFields() != null) {
        for (NodeSelectorRequirement r : t.getMatchFields()) {
          if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())) {
            Set<String> s = new LinkedHashSet<>(r.getValues() == null ? List.of() : r.getValues());
            if (termNames == null) {
              termNames = s;
            } else {
              termNames.retainAll(s);
            }
          }
        }
      }
      if (termNames == null) {
        // a term without a name constraint: all nodes remain candidates (terms are ORed)
        return Result.OK;
      }
      if (names == null) {
        names = new LinkedHashSet<>();
      }
      names.addAll(termNames);
    }
    if (names != null && names.isEmpty()) {
      return Result.of(Status.unresolvable(ERR_REASON_CONFLICT));
    }
    return new Result(Status.SUCCESS, names);
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (addedRequired != null && !addedRequired.matches(node.name(), node.labels())) {
      return ENFORCED_MISMATCH;
    }
    PreFilterState s = state.read(PRE_FILTER);
    RequiredNodeAffinity required = s == null ? pod.requiredNodeAffinity() : s.required();
    return required.matches(node) ? Status.SUCCESS : POD_MISMATCH;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    Affinity a = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getAffinity();
    var preferred = a == null || a.getNodeAffinity() == null ? null
        : a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    if ((preferred == null || preferred.isEmpty()) && addedPreferred == null) {
      return Status.SKIP;
    }
    state.write(PRE_SCORE, new PreScoreState(preferred == null || preferred.isEmpty() ? null
        : NodeSelectorTerms.Preferred.of(preferred)));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long count = 0;
    if (addedPreferred != null) {
      count += addedPreferred.score(node.name(), node.labels());
    }
    PreScoreState s = state.read(PRE_SCORE);
    if (s != null && s.preferred() != null) {
      count += s.preferred().score(node.name(), node.labels());
    }
    return count;
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, NodeInfo[] nodes, long[] scores, int n) {
    ScorePlugin.defaultNormalize(MAX_NODE_SCORE, false, scores, n);
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    ClusterEvent.HintFn nodeHint = (pod, oldObj, newObj) -> {
      Node n = (Node) newObj;
      var labels = n.getMetadata().getLabels() == null ? java.util.Map.<String, String>of()
          : n.getMetadata().getLabels();
      boolean added = addedRequired == null || addedRequired.matches(n.getMetadata().getName(), labels);
      return added && pod.requiredNodeAffinity().matches(n.getMetadata().getName(), labels) ? ClusterEvent.Hint.QUEUE
          : ClusterEvent.Hint.SKIP;
    };
    return List.of(new ClusterEvent.WithHint(ClusterEvent.NODE_ADD, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_LABEL_CHANGE, nodeHint));
  }
}
