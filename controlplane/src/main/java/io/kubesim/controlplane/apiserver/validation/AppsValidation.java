package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.list;
import static io.kubesim.controlplane.apiserver.validation.Util.num;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** pkg/apis/apps/validation, and the selector immutability the apps/v1 registry strategies add. */
final class AppsValidation {

  private AppsValidation() {}

  // ---------------------------------------------------------------- shared

  /** ValidatePositiveIntOrPercent. */
  static void positiveIntOrPercent(Errs errs, IntOrString v, FieldPath p) {
    if (v == null) {
      return;
    }
    if (v.getIntVal() != null) {
      errs.nonNegative(v.getIntVal(), p);
    } else if (v.getStrVal() != null) {
      errs.invalidEach(p, GoValue.intOrString(v), NameValidation.isValidPercent(v.getStrVal()));
    } else {
      errs.invalid(p, GoValue.intOrString(v), "must be an integer or percentage (e.g '5%')");
    }
  }

  /** IsNotMoreThan100Percent. */
  static void notMoreThan100Percent(Errs errs, IntOrString v, FieldPath p) {
    if (v == null || v.getStrVal() == null) {
      return;
    }
    Integer pct = percent(v.getStrVal());
    if (pct != null && pct > 100) {
      errs.invalid(p, GoValue.intOrString(v), "must not be greater than 100%");
    }
  }

  private static Integer percent(String s) {
    if (!s.matches("[0-9]+%")) {
      return null;
    }
    try {
      return Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** getIntOrPercentValue: the number, or the percentage as a number. */
  static int intOrPercentValue(IntOrString v) {
    if (v == null) {
      return 0;
    }
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    Integer pct = v.getStrVal() == null ? null : percent(v.getStrVal());
    return pct == null ? 0 : pct;
  }

  /** ValidatePodTemplateSpecForReplicaSet and its siblings. */
  private static void templateForController(Errs errs, PodTemplateSpec template, LabelSelector selector, FieldPath p,
      String kindForDeadline, boolean deadlineIsInvalid) {
    if (template == null) {
      errs.required(p, "");
      return;
    }
    Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    if (!ObjectMetaValidation.selectorEmpty(selector) && !ObjectMetaValidation.selectorMatches(selector, labels)) {
      errs.invalid(p.child("metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`");
    }
    errs.addAll(PodValidation.validatePodTemplateSpec(template, p));
    restartAlwaysOnly(errs, template, p, kindForDeadline, deadlineIsInvalid);
  }

  private static void restartAlwaysOnly(Errs errs, PodTemplateSpec template, FieldPath p, String kind, boolean deadlineIsInvalid) {
    PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
    if (!"Always".equals(spec.getRestartPolicy())) {
      errs.notSupported(p.child("spec", "restartPolicy"), str(spec.getRestartPolicy()), List.of("Always"));
    }
    if (spec.getActiveDeadlineSeconds() != null) {
      if (deadlineIsInvalid) {
        errs.invalid(p.child("spec", "activeDeadlineSeconds"), spec.getActiveDeadlineSeconds(),
            "activeDeadlineSeconds must be nil for " + kind);
      } else {
        errs.forbidden(p.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported");
      }
    }
  }

  private static void selector(Errs errs, LabelSelector sel, FieldPath p, String kind) {
    if (sel == null) {
      errs.required(p, "");
      return;
    }
    ObjectMetaValidation.validateLabelSelector(errs, sel, p);
    if (ObjectMetaValidation.selectorEmpty(sel)) {
      errs.invalid(p, GoValue.labelSelector(sel), "empty selector is invalid for " + kind);
    }
  }

  private static void selectorImmutable(Errs errs, LabelSelector newSel, LabelSelector oldSel) {
    errs.immutable(Util.jsonEqual(newSel, oldSel), GoValue.labelSelector(newSel), FieldPath.root("spec", "selector"));
  }

  private static Errs meta(ObjectMeta m) {
    return ObjectMetaValidation.validate(m, true, ObjectMetaValidation.DNS_SUBDOMAIN, FieldPath.root("metadata"));
  }

  private static Errs metaUpdate(ObjectMeta n, ObjectMeta o) {
    return ObjectMetaValidation.validateUpdate(n, o, FieldPath.root("metadata"));
  }

  // ---------------------------------------------------------------- Deployment

  static Errs validateDeployment(Deployment d) {
    Errs errs = meta(d.getMetadata());
    return errs.addAll(deploymentSpec(d.getSpec() == null ? new DeploymentSpec() : d.getSpec(), FieldPath.root("spec")));
  }

  private static Errs deploymentSpec(DeploymentSpec spec, FieldPath p) {
    Errs errs = new Errs();
    errs.nonNegative(num(spec.getReplicas()), p.child("replicas"));
    selector(errs, spec.getSelector(), p.child("selector"), "deployment");
    templateForController(errs, spec.getTemplate(), spec.getSelector(), p.child("template"), "ReplicaSet", false);
    DeploymentStrategy strategy = spec.getStrategy() == null ? new DeploymentStrategy() : spec.getStrategy();
    FieldPath sp = p.child("strategy");
    switch (str(strategy.getType())) {
      case "Recreate" -> {
        if (strategy.getRollingUpdate() != null) {
          errs.forbidden(sp.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
        }
      }
      case "RollingUpdate" -> {
        var ru = strategy.getRollingUpdate();
        if (ru == null) {
          errs.required(sp.child("rollingUpdate"), "this should be defaulted and never be nil");
        } else {
          FieldPath rp = sp.child("rollingUpdate");
          positiveIntOrPercent(errs, ru.getMaxUnavailable(), rp.child("maxUnavailable"));
          positiveIntOrPercent(errs, ru.getMaxSurge(), rp.child("maxSurge"));
          if (intOrPercentValue(ru.getMaxUnavailable()) == 0 && intOrPercentValue(ru.getMaxSurge()) == 0) {
            errs.invalid(rp.child("maxUnavailable"), GoValue.intOrString(ru.getMaxUnavailable() == null ? new IntOrString(0)
                : ru.getMaxUnavailable()), "may not be 0 when `maxSurge` is 0");
          }
          notMoreThan100Percent(errs, ru.getMaxUnavailable(), rp.child("maxUnavailable"));
        }
      }
      default -> errs.notSupported(sp, GoValue.raw("apps.DeploymentStrategy{Type:" + GoValue.quote(strategy.getType())
          + ", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}"), List.of("Recreate", "RollingUpdate"));
    }
    errs.nonNegative(num(spec.getMinReadySeconds()), p.child("minReadySeconds"));
    if (spec.getRevisionHistoryLimit() != null) {
      errs.nonNegative(spec.getRevisionHistoryLimit(), p.child("revisionHistoryLimit"));
    }
    if (spec.getProgressDeadlineSeconds() != null) {
      errs.nonNegative(spec.getProgressDeadlineSeconds(), p.child("progressDeadlineSeconds"));
      if (spec.getProgressDeadlineSeconds() <= num(spec.getMinReadySeconds())) {
        errs.invalid(p.child("progressDeadlineSeconds"), spec.getProgressDeadlineSeconds(), "must be greater than minReadySeconds");
      }
    }
    return errs;
  }

  static Errs validateDeploymentUpdate(Deployment n, Deployment o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    errs.addAll(deploymentSpec(n.getSpec() == null ? new DeploymentSpec() : n.getSpec(), FieldPath.root("spec")));
    selectorImmutable(errs, n.getSpec() == null ? null : n.getSpec().getSelector(), o.getSpec() == null ? null : o.getSpec().getSelector());
    return errs;
  }

  static Errs validateDeploymentStatusUpdate(Deployment n, Deployment o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    var s = n.getStatus();
    if (s != null) {
      FieldPath p = FieldPath.root("status");
      errs.nonNegative(num(s.getObservedGeneration()), p.child("observedGeneration"));
      errs.nonNegative(num(s.getReplicas()), p.child("replicas"));
      errs.nonNegative(num(s.getUpdatedReplicas()), p.child("updatedReplicas"));
      errs.nonNegative(num(s.getAvailableReplicas()), p.child("availableReplicas"));
      errs.nonNegative(num(s.getUnavailableReplicas()), p.child("unavailableReplicas"));
      errs.nonNegative(num(s.getReadyReplicas()), p.child("readyReplicas"));
      if (s.getCollisionCount() != null) {
        errs.nonNegative(s.getCollisionCount(), p.child("collisionCount"));
      }
      String msg = "cannot be greater than status.replicas";
      if (num(s.getAvailableReplicas()) > num(s.getReplicas())) {
        errs.invalid(p.child("availableReplicas"), (int) num(s.getAvailableReplicas()), msg);
      }
      if (num(s.getReadyReplicas()) > num(s.getReplicas())) {
        errs.invalid(p.child("readyReplicas"), (int) num(s.getReadyReplicas()), msg);
      }
      if (num(s.getAvailableReplicas()) > num(s.getReadyReplicas())) {
        errs.invalid(p.child("availableReplicas"), (int) num(s.getAvailableReplicas()), "cannot be greater than readyReplicas");
      }
    }
    return errs;
  }

  // ---------------------------------------------------------------- ReplicaSet

  static Errs validateReplicaSet(ReplicaSet rs) {
    Errs errs = meta(rs.getMetadata());
    return errs.addAll(replicaSetSpec(rs.getSpec() == null ? new ReplicaSetSpec() : rs.getSpec(), FieldPath.root("spec")));
  }

  private static Errs replicaSetSpec(ReplicaSetSpec spec, FieldPath p) {
    Errs errs = new Errs();
    errs.nonNegative(num(spec.getReplicas()), p.child("replicas"));
    errs.nonNegative(num(spec.getMinReadySeconds()), p.child("minReadySeconds"));
    // Go reuses the Deployment wording here.
    selector(errs, spec.getSelector(), p.child("selector"), "deployment");
    templateForController(errs, spec.getTemplate(), spec.getSelector(), p.child("template"), "ReplicaSet", false);
    return errs;
  }

  static Errs validateReplicaSetUpdate(ReplicaSet n, ReplicaSet o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    errs.addAll(replicaSetSpec(n.getSpec() == null ? new ReplicaSetSpec() : n.getSpec(), FieldPath.root("spec")));
    selectorImmutable(errs, n.getSpec() == null ? null : n.getSpec().getSelector(), o.getSpec() == null ? null : o.getSpec().getSelector());
    return errs;
  }

  static Errs validateReplicaSetStatusUpdate(ReplicaSet n, ReplicaSet o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    var s = n.getStatus();
    if (s != null) {
      FieldPath p = FieldPath.root("status");
      errs.nonNegative(num(s.getReplicas()), p.child("replicas"));
      errs.nonNegative(num(s.getFullyLabeledReplicas()), p.child("fullyLabeledReplicas"));
      errs.nonNegative(num(s.getReadyReplicas()), p.child("readyReplicas"));
      errs.nonNegative(num(s.getAvailableReplicas()), p.child("availableReplicas"));
      errs.nonNegative(num(s.getObservedGeneration()), p.child("observedGeneration"));
      String msg = "cannot be greater than status.replicas";
      if (num(s.getFullyLabeledReplicas()) > num(s.getReplicas())) {
        errs.invalid(p.child("fullyLabeledReplicas"), (int) num(s.getFullyLabeledReplicas()), msg);
      }
      if (num(s.getReadyReplicas()) > num(s.getReplicas())) {
        errs.invalid(p.child("readyReplicas"), (int) num(s.getReadyReplicas()), msg);
      }
      if (num(s.getAvailableReplicas()) > num(s.getReplicas())) {
        errs.invalid(p.child("availableReplicas"), (int) num(s.getAvailableReplicas()), msg);
      }
      if (num(s.getAvailableReplicas()) > num(s.getReadyReplicas())) {
        errs.invalid(p.child("availableReplicas"), (int) num(s.getAvailableReplicas()), "cannot be greater than readyReplicas");
      }
    }
    return errs;
  }

  // ---------------------------------------------------------------- DaemonSet

  static Errs validateDaemonSet(DaemonSet ds) {
    Errs errs = meta(ds.getMetadata());
    return errs.addAll(daemonSetSpec(ds.getSpec() == null ? new DaemonSetSpec() : ds.getSpec(), FieldPath.root("spec")));
  }

  private static Errs daemonSetSpec(DaemonSetSpec spec, FieldPath p) {
    Errs errs = new Errs();
    ObjectMetaValidation.validateLabelSelector(errs, spec.getSelector(), p.child("selector"));
    PodTemplateSpec template = spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    if (!ObjectMetaValidation.selectorMatches(spec.getSelector(), labels)) {
      errs.invalid(p.child("template", "metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`");
    }
    if (spec.getSelector() != null && ObjectMetaValidation.selectorEmpty(spec.getSelector())) {
      errs.invalid(p.child("selector"), GoValue.labelSelector(spec.getSelector()), "empty selector is invalid for daemonset");
    }
    errs.addAll(PodValidation.validatePodTemplateSpec(template, p.child("template")));
    restartAlwaysOnly(errs, template, p.child("template"), "DaemonSet", true);
    errs.nonNegative(num(spec.getMinReadySeconds()), p.child("minReadySeconds"));
    var strategy = spec.getUpdateStrategy();
    FieldPath sp = p.child("updateStrategy");
    String type = strategy == null ? "" : str(strategy.getType());
    switch (type) {
      case "OnDelete" -> { }
      case "RollingUpdate" -> {
        var ru = strategy.getRollingUpdate();
        if (ru == null) {
          errs.required(sp.child("rollingUpdate"), "");
        } else {
          FieldPath rp = sp.child("rollingUpdate");
          positiveIntOrPercent(errs, ru.getMaxUnavailable(), rp.child("maxUnavailable"));
          positiveIntOrPercent(errs, ru.getMaxSurge(), rp.child("maxSurge"));
          notMoreThan100Percent(errs, ru.getMaxUnavailable(), rp.child("maxUnavailable"));
          notMoreThan100Percent(errs, ru.getMaxSurge(), rp.child("maxSurge"));
          boolean hasUnavailable = intOrPercentValue(ru.getMaxUnavailable()) != 0;
          boolean hasSurge = intOrPercentValue(ru.getMaxSurge()) != 0;
          if (hasUnavailable && hasSurge) {
            errs.invalid(rp.child("maxSurge"), GoValue.intOrString(ru.getMaxSurge()), "may not be set when maxUnavailable is non-zero");
          } else if (!hasUnavailable && !hasSurge) {
            errs.required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
          }
        }
      }
      default -> errs.notSupported(sp, GoValue.raw("apps.DaemonSetUpdateStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}"), List.of("RollingUpdate", "OnDelete"));
    }
    if (spec.getRevisionHistoryLimit() != null) {
      errs.nonNegative(spec.getRevisionHistoryLimit(), p.child("revisionHistoryLimit"));
    }
    return errs;
  }

  static Errs validateDaemonSetUpdate(DaemonSet n, DaemonSet o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    errs.addAll(daemonSetSpec(n.getSpec() == null ? new DaemonSetSpec() : n.getSpec(), FieldPath.root("spec")));
    selectorImmutable(errs, n.getSpec() == null ? null : n.getSpec().getSelector(), o.getSpec() == null ? null : o.getSpec().getSelector());
    return errs;
  }

  // ---------------------------------------------------------------- StatefulSet

  static Errs validateStatefulSet(StatefulSet s) {
    Errs errs = meta(s.getMetadata());
    return errs.addAll(statefulSetSpec(s.getSpec() == null ? new StatefulSetSpec() : s.getSpec(), FieldPath.root("spec")));
  }

  private static Errs statefulSetSpec(StatefulSetSpec spec, FieldPath p) {
    Errs errs = new Errs();
    String pmp = str(spec.getPodManagementPolicy());
    switch (pmp) {
      case "" -> errs.required(p.child("podManagementPolicy"), "");
      case "OrderedReady", "Parallel" -> { }
      default -> errs.invalid(p.child("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'");
    }
    var us = spec.getUpdateStrategy();
    String type = us == null ? "" : str(us.getType());
    switch (type) {
      case "" -> errs.required(p.child("updateStrategy"), "");
      case "OnDelete" -> {
        if (us.getRollingUpdate() != null) {
          errs.invalid(p.child("updateStrategy", "rollingUpdate"), GoValue.raw("apps.RollingUpdateStatefulSetStrategy{...}"),
              "only allowed for updateStrategy 'RollingUpdate'");
        }
      }
      case "RollingUpdate" -> {
        if (us.getRollingUpdate() != null) {
          errs.nonNegative(num(us.getRollingUpdate().getPartition()), p.child("updateStrategy", "rollingUpdate", "partition"));
        }
      }
      default -> errs.invalid(p.child("updateStrategy"), GoValue.raw("apps.StatefulSetUpdateStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}"), "must be 'RollingUpdate' or 'OnDelete'");
    }
    var retention = spec.getPersistentVolumeClaimRetentionPolicy();
    if (retention != null) {
      FieldPath rp = p.child("persistentVolumeClaimRetentionPolicy");
      for (String[] f : new String[][] {{"whenDeleted", str(retention.getWhenDeleted())}, {"whenScaled", str(retention.getWhenScaled())}}) {
        if (!f[1].equals("Retain") && !f[1].equals("Delete")) {
          errs.notSupported(rp.child(f[0]), f[1], List.of("Retain", "Delete"));
        }
      }
    }
    if (spec.getOrdinals() != null) {
      errs.nonNegative(num(spec.getOrdinals().getStart()), p.child("ordinals.start"));
    }
    errs.nonNegative(num(spec.getReplicas()), p.child("replicas"));
    errs.nonNegative(num(spec.getMinReadySeconds()), p.child("minReadySeconds"));
    selector(errs, spec.getSelector(), p.child("selector"), "statefulset");
    PodTemplateSpec template = spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
    if (!ObjectMetaValidation.selectorEmpty(spec.getSelector()) && !ObjectMetaValidation.selectorMatches(spec.getSelector(), labels)) {
      errs.invalid(p.child("template", "metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`");
    }
    // The claim templates are volumes of every pod; mounts may name them.
    PodTemplateSpec withClaims = Json.convert(Json.tree(template), PodTemplateSpec.class);
    PodSpec ps = withClaims.getSpec() == null ? new PodSpec() : withClaims.getSpec();
    List<Volume> vols = new ArrayList<>(list(ps.getVolumes()));
    for (PersistentVolumeClaim claim : list(spec.getVolumeClaimTemplates())) {
      String name = claim.getMetadata() == null ? "" : str(claim.getMetadata().getName());
      Volume v = new Volume();
      v.setName(name);
      v.setPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(name, false));
      vols.add(v);
    }
    ps.setVolumes(vols);
    withClaims.setSpec(ps);
    errs.addAll(PodValidation.validatePodTemplateSpec(withClaims, p.child("template")));
    restartAlwaysOnly(errs, template, p.child("template"), "StatefulSet", false);
    return errs;
  }

  static Errs validateStatefulSetUpdate(StatefulSet n, StatefulSet o) {
    Errs errs = metaUpdate(n.getMetadata(), o.getMetadata());
    ObjectNode ns = (ObjectNode) Json.tree(n.getSpec() == null ? new StatefulSetSpec() : n.getSpec());
    ObjectNode os = (ObjectNode) Json.tree(o.getSpec() == null ? new StatefulSetSpec() : o.getSpec());
    for (String f : List.of("replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
        "persistentVolumeClaimRetentionPolicy", "minReadySeconds")) {
      ns.remove(f);
      os.remove(f);
    }
    if (!ns.equals(os)) {
      errs.forbidden(FieldPath.root("spec"), "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
          + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }
    return errs.addAll(statefulSetSpec(n.getSpec() == null ? new StatefulSetSpec() : n.getSpec(), FieldPath.root("spec")));
  }
}
