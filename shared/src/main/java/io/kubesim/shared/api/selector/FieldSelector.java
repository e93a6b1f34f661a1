package io.kubesim.shared.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A field selector as k8s.io/apimachinery/pkg/fields has it: a conjunction of {@code field=value}
 * and {@code field!=value} terms, parsed from {@code ?fieldSelector=} with {@link #parse};
 * immutable. Which fields an object offers, and their values, is the caller's business: matching
 * asks a function for them.
 */
public final class FieldSelector {

  /** The two operators of a field selector; "==" is read as {@link #EQUALS}, as in Go. */
  public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!=");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** One term: the field, the operator and the unescaped value. */
  public record Requirement(String field, Operator operator, String value) {

    public Requirement {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(value, "value");
    }

    /** Whether the field's value is (or is not) the value; an absent field has the empty value. */
    public boolean matches(Function<String, String> fieldValue) {
      String actual = Objects.requireNonNullElse(fieldValue.apply(field), "");
      return (operator == Operator.EQUALS) == actual.equals(value);
    }

    /** {@code field=value} or {@code field!=value}, the value escaped by {@link #escapeValue}. */
    @Override
    public String toString() {
      return field + operator.symbol() + escapeValue(value);
    }
  }

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** The selector that matches every object, as Go's {@code fields.Everything()}. */
  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /** The selector of one {@code field=value} term, as Go's {@code OneTermEqualSelector}. */
  public static FieldSelector oneTermEqual(String field, String value) {
    return new FieldSelector(List.of(new Requirement(field, Operator.EQUALS, value)));
  }

  /**
   * Parses the string form, as Go's {@code fields.ParseSelector}: comma-separated terms
   * {@code field=value}, {@code field==value} or {@code field!=value}, split at the first
   * operator; in values {@code \\}, {@code \,} and {@code \=} stand for {@code \}, {@code ,} and
   * {@code =}. Terms are kept in the sorted order of their text, as Go keeps them; empty terms are
   * skipped; the empty string (or null) selects everything.
   *
   * @throws SelectorParseException with Go's message, e.g.
   *     {@code invalid selector: 'x'; can't understand 'x'} or
   *     {@code invalid field selector: invalid escape sequence: \n}
   */
  public static FieldSelector parse(String selector) {
    String s = selector == null ? "" : selector;
    List<String> parts = splitTerms(s);
    parts.sort(GoStrings.ORDER);
    List<Requirement> reqs = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      Requirement r = splitTerm(part);
      if (r == null) {
        throw new SelectorParseException("invalid selector: '" + s + "'; can't understand '" + part + "'");
      }
      reqs.add(new Requirement(r.field(), r.operator(), unescapeValue(r.value())));
    }
    return reqs.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(reqs));
  }

  /** Splits at the commas that are not escaped; the escapes stay in the terms. */
  private static List<String> splitTerms(String s) {
    List<String> terms = new ArrayList<>();
    if (s.isEmpty()) {
      return terms;
    }
    int start = 0;
    boolean inSlash = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inSlash) {
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',') {
        terms.add(s.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(s.substring(start));
    return terms;
  }

  /** The term split at the first "!=", "==" or "=", the value still escaped; null without one. */
  private static Requirement splitTerm(String term) {
    for (int i = 0; i < term.length(); i++) {
      if (term.startsWith("!=", i)) {
        return new Requirement(term.substring(0, i), Operator.NOT_EQUALS, term.substring(i + 2));
      }
      if (term.startsWith("==", i)) {
        return new Requirement(term.substring(0, i), Operator.EQUALS, term.substring(i + 2));
      }
      if (term.charAt(i) == '=') {
        return new Requirement(term.substring(0, i), Operator.EQUALS, term.substring(i + 1));
      }
    }
    return null;
  }

  /** Go's {@code fields.EscapeValue}: a backslash before each {@code \}, {@code ,} and {@code =}. */
  public static String escapeValue(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == ',' || c == '=') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Go's {@code fields.UnescapeValue}: undoes {@link #escapeValue}, refusing any other escape and a
   * bare {@code ,} or {@code =}.
   *
   * @throws SelectorParseException {@code invalid field selector: invalid escape sequence: \x} or
   *     {@code invalid field selector: unescaped character in value: 44} (Go prints the rune as a
   *     number)
   */
  public static String unescapeValue(String value) {
    if (value.indexOf('\\') < 0 && value.indexOf(',') < 0 && value.indexOf('=') < 0) {
      return value;
    }
    StringBuilder sb = new StringBuilder(value.length());
    boolean inSlash = false;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (inSlash) {
        if (c != '\\' && c != ',' && c != '=') {
          throw new SelectorParseException(
              "invalid field selector: invalid escape sequence: \\" + new String(Character.toChars(c)));
        }
        sb.appendCodePoint(c);
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',' || c == '=') {
        throw new SelectorParseException("invalid field selector: unescaped character in value: " + c);
      } else {
        sb.appendCodePoint(c);
      }
    }
    if (inSlash) {
      throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
    }
    return sb.toString();
  }

  /** The terms, in the order Go keeps them (sorted by their text as written). */
  public List<Requirement> requirements() {
    return requirements;
  }

  /** Whether this selector restricts nothing. */
  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /**
   * Whether every term holds for the object whose fields the function gives; a field it returns
   * null for has the empty value, as a missing key in Go's {@code fields.Set}.
   */
  public boolean matches(Function<String, String> fieldValue) {
    for (Requirement r : requirements) {
      if (!r.matches(fieldValue)) {
        return false;
      }
    }
    return true;
  }

  /** {@link #matches(Function)} over a map of field values; a null map has no fields. */
  public boolean matches(Map<String, String> fields) {
    Map<String, String> values = fields == null ? Map.of() : fields;
    Function<String, String> lookup = values::get;
    return matches(lookup);
  }

  /**
   * The value an "=" term demands for the field, as Go's {@code RequiresExactMatch}: the first such
   * term wins; "!=" terms are passed over.
   */
  public Optional<String> requiredValue(String field) {
    for (Requirement r : requirements) {
      if (r.operator() == Operator.EQUALS && r.field().equals(field)) {
        return Optional.of(r.value());
      }
    }
    return Optional.empty();
  }

  /** The canonical form, as Go's {@code String()}: the terms joined by commas, values escaped. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Requirement r : requirements) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(r);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSelector other && requirements.equals(other.requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }
}
