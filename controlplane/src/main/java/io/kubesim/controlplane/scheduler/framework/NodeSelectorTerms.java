package io.kubesim.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node selector terms as component-helpers/scheduling/corev1/nodeaffinity parses them: terms are
 * ORed, the requirements inside a term ANDed; matchExpressions test the node's labels with In,
 * NotIn, Exists, DoesNotExist, Gt and Lt (one integer value), matchFields test metadata.name with In
 * or NotIn (one value). A term with no requirements, or one that does not parse, matches nothing;
 * the other terms still count (LazyErrorNodeSelector).
 */
public final class NodeSelectorTerms {

  /** One parsed term; {@code labels} null when the term has no matchExpressions. */
  record Term(List<LabelSelector.Requirement> labels, List<FieldRequirement> fields, boolean valid) {
    boolean matches(String nodeName, Map<String, String> nodeLabels) {
      if (!valid) {
        return false;
      }
      if (labels != null) {
        for (LabelSelector.Requirement r : labels) {
          if (!r.matches(nodeLabels)) {
            return false;
          }
        }
      }
      if (fields != null) {
        for (FieldRequirement f : fields) {
          if (!f.matches(nodeName)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** metadata.name In/NotIn one value. */
  record FieldRequirement(String key, boolean in, String value) {
    boolean matches(String nodeName) {
      String actual = "metadata.name".equals(key) ? nodeName : "";
      return in == actual.equals(value);
    }
  }

  private final List<Term> terms;

  private NodeSelectorTerms(List<Term> terms) {
    this.terms = terms;
  }

  public static NodeSelectorTerms of(NodeSelector selector) {
    List<Term> terms = new ArrayList<>();
    if (selector != null && selector.getNodeSelectorTerms() != null) {
      for (NodeSelectorTerm t : selector.getNodeSelectorTerms()) {
        terms.add(parse(t));
      }
    }
    return new NodeSelectorTerms(terms);
  }

  static Term parse(NodeSelectorTerm t) {
    if (t == null) {
      return new Term(null, null, false);
    }
    List<NodeSelectorRequirement> exprs = t.getMatchExpressions() == null ? List.of() : t.getMatchExpressions();
    List<NodeSelectorRequirement> fieldReqs = t.getMatchFields() == null ? List.of() : t.getMatchFields();
    if (exprs.isEmpty() && fieldReqs.isEmpty()) {
      return new Term(null, null, false);
    }
    try {
      List<LabelSelector.Requirement> labels = null;
      if (!exprs.isEmpty()) {
        labels = new ArrayList<>(exprs.size());
        for (NodeSelectorRequirement r : exprs) {
          LabelSelector.Operator op = switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> LabelSelector.Operator.IN;
            case "NotIn" -> LabelSelector.Operator.NOT_IN;
            case "Exists" -> LabelSelector.Operator.EXISTS;
            case "DoesNotExist" -> LabelSelector.Operator.DOES_NOT_EXIST;
            case "Gt" -> LabelSelector.Operator.GT;
            case "Lt" -> LabelSelector.Operator.LT;
            default -> throw new SelectorParseException("not a valid selector operator");
          };
          labels.add(LabelSelector.Requirement.of(r.getKey(), op, r.getValues()));
        }
      }
      List<FieldRequirement> fields = null;
      if (!fieldReqs.isEmpty()) {
        fields = new ArrayList<>(fieldReqs.size());
        for (NodeSelectorRequirement r : fieldReqs) {
          List<String> values = r.getValues() == null ? List.of() : r.getValues();
          String op = r.getOperator() == null ? "" : r.getOperator();
          if (values.size() != 1 || !(op.equals("In") || op.equals("NotIn"))) {
            return new Term(null, null, false);
          }
          fields.add(new FieldRequirement(r.getKey(), op.equals("In"), values.get(0)));
        }
      }
      return new Term(labels, fields, true);
    } catch (SelectorParseException | IllegalArgumentException e) {
      return new Term(null, null, false);
    }
  }

  /** Whether any term matches the node. No terms: nothing matches. */
  public boolean matches(String nodeName, Map<String, String> nodeLabels) {
    for (Term t : terms) {
      if (t.matches(nodeName, nodeLabels)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** Preferred terms with their weights (nodeaffinity.PreferredSchedulingTerms); weight-0 terms are dropped. */
  public record Preferred(List<Integer> weights, List<Term> terms) {

    public static Preferred of(List<PreferredSchedulingTerm> preferred) {
      List<Integer> weights = new ArrayList<>();
      List<Term> terms = new ArrayList<>();
      if (preferred != null) {
        for (PreferredSchedulingTerm p : preferred) {
          if (p == null || p.getWeight() == null || p.getWeight() == 0) {
            continue;
          }
          weights.add(p.getWeight());
          terms.add(parse(p.getPreference()));
        }
      }
      return new Preferred(weights, terms);
    }

    /** The sum of the weights of the terms the node matches. */
    public long score(String nodeName, Map<String, String> nodeLabels) {
      long score = 0;
      for (int i = 0; i < terms.size(); i++) {
        if (terms.get(i).matches(nodeName, nodeLabels)) {
          score += weights.get(i);
        }
      }
      return score;
    }

    public boolean isEmpty() {
      return terms.isEmpty();
    }
  }
}
