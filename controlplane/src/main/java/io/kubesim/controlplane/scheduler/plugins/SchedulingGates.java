package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreEnqueuePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps pods with spec.schedulingGates out of the active queue until every gate is removed
 * (plugins/schedulinggates).
 */
public final class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {

  public static final String NAME = "SchedulingGates";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preEnqueue(PodInfo pod) {
    List<PodSchedulingGate> gates = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getSchedulingGates();
    if (gates == null || gates.isEmpty()) {
      return Status.SUCCESS;
    }
    List<String> names = new ArrayList<>(gates.size());
    for (PodSchedulingGate g : gates) {
      names.add(g.getName());
    }
    // fmt %v of a []string: [a b]
    return Status.unresolvable("waiting for scheduling gates: [" + String.join(" ", names) + "]");
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(new ClusterEvent.WithHint(ClusterEvent.POD_GATES_REMOVED, (pod, oldObj, newObj) -> {
      Pod p = (Pod) newObj;
      boolean open = p.getSpec() == null || p.getSpec().getSchedulingGates() == null
          || p.getSpec().getSchedulingGates().isEmpty();
      return open ? ClusterEvent.Hint.QUEUE : ClusterEvent.Hint.SKIP;
    }));
  }
}
