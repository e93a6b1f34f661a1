package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.bool;
import static io.kubesim.controlplane.apiserver.validation.Util.empty;
import static io.kubesim.controlplane.apiserver.validation.Util.list;
import static io.kubesim.controlplane.apiserver.validation.Util.num;
import static io.kubesim.controlplane.apiserver.validation.Util.sorted;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pod, PodSpec and PodTemplateSpec validation of pkg/apis/core/validation. */
final class PodValidation {

  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final List<String> HOST_PATH_TYPES =
      List.of("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
  private static final String FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";
  private static final long MAX_INT32 = Integer.MAX_VALUE;
  private static final long MAX_ID = 0xffffffffL;

  static final String UPDATABLE_FIELDS = String.join(",",
      "`spec.containers[*].image`",
      "`spec.initContainers[*].image`",
      "`spec.activeDeadlineSeconds`",
      "`spec.tolerations` (only additions to existing tolerations)",
      "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");

  private PodValidation() {}

  // ---------------------------------------------------------------- Pod

  static Errs validatePodCreate(Pod pod) {
    Errs errs = validatePodMetadataAndSpec(pod);
    PodSpec spec = spec(pod);
    FieldPath specPath = FieldPath.root("spec");
    if (!list(spec.getEphemeralContainers()).isEmpty()) {
      errs.forbidden(specPath.child("ephemeralContainers"), "cannot be set on create");
    }
    if (!empty(spec.getNodeName()) && !list(spec.getSchedulingGates()).isEmpty()) {
      errs.forbidden(specPath.child("nodeName"), "cannot be set until all schedulingGates have been cleared");
    }
    return errs;
  }

  private static Errs validatePodMetadataAndSpec(Pod pod) {
    FieldPath specPath = FieldPath.root("spec");
    Errs errs = ObjectMetaValidation.validate(pod.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
    PodSpec spec = spec(pod);
    Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey("kubernetes.io/config.mirror") && empty(spec.getNodeName())) {
      errs.invalid(FieldPath.root("metadata", "annotations").key("kubernetes.io/config.mirror"),
          annotations.get("kubernetes.io/config.mirror"), "must set spec.nodeName if mirror pod annotation is set");
    }
    errs.addAll(validatePodSpec(spec, pod.getMetadata(), specPath, true));
    if (empty(spec.getServiceAccountName())) {
      List<Volume> vols = list(spec.getVolumes());
      for (int vi = 0; vi < vols.size(); vi++) {
        var projected = vols.get(vi).getProjected();
        if (projected == null) {
          continue;
        }
        var sources = list(projected.getSources());
        for (int si = 0; si < sources.size(); si++) {
          if (sources.get(si).getServiceAccountToken() != null) {
            errs.forbidden(specPath.child("volumes").index(vi).child("projected", "sources").index(si).child("serviceAccountToken"),
                "must not be specified when serviceAccountName is not set");
          }
        }
      }
    }
    imageWhitespace(errs, spec.getContainers(), specPath.child("containers"));
    imageWhitespace(errs, spec.getInitContainers(), specPath.child("initContainers"));
    return errs;
  }

  private static void imageWhitespace(Errs errs, List<Container> containers, FieldPath p) {
    List<Container> cs = list(containers);
    for (int i = 0; i < cs.size(); i++) {
      String image = str(cs.get(i).getImage());
      if (!image.equals(image.strip())) {
        errs.invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace");
      }
    }
  }

  static Errs validatePodUpdate(Pod newPod, Pod oldPod) {
    FieldPath metaPath = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validateUpdate(newPod.getMetadata(), oldPod.getMetadata(), metaPath);
    errs.addAll(validatePodMetadataAndSpec(newPod));
    FieldPath specPath = FieldPath.root("spec");
    PodSpec ns = spec(newPod);
    PodSpec os = spec(oldPod);

    if (containerUpdates(errs, ns.getContainers(), os.getContainers(), specPath.child("containers"))) {
      return errs;
    }
    if (containerUpdates(errs, ns.getInitContainers(), os.getInitContainers(), specPath.child("initContainers"))) {
      return errs;
    }
    if (ns.getActiveDeadlineSeconds() != null) {
      long v = ns.getActiveDeadlineSeconds();
      if (v < 0 || v > MAX_INT32) {
        errs.invalid(specPath.child("activeDeadlineSeconds"), v, NameValidation.inclusiveRangeError(0, MAX_INT32));
        return errs;
      }
      if (os.getActiveDeadlineSeconds() != null && os.getActiveDeadlineSeconds() < v) {
        errs.invalid(specPath.child("activeDeadlineSeconds"), v, "must be less than or equal to previous value");
        return errs;
      }
    } else if (os.getActiveDeadlineSeconds() != null) {
      errs.invalid(specPath.child("activeDeadlineSeconds"), GoValue.raw("null"), "must not update from a positive integer to nil value");
    }
    onlyAddedTolerations(errs, ns.getTolerations(), os.getTolerations(), specPath.child("tolerations"));
    onlyDeletedSchedulingGates(errs, ns, os, specPath.child("schedulingGates"));

    ObjectNode munged = (ObjectNode) Json.tree(ns);
    ObjectNode old = (ObjectNode) Json.tree(os);
    if (munged.equals(old)) {
      return errs;
    }
    copyImages(munged, old, "containers");
    copyImages(munged, old, "initContainers");
    copyField(munged, old, "activeDeadlineSeconds");
    copyField(munged, old, "schedulingGates");
    copyField(munged, old, "tolerations");
    if (os.getTerminationGracePeriodSeconds() != null && os.getTerminationGracePeriodSeconds() < 0
        && ns.getTerminationGracePeriodSeconds() != null && ns.getTerminationGracePeriodSeconds() == 1) {
      copyField(munged, old, "terminationGracePeriodSeconds");
    }
    if (!list(os.getSchedulingGates()).isEmpty()) {
      // gated pods may gain node selector entries and node affinity
      copyField(munged, old, "nodeSelector");
      copyField(munged, old, "affinity");
    }
    if (!munged.equals(old)) {
      errs.forbidden(specPath, "pod updates may not change fields other than " + UPDATABLE_FIELDS + "\n" + SpecDiff.diff(old, munged));
    }
    return errs;
  }

  private static void copyImages(ObjectNode munged, ObjectNode old, String field) {
    JsonNode n = munged.get(field);
    JsonNode o = old.get(field);
    if (n == null || o == null || !n.isArray() || !o.isArray()) {
      return;
    }
    for (int i = 0; i < n.size() && i < o.size(); i++) {
      ObjectNode c = (ObjectNode) n.get(i);
      JsonNode image = o.get(i).get("image");
      if (image == null) {
        c.remove("image");
      } else {
        c.set("image", image);
      }
    }
  }

  private static void copyField(ObjectNode munged, ObjectNode old, String field) {
    if (old.has(field)) {
      munged.set(field, old.get(field));
    } else {
      munged.remove(field);
    }
  }

  /** ValidateContainerUpdates; true means stop. */
  private static boolean containerUpdates(Errs errs, List<Container> newCs, List<Container> oldCs, FieldPath p) {
    List<Container> n = list(newCs);
    if (n.size() != list(oldCs).size()) {
      errs.forbidden(p, "pod updates may not add or remove containers");
      return true;
    }
    for (int i = 0; i < n.size(); i++) {
      String image = str(n.get(i).getImage());
      if (image.isEmpty()) {
        errs.required(p.index(i).child("image"), "");
      }
      if (!image.strip().equals(image)) {
        errs.invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace");
      }
    }
    return false;
  }

  private static void onlyAddedTolerations(Errs errs, List<Toleration> newT, List<Toleration> oldT, FieldPath p) {
    for (Toleration old : list(oldT)) {
      boolean found = false;
      for (Toleration t : list(newT)) {
        if (Objects.equals(str(old.getKey()), str(t.getKey())) && Objects.equals(str(old.getOperator()), str(t.getOperator()))
            && Objects.equals(str(old.getValue()), str(t.getValue())) && Objects.equals(str(old.getEffect()), str(t.getEffect()))) {
          found = true;
          break;
        }
      }
      if (!found) {
        errs.forbidden(p, "existing toleration can not be modified except its tolerationSeconds");
        return;
      }
    }
    validateTolerations(errs, newT, p);
  }

  private static void onlyDeletedSchedulingGates(Errs errs, PodSpec ns, PodSpec os, FieldPath p) {
    var newGates = list(ns.getSchedulingGates());
    Set<String> oldNames = new HashSet<>();
    for (var g : list(os.getSchedulingGates())) {
      oldNames.add(g.getName());
    }
    for (int i = 0; i < newGates.size(); i++) {
      if (!oldNames.contains(newGates.get(i).getName())) {
        errs.forbidden(p.index(i).child("name"), "only deletion is allowed, but found new scheduling gate '" + newGates.get(i).getName() + "'");
      }
    }
  }

  static Errs validatePodStatusUpdate(Pod newPod, Pod oldPod) {
    Errs errs = ObjectMetaValidation.validateUpdate(newPod.getMetadata(), oldPod.getMetadata(), FieldPath.root("metadata"));
    FieldPath status = FieldPath.root("status");
    if (!Objects.equals(str(spec(newPod).getNodeName()), str(spec(oldPod).getNodeName()))) {
      errs.forbidden(status.child("nodeName"), "may not be changed directly");
    }
    var ns = newPod.getStatus();
    var os = oldPod.getStatus();
    String newNominated = ns == null ? "" : str(ns.getNominatedNodeName());
    String oldNominated = os == null ? "" : str(os.getNominatedNodeName());
    if (!newNominated.equals(oldNominated) && !newNominated.isEmpty()) {
      errs.invalidEach(status.child("nominatedNodeName"), newNominated, NameValidation.nameIsDnsSubdomain(newNominated, false));
    }
    String newQos = ns == null ? "" : str(ns.getQosClass());
    String oldQos = os == null ? "" : str(os.getQosClass());
    errs.immutable(newQos.equals(oldQos), newQos, status.child("qosClass"));
    if (ns != null) {
      var conditions = list(ns.getConditions());
      for (int i = 0; i < conditions.size(); i++) {
        String type = str(conditions.get(i).getType());
        if (!Set.of("PodScheduled", "Ready", "Initialized").contains(type)) {
          errs.invalidEach(FieldPath.root("metadata", "conditions").index(i).child("Type"), type, NameValidation.isQualifiedName(type));
        }
      }
    }
    return errs;
  }

  private static PodSpec spec(Pod pod) {
    return pod.getSpec() == null ? new PodSpec() : pod.getSpec();
  }

  // ---------------------------------------------------------------- templates

  /** ValidatePodTemplateSpec. */
  static Errs validatePodTemplateSpec(PodTemplateSpec template, FieldPath p) {
    Errs errs = new Errs();
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    ObjectMetaValidation.validateLabels(errs, meta.getLabels(), p.child("labels"));
    ObjectMetaValidation.validateAnnotations(errs, meta.getAnnotations(), p.child("annotations"));
    PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
    errs.addAll(validatePodSpec(spec, null, p.child("spec"), false));
    if (!list(spec.getEphemeralContainers()).isEmpty()) {
      errs.forbidden(p.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template");
    }
    return errs;
  }

  // ---------------------------------------------------------------- PodSpec

  static Errs validatePodSpec(PodSpec spec, ObjectMeta podMeta, FieldPath p, boolean isPod) {
    Errs errs = new Errs();
    if (spec.getTerminationGracePeriodSeconds() == null) {
      errs.required(p.child("terminationGracePeriodSeconds"), "");
    }
    Map<String, Volume> vols = validateVolumes(errs, spec.getVolumes(), p.child("volumes"));
    String restartPolicy = str(spec.getRestartPolicy());
    validateContainers(errs, spec.getContainers(), vols, spec.getTerminationGracePeriodSeconds(), p.child("containers"), restartPolicy);
    validateInitContainers(errs, spec.getInitContainers(), spec.getContainers(), vols, spec.getTerminationGracePeriodSeconds(),
        p.child("initContainers"), restartPolicy);
    hostNetworkDeps(errs, spec, p, isPod);
    if (restartPolicy.isEmpty()) {
      errs.required(p.child("restartPolicy"), "");
    } else if (!RESTART_POLICIES.contains(restartPolicy)) {
      errs.notSupported(p.child("restartPolicy"), restartPolicy, RESTART_POLICIES);
    }
    String dnsPolicy = str(spec.getDnsPolicy());
    if (dnsPolicy.isEmpty()) {
      errs.required(p.child("dnsPolicy"), "");
    } else if (!DNS_POLICIES.contains(dnsPolicy)) {
      errs.notSupported(p.child("dnsPolicy"), dnsPolicy, DNS_POLICIES);
    }
    ObjectMetaValidation.validateLabels(errs, spec.getNodeSelector(), p.child("nodeSelector"));
    podSecurityContext(errs, spec.getSecurityContext(), p.child("securityContext"));
    validateAffinity(errs, spec.getAffinity(), p.child("affinity"));
    if ("None".equals(dnsPolicy)) {
      if (spec.getDnsConfig() == null) {
        errs.required(p.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
      } else if (list(spec.getDnsConfig().getNameservers()).isEmpty()) {
        errs.required(p.child("dnsConfig", "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None");
      }
    }
    var gates = list(spec.getReadinessGates());
    for (int i = 0; i < gates.size(); i++) {
      String t = str(gates.get(i).getConditionType());
      errs.invalidEach(p.child("readinessGates").index(i).child("conditionType"), t, NameValidation.isQualifiedName(t));
    }
    var sgates = list(spec.getSchedulingGates());
    Set<String> seenGates = new HashSet<>();
    for (int i = 0; i < sgates.size(); i++) {
      String n = str(sgates.get(i).getName());
      errs.invalidEach(p.child("schedulingGates").index(i), n, NameValidation.isQualifiedName(n));
      if (!seenGates.add(n)) {
        errs.duplicate(p.child("schedulingGates").index(i), n);
      }
    }
    topologySpread(errs, spec.getTopologySpreadConstraints(), p.child("topologySpreadConstraints"));
    if (!empty(spec.getServiceAccountName())) {
      errs.invalidEach(p.child("serviceAccountName"), spec.getServiceAccountName(),
          NameValidation.nameIsDnsSubdomain(spec.getServiceAccountName(), false));
    }
    if (!empty(spec.getNodeName())) {
      errs.invalidEach(p.child("nodeName"), spec.getNodeName(), NameValidation.nameIsDnsSubdomain(spec.getNodeName(), false));
    }
    if (spec.getActiveDeadlineSeconds() != null) {
      long v = spec.getActiveDeadlineSeconds();
      if (v < 1 || v > MAX_INT32) {
        errs.invalid(p.child("activeDeadlineSeconds"), v, NameValidation.inclusiveRangeError(1, MAX_INT32));
      }
    }
    if (!empty(spec.getHostname())) {
      errs.invalidEach(p.child("hostname"), spec.getHostname(), NameValidation.isDns1123Label(spec.getHostname()));
    }
    if (!empty(spec.getSubdomain())) {
      errs.invalidEach(p.child("subdomain"), spec.getSubdomain(), NameValidation.isDns1123Label(spec.getSubdomain()));
    }
    if (!list(spec.getTolerations()).isEmpty()) {
      validateTolerations(errs, spec.getTolerations(), p.child("tolerations"));
    }
    if (!empty(spec.getPriorityClassName())) {
      errs.invalidEach(p.child("priorityClassName"), spec.getPriorityClassName(),
          NameValidation.nameIsDnsSubdomain(spec.getPriorityClassName(), false));
    }
    if (spec.getRuntimeClassName() != null) {
      errs.invalidEach(p.child("runtimeClassName"), spec.getRuntimeClassName(),
          NameValidation.nameIsDnsSubdomain(spec.getRuntimeClassName(), false));
    }
    if (spec.getPreemptionPolicy() != null) {
      validatePreemptionPolicy(errs, spec.getPreemptionPolicy(), p.child("preemptionPolicy"));
    }
    if (spec.getOverhead() != null) {
      ResourceRequirements rr = new ResourceRequirements();
      rr.setLimits(spec.getOverhead());
      validateResources(errs, rr, p.child("overhead"));
    }
    if (spec.getOs() != null) {
      String os = str(spec.getOs().getName());
      if (os.isEmpty()) {
        errs.required(p.child("os", "name"), "cannot be empty");
      } else if (!os.equals("linux") && !os.equals("windows")) {
        errs.notSupported(p.child("os"), os, List.of("linux", "windows"));
      }
    }
    return errs;
  }

  static void validatePreemptionPolicy(Errs errs, String policy, FieldPath p) {
    switch (policy) {
      case "PreemptLowerPriority", "Never" -> { }
      case "" -> errs.required(p, "");
      default -> errs.notSupported(p, policy, List.of("PreemptLowerPriority", "Never"));
    }
  }

  // ---------------------------------------------------------------- volumes

  private static Map<String, Volume> validateVolumes(Errs errs, List<Volume> volumes, FieldPath p) {
    Map<String, Volume> names = new HashMap<>();
    List<Volume> vs = list(volumes);
    for (int i = 0; i < vs.size(); i++) {
      Volume v = vs.get(i);
      FieldPath idx = p.index(i);
      Errs el = new Errs();
      volumeSource(el, v, idx);
      String name = str(v.getName());
      if (name.isEmpty()) {
        el.required(idx.child("name"), "");
      } else {
        el.invalidEach(idx.child("name"), name, NameValidation.isDns1123Label(name));
      }
      if (names.containsKey(name)) {
        el.duplicate(idx.child("name"), name);
      }
      if (el.isEmpty()) {
        names.put(name, v);
      } else {
        errs.addAll(el);
      }
    }
    return names;
  }

  private static void volumeSource(Errs errs, Volume v, FieldPath p) {
    JsonNode tree = Json.tree(v);
    List<String> sources = new ArrayList<>();
    for (Iterator<String> it = tree.propertyNames().iterator(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("name") && !tree.get(f).isNull()) {
        sources.add(f);
      }
    }
    if (sources.isEmpty()) {
      errs.required(p, "must specify a volume type");
      return;
    }
    for (int i = 1; i < sources.size(); i++) {
      errs.forbidden(p.child(sources.get(i)), "may not specify more than 1 volume type");
    }
    String kind = sources.get(0);
    switch (kind) {
      case "emptyDir" -> {
        Quantity limit = v.getEmptyDir().getSizeLimit();
        if (limit != null) {
          try {
            if (Quantities.parse(limit).signum() < 0) {
              errs.forbidden(p.child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity");
            }
          } catch (Quantities.QuantityException e) {
            errs.invalid(p.child("emptyDir", "sizeLimit"), Quantities.text(limit), e.getMessage());
          }
        }
      }
      case "hostPath" -> {
        String path = str(v.getHostPath().getPath());
        if (path.isEmpty()) {
          errs.required(p.child("hostPath", "path"), "");
          return;
        }
        noBacksteps(errs, path, p.child("hostPath", "path"));
        String type = v.getHostPath().getType();
        if (type != null && !HOST_PATH_TYPES.contains(type)) {
          errs.notSupported(p.child("hostPath", "type"), type, HOST_PATH_TYPES);
        }
      }
      case "secret" -> {
        var s = v.getSecret();
        if (empty(s.getSecretName())) {
          errs.required(p.child("secret", "secretName"), "");
        }
        fileMode(errs, s.getDefaultMode(), p.child("secret", "defaultMode"));
        keyToPaths(errs, s.getItems(), p.child("secret", "items"));
      }
      case "configMap" -> {
        var c = v.getConfigMap();
        if (empty(c.getName())) {
          errs.required(p.child("configMap", "name"), "");
        }
        fileMode(errs, c.getDefaultMode(), p.child("configMap", "defaultMode"));
        keyToPaths(errs, c.getItems(), p.child("configMap", "items"));
      }
      case "persistentVolumeClaim" -> {
        if (empty(v.getPersistentVolumeClaim().getClaimName())) {
          errs.required(p.child("persistentVolumeClaim", "claimName"), "");
        }
      }
      case "nfs" -> {
        var n = v.getNfs();
        if (empty(n.getServer())) {
          errs.required(p.child("nfs", "server"), "");
        }
        if (empty(n.getPath())) {
          errs.required(p.child("nfs", "path"), "");
        }
        if (!str(n.getPath()).startsWith("/")) {
          errs.invalid(p.child("nfs", "path"), str(n.getPath()), "must be an absolute path");
        }
      }
      case "downwardAPI" -> fileMode(errs, v.getDownwardAPI().getDefaultMode(), p.child("downwardAPI", "defaultMode"));
      case "projected" -> fileMode(errs, v.getProjected().getDefaultMode(), p.child("projected", "defaultMode"));
      case "csi" -> {
        if (empty(v.getCsi().getDriver())) {
          errs.required(p.child("csi", "driver"), "");
        }
      }
      default -> { }
    }
  }

  private static void fileMode(Errs errs, Integer mode, FieldPath p) {
    if (mode != null && (mode > 0777 || mode < 0)) {
      errs.invalid(p, mode, FILE_MODE_ERROR);
    }
  }

  private static void keyToPaths(Errs errs, List<KeyToPath> items, FieldPath p) {
    List<KeyToPath> ks = list(items);
    for (int i = 0; i < ks.size(); i++) {
      KeyToPath k = ks.get(i);
      FieldPath ip = p.index(i);
      if (empty(k.getKey())) {
        errs.required(ip.child("key"), "");
      }
      if (empty(k.getPath())) {
        errs.required(ip.child("path"), "");
      }
      localNonReservedPath(errs, str(k.getPath()), ip.child("path"));
      fileMode(errs, k.getMode(), ip.child("mode"));
    }
  }

  private static void localNonReservedPath(Errs errs, String path, FieldPath p) {
    localDescendingPath(errs, path, p);
    if (path.startsWith("..") && !path.startsWith("../")) {
      errs.invalid(p, path, "must not start with '..'");
    }
  }

  private static void localDescendingPath(Errs errs, String path, FieldPath p) {
    if (path.startsWith("/")) {
      errs.invalid(p, path, "must be a relative path");
    }
    noBacksteps(errs, path, p);
  }

  private static void noBacksteps(Errs errs, String path, FieldPath p) {
    for (String part : path.replace('\\', '/').split("/", -1)) {
      if (part.equals("..")) {
        errs.invalid(p, path, "must not contain '..'");
        return;
      }
    }
  }

  // ---------------------------------------------------------------- containers

  private static void validateContainers(Errs errs, List<Container> containers, Map<String, Volume> vols, Long grace,
      FieldPath p, String podRestartPolicy) {
    List<Container> cs = list(containers);
    if (cs.isEmpty()) {
      errs.required(p, "");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < cs.size(); i++) {
      Container c = cs.get(i);
      FieldPath cp = p.index(i);
      containerCommon(errs, c, vols, cp, podRestartPolicy);
      if (!names.add(str(c.getName()))) {
        errs.duplicate(cp.child("name"), str(c.getName()));
      }
      if (c.getLifecycle() != null) {
        lifecycle(errs, c, grace, cp.child("lifecycle"));
      }
      probes(errs, c, grace, cp);
      if (c.getRestartPolicy() != null) {
        errs.forbidden(cp.child("restartPolicy"), "may not be set for non-init containers");
      }
    }
    hostPortConflicts(errs, cs, p);
  }

  private static void validateInitContainers(Errs errs, List<Container> inits, List<Container> regular, Map<String, Volume> vols,
      Long grace, FieldPath p, String podRestartPolicy) {
    Set<String> names = new HashSet<>();
    for (Container c : list(regular)) {
      names.add(str(c.getName()));
    }
    List<Container> cs = list(inits);
    for (int i = 0; i < cs.size(); i++) {
      Container c = cs.get(i);
      FieldPath cp = p.index(i);
      containerCommon(errs, c, vols, cp, podRestartPolicy);
      boolean restartAlways = false;
      if (c.getRestartPolicy() != null) {
        if (!c.getRestartPolicy().equals("Always")) {
          errs.notSupported(cp.child("restartPolicy"), c.getRestartPolicy(), List.of("Always"));
        }
        restartAlways = c.getRestartPolicy().equals("Always");
      }
      if (names.contains(str(c.getName()))) {
        errs.duplicate(cp.child("name"), str(c.getName()));
      } else if (!empty(c.getName())) {
        names.add(c.getName());
      }
      hostPortConflicts(errs, List.of(c), p);
      if (restartAlways) {
        if (c.getLifecycle() != null) {
          lifecycle(errs, c, grace, cp.child("lifecycle"));
        }
        probes(errs, c, grace, cp);
      } else {
        String msg = "may not be set for init containers without restartPolicy=Always";
        if (c.getLifecycle() != null) {
          errs.forbidden(cp.child("lifecycle"), msg);
        }
        if (c.getLivenessProbe() != null) {
          errs.forbidden(cp.child("livenessProbe"), msg);
        }
        if (c.getReadinessProbe() != null) {
          errs.forbidden(cp.child("readinessProbe"), msg);
        }
        if (c.getStartupProbe() != null) {
          errs.forbidden(cp.child("startupProbe"), msg);
        }
      }
      if (!list(c.getResizePolicy()).isEmpty() && !restartAlways) {
        errs.invalid(cp.child("resizePolicy"), GoValue.raw("[]core.ContainerResizePolicy{...}"), "must not be set for init containers");
      }
    }
  }

  private static void containerCommon(Errs errs, Container c, Map<String, Volume> vols, FieldPath p, String podRestartPolicy) {
    String name = str(c.getName());
    if (name.isEmpty()) {
      errs.required(p.child("name"), "");
    } else {
      errs.invalidEach(p.child("name"), name, NameValidation.isDns1123Label(name));
    }
    if (empty(c.getImage())) {
      errs.required(p.child("image"), "");
    }
    String tmp = str(c.getTerminationMessagePolicy());
    switch (tmp) {
      case "File", "FallbackToLogsOnError" -> { }
      case "" -> errs.required(p.child("terminationMessagePolicy"), "");
      default -> errs.notSupported(p.child("terminationMessagePolicy"), tmp, List.of("File", "FallbackToLogsOnError"));
    }
    containerPorts(errs, c.getPorts(), p.child("ports"));
    env(errs, c.getEnv(), p.child("env"));
    envFrom(errs, c.getEnvFrom(), p.child("envFrom"));
    volumeMounts(errs, c, vols, p.child("volumeMounts"));
    String pull = str(c.getImagePullPolicy());
    if (pull.isEmpty()) {
      errs.required(p.child("imagePullPolicy"), "");
    } else if (!PULL_POLICIES.contains(pull)) {
      errs.notSupported(p.child("imagePullPolicy"), pull, PULL_POLICIES);
    }
    if (c.getResources() != null) {
      validateResources(errs, c.getResources(), p.child("resources"));
    }
    resizePolicy(errs, c, p.child("resizePolicy"), podRestartPolicy);
    securityContext(errs, c.getSecurityContext(), p.child("securityContext"));
  }

  private static void resizePolicy(Errs errs, Container c, FieldPath p, String podRestartPolicy) {
    Set<String> seen = new HashSet<>();
    var policies = list(c.getResizePolicy());
    for (int i = 0; i < policies.size(); i++) {
      var rp = policies.get(i);
      String rn = str(rp.getResourceName());
      if (!seen.add(rn)) {
        errs.duplicate(p.index(i), rn);
      }
      switch (rn) {
        case "cpu", "memory" -> { }
        case "" -> errs.required(p, "");
        default -> errs.notSupported(p, rn, List.of("cpu", "memory"));
      }
      String pol = str(rp.getRestartPolicy());
      switch (pol) {
        case "NotRequired", "RestartContainer" -> { }
        case "" -> errs.required(p, "");
        default -> errs.notSupported(p, pol, List.of("NotRequired", "RestartContainer"));
      }
      if ("Never".equals(podRestartPolicy) && !pol.equals("NotRequired")) {
        errs.invalid(p, pol, "must be 'NotRequired' when `restartPolicy` is 'Never'");
      }
    }
  }

  private static void containerPorts(Errs errs, List<ContainerPort> ports, FieldPath p) {
    Set<String> names = new HashSet<>();
    List<ContainerPort> ps = list(ports);
    for (int i = 0; i < ps.size(); i++) {
      ContainerPort port = ps.get(i);
      FieldPath ip = p.index(i);
      if (!empty(port.getName())) {
        List<String> msgs = NameValidation.isValidPortName(port.getName());
        if (!msgs.isEmpty()) {
          errs.invalidEach(ip.child("name"), port.getName(), msgs);
        } else if (!names.add(port.getName())) {
          errs.duplicate(ip.child("name"), port.getName());
        }
      }
      long cp = num(port.getContainerPort());
      if (cp == 0) {
        errs.required(ip.child("containerPort"), "");
      } else {
        errs.invalidEach(ip.child("containerPort"), (int) cp, NameValidation.isValidPortNum(cp));
      }
      long hp = num(port.getHostPort());
      if (hp != 0) {
        errs.invalidEach(ip.child("hostPort"), (int) hp, NameValidation.isValidPortNum(hp));
      }
      String proto = str(port.getProtocol());
      if (proto.isEmpty()) {
        errs.required(ip.child("protocol"), "");
      } else if (!PROTOCOLS.contains(proto)) {
        errs.notSupported(ip.child("protocol"), proto, PROTOCOLS);
      }
    }
  }

  private static void hostPortConflicts(Errs errs, List<Container> containers, FieldPath p) {
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < containers.size(); ci++) {
      List<ContainerPort> ps = list(containers.get(ci).getPorts());
      for (int pi = 0; pi < ps.size(); pi++) {
        long hp = num(ps.get(pi).getHostPort());
        if (hp == 0) {
          continue;
        }
        String key = str(ps.get(pi).getProtocol()) + "/" + str(ps.get(pi).getHostIP()) + "/" + hp;
        if (!seen.add(key)) {
          errs.duplicate(p.index(ci).child("ports").index(pi).child("hostPort"), key);
        }
      }
    }
  }

  private static void hostNetworkDeps(Errs errs, PodSpec spec, FieldPath p, boolean isPod) {
    if (!bool(spec.getHostNetwork())) {
      return;
    }
    List<Container> cs = list(spec.getContainers());
    for (int i = 0; i < cs.size(); i++) {
      List<ContainerPort> ps = list(cs.get(i).getPorts());
      for (int j = 0; j < ps.size(); j++) {
        long hp = num(ps.get(j).getHostPort());
        long cp = num(ps.get(j).getContainerPort());
        if ((isPod || hp != 0) && hp != cp) {
          errs.invalid(p.child("containers").index(i).child("ports").index(j).child("hostPort"), (int) hp,
              "must match `containerPort` when `hostNetwork` is true");
        }
      }
    }
  }

  private static void env(Errs errs, List<EnvVar> vars, FieldPath p) {
    List<EnvVar> vs = list(vars);
    for (int i = 0; i < vs.size(); i++) {
      EnvVar ev = vs.get(i);
      FieldPath ip = p.index(i);
      if (empty(ev.getName())) {
        errs.required(ip.child("name"), "");
      } else {
        errs.invalidEach(ip.child("name"), ev.getName(), NameValidation.isEnvVarName(ev.getName()));
      }
      EnvVarSource from = ev.getValueFrom();
      if (from == null) {
        continue;
      }
      FieldPath fp = ip.child("valueFrom");
      int n = 0;
      if (from.getFieldRef() != null) {
        n++;
        if (empty(from.getFieldRef().getApiVersion())) {
          errs.required(fp.child("fieldRef", "apiVersion"), "");
        } else if (empty(from.getFieldRef().getFieldPath())) {
          errs.required(fp.child("fieldRef", "fieldPath"), "");
        }
      }
      if (from.getResourceFieldRef() != null) {
        n++;
        if (empty(from.getResourceFieldRef().getResource())) {
          errs.required(fp.child("resourceFieldRef", "resource"), "");
        }
      }
      if (from.getConfigMapKeyRef() != null) {
        n++;
        keySelector(errs, from.getConfigMapKeyRef().getName(), from.getConfigMapKeyRef().getKey(), fp.child("configMapKeyRef"));
      }
      if (from.getSecretKeyRef() != null) {
        n++;
        keySelector(errs, from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey(), fp.child("secretKeyRef"));
      }
      if (n == 0) {
        errs.invalid(fp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
      } else if (!empty(ev.getValue())) {
        errs.invalid(fp, "", "may not be specified when `value` is not empty");
      } else if (n > 1) {
        errs.invalid(fp, "", "may not have more than one field specified at a time");
      }
    }
  }

  private static void keySelector(Errs errs, String name, String key, FieldPath p) {
    errs.invalidEach(p.child("name"), str(name), NameValidation.nameIsDnsSubdomain(str(name), false));
    if (empty(key)) {
      errs.required(p.child("key"), "");
    } else {
      errs.invalidEach(p.child("key"), key, NameValidation.isConfigMapKey(key));
    }
  }

  private static void envFrom(Errs errs, List<EnvFromSource> sources, FieldPath p) {
    List<EnvFromSource> ss = list(sources);
    for (int i = 0; i < ss.size(); i++) {
      EnvFromSource s = ss.get(i);
      FieldPath ip = p.index(i);
      if (!empty(s.getPrefix())) {
        errs.invalidEach(ip.child("prefix"), s.getPrefix(), NameValidation.isEnvVarName(s.getPrefix()));
      }
      int n = 0;
      if (s.getConfigMapRef() != null) {
        n++;
        refName(errs, s.getConfigMapRef().getName(), ip.child("configMapRef"));
      }
      if (s.getSecretRef() != null) {
        n++;
        refName(errs, s.getSecretRef().getName(), ip.child("secretRef"));
      }
      if (n == 0) {
        errs.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`");
      } else if (n > 1) {
        errs.invalid(p, "", "may not have more than one field specified at a time");
      }
    }
  }

  private static void refName(Errs errs, String name, FieldPath p) {
    if (empty(name)) {
      errs.required(p.child("name"), "");
    } else {
      errs.invalidEach(p.child("name"), name, NameValidation.nameIsDnsSubdomain(name, true));
    }
  }

  private static void volumeMounts(Errs errs, Container c, Map<String, Volume> vols, FieldPath p) {
    Set<String> mountPoints = new HashSet<>();
    List<VolumeMount> ms = list(c.getVolumeMounts());
    Map<String, String> devices = new HashMap<>();
    for (var d : list(c.getVolumeDevices())) {
      devices.put(str(d.getName()), str(d.getDevicePath()));
    }
    for (int i = 0; i < ms.size(); i++) {
      VolumeMount m = ms.get(i);
      FieldPath ip = p.index(i);
      String name = str(m.getName());
      if (name.isEmpty()) {
        errs.required(ip.child("name"), "");
      }
      if (!vols.containsKey(name)) {
        errs.notFound(ip.child("name"), name);
      }
      String mp = str(m.getMountPath());
      if (mp.isEmpty()) {
        errs.required(ip.child("mountPath"), "");
      }
      if (!mountPoints.add(mp)) {
        errs.invalid(ip.child("mountPath"), mp, "must be unique");
      }
      if (devices.containsKey(name)) {
        errs.invalid(ip.child("name"), name, "must not already exist in volumeDevices");
      }
      if (devices.containsValue(mp)) {
        errs.invalid(ip.child("mountPath"), mp, "must not already exist as a path in volumeDevices");
      }
      if (!empty(m.getSubPath())) {
        localDescendingPath(errs, m.getSubPath(), p.child("subPath"));
      }
      if (!empty(m.getSubPathExpr())) {
        if (!empty(m.getSubPath())) {
          errs.invalid(ip.child("subPathExpr"), m.getSubPathExpr(), "subPathExpr and subPath are mutually exclusive");
        }
        localDescendingPath(errs, m.getSubPathExpr(), p.child("subPathExpr"));
      }
      if (m.getMountPropagation() != null) {
        List<String> supported = List.of("Bidirectional", "HostToContainer", "None");
        if (!supported.contains(m.getMountPropagation())) {
          errs.notSupported(p.child("mountPropagation"), m.getMountPropagation(), supported);
        }
        boolean privileged = c.getSecurityContext() != null && bool(c.getSecurityContext().getPrivileged());
        if (m.getMountPropagation().equals("Bidirectional") && !privileged) {
          errs.forbidden(p.child("mountPropagation"), "Bidirectional mount propagation is available only to privileged containers");
        }
      }
    }
  }

  // ---------------------------------------------------------------- probes and handlers

  private static void probes(Errs errs, Container c, Long grace, FieldPath cp) {
    if (c.getLivenessProbe() != null) {
      probe(errs, c.getLivenessProbe(), grace, cp.child("livenessProbe"));
      if (num(c.getLivenessProbe().getSuccessThreshold()) != 1) {
        errs.invalid(cp.child("livenessProbe", "successThreshold"), (int) num(c.getLivenessProbe().getSuccessThreshold()), "must be 1");
      }
    }
    if (c.getReadinessProbe() != null) {
      probe(errs, c.getReadinessProbe(), grace, cp.child("readinessProbe"));
      if (c.getReadinessProbe().getTerminationGracePeriodSeconds() != null) {
        errs.invalid(cp.child("readinessProbe", "terminationGracePeriodSeconds"),
            c.getReadinessProbe().getTerminationGracePeriodSeconds(), "must not be set for readinessProbes");
      }
    }
    if (c.getStartupProbe() != null) {
      probe(errs, c.getStartupProbe(), grace, cp.child("startupProbe"));
      if (num(c.getStartupProbe().getSuccessThreshold()) != 1) {
        errs.invalid(cp.child("startupProbe", "successThreshold"), (int) num(c.getStartupProbe().getSuccessThreshold()), "must be 1");
      }
    }
  }

  private static void probe(Errs errs, Probe pr, Long grace, FieldPath p) {
    List<String> kinds = new ArrayList<>();
    if (pr.getExec() != null) {
      kinds.add("exec");
    }
    if (pr.getHttpGet() != null) {
      kinds.add("httpGet");
    }
    if (pr.getTcpSocket() != null) {
      kinds.add("tcpSocket");
    }
    if (pr.getGrpc() != null) {
      kinds.add("grpc");
    }
    handler(errs, kinds, pr.getExec() == null ? null : pr.getExec().getCommand(), pr.getHttpGet(),
        pr.getTcpSocket() == null ? null : pr.getTcpSocket().getPort(), pr.getGrpc() == null ? null : pr.getGrpc().getPort(), null,
        grace, p);
    errs.nonNegative(num(pr.getInitialDelaySeconds()), p.child("initialDelaySeconds"));
    errs.nonNegative(num(pr.getTimeoutSeconds()), p.child("timeoutSeconds"));
    errs.nonNegative(num(pr.getPeriodSeconds()), p.child("periodSeconds"));
    errs.nonNegative(num(pr.getSuccessThreshold()), p.child("successThreshold"));
    errs.nonNegative(num(pr.getFailureThreshold()), p.child("failureThreshold"));
    if (pr.getTerminationGracePeriodSeconds() != null && pr.getTerminationGracePeriodSeconds() <= 0) {
      errs.invalid(p.child("terminationGracePeriodSeconds"), pr.getTerminationGracePeriodSeconds(), "must be greater than 0");
    }
  }

  private static void lifecycle(Errs errs, Container c, Long grace, FieldPath p) {
    lifecycleHandler(errs, c.getLifecycle().getPostStart(), grace, p.child("postStart"));
    lifecycleHandler(errs, c.getLifecycle().getPreStop(), grace, p.child("preStop"));
  }

  private static void lifecycleHandler(Errs errs, LifecycleHandler h, Long grace, FieldPath p) {
    if (h == null) {
      return;
    }
    List<String> kinds = new ArrayList<>();
    if (h.getExec() != null) {
      kinds.add("exec");
    }
    if (h.getHttpGet() != null) {
      kinds.add("httpGet");
    }
    if (h.getTcpSocket() != null) {
      kinds.add("tcpSocket");
    }
    if (h.getSleep() != null) {
      kinds.add("sleep");
    }
    handler(errs, kinds, h.getExec() == null ? null : h.getExec().getCommand(), h.getHttpGet(),
        h.getTcpSocket() == null ? null : h.getTcpSocket().getPort(), null,
        h.getSleep() == null ? null : num(h.getSleep().getSeconds()), grace, p);
  }

  private static void handler(Errs errs, List<String> kinds, List<String> command, HTTPGetAction http, IntOrString tcpPort,
      Integer grpcPort, Long sleepSeconds, Long grace, FieldPath p) {
    if (kinds.isEmpty()) {
      errs.required(p, "must specify a handler type");
      return;
    }
    for (int i = 1; i < kinds.size(); i++) {
      errs.forbidden(p.child(kinds.get(i)), "may not specify more than 1 handler type");
    }
    switch (kinds.get(0)) {
      case "exec" -> {
        if (list(command).isEmpty()) {
          errs.required(p.child("exec", "command"), "");
        }
      }
      case "httpGet" -> {
        FieldPath hp = p.child("httpGet");
        if (empty(http.getPath())) {
          errs.required(hp.child("path"), "");
        }
        portNumOrName(errs, http.getPort(), hp.child("port"));
        String scheme = str(http.getScheme());
        if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
          errs.notSupported(hp.child("scheme"), scheme, List.of("HTTP", "HTTPS"));
        }
        for (HTTPHeader h : list(http.getHttpHeaders())) {
          errs.invalidEach(hp.child("httpHeaders"), str(h.getName()), NameValidation.isHttpHeaderName(str(h.getName())));
        }
      }
      case "tcpSocket" -> portNumOrName(errs, tcpPort, p.child("tcpSocket", "port"));
      case "grpc" -> errs.invalidEach(p.child("grpc", "port"), (int) num(grpcPort), NameValidation.isValidPortNum(num(grpcPort)));
      case "sleep" -> {
        if (grace != null && (sleepSeconds < 0 || sleepSeconds > grace)) {
          errs.invalid(p.child("sleep"), sleepSeconds,
              "must be non-negative and less than terminationGracePeriodSeconds (" + grace + ")");
        }
      }
      default -> { }
    }
  }

  /** ValidatePortNumOrName. */
  static void portNumOrName(Errs errs, IntOrString port, FieldPath p) {
    if (port == null) {
      errs.invalidEach(p, 0, NameValidation.isValidPortNum(0));
    } else if (port.getIntVal() != null) {
      errs.invalidEach(p, port.getIntVal(), NameValidation.isValidPortNum(port.getIntVal()));
    } else {
      errs.invalidEach(p, str(port.getStrVal()), NameValidation.isValidPortName(str(port.getStrVal())));
    }
  }

  // ---------------------------------------------------------------- resources

  /** validateResourceRequirements with the container resource-name rule. */
  static void validateResources(Errs errs, ResourceRequirements rr, FieldPath p) {
    FieldPath limPath = p.child("limits");
    FieldPath reqPath = p.child("requests");
    Map<String, Quantities.Parsed> limits = new HashMap<>();
    boolean limCpuMem = false;
    boolean reqCpuMem = false;
    boolean hugePages = false;
    for (Map.Entry<String, Quantity> e : sorted(rr.getLimits()).entrySet()) {
      FieldPath fp = limPath.key(e.getKey());
      containerResourceName(errs, e.getKey(), fp);
      Quantities.Parsed q = quantityValue(errs, e.getKey(), e.getValue(), fp);
      if (q != null) {
        limits.put(e.getKey(), q);
      }
      hugePages |= e.getKey().startsWith("hugepages-");
      limCpuMem |= e.getKey().equals("cpu") || e.getKey().equals("memory");
    }
    for (Map.Entry<String, Quantity> e : sorted(rr.getRequests()).entrySet()) {
      String name = e.getKey();
      FieldPath fp = reqPath.key(name);
      containerResourceName(errs, name, fp);
      Quantities.Parsed q = quantityValue(errs, name, e.getValue(), fp);
      boolean hasLimit = rr.getLimits() != null && rr.getLimits().containsKey(name);
      if (hasLimit) {
        Quantities.Parsed lim = limits.get(name);
        if (q != null && lim != null) {
          if (q.compareTo(lim) != 0 && !overcommitAllowed(name)) {
            errs.invalid(reqPath, q.canonical(), "must be equal to " + name + " limit of " + lim.canonical());
          } else if (q.compareTo(lim) > 0) {
            errs.invalid(reqPath, q.canonical(), "must be less than or equal to " + name + " limit of " + lim.canonical());
          }
        }
      } else if (!overcommitAllowed(name)) {
        errs.required(limPath, "Limit must be set for non overcommitable resources");
      }
      hugePages |= name.startsWith("hugepages-");
      reqCpuMem |= name.equals("cpu") || name.equals("memory");
    }
    if (!limCpuMem && !reqCpuMem && hugePages) {
      errs.forbidden(p, "HugePages require cpu or memory");
    }
  }

  /** Parses a quantity; an unparsable one is reported and null returned. */
  static Quantities.Parsed quantityValue(Errs errs, String resource, Quantity value, FieldPath p) {
    Quantities.Parsed q;
    try {
      q = Quantities.parse(value);
    } catch (Quantities.QuantityException ex) {
      errs.invalid(p, Quantities.text(value), ex.getMessage());
      return null;
    }
    if (q.signum() < 0) {
      errs.invalid(p, q.canonical(), "must be greater than or equal to 0");
    }
    if (isIntegerResource(resource) && q.value().stripTrailingZeros().scale() > 0) {
      errs.invalid(p, GoValue.raw(q.canonical()), "must be an integer");
    }
    return q;
  }

  private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
  static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
      "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services",
      "replicationcontrollers", "resourcequotas", "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports",
      "services.loadbalancers", "requests.storage");
  private static final Set<String> INTEGER_RESOURCES = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
      "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers");

  static boolean isNativeResource(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  static boolean isExtendedResource(String name) {
    return !isNativeResource(name) && !name.startsWith("requests.")
        && NameValidation.isQualifiedName("requests." + name).isEmpty();
  }

  static boolean overcommitAllowed(String name) {
    return isNativeResource(name) && !name.startsWith("hugepages-");
  }

  static boolean isIntegerResource(String name) {
    return INTEGER_RESOURCES.contains(name) || name.startsWith("count/") || isExtendedResource(name);
  }

  static boolean isStandardResource(String name) {
    return STANDARD_RESOURCES.contains(name) || name.startsWith("hugepages-") || name.startsWith("requests.hugepages-")
        || name.startsWith("limits.hugepages-");
  }

  /** validateResourceName. */
  static boolean resourceName(Errs errs, String name, FieldPath p) {
    List<String> msgs = NameValidation.isQualifiedName(name);
    if (!msgs.isEmpty()) {
      errs.invalidEach(p, GoValue.raw(name), msgs);
      return false;
    }
    if (!name.contains("/") && !isStandardResource(name)) {
      errs.invalid(p, GoValue.raw(name), "must be a standard resource type or fully qualified");
      return false;
    }
    return true;
  }

  private static void containerResourceName(Errs errs, String name, FieldPath p) {
    resourceName(errs, name, p);
    if (!name.contains("/")) {
      if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
        errs.invalid(p, GoValue.raw(name), "must be a standard resource for containers");
      }
    } else if (!isNativeResource(name) && !isExtendedResource(name)) {
      errs.invalid(p, GoValue.raw(name), "doesn't follow extended resource name standard");
    }
  }

  // ---------------------------------------------------------------- security

  private static void podSecurityContext(Errs errs, PodSecurityContext sc, FieldPath p) {
    if (sc == null) {
      return;
    }
    idRange(errs, sc.getFsGroup(), p.child("fsGroup"));
    idRange(errs, sc.getRunAsUser(), p.child("runAsUser"));
    idRange(errs, sc.getRunAsGroup(), p.child("runAsGroup"));
    var groups = list(sc.getSupplementalGroups());
    for (int i = 0; i < groups.size(); i++) {
      idRange(errs, groups.get(i), p.child("supplementalGroups").index(i));
    }
    if (sc.getFsGroupChangePolicy() != null && !List.of("Always", "OnRootMismatch").contains(sc.getFsGroupChangePolicy())) {
      errs.notSupported(p.child("fsGroupChangePolicy"), sc.getFsGroupChangePolicy(), List.of("Always", "OnRootMismatch"));
    }
  }

  private static void securityContext(Errs errs, SecurityContext sc, FieldPath p) {
    if (sc == null) {
      return;
    }
    idRange(errs, sc.getRunAsUser(), p.child("runAsUser"));
    idRange(errs, sc.getRunAsGroup(), p.child("runAsGroup"));
    if (sc.getProcMount() != null && !List.of("Default", "Unmasked").contains(sc.getProcMount())) {
      errs.notSupported(p.child("procMount"), sc.getProcMount(), List.of("Default", "Unmasked"));
    }
    if (sc.getAllowPrivilegeEscalation() != null && !sc.getAllowPrivilegeEscalation() && bool(sc.getPrivileged())) {
      errs.invalid(p, GoValue.raw("core.SecurityContext{...}"), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
    }
  }

  private static void idRange(Errs errs, Long id, FieldPath p) {
    if (id != null && (id < 0 || id > MAX_ID)) {
      errs.invalid(p, id, NameValidation.inclusiveRangeError(0, MAX_ID));
    }
  }

  // ---------------------------------------------------------------- scheduling

  /** ValidateTolerations. */
  static void validateTolerations(Errs errs, List<Toleration> tolerations, FieldPath p) {
    List<Toleration> ts = list(tolerations);
    for (int i = 0; i < ts.size(); i++) {
      Toleration t = ts.get(i);
      FieldPath ip = p.index(i);
      String key = str(t.getKey());
      String op = str(t.getOperator());
      String effect = str(t.getEffect());
      if (!key.isEmpty()) {
        ObjectMetaValidation.validateLabelName(errs, key, ip.child("key"));
      }
      if (key.isEmpty() && !op.equals("Exists")) {
        errs.invalid(ip.child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
      }
      if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
        errs.invalid(ip.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
      }
      switch (op) {
        case "Equal", "" -> {
          List<String> msgs = NameValidation.isValidLabelValue(str(t.getValue()));
          if (!msgs.isEmpty()) {
            errs.invalid(ip.child("operator"), str(t.getValue()), String.join(";", msgs));
          }
        }
        case "Exists" -> {
          if (!empty(t.getValue())) {
            errs.invalid(ip.child("operator"), t.getValue(), "value must be empty when `operator` is 'Exists'");
          }
        }
        default -> errs.notSupported(ip.child("operator"), op, List.of("Equal", "Exists"));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.notSupported(ip.child("effect"), effect, TAINT_EFFECTS);
      }
    }
  }

  static List<String> taintEffects() {
    return TAINT_EFFECTS;
  }

  private static void validateAffinity(Errs errs, Affinity a, FieldPath p) {
    if (a == null) {
      return;
    }
    if (a.getNodeAffinity() != null) {
      FieldPath np = p.child("nodeAffinity");
      NodeSelector req = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
      if (req != null) {
        validateNodeSelector(errs, req, np.child("requiredDuringSchedulingIgnoredDuringExecution"));
      }
      List<PreferredSchedulingTerm> pref = list(a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
      for (int i = 0; i < pref.size(); i++) {
        FieldPath ip = np.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
        long w = num(pref.get(i).getWeight());
        if (w <= 0 || w > 100) {
          errs.invalid(ip.child("weight"), (int) w, "must be in the range 1-100");
        }
        if (pref.get(i).getPreference() != null) {
          nodeSelectorTerm(errs, pref.get(i).getPreference(), ip.child("preference"), true);
        }
      }
    }
    if (a.getPodAffinity() != null) {
      podAffinityTerms(errs, a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), p.child("podAffinity"));
    }
    if (a.getPodAntiAffinity() != null) {
      podAffinityTerms(errs, a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), p.child("podAntiAffinity"));
    }
  }

  static void validateNodeSelector(Errs errs, NodeSelector ns, FieldPath p) {
    FieldPath tp = p.child("nodeSelectorTerms");
    List<NodeSelectorTerm> terms = list(ns.getNodeSelectorTerms());
    if (terms.isEmpty()) {
      errs.required(tp, "must have at least one node selector term");
      return;
    }
    for (int i = 0; i < terms.size(); i++) {
      nodeSelectorTerm(errs, terms.get(i), tp.index(i), false);
    }
  }

  private static void nodeSelectorTerm(Errs errs, NodeSelectorTerm term, FieldPath p, boolean allowInvalidValues) {
    List<NodeSelectorRequirement> exprs = list(term.getMatchExpressions());
    for (int j = 0; j < exprs.size(); j++) {
      NodeSelectorRequirement r = exprs.get(j);
      FieldPath rp = p.child("matchExpressions").index(j);
      switch (str(r.getOperator())) {
        case "In", "NotIn" -> {
          if (list(r.getValues()).isEmpty()) {
            errs.required(rp.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!list(r.getValues()).isEmpty()) {
            errs.forbidden(rp.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
          }
        }
        case "Gt", "Lt" -> {
          if (list(r.getValues()).size() != 1) {
            errs.required(rp.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'");
          }
        }
        default -> errs.invalid(rp.child("operator"), str(r.getOperator()), "not a valid selector operator");
      }
      ObjectMetaValidation.validateLabelName(errs, r.getKey(), rp.child("key"));
      if (!allowInvalidValues) {
        List<String> values = list(r.getValues());
        for (int k = 0; k < values.size(); k++) {
          errs.invalidEach(rp.child("values").index(k), values.get(k), NameValidation.isValidLabelValue(values.get(k)));
        }
      }
    }
    List<NodeSelectorRequirement> fields = list(term.getMatchFields());
    for (int j = 0; j < fields.size(); j++) {
      NodeSelectorRequirement r = fields.get(j);
      FieldPath rp = p.child("matchFields").index(j);
      String op = str(r.getOperator());
      if (op.equals("In") || op.equals("NotIn")) {
        if (list(r.getValues()).size() != 1) {
          errs.required(rp.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
        }
      } else {
        errs.invalid(rp.child("operator"), op, "not a valid selector operator");
      }
      if (!"metadata.name".equals(r.getKey())) {
        errs.invalid(rp.child("key"), str(r.getKey()), "not a valid field selector key");
      } else {
        List<String> values = list(r.getValues());
        for (int k = 0; k < values.size(); k++) {
          errs.invalidEach(rp.child("values").index(k), values.get(k), NameValidation.nameIsDnsSubdomain(values.get(k), false));
        }
      }
    }
  }

  private static void podAffinityTerms(Errs errs, List<PodAffinityTerm> required, List<WeightedPodAffinityTerm> preferred,
      FieldPath p) {
    List<PodAffinityTerm> req = list(required);
    for (int i = 0; i < req.size(); i++) {
      podAffinityTerm(errs, req.get(i), p.child("requiredDuringSchedulingIgnoredDuringExecution").index(i));
    }
    List<WeightedPodAffinityTerm> pref = list(preferred);
    for (int i = 0; i < pref.size(); i++) {
      FieldPath ip = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
      long w = num(pref.get(i).getWeight());
      if (w <= 0 || w > 100) {
        errs.invalid(ip.child("weight"), (int) w, "must be in the range 1-100");
      }
      if (pref.get(i).getPodAffinityTerm() != null) {
        podAffinityTerm(errs, pref.get(i).getPodAffinityTerm(), ip.child("podAffinityTerm"));
      }
    }
  }

  private static void podAffinityTerm(Errs errs, PodAffinityTerm t, FieldPath p) {
    ObjectMetaValidation.validateLabelSelector(errs, t.getLabelSelector(), p.child("labelSelector"));
    ObjectMetaValidation.validateLabelSelector(errs, t.getNamespaceSelector(), p.child("namespaceSelector"));
    for (String ns : list(t.getNamespaces())) {
      errs.invalidEach(p.child("namespace"), ns, NameValidation.nameIsDnsLabel(ns, false));
    }
    if (empty(t.getTopologyKey())) {
      errs.required(p.child("topologyKey"), "can not be empty");
    }
    ObjectMetaValidation.validateLabelName(errs, t.getTopologyKey(), p.child("topologyKey"));
  }

  private static void topologySpread(Errs errs, List<TopologySpreadConstraint> constraints, FieldPath p) {
    List<TopologySpreadConstraint> cs = list(constraints);
    for (int i = 0; i < cs.size(); i++) {
      TopologySpreadConstraint c = cs.get(i);
      FieldPath ip = p.index(i);
      if (num(c.getMaxSkew()) <= 0) {
        errs.invalid(ip.child("maxSkew"), (int) num(c.getMaxSkew()), "must be greater than zero");
      }
      if (empty(c.getTopologyKey())) {
        errs.required(ip.child("topologyKey"), "can not be empty");
      }
      String when = str(c.getWhenUnsatisfiable());
      if (!when.equals("DoNotSchedule") && !when.equals("ScheduleAnyway")) {
        errs.notSupported(ip.child("whenUnsatisfiable"), when, List.of("DoNotSchedule", "ScheduleAnyway"));
      }
      for (int j = i + 1; j < cs.size(); j++) {
        if (str(cs.get(j).getTopologyKey()).equals(str(c.getTopologyKey()))
            && str(cs.get(j).getWhenUnsatisfiable()).equals(when)) {
          errs.duplicate(ip.child("{topologyKey, whenUnsatisfiable}"), "{" + str(c.getTopologyKey()) + ", " + when + "}");
          break;
        }
      }
      if (c.getMinDomains() != null) {
        if (c.getMinDomains() <= 0) {
          errs.invalid(ip.child("minDomains"), c.getMinDomains(), "must be greater than zero");
        }
        if (!when.equals("DoNotSchedule")) {
          errs.invalid(ip.child("minDomains"), c.getMinDomains(),
              "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + when);
        }
      }
      ObjectMetaValidation.validateLabelSelector(errs, c.getLabelSelector(), ip.child("labelSelector"));
    }
  }

  /** Names of all containers (init and regular) of a spec, in order. */
  static Set<String> containerNames(PodSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    for (Container c : list(spec.getInitContainers())) {
      names.add(str(c.getName()));
    }
    for (Container c : list(spec.getContainers())) {
      names.add(str(c.getName()));
    }
    return new TreeSet<>(names);
  }
}
