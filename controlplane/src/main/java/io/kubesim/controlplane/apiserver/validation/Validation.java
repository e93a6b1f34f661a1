package io.kubesim.controlplane.apiserver.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubesim.shared.api.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The apiserver's validation of the built-in kinds, as kube-apiserver 1.34's registry strategies run
 * it: {@link #validateCreate} on create, {@link #validateUpdate} on update of the main resource and
 * {@link #validateStatusUpdate} on update through the status subresource. Each returns the field
 * errors in Go's order, duplicates removed as Go's ToAggregate removes them; empty means valid.
 *
 * <p>Objects are expected to have been defaulted first ({@code Defaults.apply}), as they are in the
 * apiserver: fields the defaulter always sets (restartPolicy, imagePullPolicy, ...) are required
 * here. A kind without rules of its own gets the ObjectMeta checks with DNS-subdomain names.
 */
public final class Validation {

  private Validation() {}

  public static List<FieldError> validateCreate(HasMetadata obj) {
    Errs errs;
    if (obj instanceof Pod p) {
      errs = PodValidation.validatePodCreate(p);
    } else if (obj instanceof Deployment d) {
      errs = AppsValidation.validateDeployment(d);
    } else if (obj instanceof ReplicaSet rs) {
      errs = AppsValidation.validateReplicaSet(rs);
    } else if (obj instanceof DaemonSet ds) {
      errs = AppsValidation.validateDaemonSet(ds);
    } else if (obj instanceof StatefulSet s) {
      errs = AppsValidation.validateStatefulSet(s);
    } else if (obj instanceof Service s) {
      errs = CoreValidation.validateService(s);
    } else if (obj instanceof Node n) {
      errs = CoreValidation.validateNode(n);
    } else if (obj instanceof Namespace n) {
      errs = CoreValidation.validateNamespace(n);
    } else if (obj instanceof Event e) {
      errs = CoreValidation.validateEvent(e);
    } else if (obj instanceof io.fabric8.kubernetes.api.model.events.v1.Event e) {
      errs = ClusterValidation.validateEventsV1(e);
    } else if (obj instanceof ConfigMap cm) {
      errs = CoreValidation.validateConfigMap(cm);
    } else if (obj instanceof Secret s) {
      errs = CoreValidation.validateSecret(s);
    } else if (obj instanceof ServiceAccount sa) {
      errs = namespacedMeta(sa);
    } else if (obj instanceof PersistentVolume pv) {
      errs = CoreValidation.validatePersistentVolume(pv);
    } else if (obj instanceof PersistentVolumeClaim pvc) {
      errs = CoreValidation.validatePersistentVolumeClaim(pvc);
    } else if (obj instanceof Endpoints ep) {
      errs = CoreValidation.validateEndpoints(ep);
    } else if (obj instanceof ResourceQuota rq) {
      errs = CoreValidation.validateResourceQuota(rq);
    } else if (obj instanceof LimitRange lr) {
      errs = CoreValidation.validateLimitRange(lr);
    } else if (obj instanceof PodTemplate pt) {
      errs = CoreValidation.validatePodTemplate(pt);
    } else if (obj instanceof Job j) {
      errs = BatchValidation.validateJob(j);
    } else if (obj instanceof CronJob cj) {
      errs = BatchValidation.validateCronJob(cj);
    } else if (obj instanceof Lease l) {
      errs = ClusterValidation.validateLease(l);
    } else if (obj instanceof Ingress i) {
      errs = ClusterValidation.validateIngress(i);
    } else if (obj instanceof IngressClass ic) {
      errs = ClusterValidation.validateIngressClass(ic);
    } else if (obj instanceof PodDisruptionBudget pdb) {
      errs = ClusterValidation.validatePodDisruptionBudget(pdb);
    } else if (obj instanceof PriorityClass pc) {
      errs = ClusterValidation.validatePriorityClass(pc);
    } else if (obj instanceof StorageClass sc) {
      errs = ClusterValidation.validateStorageClass(sc);
    } else if (obj instanceof EndpointSlice es) {
      errs = ClusterValidation.validateEndpointSlice(es);
    } else {
      errs = ObjectMetaValidation.validate(obj.getMetadata(), Scope.isNamespaced(obj), ObjectMetaValidation.DNS_SUBDOMAIN,
          FieldPath.root("metadata"));
    }
    return dedupe(errs);
  }

  public static List<FieldError> validateUpdate(HasMetadata oldObj, HasMetadata newObj) {
    Errs errs;
    if (newObj instanceof Pod p && oldObj instanceof Pod o) {
      errs = PodValidation.validatePodUpdate(p, o);
    } else if (newObj instanceof Deployment d && oldObj instanceof Deployment o) {
      errs = AppsValidation.validateDeploymentUpdate(d, o);
    } else if (newObj instanceof ReplicaSet rs && oldObj instanceof ReplicaSet o) {
      errs = AppsValidation.validateReplicaSetUpdate(rs, o);
    } else if (newObj instanceof DaemonSet ds && oldObj instanceof DaemonSet o) {
      errs = AppsValidation.validateDaemonSetUpdate(ds, o);
    } else if (newObj instanceof StatefulSet s && oldObj instanceof StatefulSet o) {
      errs = AppsValidation.validateStatefulSetUpdate(s, o);
    } else if (newObj instanceof Service s && oldObj instanceof Service o) {
      errs = CoreValidation.validateServiceUpdate(s, o);
    } else if (newObj instanceof Node n && oldObj instanceof Node o) {
      errs = CoreValidation.validateNodeUpdate(n, o);
    } else if (newObj instanceof Namespace n && oldObj instanceof Namespace o) {
      errs = ObjectMetaValidation.validateUpdate(n.getMetadata(), o.getMetadata(), FieldPath.root("metadata"));
    } else if (newObj instanceof Event e) {
      errs = CoreValidation.validateEvent(e);
    } else if (newObj instanceof io.fabric8.kubernetes.api.model.events.v1.Event e
        && oldObj instanceof io.fabric8.kubernetes.api.model.events.v1.Event o) {
      errs = ClusterValidation.validateEventsV1Update(e, o);
    } else if (newObj instanceof ConfigMap cm && oldObj instanceof ConfigMap o) {
      errs = CoreValidation.validateConfigMapUpdate(cm, o);
    } else if (newObj instanceof Secret s && oldObj instanceof Secret o) {
      errs = CoreValidation.validateSecretUpdate(s, o);
    } else if (newObj instanceof PersistentVolume pv && oldObj instanceof PersistentVolume o) {
      errs = CoreValidation.validatePersistentVolumeUpdate(pv, o);
    } else if (newObj instanceof PersistentVolumeClaim pvc && oldObj instanceof PersistentVolumeClaim o) {
      errs = CoreValidation.validatePersistentVolumeClaimUpdate(pvc, o);
    } else if (newObj instanceof ResourceQuota rq && oldObj instanceof ResourceQuota o) {
      errs = CoreValidation.validateResourceQuotaUpdate(rq, o);
    } else if (newObj instanceof Job j && oldObj instanceof Job o) {
      errs = BatchValidation.validateJobUpdate(j, o);
    } else if (newObj instanceof CronJob cj && oldObj instanceof CronJob o) {
      errs = BatchValidation.validateCronJobUpdate(cj, o);
    } else if (newObj instanceof Lease l && oldObj instanceof Lease o) {
      errs = ClusterValidation.validateLeaseUpdate(l, o);
    } else if (newObj instanceof Ingress i && oldObj instanceof Ingress o) {
      errs = metaUpdate(i, o).addAll(ClusterValidation.validateIngressSpec(i));
    } else if (newObj instanceof IngressClass ic && oldObj instanceof IngressClass o) {
      errs = ClusterValidation.validateIngressClassUpdate(ic, o);
    } else if (newObj instanceof PodDisruptionBudget pdb && oldObj instanceof PodDisruptionBudget o) {
      errs = metaUpdate(pdb, o).addAll(ClusterValidation.validatePodDisruptionBudgetSpec(pdb));
    } else if (newObj instanceof PriorityClass pc && oldObj instanceof PriorityClass o) {
      errs = ClusterValidation.validatePriorityClassUpdate(pc, o);
    } else if (newObj instanceof StorageClass sc && oldObj instanceof StorageClass o) {
      errs = ClusterValidation.validateStorageClassUpdate(sc, o);
    } else if (newObj instanceof EndpointSlice es && oldObj instanceof EndpointSlice o) {
      errs = ClusterValidation.validateEndpointSliceUpdate(es, o);
    } else {
      errs = metaUpdate(newObj, oldObj);
      errs.addAll(validateCreate(newObj));
    }
    return dedupe(errs);
  }

  /**
   * Validation of an update through the status subresource. The caller has already carried the
   * old spec over, as the status strategies' PrepareForUpdate do.
   */
  public static List<FieldError> validateStatusUpdate(HasMetadata oldObj, HasMetadata newObj) {
    Errs errs;
    if (newObj instanceof Pod p && oldObj instanceof Pod o) {
      errs = PodValidation.validatePodStatusUpdate(p, o);
    } else if (newObj instanceof Deployment d && oldObj instanceof Deployment o) {
      errs = AppsValidation.validateDeploymentStatusUpdate(d, o);
    } else if (newObj instanceof ReplicaSet rs && oldObj instanceof ReplicaSet o) {
      errs = AppsValidation.validateReplicaSetStatusUpdate(rs, o);
    } else if (newObj instanceof Namespace n && oldObj instanceof Namespace o) {
      errs = CoreValidation.validateNamespaceStatusUpdate(n, o);
    } else if (newObj instanceof Node n && oldObj instanceof Node o) {
      errs = CoreValidation.validateNodeUpdate(n, o);
    } else {
      errs = metaUpdate(newObj, oldObj);
    }
    return dedupe(errs);
  }

  /** ValidateNamespaceFinalizeUpdate: the metadata update rules and the names of spec.finalizers. */
  public static List<FieldError> validateNamespaceFinalize(Namespace n, Namespace o) {
    Errs errs = metaUpdate(n, o);
    errs.addAll(CoreValidation.validateNamespaceFinalizers(n));
    return dedupe(errs);
  }

  private static Errs metaUpdate(HasMetadata n, HasMetadata o) {
    return ObjectMetaValidation.validateUpdate(n.getMetadata(), o.getMetadata(), FieldPath.root("metadata"));
  }

  private static Errs namespacedMeta(HasMetadata obj) {
    return ObjectMetaValidation.validate(obj.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
  }

  /** Go's ErrorList.ToAggregate drops errors whose text repeats. */
  private static List<FieldError> dedupe(Errs errs) {
    Set<String> seen = new LinkedHashSet<>();
    List<FieldError> out = new ArrayList<>();
    for (FieldError e : errs.list()) {
      if (seen.add(e.toString())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Which built-in kinds are cluster-scoped. */
  static final class Scope {
    private static final Set<String> CLUSTER_KINDS = Set.of("Namespace", "Node", "PersistentVolume", "StorageClass", "PriorityClass",
        "IngressClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService", "CSIDriver", "CSINode",
        "VolumeAttachment", "RuntimeClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "CertificateSigningRequest", "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration");

    private Scope() {}

    static boolean isNamespaced(HasMetadata obj) {
      return !CLUSTER_KINDS.contains(obj.getKind());
    }
  }
}
