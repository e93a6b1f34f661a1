package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.empty;
import static io.kubesim.controlplane.apiserver.validation.Util.list;
import static io.kubesim.controlplane.apiserver.validation.Util.sorted;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * ValidateObjectMeta and ValidateObjectMetaUpdate of k8s.io/apimachinery/pkg/api/validation, with
 * the finalizer rule that pkg/apis/core/validation adds, and the label and selector checks of
 * k8s.io/apimachinery/pkg/apis/meta/v1/validation.
 */
public final class ObjectMetaValidation {

  /** A name rule: (name, isPrefix) to failure messages, as Go's ValidateNameFunc. */
  public interface NameFn extends BiFunction<String, Boolean, List<String>> {}

  public static final NameFn DNS_SUBDOMAIN = NameValidation::nameIsDnsSubdomain;
  public static final NameFn DNS_LABEL = NameValidation::nameIsDnsLabel;
  public static final NameFn DNS1035_LABEL = NameValidation::nameIsDns1035Label;

  static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

  private ObjectMetaValidation() {}

  /** ValidateObjectMeta (the core variant, which also checks finalizer names). */
  static Errs validate(ObjectMeta meta, boolean namespaced, NameFn nameFn, FieldPath p) {
    Errs errs = new Errs();
    if (meta == null) {
      meta = new ObjectMeta();
    }
    if (!empty(meta.getGenerateName())) {
      errs.invalidEach(p.child("generateName"), meta.getGenerateName(), nameFn.apply(meta.getGenerateName(), true));
    }
    if (empty(meta.getName())) {
      errs.required(p.child("name"), "name or generateName is required");
    } else {
      errs.invalidEach(p.child("name"), meta.getName(), nameFn.apply(meta.getName(), false));
    }
    common(errs, meta, namespaced, p);
    kubeFinalizers(errs, meta, p);
    return errs;
  }

  private static void common(Errs errs, ObjectMeta meta, boolean namespaced, FieldPath p) {
    if (namespaced) {
      if (empty(meta.getNamespace())) {
        errs.required(p.child("namespace"), "");
      } else {
        errs.invalidEach(p.child("namespace"), meta.getNamespace(), NameValidation.nameIsDnsLabel(meta.getNamespace(), false));
      }
    } else if (!empty(meta.getNamespace())) {
      errs.forbidden(p.child("namespace"), "not allowed on this type");
    }
    if (meta.getGeneration() != null) {
      errs.nonNegative(meta.getGeneration(), p.child("generation"));
    }
    validateLabels(errs, meta.getLabels(), p.child("labels"));
    validateAnnotations(errs, meta.getAnnotations(), p.child("annotations"));
    validateOwnerReferences(errs, meta.getOwnerReferences(), p.child("ownerReferences"));
    validateFinalizers(errs, meta.getFinalizers(), p.child("finalizers"));
  }

  private static void kubeFinalizers(Errs errs, ObjectMeta meta, FieldPath p) {
    List<String> fins = list(meta.getFinalizers());
    for (int i = 0; i < fins.size(); i++) {
      validateKubeFinalizerName(errs, fins.get(i), p.child("finalizers").index(i));
    }
  }

  static void validateKubeFinalizerName(Errs errs, String name, FieldPath p) {
    if (!name.contains("/") && !STANDARD_FINALIZERS.contains(name)) {
      errs.invalid(p, name, "name is neither a standard finalizer name nor is it fully qualified");
    }
  }

  /** ValidateObjectMetaUpdate (core variant). */
  static Errs validateUpdate(ObjectMeta newMeta, ObjectMeta oldMeta, FieldPath p) {
    Errs errs = new Errs();
    if (newMeta == null) {
      newMeta = new ObjectMeta();
    }
    if (oldMeta == null) {
      oldMeta = new ObjectMeta();
    }
    if (!empty(oldMeta.getDeletionTimestamp())) {
      Set<String> extra = new TreeSet<>(list(newMeta.getFinalizers()));
      extra.removeAll(list(oldMeta.getFinalizers()));
      if (!extra.isEmpty()) {
        errs.forbidden(p.child("finalizers"), "no new finalizers can be added if the object is being deleted, found new finalizers "
            + GoValue.stringSlice(extra));
      }
    }
    if (empty(newMeta.getResourceVersion())) {
      errs.invalid(p.child("resourceVersion"), str(newMeta.getResourceVersion()), "must be specified for an update");
    }
    long newGen = Util.num(newMeta.getGeneration());
    if (newGen < Util.num(oldMeta.getGeneration())) {
      errs.invalid(p.child("generation"), newGen, "must not be decremented");
    }
    errs.immutable(Objects.equals(str(newMeta.getName()), str(oldMeta.getName())), str(newMeta.getName()), p.child("name"));
    errs.immutable(Objects.equals(str(newMeta.getNamespace()), str(oldMeta.getNamespace())), str(newMeta.getNamespace()),
        p.child("namespace"));
    errs.immutable(Objects.equals(str(newMeta.getUid()), str(oldMeta.getUid())), str(newMeta.getUid()), p.child("uid"));
    errs.immutable(Objects.equals(str(newMeta.getCreationTimestamp()), str(oldMeta.getCreationTimestamp())),
        timeValue(newMeta.getCreationTimestamp()), p.child("creationTimestamp"));
    errs.immutable(Objects.equals(str(newMeta.getDeletionTimestamp()), str(oldMeta.getDeletionTimestamp())),
        timeValue(newMeta.getDeletionTimestamp()), p.child("deletionTimestamp"));
    errs.immutable(Objects.equals(newMeta.getDeletionGracePeriodSeconds(), oldMeta.getDeletionGracePeriodSeconds()),
        newMeta.getDeletionGracePeriodSeconds(), p.child("deletionGracePeriodSeconds"));
    // Labels, annotations, owner references and finalizers equal to the stored ones passed these
    // same checks when they were written: an update that keeps them (a lease renewal, a status
    // heartbeat) is not charged for checking them again.
    if (!Objects.equals(newMeta.getLabels(), oldMeta.getLabels())) {
      validateLabels(errs, newMeta.getLabels(), p.child("labels"));
    }
    if (!Objects.equals(newMeta.getAnnotations(), oldMeta.getAnnotations())) {
      validateAnnotations(errs, newMeta.getAnnotations(), p.child("annotations"));
    }
    if (!Objects.equals(newMeta.getOwnerReferences(), oldMeta.getOwnerReferences())) {
      validateOwnerReferences(errs, newMeta.getOwnerReferences(), p.child("ownerReferences"));
    }
    if (!Objects.equals(newMeta.getFinalizers(), oldMeta.getFinalizers())) {
      validateFinalizers(errs, newMeta.getFinalizers(), p.child("finalizers"));
      kubeFinalizers(errs, newMeta, p);
    }
    return errs;
  }

  /** A metav1.Time prints through its String(): Go's time format, here the RFC 3339 text or "null". */
  private static Object timeValue(String t) {
    return empty(t) ? GoValue.raw("null") : GoValue.raw(t);
  }

  /** ValidateLabels: every key a qualified name, every value a label value; errors on the map's path. */
  static void validateLabels(Errs errs, Map<String, String> labels, FieldPath p) {
    for (Map.Entry<String, String> e : sorted(labels).entrySet()) {
      validateLabelName(errs, e.getKey(), p);
      errs.invalidEach(p, str(e.getValue()), NameValidation.isValidLabelValue(str(e.getValue())));
    }
  }

  /** ValidateLabelName. */
  static void validateLabelName(Errs errs, String name, FieldPath p) {
    errs.invalidEach(p, str(name), NameValidation.isQualifiedName(str(name)));
  }

  /** ValidateAnnotations: keys are qualified names once lower-cased; at most 256 KiB in all. */
  static void validateAnnotations(Errs errs, Map<String, String> annotations, FieldPath p) {
    long total = 0;
    for (Map.Entry<String, String> e : sorted(annotations).entrySet()) {
      errs.invalidEach(p, e.getKey(), NameValidation.isQualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT)));
      total += NameValidation.byteLength(e.getKey()) + NameValidation.byteLength(str(e.getValue()));
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.tooLong(p, TOTAL_ANNOTATION_SIZE_LIMIT);
    }
  }

  static void validateOwnerReferences(Errs errs, List<OwnerReference> refs, FieldPath p) {
    String firstController = "";
    for (OwnerReference ref : list(refs)) {
      String apiVersion = str(ref.getApiVersion());
      String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      if (version.isEmpty()) {
        errs.invalid(p.child("apiVersion"), apiVersion, "version must not be empty");
      }
      if (empty(ref.getKind())) {
        errs.invalid(p.child("kind"), str(ref.getKind()), "must not be empty");
      }
      if (empty(ref.getName())) {
        errs.invalid(p.child("name"), str(ref.getName()), "must not be empty");
      }
      if (empty(ref.getUid())) {
        errs.invalid(p.child("uid"), str(ref.getUid()), "must not be empty");
      }
      if (apiVersion.equals("v1") && "Event".equals(ref.getKind())) {
        errs.invalid(p, GoValue.raw("v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", Name:" + GoValue.quote(ref.getName())
            + "}"), "/v1, Kind=Event is disallowed from being an owner");
      }
      if (Util.bool(ref.getController())) {
        String cur = str(ref.getKind()) + "/" + str(ref.getName());
        if (!firstController.isEmpty()) {
          errs.invalid(p, GoValue.raw("[]v1.OwnerReference{...}"),
              "Only one reference can have Controller set to true. Found \"true\" in references for " + firstController
                  + " and " + cur);
        } else {
          firstController = cur;
        }
      }
    }
  }

  static void validateFinalizers(Errs errs, List<String> finalizers, FieldPath p) {
    boolean orphan = false;
    boolean foreground = false;
    for (String f : list(finalizers)) {
      errs.invalidEach(p, f, NameValidation.isQualifiedName(f));
      orphan |= f.equals("orphan");
      foreground |= f.equals("foregroundDeletion");
    }
    if (orphan && foreground) {
      errs.invalid(p, GoValue.stringSlice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set");
    }
  }

  /** ValidateLabelSelector (strict: label values in matchLabels are checked). */
  static void validateLabelSelector(Errs errs, LabelSelector s, FieldPath p) {
    if (s == null) {
      return;
    }
    validateLabels(errs, s.getMatchLabels(), p.child("matchLabels"));
    List<LabelSelectorRequirement> exprs = list(s.getMatchExpressions());
    for (int i = 0; i < exprs.size(); i++) {
      validateLabelSelectorRequirement(errs, exprs.get(i), p.child("matchExpressions").index(i));
    }
  }

  static void validateLabelSelectorRequirement(Errs errs, LabelSelectorRequirement r, FieldPath p) {
    String op = str(r.getOperator());
    switch (op) {
      case "In", "NotIn" -> {
        if (list(r.getValues()).isEmpty()) {
          errs.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
        }
      }
      case "Exists", "DoesNotExist" -> {
        if (!list(r.getValues()).isEmpty()) {
          errs.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        }
      }
      default -> errs.invalid(p.child("operator"), op, "not a valid selector operator");
    }
    validateLabelName(errs, r.getKey(), p.child("key"));
    List<String> values = list(r.getValues());
    for (int i = 0; i < values.size(); i++) {
      errs.invalidEach(p.child("values").index(i), values.get(i), NameValidation.isValidLabelValue(values.get(i)));
    }
  }

  /** Whether a label selector selects the given labels (an empty selector selects everything). */
  static boolean selectorMatches(LabelSelector s, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (s == null) {
      return false;
    }
    for (Map.Entry<String, String> e : Util.map(s.getMatchLabels()).entrySet()) {
      if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : list(s.getMatchExpressions())) {
      String key = r.getKey();
      List<String> values = list(r.getValues());
      switch (str(r.getOperator())) {
        case "In" -> {
          if (!l.containsKey(key) || !values.contains(l.get(key))) {
            return false;
          }
        }
        case "NotIn" -> {
          if (l.containsKey(key) && values.contains(l.get(key))) {
            return false;
          }
        }
        case "Exists" -> {
          if (!l.containsKey(key)) {
            return false;
          }
        }
        case "DoesNotExist" -> {
          if (l.containsKey(key)) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  static boolean selectorEmpty(LabelSelector s) {
    return s == null || (Util.map(s.getMatchLabels()).isEmpty() && list(s.getMatchExpressions()).isEmpty());
  }
}
