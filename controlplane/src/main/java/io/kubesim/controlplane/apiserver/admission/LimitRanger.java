package io.kubesim.controlplane.apiserver.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import io.kubesim.controlplane.quota.Evaluators;
import io.kubesim.controlplane.quota.ResourceLists;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger): on pod creation it first
 * fills in each container's missing requests and limits from the namespace's LimitRanges
 * ({@code defaultRequest} and {@code default}, which the LimitRange's own defaulting already
 * derived from {@code default}, {@code max} and {@code min}) and records what it set in the
 * {@code kubernetes.io/limit-ranger} annotation; then, as a validating plugin, it enforces
 * {@code min}, {@code max} and {@code maxLimitRequestRatio} per Container, per Pod and per
 * PersistentVolumeClaim, with kube-apiserver's messages ("maximum cpu usage per Container is 1,
 * but limit is 2").
 */
public final class LimitRanger {

  public static final String ANNOTATION = "kubernetes.io/limit-ranger";
  /** resource.MaxMilliValue: beyond this, values are compared in whole units. */
  private static final BigDecimal MAX_MILLI_VALUE = BigDecimal.valueOf(Long.MAX_VALUE / 1000);

  private LimitRanger() {}

  // ---------------------------------------------------------------- mutation

  /** PodMutateLimitFunc for each LimitRange of the namespace, in order. */
  public static void mutatePod(Pod pod, List<LimitRange> ranges) {
    if (pod.getSpec() == null) {
      return;
    }
    for (LimitRange lr : ranges) {
      Map<String, Quantity> defaultRequests = new TreeMap<>();
      Map<String, Quantity> defaultLimits = new TreeMap<>();
      for (LimitRangeItem item : items(lr)) {
        if ("Container".equals(item.getType())) {
          if (item.getDefaultRequest() != null) {
            defaultRequests.putAll(item.getDefaultRequest());
          }
          if (item.getDefault() != null) {
            defaultLimits.putAll(item.getDefault());
          }
        }
      }
      List<String> annotations = new ArrayList<>();
      for (Container c : list(pod.getSpec().getContainers())) {
        merge(c, defaultRequests, defaultLimits, "container", annotations);
      }
      for (Container c : list(pod.getSpec().getInitContainers())) {
        merge(c, defaultRequests, defaultLimits, "init container", annotations);
      }
      if (!annotations.isEmpty()) {
        Map<String, String> ann = new LinkedHashMap<>(pod.getMetadata().getAnnotations() == null ? Map.of()
            : pod.getMetadata().getAnnotations());
        ann.put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", annotations));
        pod.getMetadata().setAnnotations(ann);
      }
    }
  }

  /** mergeContainerResources: missing limits and requests from the defaults, noted for the annotation. */
  private static void merge(Container c, Map<String, Quantity> defaultRequests, Map<String, Quantity> defaultLimits,
      String what, List<String> annotations) {
    if (defaultRequests.isEmpty() && defaultLimits.isEmpty()) {
      return;
    }
    ResourceRequirements r = c.getResources() == null ? new ResourceRequirements() : c.getResources();
    Map<String, Quantity> limits = new LinkedHashMap<>(r.getLimits() == null ? Map.of() : r.getLimits());
    Map<String, Quantity> requests = new LinkedHashMap<>(r.getRequests() == null ? Map.of() : r.getRequests());
    List<String> setLimits = new ArrayList<>();
    List<String> setRequests = new ArrayList<>();
    defaultLimits.forEach((k, v) -> {
      if (!limits.containsKey(k)) {
        limits.put(k, new Quantity(v.getAmount(), v.getFormat()));
        setLimits.add(k);
      }
    });
    defaultRequests.forEach((k, v) -> {
      if (!requests.containsKey(k)) {
        requests.put(k, new Quantity(v.getAmount(), v.getFormat()));
        setRequests.add(k);
      }
    });
    r.setLimits(limits);
    r.setRequests(requests);
    c.setResources(r);
    if (!setRequests.isEmpty()) {
      setRequests.sort(null);
      annotations.add(String.join(", ", setRequests) + " request for " + what + " " + c.getName());
    }
    if (!setLimits.isEmpty()) {
      setLimits.sort(null);
      annotations.add(String.join(", ", setLimits) + " limit for " + what + " " + c.getName());
    }
  }

  // ---------------------------------------------------------------- validation

  /** PodValidateLimitFunc: the first LimitRange the pod breaks, with all its errors; null if none. */
  public static String validatePod(Pod pod, List<LimitRange> ranges) {
    if (pod.getSpec() == null) {
      return null;
    }
    for (LimitRange lr : ranges) {
      List<String> errs = new ArrayList<>();
      for (LimitRangeItem item : items(lr)) {
        String type = item.getType();
        if ("Container".equals(type)) {
          List<Container> all = new ArrayList<>(list(pod.getSpec().getContainers()));
          all.addAll(list(pod.getSpec().getInitContainers()));
          for (Container c : all) {
            TreeMap<String, Parsed> req = ResourceLists.parse(c.getResources() == null ? null
                : c.getResources().getRequests());
            TreeMap<String, Parsed> lim = ResourceLists.parse(c.getResources() == null ? null
                : c.getResources().getLimits());
            check(type, item, req, lim, errs);
          }
        } else if ("Pod".equals(type)) {
          check(type, item, Evaluators.podRequests(pod, false), Evaluators.podLimits(pod, false), errs);
        }
      }
      if (!errs.isEmpty()) {
        return aggregate(errs);
      }
    }
    return null;
  }

  /** PersistentVolumeClaimValidateLimitFunc: min and max on the claim's requests only. */
  public static String validatePvc(PersistentVolumeClaim pvc, List<LimitRange> ranges) {
    TreeMap<String, Parsed> req = ResourceLists.parse(pvc.getSpec() == null || pvc.getSpec().getResources() == null
        ? null : pvc.getSpec().getResources().getRequests());
    for (LimitRange lr : ranges) {
      List<String> errs = new ArrayList<>();
      for (LimitRangeItem item : items(lr)) {
        if (!"PersistentVolumeClaim".equals(item.getType())) {
          continue;
        }
        for (Map.Entry<String, Parsed> e : ResourceLists.parse(item.getMin()).entrySet()) {
          addIfNotNull(errs, minConstraint(item.getType(), e.getKey(), e.getValue(), req, Map.of()));
        }
        for (Map.Entry<String, Parsed> e : ResourceLists.parse(item.getMax()).entrySet()) {
          addIfNotNull(errs, maxRequestConstraint(item.getType(), e.getKey(), e.getValue(), req));
        }
      }
      if (!errs.isEmpty()) {
        return aggregate(errs);
      }
    }
    return null;
  }

  /** min, max and maxLimitRequestRatio of one item, resources in name order (Go iterates its maps at random). */
  private static void check(String type, LimitRangeItem item, Map<String, Parsed> req, Map<String, Parsed> lim,
      List<String> errs) {
    for (Map.Entry<String, Parsed> e : ResourceLists.parse(item.getMin()).entrySet()) {
      addIfNotNull(errs, minConstraint(type, e.getKey(), e.getValue(), req, lim));
    }
    for (Map.Entry<String, Parsed> e : ResourceLists.parse(item.getMax()).entrySet()) {
      addIfNotNull(errs, maxConstraint(type, e.getKey(), e.getValue(), req, lim));
    }
    for (Map.Entry<String, Parsed> e : ResourceLists.parse(item.getMaxLimitRequestRatio()).entrySet()) {
      addIfNotNull(errs, ratioConstraint(type, e.getKey(), e.getValue(), req, lim));
    }
  }

  static String minConstraint(String type, String name, Parsed enforced, Map<String, Parsed> req,
      Map<String, Parsed> lim) {
    Parsed r = req.get(name);
    Parsed l = lim.get(name);
    if (r == null) {
      return "minimum " + name + " usage per " + type + " is " + enforced.canonical() + ".  No request is specified";
    }
    long[] v = comparable(r, l, enforced);
    if (v[0] < v[2]) {
      return "minimum " + name + " usage per " + type + " is " + enforced.canonical() + ", but request is "
          + r.canonical();
    }
    if (l != null && v[1] < v[2]) {
      return "minimum " + name + " usage per " + type + " is " + enforced.canonical() + ", but limit is "
          + l.canonical();
    }
    return null;
  }

  static String maxConstraint(String type, String name, Parsed enforced, Map<String, Parsed> req,
      Map<String, Parsed> lim) {
    Parsed r = req.get(name);
    Parsed l = lim.get(name);
    if (l == null) {
      return "maximum " + name + " usage per " + type + " is " + enforced.canonical() + ".  No limit is specified";
    }
    long[] v = comparable(r, l, enforced);
    if (v[1] > v[2]) {
      return "maximum " + name + " usage per " + type + " is " + enforced.canonical() + ", but limit is "
          + l.canonical();
    }
    if (r != null && v[0] > v[2]) {
      return "maximum " + name + " usage per " + type + " is " + enforced.canonical() + ", but request is "
          + r.canonical();
    }
    return null;
  }

  /** maxRequestConstraint: for claims, whose limits are not user input. */
  static String maxRequestConstraint(String type, String name, Parsed enforced, Map<String, Parsed> req) {
    Parsed r = req.get(name);
    if (r == null) {
      return "maximum " + name + " usage per " + type + " is " + enforced.canonical() + ".  No request is specified";
    }
    long[] v = comparable(r, null, enforced);
    if (v[0] > v[2]) {
      return "maximum " + name + " usage per " + type + " is " + enforced.canonical() + ", but request is "
          + r.canonical();
    }
    return null;
  }

  static String ratioConstraint(String type, String name, Parsed enforced, Map<String, Parsed> req,
      Map<String, Parsed> lim) {
    Parsed r = req.get(name);
    Parsed l = lim.get(name);
    long[] v = comparable(r, l, enforced);
    if (r == null || v[0] == 0) {
      return name + " max limit to request ratio per " + type + " is " + enforced.canonical()
          + ", but no request is specified or request is 0";
    }
    if (l == null || v[1] == 0) {
      return name + " max limit to request ratio per " + type + " is " + enforced.canonical()
          + ", but no limit is specified or limit is 0";
    }
    double observed = (double) v[1] / (double) v[0];
    double display = observed;
    double max = whole(enforced);
    if (whole(enforced) <= Long.MAX_VALUE / 1000) {
      observed *= 1000;
      max = milli(enforced);
    }
    if (observed > max) {
      return name + " max limit to request ratio per " + type + " is " + enforced.canonical()
          + ", but provided ratio is " + String.format(Locale.ROOT, "%f", display);
    }
    return null;
  }

  /**
   * requestLimitEnforcedValues: request, limit and enforced value in thousandths (rounded up, as
   * MilliValue), or in whole units if one of them is too large for that.
   */
  private static long[] comparable(Parsed req, Parsed lim, Parsed enforced) {
    BigDecimal r = req == null ? BigDecimal.ZERO : req.value();
    BigDecimal l = lim == null ? BigDecimal.ZERO : lim.value();
    BigDecimal e = enforced.value();
    boolean milli = whole(r).compareTo(MAX_MILLI_VALUE) <= 0 && whole(l).compareTo(MAX_MILLI_VALUE) <= 0
        && whole(e).compareTo(MAX_MILLI_VALUE) <= 0;
    int scale = milli ? 3 : 0;
    return new long[] {ceil(r, scale), ceil(l, scale), ceil(e, scale)};
  }

  private static BigDecimal whole(BigDecimal v) {
    return v.setScale(0, RoundingMode.CEILING);
  }

  private static long whole(Parsed p) {
    return ceil(p.value(), 0);
  }

  private static long milli(Parsed p) {
    return ceil(p.value(), 3);
  }

  private static long ceil(BigDecimal v, int scale) {
    BigDecimal s = v.scaleByPowerOfTen(scale).setScale(0, RoundingMode.CEILING);
    return s.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : s.longValueExact();
  }

  /** utilerrors.NewAggregate(...).Error(): one error bare, several in brackets. */
  static String aggregate(List<String> errs) {
    return errs.size() == 1 ? errs.get(0) : "[" + String.join(", ", errs) + "]";
  }

  private static void addIfNotNull(List<String> errs, String e) {
    if (e != null) {
      errs.add(e);
    }
  }

  private static List<LimitRangeItem> items(LimitRange lr) {
    return lr.getSpec() == null || lr.getSpec().getLimits() == null ? List.of() : lr.getSpec().getLimits();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
