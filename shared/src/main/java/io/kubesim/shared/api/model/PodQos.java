package io.kubesim.shared.api.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's QoS class, as pkg/apis/core/helper/qos computes it: Guaranteed when every container
 * (init containers included) has CPU and memory limits equal to its requests, BestEffort when no
 * container requests or limits anything, Burstable otherwise.
 */
public final class PodQos {

  private PodQos() {}

  public static String of(Pod pod) {
    if (pod.getSpec() == null) {
      return "BestEffort";
    }
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    if (pod.getSpec().getContainers() != null) {
      all.addAll(pod.getSpec().getContainers());
    }
    boolean anyRequestOrLimit = false;
    boolean guaranteed = true;
    for (Container c : all) {
      Map<String, Quantity> req = c.getResources() == null ? null : c.getResources().getRequests();
      Map<String, Quantity> lim = c.getResources() == null ? null : c.getResources().getLimits();
      if (nonZero(req, "cpu") || nonZero(req, "memory") || nonZero(lim, "cpu") || nonZero(lim, "memory")) {
        anyRequestOrLimit = true;
      }
      for (String r : new String[] {"cpu", "memory"}) {
        Quantity l = lim == null ? null : lim.get(r);
        Quantity q = req == null ? null : req.get(r);
        if (l == null || isZero(l)) {
          guaranteed = false;
        } else if (q != null && l.getNumericalAmount().compareTo(q.getNumericalAmount()) != 0) {
          guaranteed = false;
        }
      }
    }
    if (!anyRequestOrLimit) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean nonZero(Map<String, Quantity> m, String r) {
    return m != null && m.get(r) != null && !isZero(m.get(r));
  }

  private static boolean isZero(Quantity q) {
    try {
      return q.getNumericalAmount().signum() == 0;
    } catch (RuntimeException e) {
      return true;
    }
  }
}
