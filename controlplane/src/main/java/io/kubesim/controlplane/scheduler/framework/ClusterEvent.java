package io.kubesim.controlplane.scheduler.framework;

/**
 * A change in the cluster that may make unschedulable pods schedulable (fwk.ClusterEvent): a
 * resource and what happened to it, as a bit set of action types.
 */
public record ClusterEvent(Kind kind, int actionType, String label) {

  public enum Kind { NODE, ASSIGNED_POD, UNSCHEDULED_POD, POD, PERSISTENT_VOLUME_CLAIM, PERSISTENT_VOLUME,
    STORAGE_CLASS, WILDCARD }

  public static final int ADD = 1;
  public static final int DELETE = 1 << 1;
  public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
  public static final int UPDATE_NODE_LABEL = 1 << 3;
  public static final int UPDATE_NODE_TAINT = 1 << 4;
  public static final int UPDATE_NODE_CONDITION = 1 << 5;
  public static final int UPDATE_NODE_ANNOTATION = 1 << 6;
  public static final int UPDATE_POD_LABEL = 1 << 7;
  public static final int UPDATE_POD_SCALE_DOWN = 1 << 8;
  public static final int UPDATE_POD_TOLERATION = 1 << 9;
  public static final int UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 10;
  public static final int UPDATE_POD_OTHER = 1 << 11;
  public static final int UPDATE = UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT
      | UPDATE_NODE_CONDITION | UPDATE_NODE_ANNOTATION | UPDATE_POD_LABEL | UPDATE_POD_SCALE_DOWN
      | UPDATE_POD_TOLERATION | UPDATE_POD_SCHEDULING_GATES_ELIMINATED | UPDATE_POD_OTHER;
  public static final int ALL = ADD | DELETE | UPDATE;

  public static final ClusterEvent NODE_ADD = new ClusterEvent(Kind.NODE, ADD, "NodeAdd");
  public static final ClusterEvent NODE_DELETE = new ClusterEvent(Kind.NODE, DELETE, "NodeDelete");
  public static final ClusterEvent NODE_ALLOCATABLE_CHANGE = new ClusterEvent(Kind.NODE, UPDATE_NODE_ALLOCATABLE,
      "NodeAllocatableChange");
  public static final ClusterEvent NODE_LABEL_CHANGE = new ClusterEvent(Kind.NODE, UPDATE_NODE_LABEL,
      "NodeLabelChange");
  public static final ClusterEvent NODE_TAINT_CHANGE = new ClusterEvent(Kind.NODE, UPDATE_NODE_TAINT,
      "NodeTaintChange");
  public static final ClusterEvent NODE_CONDITION_CHANGE = new ClusterEvent(Kind.NODE, UPDATE_NODE_CONDITION,
      "NodeConditionChange");
  public static final ClusterEvent NODE_ANNOTATION_CHANGE = new ClusterEvent(Kind.NODE, UPDATE_NODE_ANNOTATION,
      "NodeAnnotationChange");
  public static final ClusterEvent ASSIGNED_POD_ADD = new ClusterEvent(Kind.ASSIGNED_POD, ADD, "AssignedPodAdd");
  public static final ClusterEvent ASSIGNED_POD_DELETE = new ClusterEvent(Kind.ASSIGNED_POD, DELETE,
      "AssignedPodDelete");
  public static final ClusterEvent ASSIGNED_POD_LABEL_CHANGE = new ClusterEvent(Kind.ASSIGNED_POD,
      UPDATE_POD_LABEL, "AssignedPodUpdate");
  public static final ClusterEvent ASSIGNED_POD_SCALE_DOWN = new ClusterEvent(Kind.ASSIGNED_POD,
      UPDATE_POD_SCALE_DOWN, "AssignedPodUpdate");
  public static final ClusterEvent UNSCHEDULED_POD_DELETE = new ClusterEvent(Kind.UNSCHEDULED_POD, DELETE,
      "UnscheduledPodDelete");
  /** A pod's own tolerations changed. */
  public static final ClusterEvent POD_TOLERATION_CHANGE = new ClusterEvent(Kind.UNSCHEDULED_POD,
      UPDATE_POD_TOLERATION, "UpdatePodToleration");
  public static final ClusterEvent POD_LABEL_CHANGE = new ClusterEvent(Kind.UNSCHEDULED_POD, UPDATE_POD_LABEL,
      "UpdatePodLabel");
  public static final ClusterEvent POD_SCALE_DOWN = new ClusterEvent(Kind.UNSCHEDULED_POD, UPDATE_POD_SCALE_DOWN,
      "UpdatePodScaleDown");
  public static final ClusterEvent POD_OTHER_CHANGE = new ClusterEvent(Kind.UNSCHEDULED_POD, UPDATE_POD_OTHER,
      "UpdatePodOther");
  public static final ClusterEvent POD_GATES_REMOVED = new ClusterEvent(Kind.UNSCHEDULED_POD,
      UPDATE_POD_SCHEDULING_GATES_ELIMINATED, "UpdatePodSchedulingGatesEliminated");
  public static final ClusterEvent PVC_ADD = new ClusterEvent(Kind.PERSISTENT_VOLUME_CLAIM, ADD,
      "PersistentVolumeClaimAdd");
  public static final ClusterEvent PVC_UPDATE = new ClusterEvent(Kind.PERSISTENT_VOLUME_CLAIM, UPDATE,
      "PersistentVolumeClaimUpdate");
  public static final ClusterEvent PV_ADD = new ClusterEvent(Kind.PERSISTENT_VOLUME, ADD, "PersistentVolumeAdd");
  public static final ClusterEvent PV_UPDATE = new ClusterEvent(Kind.PERSISTENT_VOLUME, UPDATE,
      "PersistentVolumeUpdate");
  public static final ClusterEvent STORAGE_CLASS_ADD = new ClusterEvent(Kind.STORAGE_CLASS, ADD, "StorageClassAdd");
  public static final ClusterEvent STORAGE_CLASS_UPDATE = new ClusterEvent(Kind.STORAGE_CLASS, UPDATE,
      "StorageClassUpdate");
  /** The five-minute flush of the unschedulable pool. */
  public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Kind.WILDCARD, ALL,
      "UnschedulableTimeout");

  public boolean wildcard() {
    return kind == Kind.WILDCARD;
  }

  /**
   * Whether this registered event covers the incoming one (MatchClusterEvents): same resource
   * (a registered Pod covers assigned and unscheduled pods), and the incoming action is among ours.
   */
  public boolean covers(ClusterEvent incoming) {
    if (wildcard()) {
      return true;
    }
    boolean resourceMatches = kind == incoming.kind
        || (kind == Kind.POD && (incoming.kind == Kind.ASSIGNED_POD
            || incoming.kind == Kind.UNSCHEDULED_POD));
    return resourceMatches && (actionType & incoming.actionType) != 0;
  }

  /** Whether it is worth trying the pod again after a change: QueueingHint. */
  public enum Hint { QUEUE, SKIP }

  /** Decides from the pod and the objects before and after the change (either may be null). */
  @FunctionalInterface
  public interface HintFn {
    Hint hint(PodInfo pod, Object oldObj, Object newObj);
  }

  /** A registered event with its hint; a null hint means "always queue". */
  public record WithHint(ClusterEvent event, HintFn hint) {
    public static WithHint of(ClusterEvent e) {
      return new WithHint(e, null);
    }
  }
}
