package io.kubesim.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatefulSet's pods and claims as pkg/controller/statefulset/stateful_set_utils.go makes and
 * reads them: the stable identity {@code <set>-<ordinal>} with hostname and subdomain, the labels
 * {@code statefulset.kubernetes.io/pod-name}, {@code apps.kubernetes.io/pod-index} and
 * {@code controller-revision-hash}, and one claim {@code <template>-<set>-<ordinal>} per
 * volumeClaimTemplate, mounted in place of a template volume of the same name.
 */
public final class StatefulPods {

  /** apps.StatefulSetPodNameLabel. */
  public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  /** apps.PodIndexLabel (the PodIndexLabel feature, on by default since 1.28). */
  public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  /** apps.StatefulSetRevisionLabel: the name of the ControllerRevision the pod was made from. */
  public static final String REVISION_LABEL = "controller-revision-hash";

  /** statefulPodRegex: the parent's name, a dash, the ordinal. */
  private static final Pattern POD_NAME = Pattern.compile("^(.*)-([0-9]+)$");

  private StatefulPods() {}

  /** getOrdinal: the ordinal in the pod's name, or -1 if its name has none. */
  public static int ordinal(Pod pod) {
    Matcher m = POD_NAME.matcher(pod.getMetadata().getName());
    if (!m.matches()) {
      return -1;
    }
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** isMemberOf: the pod's name is the set's name, a dash and an ordinal. */
  public static boolean isMemberOf(StatefulSet set, Pod pod) {
    Matcher m = POD_NAME.matcher(pod.getMetadata().getName());
    return m.matches() && m.group(1).equals(set.getMetadata().getName());
  }

  /** spec.ordinals.start (0 unless set). */
  public static int startOrdinal(StatefulSet set) {
    return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null ? 0
        : set.getSpec().getOrdinals().getStart();
  }

  public static int replicas(StatefulSet set) {
    return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
  }

  public static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  public static String claimName(StatefulSet set, String template, int ordinal) {
    return template + "-" + set.getMetadata().getName() + "-" + ordinal;
  }

  public static String revisionOf(Pod pod) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL);
  }

  /** isCreated: the pod has a phase (the apiserver gives every created pod Pending). */
  public static boolean isCreated(Pod pod) {
    return !Pods.phase(pod).isEmpty();
  }

  public static boolean isTerminal(Pod pod) {
    String phase = Pods.phase(pod);
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** isRunningAndReady. */
  public static boolean isRunningAndReady(Pod pod) {
    return "Running".equals(Pods.phase(pod)) && Pods.isReady(pod);
  }

  /** isRunningAndAvailable: running, and ready for longer than minReadySeconds. */
  public static boolean isRunningAndAvailable(Pod pod, int minReadySeconds, Instant now) {
    return "Running".equals(Pods.phase(pod)) && Pods.isAvailable(pod, minReadySeconds, now);
  }

  /** isHealthy: running, ready and not being deleted. */
  public static boolean isHealthy(Pod pod) {
    return isRunningAndReady(pod) && !Pods.terminating(pod);
  }

  /**
   * newStatefulSetPod and setPodRevision: the template made a pod named for its ordinal, controlled
   * by the set, with its identity (hostname, subdomain, labels) and its claims mounted.
   */
  public static Pod newPod(StatefulSet set, PodTemplateSpec template, int ordinal, String revision) {
    String name = podName(set, ordinal);
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(set.getMetadata().getNamespace());
    Map<String, String> labels = tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(REVISION_LABEL, revision);
    meta.setLabels(labels);
    meta.setAnnotations(tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations()));
    meta.setFinalizers(tm.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(tm.getFinalizers()));
    meta.setOwnerReferences(new ArrayList<>(List.of(Owners.controllerRef(set))));
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    pod.setMetadata(meta);
    pod.setSpec(new PodSpecBuilder(template.getSpec()).build());
    pod.getSpec().setHostname(name);
    pod.getSpec().setSubdomain(set.getSpec().getServiceName());
    // updateStorage: each claim replaces the template's volume of the same name.
    List<Volume> volumes = new ArrayList<>();
    Map<String, PersistentVolumeClaim> claims = claims(set, ordinal);
    for (PersistentVolumeClaim c : claims.values()) {
      String template0 = templateName(set, c);
      volumes.add(new VolumeBuilder().withName(template0).withNewPersistentVolumeClaim()
          .withClaimName(c.getMetadata().getName()).endPersistentVolumeClaim().build());
    }
    if (pod.getSpec().getVolumes() != null) {
      for (Volume v : pod.getSpec().getVolumes()) {
        if (!claims.containsKey(v.getName())) {
          volumes.add(v);
        }
      }
    }
    pod.getSpec().setVolumes(volumes.isEmpty() ? pod.getSpec().getVolumes() : volumes);
    return pod;
  }

  private static String templateName(StatefulSet set, PersistentVolumeClaim claim) {
    String name = claim.getMetadata().getName();
    String suffix = "-" + set.getMetadata().getName() + "-";
    int i = name.lastIndexOf(suffix);
    return i < 0 ? name : name.substring(0, i);
  }

  /**
   * getPersistentVolumeClaims: one claim per volumeClaimTemplate, by template name, labelled with
   * the set's matchLabels; with the retention policy's whenDeleted Delete, owned by the set.
   */
  public static Map<String, PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    Map<String, PersistentVolumeClaim> out = new LinkedHashMap<>();
    if (set.getSpec().getVolumeClaimTemplates() == null) {
      return out;
    }
    Map<String, String> matchLabels = set.getSpec().getSelector() == null
        || set.getSpec().getSelector().getMatchLabels() == null ? Map.of() : set.getSpec().getSelector().getMatchLabels();
    for (PersistentVolumeClaim t : set.getSpec().getVolumeClaimTemplates()) {
      String template = t.getMetadata().getName();
      PersistentVolumeClaim c = new PersistentVolumeClaimBuilder(t).build();
      c.setApiVersion("v1");
      c.setKind("PersistentVolumeClaim");
      ObjectMeta meta = c.getMetadata();
      meta.setName(claimName(set, template, ordinal));
      meta.setNamespace(set.getMetadata().getNamespace());
      Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
      labels.putAll(matchLabels);
      meta.setLabels(labels);
      c.setStatus(null);
      if ("Delete".equals(retention(set, true))) {
        meta.setOwnerReferences(new ArrayList<>(List.of(ownerRef(set))));
      }
      out.put(template, c);
    }
    return out;
  }

  /**
   * persistentVolumeClaimRetentionPolicy.whenDeleted (or whenScaled), Retain by default
   * (pkg/apis/apps/v1/defaults.go).
   */
  public static String retention(StatefulSet set, boolean whenDeleted) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    String v = p == null ? null : whenDeleted ? p.getWhenDeleted() : p.getWhenScaled();
    return v == null ? "Retain" : v;
  }

  /** A plain (non-controller) owner reference, as the retention policy sets on claims. */
  public static OwnerReference ownerRef(io.fabric8.kubernetes.api.model.HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
  }
}
