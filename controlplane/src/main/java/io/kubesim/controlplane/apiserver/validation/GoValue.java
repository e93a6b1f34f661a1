package io.kubesim.controlplane.apiserver.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bad value already rendered the way Go's field.Error prints it ({@code %#v} for maps, slices and
 * structs, {@code String()} for quantities and IntOrString). FieldError prints any value that is
 * not a java.lang.String with {@code String.valueOf}, so wrapping the text here keeps it unquoted.
 */
public final class GoValue {

  private final String rendered;

  private GoValue(String rendered) {
    this.rendered = rendered;
  }

  /** Text printed as is. */
  public static GoValue raw(String rendered) {
    return new GoValue(rendered);
  }

  /** {@code map[string]string{"a":"b", "c":"d"}}; keys sorted as Go's fmt sorts them. */
  public static GoValue stringMap(Map<String, String> map) {
    return new GoValue(renderStringMap(map));
  }

  /** {@code []string{"a", "b"}}. */
  public static GoValue stringSlice(Collection<String> values) {
    return new GoValue(renderStringSlice(values));
  }

  /** The String() of an IntOrString: the number, or the string unquoted. */
  public static GoValue intOrString(IntOrString v) {
    if (v == null) {
      return new GoValue("null");
    }
    return new GoValue(intOrStringText(v));
  }

  static String intOrStringText(IntOrString v) {
    if (v.getIntVal() != null) {
      return String.valueOf(v.getIntVal());
    }
    return v.getStrVal() == null ? "0" : v.getStrVal();
  }

  /** A metav1.LabelSelector as %#v prints it. */
  public static GoValue labelSelector(LabelSelector s) {
    if (s == null) {
      return new GoValue("null");
    }
    StringBuilder sb = new StringBuilder("v1.LabelSelector{MatchLabels:");
    sb.append(renderStringMap(s.getMatchLabels())).append(", MatchExpressions:");
    List<LabelSelectorRequirement> exprs = s.getMatchExpressions();
    if (exprs == null || exprs.isEmpty()) {
      sb.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      sb.append("[]v1.LabelSelectorRequirement{");
      boolean first = true;
      for (LabelSelectorRequirement r : exprs) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append("v1.LabelSelectorRequirement{Key:").append(quote(r.getKey())).append(", Operator:")
            .append(quote(r.getOperator())).append(", Values:").append(renderStringSlice(r.getValues())).append('}');
      }
      sb.append('}');
    }
    return new GoValue(sb.append('}').toString());
  }

  static String renderStringMap(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      // fabric8 cannot tell an absent map from an empty one; absent is by far the common case
      return "map[string]string(nil)";
    }
    StringBuilder sb = new StringBuilder("map[string]string{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return sb.append('}').toString();
  }

  static String renderStringSlice(Collection<String> values) {
    if (values == null || values.isEmpty()) {
      return "[]string(nil)";
    }
    StringBuilder sb = new StringBuilder("[]string{");
    boolean first = true;
    for (String v : values) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(quote(v));
    }
    return sb.append('}').toString();
  }

  static String quote(String s) {
    if (s == null) {
      s = "";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoValue g && g.rendered.equals(rendered);
  }

  @Override
  public int hashCode() {
    return rendered.hashCode();
  }

  @Override
  public String toString() {
    return rendered;
  }
}
