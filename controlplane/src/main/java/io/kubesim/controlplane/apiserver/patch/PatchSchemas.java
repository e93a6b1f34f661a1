package io.kubesim.controlplane.apiserver.patch;

import static io.kubesim.controlplane.apiserver.patch.FieldStrategy.merge;
import static io.kubesim.controlplane.apiserver.patch.FieldStrategy.mergePrimitives;
import static io.kubesim.controlplane.apiserver.patch.FieldStrategy.mergeRetainKeys;
import static io.kubesim.controlplane.apiserver.patch.StructSchema.struct;

import java.util.Map;
import java.util.Set;

/**
 * The strategic-merge-patch schemas of the built-in kinds, transcribed from the {@code
 * patchStrategy} / {@code patchMergeKey} struct tags of k8s.io/api and of ObjectMeta in
 * k8s.io/apimachinery.
 *
 * <p>Only tagged fields (and the structs leading to them) are listed; everything else has no
 * strategy, which is what the Go tags say too. Fields that are deliberately untagged, and so
 * replaced whole when patched, include PodSpec {@code tolerations} and {@code readinessGates},
 * PodStatus {@code containerStatuses}, NodeSpec {@code taints} (kubectl taint relies on that),
 * NodeStatus {@code images} and {@code volumesAttached}, and the StatefulSet {@code
 * volumeClaimTemplates}.
 */
public final class PatchSchemas {

  private PatchSchemas() {}

  /** ObjectMeta: finalizers are a set, ownerReferences merge by uid. */
  static final StructSchema OBJECT_META = struct()
      .field("finalizers", mergePrimitives())
      .field("ownerReferences", merge("uid"));

  /** Container, and EphemeralContainer through EphemeralContainerCommon: the same four tags. */
  static final StructSchema CONTAINER = struct()
      .field("ports", merge("containerPort"))
      .field("env", merge("name"))
      .field("volumeMounts", merge("mountPath"))
      .field("volumeDevices", merge("devicePath"));

  static final StructSchema POD_SPEC = struct()
      .field("volumes", mergeRetainKeys("name"))
      .field("initContainers", merge("name"), CONTAINER)
      .field("containers", merge("name"), CONTAINER)
      .field("ephemeralContainers", merge("name"), CONTAINER)
      .field("imagePullSecrets", merge("name"))
      .field("hostAliases", merge("ip"))
      .field("topologySpreadConstraints", merge("topologyKey"))
      .field("schedulingGates", merge("name"))
      .field("resourceClaims", mergeRetainKeys("name"));

  /** ContainerStatus; the status lists holding it have no strategy, so these rarely apply. */
  static final StructSchema CONTAINER_STATUS = struct()
      .field("volumeMounts", merge("mountPath"))
      .field("allocatedResourcesStatus", merge("name"));

  static final StructSchema POD_STATUS = struct()
      .field("conditions", merge("type"))
      .field("hostIPs", merge("ip"))
      .field("podIPs", merge("ip"))
      .field("resourceClaimStatuses", mergeRetainKeys("name"))
      .field("initContainerStatuses", CONTAINER_STATUS)
      .field("containerStatuses", CONTAINER_STATUS)
      .field("ephemeralContainerStatuses", CONTAINER_STATUS);

  static final StructSchema POD_TEMPLATE_SPEC = struct()
      .field("metadata", OBJECT_META)
      .field("spec", POD_SPEC);

  /** A status whose {@code conditions} merge by {@code type}. */
  static final StructSchema CONDITIONS_STATUS = struct()
      .field("conditions", merge("type"));

  /** A spec that holds a pod template (ReplicaSet, StatefulSet, DaemonSet, Job, RC). */
  static final StructSchema TEMPLATE_SPEC = struct()
      .field("template", POD_TEMPLATE_SPEC);

  static final StructSchema DEPLOYMENT_SPEC = struct()
      .field("template", POD_TEMPLATE_SPEC)
      .field("strategy", FieldStrategy.retainKeysOnly());

  static final StructSchema JOB_TEMPLATE_SPEC = struct()
      .field("metadata", OBJECT_META)
      .field("spec", TEMPLATE_SPEC);

  /** Kinds with nothing tagged but their ObjectMeta. */
  private static final StructSchema META_ONLY = object(null, null);

  private static final Map<String, StructSchema> KINDS = Map.ofEntries(
      // core/v1
      Map.entry("/Pod", object(POD_SPEC, POD_STATUS)),
      Map.entry("/PodTemplate", struct().field("metadata", OBJECT_META)
          .field("template", POD_TEMPLATE_SPEC)),
      Map.entry("/ReplicationController", object(TEMPLATE_SPEC, CONDITIONS_STATUS)),
      Map.entry("/Node", object(
          struct().field("podCIDRs", mergePrimitives()),
          struct().field("conditions", merge("type")).field("addresses", merge("type")))),
      Map.entry("/Service", object(struct().field("ports", merge("port")), CONDITIONS_STATUS)),
      Map.entry("/Namespace", object(null, CONDITIONS_STATUS)),
      Map.entry("/PersistentVolumeClaim", object(null, CONDITIONS_STATUS)),
      Map.entry("/ServiceAccount", struct().field("metadata", OBJECT_META)
          .field("secrets", merge("name"))),
      Map.entry("/ComponentStatus", struct().field("metadata", OBJECT_META)
          .field("conditions", merge("type"))),
      // apps/v1
      Map.entry("apps/Deployment", object(DEPLOYMENT_SPEC, CONDITIONS_STATUS)),
      Map.entry("apps/ReplicaSet", object(TEMPLATE_SPEC, CONDITIONS_STATUS)),
      Map.entry("apps/StatefulSet", object(TEMPLATE_SPEC, CONDITIONS_STATUS)),
      Map.entry("apps/DaemonSet", object(TEMPLATE_SPEC, CONDITIONS_STATUS)),
      // batch/v1
      Map.entry("batch/Job", object(TEMPLATE_SPEC, CONDITIONS_STATUS)),
      Map.entry("batch/CronJob", object(struct().field("jobTemplate", JOB_TEMPLATE_SPEC), null)),
      // autoscaling/v2 (v1 has no conditions list; the entry is harmless there)
      Map.entry("autoscaling/HorizontalPodAutoscaler", object(null, CONDITIONS_STATUS)),
      // policy/v1: the selector is replaced whole
      Map.entry("policy/PodDisruptionBudget", object(
          struct().field("selector", FieldStrategy.replace()), CONDITIONS_STATUS)),
      // networking.k8s.io/v1
      Map.entry("networking.k8s.io/ServiceCIDR", object(null, CONDITIONS_STATUS)),
      // storage.k8s.io/v1
      Map.entry("storage.k8s.io/CSINode", object(struct().field("drivers", merge("name")), null)));

  /** API groups served by kube-apiserver itself: their kinds have at least ObjectMeta. */
  private static final Set<String> BUILT_IN_GROUPS = Set.of(
      "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "storage.k8s.io",
      "rbac.authorization.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
      "scheduling.k8s.io", "node.k8s.io", "certificates.k8s.io", "admissionregistration.k8s.io",
      "apiextensions.k8s.io", "apiregistration.k8s.io", "flowcontrol.apiserver.k8s.io",
      "resource.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
      "internal.apiserver.k8s.io", "storagemigration.k8s.io");

  static {
    KINDS.values().forEach(StructSchema::freeze);
    META_ONLY.freeze();
  }

  /**
   * The schema of a kind, by its {@code apiVersion} ({@code v1}, {@code apps/v1}, ...) and {@code
   * kind}; the version within a group does not matter. A built-in kind without tagged fields of its
   * own gets the ObjectMeta tags; a kind of any other group gets {@link PatchSchema#NONE}, under
   * which a strategic merge patch behaves like a JSON merge patch.
   */
  public static PatchSchema forKind(String apiVersion, String kind) {
    String group = groupOf(apiVersion);
    StructSchema schema = KINDS.get(group + "/" + kind);
    if (schema != null) {
      return schema;
    }
    return BUILT_IN_GROUPS.contains(group) ? META_ONLY : PatchSchema.NONE;
  }

  private static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** An object with ObjectMeta and, when given, a spec and a status. */
  private static StructSchema object(StructSchema spec, StructSchema status) {
    StructSchema s = struct().field("metadata", OBJECT_META);
    if (spec != null) {
      s.field("spec", spec);
    }
    if (status != null) {
      s.field("status", status);
    }
    return s;
  }
}
