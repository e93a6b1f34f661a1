package io.kubesim.controlplane.scheduler.framework;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * What a plugin is given (framework.Handle): the cluster view, the profile's own filter runs (for
 * preemption's what-if), the run's seeded random numbers, and the API calls of binding and preemption.
 */
public interface Handle {

  ClusterView cluster();

  String profileName();

  SplittableRandom random();

  /** RunFilterPluginsWithNominatedPods of this profile. */
  Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

  Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

  Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);

  Actions actions();

  /** The API calls plugins make (binding, preemption); the scheduler performs them through its client. */
  interface Actions {
    /** POST pods/binding; {@code done} gets Success or the apiserver's error, inside the scheduler. */
    void bind(PodInfo pod, String nodeName, Consumer<Status> done);

    /** Marks the victim with DisruptionTarget, deletes it, and records the Preempted event. */
    void preempt(PodInfo preemptor, PodInfo victim, String nodeName);

    /** Clears a lower-priority pod's status.nominatedNodeName. */
    void clearNomination(PodInfo pod);

    /**
     * PUT of a claim or volume VolumeBinding's PreBind changes (the selected-node annotation, a
     * volume's claimRef); {@code done} gets Success or the apiserver's error, inside the scheduler.
     */
    default void update(io.fabric8.kubernetes.api.model.HasMetadata object, Consumer<Status> done) {
      done.accept(Status.SUCCESS);
    }
  }
}
