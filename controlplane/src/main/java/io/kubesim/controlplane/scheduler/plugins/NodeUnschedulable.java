package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.api.model.Taints;
import java.util.List;

/**
 * Turns down cordoned nodes (spec.unschedulable), unless the pod tolerates the
 * node.kubernetes.io/unschedulable:NoSchedule taint (plugins/nodeunschedulable).
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {

  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

  private static final Status UNSCHEDULABLE = Status.unresolvable(ERR_REASON_UNSCHEDULABLE).withPlugin(NAME);
  private static final Taint UNSCHEDULABLE_TAINT = new Taint(Taints.NO_SCHEDULE, Taints.UNSCHEDULABLE, null, null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (!node.unschedulable()) {
      return Status.SUCCESS;
    }
    if (Taints.tolerated(pod.tolerations(), UNSCHEDULABLE_TAINT)) {
      return Status.SUCCESS;
    }
    return UNSCHEDULABLE;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    ClusterEvent.HintFn nodeHint = (pod, oldObj, newObj) -> {
      Node n = (Node) newObj;
      boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      return !cordoned || Taints.tolerated(pod.tolerations(), UNSCHEDULABLE_TAINT) ? ClusterEvent.Hint.QUEUE
          : ClusterEvent.Hint.SKIP;
    };
    return List.of(new ClusterEvent.WithHint(ClusterEvent.NODE_ADD, nodeHint),
        new ClusterEvent.WithHint(ClusterEvent.NODE_TAINT_CHANGE, nodeHint),
        ClusterEvent.WithHint.of(ClusterEvent.POD_TOLERATION_CHANGE));
  }
}
