package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.List;

/** Host ports the pod asks for must be free on the node (plugins/nodeports). */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {

  public static final String NAME = "NodePorts";
  public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

  private static final Status CONFLICT = Status.unschedulable(ERR_REASON).withPlugin(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    return pod.hostPorts().isEmpty() ? Result.SKIP : Result.OK;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (node.usedPorts().isEmpty()) {
      return Status.SUCCESS;
    }
    for (ContainerPort p : pod.hostPorts()) {
      if (node.usedPorts().conflicts(p)) {
        return CONFLICT;
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(new ClusterEvent.WithHint(ClusterEvent.ASSIGNED_POD_DELETE, (pod, oldObj, newObj) -> {
      // only a deleted pod that held one of the wanted host ports can free the way
      PodInfo deleted = PodInfo.of((Pod) oldObj);
      for (ContainerPort held : deleted.hostPorts()) {
        for (ContainerPort wanted : pod.hostPorts()) {
          if (held.getHostPort().equals(wanted.getHostPort())) {
            return ClusterEvent.Hint.QUEUE;
          }
        }
      }
      return ClusterEvent.Hint.SKIP;
    }), ClusterEvent.WithHint.of(ClusterEvent.NODE_ADD));
  }
}
