package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.EnqueueExtensions;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PreBindPlugin;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.ReservePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.controlplane.storage.StorageHelpers;
import io.kubesim.controlplane.storage.VolumeMatching;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding): a pod's claims decide
 * where it may go.
 *
 * <ul>
 *   <li>PreFilter: a claim that does not exist, is being deleted or has lost its volume turns the
 *       pod down ({@code persistentvolumeclaim "data" not found}); so does a claim of an
 *       Immediate class (or of none) that is not bound yet: {@code pod has unbound immediate
 *       PersistentVolumeClaims}, until the persistent volume controller binds it. A pod without
 *       claims skips the plugin.</li>
 *   <li>Filter: a bound claim's volume must admit the node by its node affinity
 *       ({@code node(s) had volume node affinity conflict}); a WaitForFirstConsumer claim needs an
 *       Available volume that fits it on this node, or a class that can provision there
 *       ({@code node(s) didn't find available persistent volumes to bind}).</li>
 *   <li>Reserve and PreBind: the volumes chosen for WaitForFirstConsumer claims are bound
 *       (their claimRef set), and claims to provision get the {@code volume.kubernetes.io/selected-node}
 *       annotation for their provisioner. Unlike kube-scheduler, PreBind does not wait for the
 *       persistent volume controller to finish the binding before the pod is bound.</li>
 * </ul>
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin,
    EnqueueExtensions {

  public static final String NAME = "VolumeBinding";
  public static final String ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
  /** ErrReasonBindConflict. */
  public static final String ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
  /** ErrReasonNodeConflict. */
  public static final String ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict";
  /** ErrReasonPVNotExist. */
  public static final String ERR_REASON_PV_NOT_EXIST =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

  private static final CycleState.Key<State> STATE = new CycleState.Key<>(NAME);

  /** What one node would need: volumes to bind to claims, and claims to provision. */
  record PodVolumes(Map<PersistentVolumeClaim, PersistentVolume> staticBindings,
      List<PersistentVolumeClaim> provisions) {}

  /** The pod's claims as PreFilter sorted them, and Filter's choices per node. */
  static final class State implements CycleState.Data {
    final List<PersistentVolumeClaim> bound;
    final List<PersistentVolumeClaim> toBind;
    final Map<String, PodVolumes> byNode = new LinkedHashMap<>();

    State(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> toBind) {
      this.bound = bound;
      this.toBind = toBind;
    }

    @Override
    public CycleState.Data copy() {
      // Shared across copies, as upstream keeps a pointer: the choices are per node anyway.
      return this;
    }
  }

  private final Handle handle;
  /** Volumes chosen for claims by pods bound moments ago, until the informer shows their claimRef (the assume cache). */
  private final Map<String, String> assumed = new TreeMap<>();

  public VolumeBinding(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  // ---------------------------------------------------------------- PreFilter

  @Override
  public Result preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<String> names = StorageHelpers.claimNames(pod.pod());
    if (names.isEmpty()) {
      return Result.SKIP;
    }
    List<PersistentVolumeClaim> bound = new ArrayList<>();
    List<PersistentVolumeClaim> toBind = new ArrayList<>();
    boolean unboundImmediate = false;
    for (String name : names) {
      PersistentVolumeClaim pvc = handle.cluster().persistentVolumeClaim(pod.namespace(), name);
      if (pvc == null) {
        return Result.of(Status.unresolvable("persistentvolumeclaim \"" + name + "\" not found"));
      }
      String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
      if ("Lost".equals(phase)) {
        return Result.of(Status.unresolvable("persistentvolumeclaim \"" + name
            + "\" bound to non-existent persistentvolume \"" + volumeName(pvc) + "\""));
      }
      if (pvc.getMetadata().getDeletionTimestamp() != null) {
        return Result.of(Status.unresolvable("persistentvolumeclaim \"" + name + "\" is being deleted"));
      }
    }
    for (String name : names) {
      PersistentVolumeClaim pvc = handle.cluster().persistentVolumeClaim(pod.namespace(), name);
      if (!volumeName(pvc).isEmpty() && StorageHelpers.hasAnnotation(pvc, StorageHelpers.BIND_COMPLETED)) {
        bound.add(pvc);
      } else if (StorageHelpers.delayBinding(pvc, handle.cluster()::storageClass)) {
        toBind.add(pvc);
      } else {
        unboundImmediate = true;
      }
    }
    if (unboundImmediate) {
      // The pod moves on once the persistent volume controller binds the claim (a PVC update).
      return Result.of(Status.unresolvable(ERR_UNBOUND_IMMEDIATE));
    }
    state.write(STATE, new State(bound, toBind));
    return Result.OK;
  }

  private static String volumeName(PersistentVolumeClaim pvc) {
    return pvc.getSpec() == null || pvc.getSpec().getVolumeName() == null ? "" : pvc.getSpec().getVolumeName();
  }

  // ---------------------------------------------------------------- Filter

  @Override
  public Status filter(CycleState cycle, PodInfo pod, NodeInfo node) {
    State state = cycle.read(STATE);
    if (state == null) {
      return Status.SUCCESS;
    }
    List<String> reasons = new ArrayList<>();
    // checkBoundClaims
    for (PersistentVolumeClaim pvc : state.bound) {
      PersistentVolume pv = handle.cluster().persistentVolume(volumeName(pvc));
      if (pv == null) {
        reasons.add(ERR_REASON_PV_NOT_EXIST);
        break;
      }
      if (!StorageHelpers.nodeAffinityFits(pv, node.name(), node.labels())) {
        reasons.add(ERR_REASON_NODE_CONFLICT);
        break;
      }
    }
    if (!state.toBind.isEmpty()) {
      PodVolumes chosen = findPodVolumes(state.toBind, node);
      if (chosen == null) {
        reasons.add(ERR_REASON_BIND_CONFLICT);
      } else {
        state.byNode.put(node.name(), chosen);
      }
    }
    return reasons.isEmpty() ? Status.SUCCESS : Status.unresolvable(reasons.toArray(String[]::new));
  }

  /**
   * findMatchingVolumes then checkVolumeProvisions: the smallest claims first, each takes the
   * smallest Available volume that fits it on this node; those left need a class that provisions
   * on this node. Null if some claim can have neither.
   */
  private PodVolumes findPodVolumes(List<PersistentVolumeClaim> claims, NodeInfo node) {
    List<PersistentVolumeClaim> bySize = new ArrayList<>(claims);
    bySize.sort(Comparator.comparing(StorageHelpers::requestedStorage));
    Set<String> excluded = new TreeSet<>();
    Map<PersistentVolumeClaim, PersistentVolume> bindings = new LinkedHashMap<>();
    List<PersistentVolumeClaim> provisions = new ArrayList<>();
    List<PersistentVolume> all = handle.cluster().persistentVolumes();
    for (PersistentVolumeClaim pvc : bySize) {
      String key = pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName();
      Set<String> taken = new TreeSet<>(excluded);
      assumed.forEach((pv, claim) -> {
        if (!claim.equals(key)) {
          taken.add(pv);
        }
      });
      PersistentVolume pv = VolumeMatching.findMatchingVolume(pvc, all, node.name(), node.labels(), taken, true);
      if (pv != null) {
        bindings.put(pvc, pv);
        excluded.add(pv.getMetadata().getName());
        continue;
      }
      StorageClass sc = handle.cluster().storageClass(StorageHelpers.claimClass(pvc));
      if (sc == null || sc.getProvisioner() == null || StorageHelpers.NO_PROVISIONER.equals(sc.getProvisioner())
          || !allowedTopologiesFit(sc, node.labels())) {
        return null;
      }
      provisions.add(pvc);
    }
    return new PodVolumes(bindings, provisions);
  }

  /** The class's allowedTopologies admit the node (no topologies admit every node). */
  static boolean allowedTopologiesFit(StorageClass sc, Map<String, String> labels) {
    List<TopologySelectorTerm> terms = sc.getAllowedTopologies();
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    for (TopologySelectorTerm t : terms) {
      boolean all = true;
      for (TopologySelectorLabelRequirement r : t.getMatchLabelExpressions() == null
          ? List.<TopologySelectorLabelRequirement>of() : t.getMatchLabelExpressions()) {
        String v = labels == null ? null : labels.get(r.getKey());
        all &= v != null && r.getValues() != null && r.getValues().contains(v);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- Reserve and PreBind

  @Override
  public Status reserve(CycleState cycle, PodInfo pod, String nodeName) {
    State state = cycle.read(STATE);
    PodVolumes chosen = state == null ? null : state.byNode.get(nodeName);
    if (chosen != null) {
      chosen.staticBindings().forEach((pvc, pv) -> assumed.put(pv.getMetadata().getName(),
          pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName()));
    }
    return Status.SUCCESS;
  }

  @Override
  public void unreserve(CycleState cycle, PodInfo pod, String nodeName) {
    State state = cycle.read(STATE);
    PodVolumes chosen = state == null ? null : state.byNode.get(nodeName);
    if (chosen != null) {
      chosen.staticBindings().values().forEach(pv -> assumed.remove(pv.getMetadata().getName()));
    }
  }

  /** BindPodVolumes' API updates: volumes get their claimRef, claims to provision their selected node. */
  @Override
  public Status preBind(CycleState cycle, PodInfo pod, String nodeName) {
    State state = cycle.read(STATE);
    PodVolumes chosen = state == null ? null : state.byNode.get(nodeName);
    if (chosen == null) {
      return Status.SUCCESS;
    }
    chosen.staticBindings().forEach((pvc, pv) -> {
      PersistentVolume bound = new PersistentVolumeBuilder(pv).editSpec().withNewClaimRef()
          .withKind("PersistentVolumeClaim").withApiVersion("v1").withNamespace(pvc.getMetadata().getNamespace())
          .withName(pvc.getMetadata().getName()).withUid(pvc.getMetadata().getUid())
          .withResourceVersion(pvc.getMetadata().getResourceVersion()).endClaimRef().endSpec()
          .editMetadata().addToAnnotations(StorageHelpers.BOUND_BY_CONTROLLER, "yes").endMetadata().build();
      handle.actions().update(bound, s -> {
        if (!s.success()) {
          assumed.remove(pv.getMetadata().getName());
        }
      });
    });
    for (PersistentVolumeClaim pvc : chosen.provisions()) {
      if (Objects.equals(nodeName, StorageHelpers.annotation(pvc, StorageHelpers.SELECTED_NODE))) {
        continue;
      }
      PersistentVolumeClaim annotated = new PersistentVolumeClaimBuilder(pvc).editMetadata()
          .addToAnnotations(StorageHelpers.SELECTED_NODE, nodeName).endMetadata().build();
      handle.actions().update(annotated, s -> {});
    }
    return Status.SUCCESS;
  }

  /** Forgets volumes the informer now shows bound (the assume cache catching up). */
  public void volumeUpdated(PersistentVolume pv) {
    if (pv.getSpec() != null && pv.getSpec().getClaimRef() != null) {
      assumed.remove(pv.getMetadata().getName());
    }
  }

  // ---------------------------------------------------------------- queueing

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(
        new ClusterEvent.WithHint(new ClusterEvent(ClusterEvent.Kind.STORAGE_CLASS,
            ClusterEvent.ADD | ClusterEvent.UPDATE, "StorageClassChange"), (pod, oldObj, newObj) -> {
              if (oldObj == null) {
                return ClusterEvent.Hint.QUEUE;
              }
              return Objects.equals(((StorageClass) oldObj).getAllowedTopologies(),
                  ((StorageClass) newObj).getAllowedTopologies()) ? ClusterEvent.Hint.SKIP : ClusterEvent.Hint.QUEUE;
            }),
        new ClusterEvent.WithHint(new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM,
            ClusterEvent.ADD | ClusterEvent.UPDATE, "PersistentVolumeClaimChange"), (pod, oldObj, newObj) -> {
              PersistentVolumeClaim pvc = (PersistentVolumeClaim) newObj;
              return pod.namespace().equals(pvc.getMetadata().getNamespace())
                  && StorageHelpers.claimNames(pod.pod()).contains(pvc.getMetadata().getName())
                  ? ClusterEvent.Hint.QUEUE : ClusterEvent.Hint.SKIP;
            }),
        ClusterEvent.WithHint.of(new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME,
            ClusterEvent.ADD | ClusterEvent.UPDATE, "PersistentVolumeChange")),
        // With queueing hints (on by default) upstream registers no taint changes for nodes.
        ClusterEvent.WithHint.of(new ClusterEvent(ClusterEvent.Kind.NODE,
            ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL, "NodeChange")));
  }
}
