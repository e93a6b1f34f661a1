package io.kubesim.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a change to a pod or a node means for scheduling: the cluster events that
 * framework.PodSchedulingPropertiesChange and NodeSchedulingPropertiesChange derive from the old
 * and new objects.
 */
final class PodChanges {

  private PodChanges() {}

  /** Events for a pending pod that changed; UpdatePodOther if nothing scheduling-relevant did. */
  static List<ClusterEvent> of(Pod oldPod, Pod newPod) {
    List<ClusterEvent> events = new ArrayList<>(2);
    if (!Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
      events.add(ClusterEvent.POD_LABEL_CHANGE);
    }
    if (scaledDown(oldPod, newPod)) {
      events.add(ClusterEvent.POD_SCALE_DOWN);
    }
    if (!Objects.equals(oldPod.getSpec().getTolerations(), newPod.getSpec().getTolerations())) {
      events.add(ClusterEvent.POD_TOLERATION_CHANGE);
    }
    boolean wasGated = oldPod.getSpec().getSchedulingGates() != null && !oldPod.getSpec().getSchedulingGates().isEmpty();
    boolean gated = newPod.getSpec().getSchedulingGates() != null && !newPod.getSpec().getSchedulingGates().isEmpty();
    if (wasGated && !gated) {
      events.add(ClusterEvent.POD_GATES_REMOVED);
    }
    if (events.isEmpty()) {
      events.add(ClusterEvent.POD_OTHER_CHANGE);
    }
    return events;
  }

  /** Events for an assigned pod that changed: label changes and scale-downs matter to others. */
  static List<ClusterEvent> ofAssigned(Pod oldPod, Pod newPod) {
    List<ClusterEvent> events = new ArrayList<>(2);
    if (!Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())) {
      events.add(ClusterEvent.ASSIGNED_POD_LABEL_CHANGE);
    }
    if (scaledDown(oldPod, newPod)) {
      events.add(ClusterEvent.ASSIGNED_POD_SCALE_DOWN);
    }
    return events;
  }

  private static boolean scaledDown(Pod oldPod, Pod newPod) {
    if (Objects.equals(oldPod.getSpec().getContainers(), newPod.getSpec().getContainers())
        && Objects.equals(oldPod.getSpec().getInitContainers(), newPod.getSpec().getInitContainers())
        && Objects.equals(oldPod.getSpec().getResources(), newPod.getSpec().getResources())) {
      return false;
    }
    Resource before = Resource.podRequests(oldPod.getSpec(), false);
    Resource after = Resource.podRequests(newPod.getSpec(), false);
    return after.milliCpu < before.milliCpu || after.memory < before.memory
        || after.ephemeralStorage < before.ephemeralStorage;
  }

  /** NodeSchedulingPropertiesChange: which of the node's scheduling properties changed. */
  static List<ClusterEvent> of(Node oldNode, Node newNode) {
    List<ClusterEvent> events = new ArrayList<>(2);
    boolean oldUnsched = oldNode.getSpec() != null && Boolean.TRUE.equals(oldNode.getSpec().getUnschedulable());
    boolean newUnsched = newNode.getSpec() != null && Boolean.TRUE.equals(newNode.getSpec().getUnschedulable());
    if (oldUnsched != newUnsched) {
      // spec.unschedulable counts as a taint change upstream
      events.add(ClusterEvent.NODE_TAINT_CHANGE);
    }
    if (!Objects.equals(alloc(oldNode), alloc(newNode))) {
      events.add(ClusterEvent.NODE_ALLOCATABLE_CHANGE);
    }
    if (!Objects.equals(oldNode.getMetadata().getLabels(), newNode.getMetadata().getLabels())) {
      events.add(ClusterEvent.NODE_LABEL_CHANGE);
    }
    if (!Objects.equals(oldNode.getSpec() == null ? null : oldNode.getSpec().getTaints(),
        newNode.getSpec() == null ? null : newNode.getSpec().getTaints())) {
      if (!events.contains(ClusterEvent.NODE_TAINT_CHANGE)) {
        events.add(ClusterEvent.NODE_TAINT_CHANGE);
      }
    }
    if (!Objects.equals(conditions(oldNode), conditions(newNode))) {
      events.add(ClusterEvent.NODE_CONDITION_CHANGE);
    }
    if (!Objects.equals(oldNode.getMetadata().getAnnotations(), newNode.getMetadata().getAnnotations())) {
      events.add(ClusterEvent.NODE_ANNOTATION_CHANGE);
    }
    return events;
  }

  private static Object alloc(Node n) {
    return n.getStatus() == null ? null : n.getStatus().getAllocatable();
  }

  /** Condition types and statuses only: heartbeat times change every report and mean nothing here. */
  private static List<String> conditions(Node n) {
    List<String> out = new ArrayList<>();
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      n.getStatus().getConditions().forEach(c -> out.add(c.getType() + "=" + c.getStatus()));
    }
    return out;
  }

  /** Whether the images the kubelet lists changed (ImageLocality). */
  static boolean imagesChanged(Node oldNode, Node newNode) {
    return !Objects.equals(oldNode.getStatus() == null ? null : oldNode.getStatus().getImages(),
        newNode.getStatus() == null ? null : newNode.getStatus().getImages());
  }
}
