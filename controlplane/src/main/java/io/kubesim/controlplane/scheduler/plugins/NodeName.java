package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.List;

/** A pod that names its node (spec.nodeName) fits only that node (plugins/nodename). */
public final class NodeName implements FilterPlugin, EnqueueExtensions {

  public static final String NAME = "NodeName";
  public static final String ERR_REASON = "node(s) didn't match the requested node name";

  private static final Status MISMATCH = Status.unresolvable(ERR_REASON).withPlugin(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    String wanted = pod.nodeName();
    return wanted == null || wanted.isEmpty() || wanted.equals(node.name()) ? Status.SUCCESS : MISMATCH;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(new ClusterEvent.WithHint(ClusterEvent.NODE_ADD, (pod, oldObj, newObj) -> {
      String wanted = pod.nodeName();
      return wanted == null || wanted.isEmpty() || wanted.equals(((Node) newObj).getMetadata().getName())
          ? ClusterEvent.Hint.QUEUE : ClusterEvent.Hint.SKIP;
    }));
  }
}
