package io.kubesim.controlplane.storage;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.controlplane.apiserver.validation.Quantities;
import io.kubesim.shared.time.Times;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the apiserver's storage admission, the persistent volume controller and the scheduler's
 * VolumeBinding plugin all need to know about claims, volumes and classes
 * (k8s.io/component-helpers/storage/volume and pkg/volume/util): their classes, whether a volume
 * is bound to a claim, the default class, and the binding annotations.
 */
public final class StorageHelpers {

  /** The annotation that makes a StorageClass the default for claims that name none. */
  public static final String IS_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_IS_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
  /** AnnBindCompleted: the claim's binding is complete. */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  /** AnnBoundByController: the controller, not the user, set the binding. */
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  /** AnnDynamicallyProvisioned: the provisioner that made the volume. */
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  /** AnnStorageProvisioner and its beta name: the provisioner asked to make a volume for the claim. */
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
  /** AnnSelectedNode: the node the scheduler chose for a WaitForFirstConsumer claim. */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  /** The finalizers of StorageObjectInUseProtection. */
  public static final String PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
  public static final String PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";
  /** A class with this provisioner has no dynamic provisioning (local volumes, static PVs only). */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  private StorageHelpers() {}

  /** GetPersistentVolumeClaimClass: spec.storageClassName, else the beta annotation, else "". */
  public static String claimClass(PersistentVolumeClaim pvc) {
    if (pvc.getSpec() != null && pvc.getSpec().getStorageClassName() != null) {
      return pvc.getSpec().getStorageClassName();
    }
    String beta = annotation(pvc, BETA_STORAGE_CLASS);
    return beta == null ? "" : beta;
  }

  /** Whether the claim names a class at all (an empty name counts: it asks for no class). */
  public static boolean claimHasClass(PersistentVolumeClaim pvc) {
    return (pvc.getSpec() != null && pvc.getSpec().getStorageClassName() != null)
        || annotation(pvc, BETA_STORAGE_CLASS) != null;
  }

  /** GetPersistentVolumeClass. */
  public static String volumeClass(PersistentVolume pv) {
    if (pv.getSpec() != null && pv.getSpec().getStorageClassName() != null) {
      return pv.getSpec().getStorageClassName();
    }
    String beta = annotation(pv, BETA_STORAGE_CLASS);
    return beta == null ? "" : beta;
  }

  public static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  public static boolean hasAnnotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a != null && a.containsKey(key);
  }

  /**
   * GetDefaultClass: of the classes annotated as default, the newest; of those created at the same
   * time, the first by name. Null if there is none.
   */
  public static StorageClass defaultClass(Collection<StorageClass> classes) {
    StorageClass best = null;
    Instant bestTime = null;
    for (StorageClass c : classes) {
      if (!isDefault(c)) {
        continue;
      }
      Instant t = Times.parse(c.getMetadata().getCreationTimestamp());
      if (t == null) {
        t = Instant.EPOCH;
      }
      if (best == null || t.isAfter(bestTime)
          || (t.equals(bestTime) && c.getMetadata().getName().compareTo(best.getMetadata().getName()) < 0)) {
        best = c;
        bestTime = t;
      }
    }
    return best;
  }

  public static boolean isDefault(StorageClass c) {
    return "true".equals(annotation(c, IS_DEFAULT_CLASS)) || "true".equals(annotation(c, BETA_IS_DEFAULT_CLASS));
  }

  /**
   * IsDelayBindingMode: the claim's class binds on first consumer. A claim without a class, or
   * whose class does not exist, binds at once.
   */
  public static boolean delayBinding(PersistentVolumeClaim pvc, Function<String, StorageClass> classes) {
    String name = claimClass(pvc);
    if (name.isEmpty()) {
      return false;
    }
    StorageClass c = classes.apply(name);
    return c != null && "WaitForFirstConsumer".equals(c.getVolumeBindingMode());
  }

  /** IsVolumeBoundToClaim: the volume's claimRef names the claim (and its UID, if the ref has one). */
  public static boolean boundToClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
    ObjectReference ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref == null) {
      return false;
    }
    if (!claim.getMetadata().getName().equals(ref.getName())
        || !claim.getMetadata().getNamespace().equals(ref.getNamespace())) {
      return false;
    }
    return ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid());
  }

  /** CheckAccessModes: the volume offers every mode the claim asks for. */
  public static boolean accessModesFit(PersistentVolumeClaim claim, PersistentVolume pv) {
    List<String> have = pv.getSpec() == null || pv.getSpec().getAccessModes() == null ? List.of()
        : pv.getSpec().getAccessModes();
    List<String> want = claim.getSpec() == null || claim.getSpec().getAccessModes() == null ? List.of()
        : claim.getSpec().getAccessModes();
    return have.containsAll(want);
  }

  /** CheckVolumeModeMismatches: Filesystem unless said otherwise, on both sides. */
  public static boolean volumeModeMismatch(PersistentVolumeClaim claim, PersistentVolume pv) {
    String want = claim.getSpec() == null || claim.getSpec().getVolumeMode() == null ? "Filesystem"
        : claim.getSpec().getVolumeMode();
    String have = pv.getSpec() == null || pv.getSpec().getVolumeMode() == null ? "Filesystem"
        : pv.getSpec().getVolumeMode();
    return !want.equals(have);
  }

  /** The claim's storage request in bytes (Quantity.Value, rounded up); 0 if it has none. */
  public static BigDecimal requestedStorage(PersistentVolumeClaim claim) {
    Map<String, Quantity> req = claim.getSpec() == null || claim.getSpec().getResources() == null ? null
        : claim.getSpec().getResources().getRequests();
    return bytes(req == null ? null : req.get("storage"));
  }

  /** The volume's capacity in bytes. */
  public static BigDecimal capacity(PersistentVolume pv) {
    Map<String, Quantity> cap = pv.getSpec() == null ? null : pv.getSpec().getCapacity();
    return bytes(cap == null ? null : cap.get("storage"));
  }

  /** A storage quantity in bytes (Quantity.Value, rounded up); 0 if absent or unreadable. */
  public static BigDecimal bytes(Quantity q) {
    if (q == null) {
      return BigDecimal.ZERO;
    }
    try {
      return Quantities.parse(q).value().setScale(0, RoundingMode.CEILING);
    } catch (Quantities.QuantityException e) {
      return BigDecimal.ZERO;
    }
  }

  /**
   * CheckNodeAffinity: a volume without node affinity fits every node; otherwise one of its
   * required terms must match the node's labels (and name, for matchFields on metadata.name).
   */
  public static boolean nodeAffinityFits(PersistentVolume pv, String nodeName, Map<String, String> labels) {
    if (pv.getSpec() == null || pv.getSpec().getNodeAffinity() == null
        || pv.getSpec().getNodeAffinity().getRequired() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms();
    if (terms == null) {
      return true;
    }
    for (NodeSelectorTerm t : terms) {
      if (termMatches(t, nodeName, labels == null ? Map.of() : labels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean termMatches(NodeSelectorTerm t, String nodeName, Map<String, String> labels) {
    List<NodeSelectorRequirement> exprs = t.getMatchExpressions() == null ? List.of() : t.getMatchExpressions();
    List<NodeSelectorRequirement> fields = t.getMatchFields() == null ? List.of() : t.getMatchFields();
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    for (NodeSelectorRequirement r : exprs) {
      if (!requirementMatches(r, labels.get(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      if (!"metadata.name".equals(r.getKey()) || !requirementMatches(r, nodeName)) {
        return false;
      }
    }
    return true;
  }

  private static boolean requirementMatches(NodeSelectorRequirement r, String value) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> {
        if (value == null || values.size() != 1) {
          yield false;
        }
        try {
          long have = Long.parseLong(value);
          long bound = Long.parseLong(values.get(0));
          yield r.getOperator().equals("Gt") ? have > bound : have < bound;
        } catch (NumberFormatException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  /** The claims a pod's volumes name, in volume order. */
  public static List<String> claimNames(io.fabric8.kubernetes.api.model.Pod pod) {
    List<String> out = new ArrayList<>();
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return out;
    }
    for (var v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName() != null) {
        out.add(v.getPersistentVolumeClaim().getClaimName());
      }
    }
    return out;
  }
}
