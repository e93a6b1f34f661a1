package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.model.PodQos;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.ModelAccess;
import java.time.Instant;
import java.util.Objects;

/**
 * The per-kind storage rules of kube-apiserver's registry strategies (PrepareForCreate,
 * PrepareForUpdate, and the status subresource's variants): what a create resets, what a spec
 * update keeps from the stored object, what a status update may change, and when the generation
 * moves.
 */
final class Strategy {

  private Strategy() {}

  /** Status a client sent on create is dropped (the controllers own it), except where noted. */
  static void prepareForCreate(ResourceType type, HasMetadata obj, Instant now) {
    mergeStringData(obj);
    if (obj instanceof Pod pod) {
      // pkg/registry/core/pod/strategy.go: a new pod is Pending with its QoS class.
      PodStatus status = new PodStatus();
      status.setPhase("Pending");
      status.setQosClass(PodQos.of(pod));
      pod.setStatus(status);
    } else if (obj instanceof Namespace ns) {
      NamespaceStatus status = new NamespaceStatus();
      status.setPhase("Active");
      ns.setStatus(status);
    } else if (obj instanceof Node) {
      // A kubelet registers its node with its status; nothing to reset.
    } else if (obj instanceof PersistentVolume pv) {
      // pkg/registry/core/persistentvolume/strategy.go: a new volume is Pending, as of now.
      PersistentVolumeStatus status = new PersistentVolumeStatus();
      status.setPhase("Pending");
      status.setLastPhaseTransitionTime(Times.rfc3339(now));
      pv.setStatus(status);
    } else if (obj instanceof PersistentVolumeClaim pvc) {
      // The status is reset; decoding defaults its phase to Pending (core/v1 defaults.go).
      PersistentVolumeClaimStatus status = new PersistentVolumeClaimStatus();
      status.setPhase("Pending");
      pvc.setStatus(status);
    } else if (type.hasStatus() && ModelAccess.hasStatus(obj)) {
      ModelAccess.setStatus(obj, null);
    }
    if (type.generation()) {
      obj.getMetadata().setGeneration(1L);
    }
    if (obj instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet) {
      setTemplateGeneration(obj.getMetadata(), Math.max(1, templateGeneration(obj.getMetadata())));
    }
  }

  /**
   * A DaemonSet's spec.templateGeneration, which apps/v1 carries in this annotation
   * (pkg/apis/apps/v1/conversion.go); the daemonset strategy sets it to 1 on create and raises it
   * with each template change (pkg/registry/apps/daemonset/strategy.go).
   */
  static final String DAEMONSET_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

  private static long templateGeneration(ObjectMeta m) {
    String v = m.getAnnotations() == null ? null : m.getAnnotations().get(DAEMONSET_TEMPLATE_GENERATION);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void setTemplateGeneration(ObjectMeta m, long generation) {
    java.util.Map<String, String> ann = new java.util.LinkedHashMap<>(m.getAnnotations() == null
        ? java.util.Map.of() : m.getAnnotations());
    ann.put(DAEMONSET_TEMPLATE_GENERATION, Long.toString(generation));
    m.setAnnotations(ann);
  }

  /**
   * A Secret's stringData is write-only: its entries overwrite those of data, base64-encoded, and
   * it is never stored (pkg/apis/core/v1/conversion.go, Convert_v1_Secret_To_core_Secret).
   */
  static void mergeStringData(HasMetadata obj) {
    if (obj instanceof io.fabric8.kubernetes.api.model.Secret secret && secret.getStringData() != null) {
      java.util.Map<String, String> data = new java.util.LinkedHashMap<>(secret.getData() == null
          ? java.util.Map.of() : secret.getData());
      secret.getStringData().forEach((k, v) -> data.put(k, java.util.Base64.getEncoder()
          .encodeToString((v == null ? "" : v).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      secret.setData(data);
      secret.setStringData(null);
    }
  }

  /**
   * Carries over what an update of the object itself may not change: the status (for kinds with a
   * status subresource) and the system-managed metadata. Bumps the generation if the spec changed.
   */
  static void prepareForUpdate(ResourceType type, HasMetadata old, HasMetadata obj) {
    mergeStringData(obj);
    keepSystemMetadata(old.getMetadata(), obj.getMetadata());
    if (type.hasStatus() && ModelAccess.hasStatus(obj)) {
      ModelAccess.setStatus(obj, ModelAccess.status(old));
    }
    if (type.generation()) {
      long gen = old.getMetadata().getGeneration() == null ? 1 : old.getMetadata().getGeneration();
      boolean specChanged = ModelAccess.hasSpec(obj)
          ? !Objects.equals(ModelAccess.spec(old), ModelAccess.spec(obj))
          : false;
      obj.getMetadata().setGeneration(specChanged ? gen + 1 : gen);
    }
    if (old instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet o
        && obj instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet n) {
      boolean templateChanged = !Objects.equals(o.getSpec() == null ? null : o.getSpec().getTemplate(),
          n.getSpec() == null ? null : n.getSpec().getTemplate());
      long g = templateGeneration(old.getMetadata());
      setTemplateGeneration(obj.getMetadata(), templateChanged ? g + 1 : g);
    }
  }

  /**
   * A status update changes the status only: spec and metadata stay as stored
   * (rest.ResetObjectMetaForStatus keeps labels, annotations, finalizers, owners and deletion
   * fields of the stored object).
   */
  static void prepareForStatusUpdate(ResourceType type, HasMetadata old, HasMetadata obj) {
    ObjectMeta kept = old.getMetadata();
    ObjectMeta m = obj.getMetadata();
    keepSystemMetadata(kept, m);
    m.setLabels(kept.getLabels());
    if (!(obj instanceof io.fabric8.kubernetes.api.model.apps.Deployment)) {
      // pkg/registry/apps/deployment/strategy.go: a Deployment's status update keeps the annotations
      // it carries, as the deployment controller writes the revision annotation with the status.
      m.setAnnotations(kept.getAnnotations());
    }
    m.setFinalizers(kept.getFinalizers());
    m.setOwnerReferences(kept.getOwnerReferences());
    m.setGeneration(kept.getGeneration());
    if (ModelAccess.hasSpec(obj)) {
      ModelAccess.setSpec(obj, ModelAccess.spec(old));
    }
  }

  /**
   * pkg/registry/core/persistentvolume/strategy.go: a status update that changes a volume's phase
   * stamps status.lastPhaseTransitionTime, unless the writer set a new one itself.
   */
  static void stampPhaseTransition(HasMetadata old, HasMetadata obj, Instant now) {
    if (old instanceof PersistentVolume o && obj instanceof PersistentVolume n && n.getStatus() != null) {
      String oldPhase = o.getStatus() == null ? null : o.getStatus().getPhase();
      String oldTime = o.getStatus() == null ? null : o.getStatus().getLastPhaseTransitionTime();
      if (!Objects.equals(oldPhase, n.getStatus().getPhase())
          && (n.getStatus().getLastPhaseTransitionTime() == null
              || Objects.equals(n.getStatus().getLastPhaseTransitionTime(), oldTime))) {
        n.getStatus().setLastPhaseTransitionTime(Times.rfc3339(now));
      }
    }
  }

  private static void keepSystemMetadata(ObjectMeta old, ObjectMeta m) {
    m.setUid(old.getUid());
    m.setCreationTimestamp(old.getCreationTimestamp());
    m.setDeletionTimestamp(old.getDeletionTimestamp());
    m.setDeletionGracePeriodSeconds(old.getDeletionGracePeriodSeconds());
    if (m.getGenerateName() == null) {
      m.setGenerateName(old.getGenerateName());
    }
    if (m.getManagedFields() == null) {
      m.setManagedFields(old.getManagedFields());
    }
  }

  /** A namespace's spec.finalizers ("kubernetes"): the namespace controller's hold on its deletion. */
  static boolean hasSpecFinalizers(Namespace ns) {
    return ns.getSpec() != null && ns.getSpec().getFinalizers() != null && !ns.getSpec().getFinalizers().isEmpty();
  }

  /** Whether deleting an object of this kind is graceful: pods that are bound and not finished. */
  static boolean gracefulDelete(HasMetadata obj) {
    if (obj instanceof Pod pod) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      return node != null && !node.isEmpty() && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }
    return false;
  }

  /** The grace period a graceful delete without one gets: the pod's terminationGracePeriodSeconds, else 30. */
  static long defaultGracePeriod(HasMetadata obj) {
    if (obj instanceof Pod pod && pod.getSpec() != null && pod.getSpec().getTerminationGracePeriodSeconds() != null) {
      return pod.getSpec().getTerminationGracePeriodSeconds();
    }
    return 30;
  }
}
