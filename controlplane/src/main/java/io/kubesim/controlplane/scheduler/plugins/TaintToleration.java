package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.api.model.Taints;
import java.util.ArrayList;
import java.util.List;

/**
 * Taints and tolerations (plugins/tainttoleration). Filter: the pod must tolerate every NoSchedule
 * and NoExecute taint of the node; the first that it does not is the reason, printed with its key
 * and value. Score: the number of PreferNoSchedule taints the pod does not tolerate, reverse
 * normalized so that fewer is better.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {

  public static final String NAME = "TaintToleration";
  /** Followed by "{key: value}" of the taint. */
  public static final String ERR_REASON_UNTOLERATED = "node(s) had untolerated taint";

  private static final CycleState.Key<PreScoreState> PRE_SCORE = new CycleState.Key<>("PreScore" + NAME);

  /** The pod's tolerations that can tolerate a PreferNoSchedule taint (effect empty or PreferNoSchedule). */
  record PreScoreState(List<Toleration> tolerationsPreferNoSchedule) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The reason for an untolerated taint, as the FitError counts it: {@code {key: value}}. */
  public static String untoleratedReason(Taint t) {
    return ERR_REASON_UNTOLERATED + " {" + nz(t.getKey()) + ": " + nz(t.getValue()) + "}";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Taint[] taints = node.filterTaints();
    if (taints.length == 0) {
      return Status.SUCCESS;
    }
    List<Toleration> tolerations = pod.tolerations();
    for (Taint t : taints) {
      if (!Taints.tolerated(tolerations, t)) {
        return Status.unresolvable(untoleratedReason(t));
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
    List<Toleration> prefer = new ArrayList<>();
    for (Toleration t : pod.tolerations()) {
      // an empty effect tolerates every effect, PreferNoSchedule included
      if (t.getEffect() == null || t.getEffect().isEmpty() || Taints.PREFER_NO_SCHEDULE.equals(t.getEffect())) {
        prefer.add(t);
      }
    }
    state.write(PRE_SCORE, new PreScoreState(prefer));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Taint[] taints = node.preferNoScheduleTaints();
    return taints.length == 0 ? 0 : intolerable(tolerations(state, pod), taints);
  }

  @Override
  public void scoreAll(CycleState state, PodInfo pod, NodeInfo[] nodes, int n, long[] out) {
    List<Toleration> tolerations = null;
    for (int i = 0; i < n; i++) {
      Taint[] taints = nodes[i].preferNoScheduleTaints();
      if (taints.length == 0) {
        out[i] = 0;
        continue;
      }
      if (tolerations == null) {
        tolerations = tolerations(state, pod);
      }
      out[i] = intolerable(tolerations, taints);
    }
  }

  private static List<Toleration> tolerations(CycleState state, PodInfo pod) {
    PreScoreState s = state.read(PRE_SCORE);
    return s == null ? pod.tolerations() : s.tolerationsPreferNoSchedule();
  }

  private static long intolerable(List<Toleration> tolerations, Taint[] taints) {
    long intolerable = 0;
    for (Taint t : taints) {
      if (!Taints.tolerated(tolerations, t)) {
        intolerable++;
      }
    }
    return intolerable;
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, NodeInfo[] nodes, long[] scores, int n) {
    ScorePlugin.defaultNormalize(MAX_NODE_SCORE, true, scores, n);
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    ClusterEvent.HintFn nodeHint = (pod, oldObj, newObj) -> {
      List<Taint> taints = ((Node) newObj).getSpec() == null ? null : ((Node) newObj).getSpec().getTaints();
      return Taints.firstUntolerated(taints, pod.tolerations(), Taints.NO_SCHEDULE, Taints.NO_EXECUTE) == null
          ? ClusterEvent.Hint.QUEUE : ClusterEvent.Hint.SKIP;
    };
    return List.of(new ClusterEvent.WithHint(ClusterEvent.NODE_ADD, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_TAINT_CHANGE, nodeHint),
        ClusterEvent.WithHint.of(ClusterEvent.POD_TOLERATION_CHANGE));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
