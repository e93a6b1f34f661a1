package io.kubesim.controlplane.http.printers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The formatting helpers of kube-apiserver's printers (k8s.io/apimachinery/pkg/util/duration, labels, metav1). */
public final class Human {

  private Human() {}

  /** duration.HumanDuration: "45s", "3m20s", "5h", "2d3h", "400d", "3y12d". */
  public static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** translateTimestampSince: "<unknown>" for a missing timestamp. */
  public static String since(String timestamp, Instant now) {
    Instant t = timestamp == null ? null : Times.parse(timestamp);
    if (t == null) {
      return "<unknown>";
    }
    return duration(Duration.between(t, now));
  }

  /** labels.FormatLabels: "a=b,c=d" sorted by key, "<none>" when empty. */
  public static String labels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return "<none>";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  /** metav1.FormatLabelSelector: "app=web,tier in (a,b)", "<none>" for nil or empty. */
  public static String selector(LabelSelector s) {
    if (s == null) {
      return "<none>";
    }
    List<String> parts = new ArrayList<>();
    if (s.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : new TreeMap<>(s.getMatchLabels()).entrySet()) {
        parts.add(e.getKey() + "=" + e.getValue());
      }
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        List<String> values = r.getValues() == null ? List.of() : new ArrayList<>(r.getValues());
        java.util.Collections.sort(values);
        switch (r.getOperator() == null ? "" : r.getOperator()) {
          case "In" -> parts.add(r.getKey() + " in (" + String.join(",", values) + ")");
          case "NotIn" -> parts.add(r.getKey() + " notin (" + String.join(",", values) + ")");
          case "Exists" -> parts.add(r.getKey());
          case "DoesNotExist" -> parts.add("!" + r.getKey());
          default -> parts.add("<error>");
        }
      }
    }
    java.util.Collections.sort(parts);
    String out = String.join(",", parts);
    return out.isEmpty() ? "<none>" : out;
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  static long n(Integer i) {
    return i == null ? 0 : i;
  }

  static long n(Long i) {
    return i == null ? 0 : i;
  }
}
