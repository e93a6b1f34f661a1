package io.kubesim.controlplane.controller.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubesim.controlplane.scheduler.framework.RequiredNodeAffinity;
import io.kubesim.shared.api.model.Taints;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the DaemonSet controller decides about pods and nodes, as pure functions
 * (pkg/controller/daemon/daemon_controller.go and pkg/controller/daemon/util): which nodes should
 * run a daemon pod, the tolerations every daemon pod gets, the pod template with the revision
 * labels, the node affinity that pins a pod to its node, and which pods are up to date.
 */
public final class DaemonPods {

  /** The DaemonSet's template generation, kept by the apiserver in this annotation (apps/v1 conversion). */
  public static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";
  /** extensions.DaemonSetTemplateGenerationKey. */
  public static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
  /** apps.DefaultDaemonSetUniqueLabelKey (ControllerRevisionHashLabelKey). */
  public static final String HASH_LABEL = "controller-revision-hash";

  private DaemonPods() {}

  /** NodeShouldRunDaemonPod's answer: create a pod there; keep one that already runs there. */
  public record Eligibility(boolean shouldRun, boolean shouldContinueRunning) {
    static final Eligibility NO = new Eligibility(false, false);
    static final Eligibility YES = new Eligibility(true, true);
  }

  /**
   * AddOrUpdateDaemonPodTolerations: NoExecute not-ready and unreachable without
   * tolerationSeconds (daemon pods survive node problems), NoSchedule disk-, memory- and
   * pid-pressure and unschedulable, and network-unavailable for hostNetwork pods.
   */
  public static void addDaemonTolerations(PodSpec spec) {
    addOrUpdate(spec, Taints.NOT_READY, Taints.NO_EXECUTE);
    addOrUpdate(spec, Taints.UNREACHABLE, Taints.NO_EXECUTE);
    addOrUpdate(spec, Taints.DISK_PRESSURE, Taints.NO_SCHEDULE);
    addOrUpdate(spec, Taints.MEMORY_PRESSURE, Taints.NO_SCHEDULE);
    addOrUpdate(spec, Taints.PID_PRESSURE, Taints.NO_SCHEDULE);
    addOrUpdate(spec, Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE);
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      addOrUpdate(spec, Taints.NETWORK_UNAVAILABLE, Taints.NO_SCHEDULE);
    }
  }

  /** v1helper.AddOrUpdateTolerationInPodSpec: an equal toleration (key, operator, value, effect) is replaced, else appended. */
  private static void addOrUpdate(PodSpec spec, String key, String effect) {
    Toleration t = new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    List<Toleration> list = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    for (int i = 0; i < list.size(); i++) {
      Toleration old = list.get(i);
      if (Objects.equals(old.getKey(), key) && Objects.equals(old.getOperator(), "Exists")
          && nz(old.getValue()).isEmpty() && Objects.equals(old.getEffect(), effect)) {
        list.set(i, t);
        spec.setTolerations(list);
        return;
      }
    }
    list.add(t);
    spec.setTolerations(list);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** NewPod: the pod the DaemonSet would run on the node, with its tolerations, for the predicates. */
  static Pod newPod(DaemonSet ds, String nodeName) {
    PodTemplateSpec t = ds.getSpec().getTemplate();
    Pod pod = new Pod();
    pod.setMetadata(t.getMetadata() == null ? new ObjectMeta() : t.getMetadata());
    PodSpec spec = new PodSpecBuilder(t.getSpec()).build();
    spec.setNodeName(nodeName);
    addDaemonTolerations(spec);
    pod.setSpec(spec);
    return pod;
  }

  /**
   * NodeShouldRunDaemonPod: the template's nodeName (if any) and required node affinity must match
   * the node; an untolerated NoSchedule or NoExecute taint keeps new pods off, and an untolerated
   * NoExecute taint also removes the pod already there.
   */
  public static Eligibility nodeShouldRunDaemonPod(Node node, DaemonSet ds) {
    String nodeName = node.getMetadata().getName();
    String templateNode = ds.getSpec().getTemplate().getSpec() == null ? null
        : ds.getSpec().getTemplate().getSpec().getNodeName();
    if (templateNode != null && !templateNode.isEmpty() && !templateNode.equals(nodeName)) {
      return Eligibility.NO;
    }
    Pod pod = newPod(ds, nodeName);
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (!RequiredNodeAffinity.of(pod).matches(nodeName, labels)) {
      return Eligibility.NO;
    }
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    List<Toleration> tolerations = pod.getSpec().getTolerations();
    if (Taints.firstUntolerated(taints, tolerations, Taints.NO_SCHEDULE, Taints.NO_EXECUTE) != null) {
      return new Eligibility(false, Taints.firstUntolerated(taints, tolerations, Taints.NO_EXECUTE) == null);
    }
    return Eligibility.YES;
  }

  /** GetTemplateGeneration: the generation annotation, or null when absent or not a number. */
  public static Long templateGeneration(DaemonSet ds) {
    Map<String, String> ann = ds.getMetadata().getAnnotations();
    String v = ann == null ? null : ann.get(TEMPLATE_GENERATION_ANNOTATION);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
  public static PodTemplateSpec podTemplate(DaemonSet ds, Long generation, String hash) {
    PodTemplateSpec t = new PodTemplateSpecBuilder(ds.getSpec().getTemplate()).build();
    if (t.getMetadata() == null) {
      t.setMetadata(new ObjectMeta());
    } else {
      t.setMetadata(new ObjectMetaBuilder(t.getMetadata()).build());
    }
    PodSpec spec = new PodSpecBuilder(t.getSpec()).build();
    addDaemonTolerations(spec);
    t.setSpec(spec);
    Map<String, String> labels = new LinkedHashMap<>(t.getMetadata().getLabels() == null ? Map.of()
        : t.getMetadata().getLabels());
    if (generation != null) {
      labels.put(TEMPLATE_GENERATION_LABEL, Long.toString(generation));
    }
    if (hash != null && !hash.isEmpty()) {
      labels.put(HASH_LABEL, hash);
    }
    t.getMetadata().setLabels(labels);
    return t;
  }

  /**
   * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the one term
   * {@code matchFields metadata.name In [node]}, so that the default scheduler places the pod on
   * its node (the DaemonSet controller schedules through the scheduler since 1.12).
   */
  public static Affinity pinToNode(Affinity affinity, String node) {
    NodeSelectorRequirement req = new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
        .withValues(node).build();
    NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchFields(req).build();
    Affinity a = affinity == null ? new Affinity() : affinity;
    if (a.getNodeAffinity() == null) {
      a.setNodeAffinity(new NodeAffinity());
    }
    NodeSelector sel = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (sel == null) {
      sel = new NodeSelector();
      a.getNodeAffinity().setRequiredDuringSchedulingIgnoredDuringExecution(sel);
    }
    sel.setNodeSelectorTerms(new ArrayList<>(List.of(term)));
    return a;
  }

  /**
   * GetTargetNodeName: the pod's nodeName, or, for a pod not yet scheduled, the node its
   * {@code metadata.name} affinity term names; null when neither says.
   */
  public static String targetNodeName(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return null;
    }
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
      return spec.getNodeName();
    }
    if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    List<NodeSelectorTerm> terms = spec.getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    if (terms == null) {
      return null;
    }
    for (NodeSelectorTerm t : terms) {
      if (t.getMatchFields() == null) {
        continue;
      }
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null
            && r.getValues().size() == 1) {
          return r.getValues().get(0);
        }
      }
    }
    return null;
  }

  /** IsPodUpdated: the pod carries the current revision's hash, or the current template generation. */
  public static boolean isPodUpdated(Pod pod, String hash, Long generation) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    boolean templateMatches = generation != null
        && Long.toString(generation).equals(labels.get(TEMPLATE_GENERATION_LABEL));
    boolean hashMatches = hash != null && !hash.isEmpty() && hash.equals(labels.get(HASH_LABEL));
    return hashMatches || templateMatches;
  }

  /** podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name. */
  public static final Comparator<Pod> BY_CREATION_AND_PHASE = (a, b) -> {
    boolean sa = a.getSpec() != null && a.getSpec().getNodeName() != null && !a.getSpec().getNodeName().isEmpty();
    boolean sb = b.getSpec() != null && b.getSpec().getNodeName() != null && !b.getSpec().getNodeName().isEmpty();
    if (sa != sb) {
      return sa ? -1 : 1;
    }
    Instant ca = Times.parse(a.getMetadata().getCreationTimestamp());
    Instant cb = Times.parse(b.getMetadata().getCreationTimestamp());
    int c = ca == null || cb == null ? Boolean.compare(ca != null, cb != null) : ca.compareTo(cb);
    return c != 0 ? c : a.getMetadata().getName().compareTo(b.getMetadata().getName());
  };
}
