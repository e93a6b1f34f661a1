package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The mutating admission plugins kube-apiserver enables by default that change pods on create:
 * ServiceAccount (the default account), Priority (priority from the PriorityClass) and
 * DefaultTolerationSeconds (the two 300 s NoExecute tolerations that make pods leave a dead node
 * five minutes after it is marked unreachable).
 */
final class Admission {

  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  /** The priority classes kube-apiserver creates at start (pkg/apis/scheduling). */
  static final int SYSTEM_CLUSTER_CRITICAL = 2_000_000_000;
  static final int SYSTEM_NODE_CRITICAL = 2_000_001_000;

  private Admission() {}

  /** The annotation that marks a kubelet's mirror of a static pod. */
  static final String MIRROR_POD = "kubernetes.io/config.mirror";

  static void admitPodCreate(Pod pod, ApiServerSettings settings, Function<String, PriorityClass> priorityClasses) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return;
    }
    if (settings.admissionEnabled(ApiServerSettings.SERVICE_ACCOUNT) && !isMirror(pod)) {
      // Mirror pods are left alone: "don't modify the spec of mirror pods" (serviceaccount/admission.go).
      serviceAccount(spec);
    }
    priority(pod, priorityClasses);
    defaultTolerationSeconds(spec, settings);
  }

  /** plugin/pkg/admission/serviceaccount: pods run as the namespace's "default" account unless told otherwise. */
  private static void serviceAccount(PodSpec spec) {
    spec.setServiceAccountName(serviceAccountName(spec));
    spec.setServiceAccount(spec.getServiceAccountName());
  }

  /** The account a pod runs as: serviceAccountName, else the deprecated serviceAccount, else "default". */
  static String serviceAccountName(PodSpec spec) {
    if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()) {
      return spec.getServiceAccountName();
    }
    return spec.getServiceAccount() != null && !spec.getServiceAccount().isEmpty() ? spec.getServiceAccount()
        : "default";
  }

  static boolean isMirror(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(MIRROR_POD);
  }

  /** plugin/pkg/admission/priority: resolve priorityClassName to spec.priority and preemptionPolicy. */
  private static void priority(Pod pod, Function<String, PriorityClass> priorityClasses) {
    PodSpec spec = pod.getSpec();
    String name = spec.getPriorityClassName();
    int value = 0;
    String policy = "PreemptLowerPriority";
    if (name != null && !name.isEmpty()) {
      PriorityClass pc = priorityClasses.apply(name);
      if (pc == null) {
        throw new ApiException(ApiErrors.forbidden(Resources.PODS, admissionName(pod),
            "no PriorityClass with name " + name + " was found"));
      }
      value = pc.getValue();
      if (pc.getPreemptionPolicy() != null) {
        policy = pc.getPreemptionPolicy();
      }
    } else {
      PriorityClass global = priorityClasses.apply(null);
      if (global != null) {
        value = global.getValue();
        spec.setPriorityClassName(global.getMetadata().getName());
        if (global.getPreemptionPolicy() != null) {
          policy = global.getPreemptionPolicy();
        }
      }
    }
    if (spec.getPriority() != null && spec.getPriority() != value) {
      throw new ApiException(ApiErrors.forbidden(Resources.PODS, admissionName(pod),
          "the integer value of priority (" + spec.getPriority() + ") must not be provided in pod spec; "
              + "priority admission controller computed " + value + " from the given PriorityClass name"));
    }
    spec.setPriority(value);
    if (spec.getPreemptionPolicy() == null) {
      spec.setPreemptionPolicy(policy);
    }
  }

  /** plugin/pkg/admission/defaulttolerationseconds. */
  private static void defaultTolerationSeconds(PodSpec spec, ApiServerSettings settings) {
    List<Toleration> tolerations = spec.getTolerations() == null ? new ArrayList<>()
        : new ArrayList<>(spec.getTolerations());
    boolean notReady = false;
    boolean unreachable = false;
    for (Toleration t : tolerations) {
      boolean noExecuteOrAny = t.getEffect() == null || t.getEffect().isEmpty() || "NoExecute".equals(t.getEffect());
      if (!noExecuteOrAny) {
        continue;
      }
      String key = t.getKey() == null ? "" : t.getKey();
      if (key.isEmpty() || key.equals(NOT_READY)) {
        notReady = true;
      }
      if (key.isEmpty() || key.equals(UNREACHABLE)) {
        unreachable = true;
      }
    }
    if (!notReady) {
      tolerations.add(new Toleration("NoExecute", NOT_READY, "Exists", settings.defaultNotReadyTolerationSeconds(),
          null));
    }
    if (!unreachable) {
      tolerations.add(new Toleration("NoExecute", UNREACHABLE, "Exists",
          settings.defaultUnreachableTolerationSeconds(), null));
    }
    spec.setTolerations(tolerations);
  }

  /** The annotation that makes an IngressClass the cluster's default (networking/v1 AnnotationIsDefaultIngressClass). */
  static final String IS_DEFAULT_INGRESS_CLASS = "ingressclass.kubernetes.io/is-default-class";
  /** The deprecated annotation naming an Ingress's class (networking/v1beta1 AnnotationIngressClass). */
  static final String INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  /**
   * plugin/pkg/admission/network/defaultingressclass: an Ingress created without a class (neither
   * spec.ingressClassName nor the old annotation) gets the default IngressClass; when several are
   * marked default, the newest (then the first by name) wins, as since Kubernetes 1.28.
   */
  static void defaultIngressClass(io.fabric8.kubernetes.api.model.networking.v1.Ingress ing,
      List<io.fabric8.kubernetes.api.model.networking.v1.IngressClass> classes) {
    if (ing.getSpec() == null) {
      ing.setSpec(new io.fabric8.kubernetes.api.model.networking.v1.IngressSpec());
    }
    if (ing.getSpec().getIngressClassName() != null) {
      return;
    }
    var ann = ing.getMetadata().getAnnotations();
    if (ann != null && ann.containsKey(INGRESS_CLASS_ANNOTATION)) {
      return;
    }
    io.fabric8.kubernetes.api.model.networking.v1.IngressClass best = null;
    for (var c : classes) {
      var a = c.getMetadata().getAnnotations();
      if (a == null || !"true".equals(a.get(IS_DEFAULT_INGRESS_CLASS))) {
        continue;
      }
      if (best == null) {
        best = c;
        continue;
      }
      int cmp = String.valueOf(c.getMetadata().getCreationTimestamp())
          .compareTo(String.valueOf(best.getMetadata().getCreationTimestamp()));
      if (cmp > 0 || (cmp == 0 && c.getMetadata().getName().compareTo(best.getMetadata().getName()) < 0)) {
        best = c;
      }
    }
    if (best != null) {
      ing.getSpec().setIngressClassName(best.getMetadata().getName());
    }
  }

  /** admission.extractResourceName: the name, or before it is generated the generateName. */
  static String admissionName(Pod pod) {
    String name = pod.getMetadata().getName();
    if (name != null && !name.isEmpty()) {
      return name;
    }
    String gen = pod.getMetadata().getGenerateName();
    return gen != null && !gen.isEmpty() ? gen : "Unknown";
  }
}
