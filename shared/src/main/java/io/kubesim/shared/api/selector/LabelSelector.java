package io.kubesim.shared.api.selector;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A label selector as k8s.io/apimachinery/pkg/labels has it: a conjunction of requirements, kept
 * sorted by key. Built from the string syntax of {@code ?labelSelector=} with {@link #parse} or
 * from the API type of {@code spec.selector} with {@link #from}; immutable.
 *
 * <p>Besides the selectors made of requirements there is the one that matches nothing
 * ({@link #nothing()}), which is what a null {@code LabelSelector} in an object means.
 */
public final class LabelSelector {

  /** The operators of k8s.io/apimachinery/pkg/selection, with their Go spelling. */
  public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    EXISTS("exists"),
    DOES_NOT_EXIST("!"),
    GT("gt"),
    LT("lt");

    private final String goName;

    Operator(String goName) {
      this.goName = goName;
    }

    /** The value of the Go {@code selection.Operator}: "in", "notin", "=", "exists", "gt"... */
    public String goName() {
      return goName;
    }
  }

  /**
   * One requirement: a key, an operator and the values it relates them to, sorted. The canonical
   * constructor only normalises; {@link #of} also validates, as Go's {@code NewRequirement}.
   */
  public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      List<String> sorted = new ArrayList<>(values == null ? List.of() : values);
      sorted.sort(GoStrings.ORDER);
      values = List.copyOf(sorted);
    }

    /**
     * A validated requirement: the key must be a qualified name, the values valid label values,
     * and their number fit the operator (at least one for in/notin, exactly one for the equality
     * operators and gt/lt, whose value must be an integer, none for exists/!).
     *
     * @throws SelectorParseException worded as Go's field errors, e.g.
     *     {@code values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty}
     */
    public static Requirement of(String key, Operator operator, Collection<String> values) {
      Objects.requireNonNull(operator, "operator");
      List<String> vals = new ArrayList<>();
      if (values != null) {
        for (String v : values) {
          vals.add(v == null ? "" : v);
        }
      }
      return validated(key == null ? "" : key, operator, vals);
    }

    /**
     * Whether the labels satisfy this requirement, as Go's {@code Requirement.Matches}: in, = and
     * == need the label with one of the values; notin and != also match when the label is absent;
     * gt and lt need the label, parsed as a 64-bit integer, to be above or below the value.
     */
    public boolean matches(Map<String, String> labels) {
      boolean has = labels != null && labels.containsKey(key);
      String actual = has ? Objects.requireNonNullElse(labels.get(key), "") : null;
      return switch (operator) {
        case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(actual);
        case NOT_IN, NOT_EQUALS -> !has || !values.contains(actual);
        case EXISTS -> has;
        case DOES_NOT_EXIST -> !has;
        case GT, LT -> {
          if (!has || values.size() != 1) {
            yield false;
          }
          Long label = parseGoInt(actual);
          Long bound = parseGoInt(values.get(0));
          if (label == null || bound == null) {
            yield false;
          }
          yield operator == Operator.GT ? label > bound : label < bound;
        }
      };
    }

    /** The Go rendering: {@code app=web}, {@code tier in (a,b)}, {@code !canary}, {@code n>3}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (operator == Operator.DOES_NOT_EXIST) {
        sb.append('!');
      }
      sb.append(key);
      switch (operator) {
        case EXISTS, DOES_NOT_EXIST -> {
          return sb.toString();
        }
        case EQUALS -> sb.append('=');
        case DOUBLE_EQUALS -> sb.append("==");
        case NOT_EQUALS -> sb.append("!=");
        case IN -> sb.append(" in ");
        case NOT_IN -> sb.append(" notin ");
        case GT -> sb.append('>');
        case LT -> sb.append('<');
      }
      boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
      if (set) {
        sb.append('(');
      }
      sb.append(String.join(",", values));
      if (set) {
        sb.append(')');
      }
      return sb.toString();
    }
  }

  private static final Comparator<Requirement> BY_KEY = Comparator.comparing(Requirement::key, GoStrings.ORDER);

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  private final List<Requirement> requirements;
  private final boolean nothing;

  private LabelSelector(List<Requirement> requirements, boolean nothing) {
    this.requirements = requirements;
    this.nothing = nothing;
  }

  /** The selector that matches every set of labels, as Go's {@code labels.Everything()}. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** The selector that matches no set of labels, as Go's {@code labels.Nothing()}. */
  public static LabelSelector nothing() {
    return NOTHING;
  }

  /**
   * Parses the string form, as Go's {@code labels.Parse}: comma-separated requirements
   * {@code key}, {@code !key}, {@code key=v}, {@code key==v}, {@code key!=v},
   * {@code key in (v1,v2)}, {@code key notin (v1,v2)}, {@code key>n}, {@code key<n}. The empty
   * string (or null) selects everything.
   *
   * @throws SelectorParseException with Go's message, e.g. {@code unable to parse requirement: ...}
   *     or {@code found ',', expected: identifier after ','}
   */
  public static LabelSelector parse(String selector) {
    List<Requirement> parsed = new Parser(selector == null ? "" : selector).parse();
    return of(parsed);
  }

  /**
   * Converts the API type, as Go's {@code metav1.LabelSelectorAsSelector}: null selects nothing,
   * a selector without matchLabels and matchExpressions selects everything; each matchLabels entry
   * is an "=" requirement, each matchExpression an in, notin, exists or ! requirement.
   *
   * @throws SelectorParseException for an invalid key or value, a value list that does not fit
   *     the operator, or an operator other than In, NotIn, Exists and DoesNotExist
   */
  public static LabelSelector from(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    if (matchLabels.isEmpty() && expressions.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new ArrayList<>(matchLabels.size() + expressions.size());
    // Go walks the map in random order and reports the first invalid entry; sorted is deterministic
    List<String> keys = new ArrayList<>();
    for (String k : matchLabels.keySet()) {
      keys.add(k == null ? "" : k);
    }
    keys.sort(GoStrings.ORDER);
    for (String k : keys) {
      String v = matchLabels.get(k);
      reqs.add(Requirement.of(k, Operator.EQUALS, List.of(v == null ? "" : v)));
    }
    for (LabelSelectorRequirement expr : expressions) {
      if (expr == null) {
        continue;
      }
      String op = expr.getOperator() == null ? "" : expr.getOperator();
      Operator operator = switch (op) {
        case "In" -> Operator.IN;
        case "NotIn" -> Operator.NOT_IN;
        case "Exists" -> Operator.EXISTS;
        case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
        default -> throw new SelectorParseException(GoStrings.quote(op) + " is not a valid pod selector operator");
      };
      reqs.add(Requirement.of(expr.getKey(), operator, expr.getValues()));
    }
    return of(reqs);
  }

  /**
   * The selector requiring each label of the set to have its value, as Go's
   * {@code labels.ValidatedSelectorFromSet}; an empty or null set selects everything.
   *
   * @throws SelectorParseException for an invalid key or value
   */
  public static LabelSelector fromSet(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> reqs = new ArrayList<>(labels.size());
    labels.forEach((k, v) -> reqs.add(Requirement.of(k, Operator.EQUALS, List.of(v == null ? "" : v))));
    return of(reqs);
  }

  private static LabelSelector of(List<Requirement> reqs) {
    if (reqs.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> sorted = new ArrayList<>(reqs);
    sorted.sort(BY_KEY); // stable, like Go's sort on these short lists
    return new LabelSelector(List.copyOf(sorted), false);
  }

  /** Whether every requirement matches; a null map is a set of no labels. */
  public boolean matches(Map<String, String> labels) {
    if (nothing) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this selector restricts nothing, i.e. matches everything. False for {@link #nothing()}. */
  public boolean isEmpty() {
    return !nothing && requirements.isEmpty();
  }

  /** Whether this is the selector that matches nothing. */
  public boolean matchesNothing() {
    return nothing;
  }

  /** The requirements, sorted by key; empty for {@link #everything()} and for {@link #nothing()}. */
  public List<Requirement> requirements() {
    return requirements;
  }

  /**
   * The single value the selector demands for the key, as Go's {@code RequiresExactMatch}: the
   * first requirement on the key decides, and it must be =, == or in with one value.
   */
  public Optional<String> requiredValue(String key) {
    for (Requirement r : requirements) {
      if (r.key().equals(key)) {
        return switch (r.operator()) {
          case EQUALS, DOUBLE_EQUALS, IN -> r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
          default -> Optional.empty();
        };
      }
    }
    return Optional.empty();
  }

  /**
   * The canonical string form, as Go's {@code String()}: requirements sorted by key, joined by
   * commas, set values sorted. Empty for {@link #everything()}, and, as in Go, for {@link #nothing()}.
   */
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
    return o instanceof LabelSelector other && nothing == other.nothing && requirements.equals(other.requirements);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nothing, requirements);
  }

  // ---- validation, as k8s.io/apimachinery/pkg/api/validate/content ----

  private static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_KEY_ERR_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";
  private static final String LABEL_VALUE_ERR_MSG = "a valid label must be an empty string or consist of alphanumeric "
      + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1123_SUBDOMAIN_ERR_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
      + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final Pattern LABEL_KEY = Pattern.compile(LABEL_KEY_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");
  private static final int LABEL_KEY_MAX_LENGTH = 63;
  private static final int LABEL_VALUE_MAX_LENGTH = 63;
  private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

  /** Go's {@code NewRequirement}, with no field path: errors name "key", "values", "values[i][key]". */
  private static Requirement validated(String key, Operator op, List<String> vals) {
    List<String> errs = new ArrayList<>();
    List<String> keyErrs = labelKeyErrors(key);
    if (!keyErrs.isEmpty()) {
      errs.add(invalid("key", GoStrings.quote(key), String.join("; ", keyErrs)));
    }
    switch (op) {
      case IN, NOT_IN -> {
        if (vals.isEmpty()) {
          errs.add(invalid("values", GoStrings.jsonList(vals), "for 'in', 'notin' operators, values set can't be empty"));
        }
      }
      case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
        if (vals.size() != 1) {
          errs.add(invalid("values", GoStrings.jsonList(vals), "exact-match compatibility requires one single value"));
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!vals.isEmpty()) {
          errs.add(invalid("values", GoStrings.jsonList(vals), "values set must be empty for exists and does not exist"));
        }
      }
      case GT, LT -> {
        if (vals.size() != 1) {
          errs.add(invalid("values", GoStrings.jsonList(vals), "for 'Gt', 'Lt' operators, exactly one value is required"));
        }
        for (int i = 0; i < vals.size(); i++) {
          if (parseGoInt(vals.get(i)) == null) {
            errs.add(invalid("values[" + i + "]", GoStrings.quote(vals.get(i)),
                "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
    }
    for (int i = 0; i < vals.size(); i++) {
      List<String> valueErrs = labelValueErrors(vals.get(i));
      if (!valueErrs.isEmpty()) {
        errs.add(invalid("values[" + i + "][" + key + "]", GoStrings.quote(vals.get(i)), String.join("; ", valueErrs)));
      }
    }
    if (!errs.isEmpty()) {
      throw new SelectorParseException(aggregate(errs));
    }
    return new Requirement(key, op, vals);
  }

  /** A field.Invalid error rendered as Go's {@code Error()}: "path: Invalid value: value: detail". */
  private static String invalid(String path, String renderedValue, String detail) {
    return path + ": Invalid value: " + renderedValue + ": " + detail;
  }

  /** An aggregate error's message: the only one, or the distinct ones in brackets. */
  private static String aggregate(List<String> errs) {
    Set<String> distinct = new LinkedHashSet<>(errs);
    return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
  }

  /** {@code IsQualifiedName}: an optional DNS-1123 subdomain prefix and '/', then a name. */
  static List<String> labelKeyErrors(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part must be non-empty");
        } else {
          for (String msg : dns1123SubdomainErrors(prefix)) {
            errs.add("prefix part " + msg);
          }
        }
      }
      default -> {
        errs.add("a valid label key " + regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (GoStrings.byteLength(name) > LABEL_KEY_MAX_LENGTH) {
      errs.add("name part " + maxLenError(LABEL_KEY_MAX_LENGTH));
    }
    if (!LABEL_KEY.matcher(name).matches()) {
      errs.add("name part " + regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** {@code IsValidLabelValue}: at most 63 bytes, empty or alphanumeric at both ends. */
  static List<String> labelValueErrors(String value) {
    List<String> errs = new ArrayList<>();
    if (GoStrings.byteLength(value) > LABEL_VALUE_MAX_LENGTH) {
      errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  private static List<String> dns1123SubdomainErrors(String value) {
    List<String> errs = new ArrayList<>();
    if (GoStrings.byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  private static String maxLenError(int length) {
    return "must be no more than " + length + " bytes";
  }

  private static String regexError(String msg, String regex, String... examples) {
    StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(regex).append("')").toString();
  }

  /** {@code strconv.ParseInt(s, 10, 64)}: an optional sign and ASCII digits; null if not an int64. */
  private static Long parseGoInt(String s) {
    if (!GO_INT.matcher(s).matches()) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- the lexer and parser of pkg/labels/selector.go ----

  private enum Token {
    ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
    LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
  }

  private static Token literalToken(String s) {
    return switch (s) {
      case ")" -> Token.CLOSED_PAR;
      case "," -> Token.COMMA;
      case "!" -> Token.DOES_NOT_EXIST;
      case "==" -> Token.DOUBLE_EQUALS;
      case "=" -> Token.EQUALS;
      case ">" -> Token.GREATER_THAN;
      case "in" -> Token.IN;
      case "<" -> Token.LESS_THAN;
      case "!=" -> Token.NOT_EQUALS;
      case "notin" -> Token.NOT_IN;
      case "(" -> Token.OPEN_PAR;
      default -> null;
    };
  }

  private record Item(Token token, String literal) {}

  /** Tokenises as Go's Lexer, which reads bytes and takes a NUL for the end of the input. */
  private static final class Lexer {
    private final String s;
    private int pos;

    Lexer(String s) {
      this.s = s;
    }

    private char read() {
      char c = 0;
      if (pos < s.length()) {
        c = s.charAt(pos);
        pos++;
      }
      return c;
    }

    private void unread() {
      pos--;
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecialSymbol(char c) {
      return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    Item lex() {
      char c = read();
      while (isWhitespace(c)) {
        c = read();
      }
      if (c == 0) {
        return new Item(Token.END_OF_STRING, "");
      }
      unread();
      return isSpecialSymbol(c) ? scanSpecialSymbol() : scanIdOrKeyword();
    }

    private Item scanIdOrKeyword() {
      StringBuilder buffer = new StringBuilder();
      while (true) {
        char c = read();
        if (c == 0) {
          break;
        }
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          unread();
          break;
        }
        buffer.append(c);
      }
      String lit = buffer.toString();
      Token keyword = literalToken(lit);
      return new Item(keyword != null ? keyword : Token.IDENTIFIER, lit);
    }

    /** The longest operator at the current position: "!=" rather than "!", "==" rather than "=". */
    private Item scanSpecialSymbol() {
      Item last = null;
      StringBuilder buffer = new StringBuilder();
      while (true) {
        char c = read();
        if (c == 0) {
          break;
        }
        if (!isSpecialSymbol(c)) {
          unread();
          break;
        }
        buffer.append(c);
        Token t = literalToken(buffer.toString());
        if (t != null) {
          last = new Item(t, buffer.toString());
        } else if (last != null) {
          unread();
          break;
        }
      }
      if (last == null) {
        return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
      }
      return last;
    }
  }

  /** Where the parser is: "in" and "notin" are operators after a key but values inside a set. */
  private enum Context { KEY_AND_OPERATOR, VALUES }

  private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

  private static final class Parser {
    private final List<Item> items = new ArrayList<>();
    private int position;

    Parser(String selector) {
      Lexer lexer = new Lexer(selector);
      while (true) {
        Item item = lexer.lex();
        items.add(item);
        if (item.token() == Token.END_OF_STRING) {
          break;
        }
      }
    }

    private Item lookahead(Context context) {
      return inContext(items.get(Math.min(position, items.size() - 1)), context);
    }

    private Item consume(Context context) {
      Item item = items.get(Math.min(position, items.size() - 1));
      position++;
      return inContext(item, context);
    }

    private static Item inContext(Item item, Context context) {
      if (context == Context.VALUES && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
        return new Item(Token.IDENTIFIER, item.literal());
      }
      return item;
    }

    private static SelectorParseException error(String format, Object... args) {
      return new SelectorParseException(String.format(format, args));
    }

    List<Requirement> parse() {
      List<Requirement> requirements = new ArrayList<>();
      while (true) {
        Item next = lookahead(Context.VALUES);
        switch (next.token()) {
          case IDENTIFIER, DOES_NOT_EXIST -> {
            Requirement r;
            try {
              r = parseRequirement();
            } catch (SelectorParseException e) {
              throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
            }
            requirements.add(r);
            Item after = consume(Context.VALUES);
            switch (after.token()) {
              case END_OF_STRING -> {
                return requirements;
              }
              case COMMA -> {
                Item following = lookahead(Context.VALUES);
                if (following.token() != Token.IDENTIFIER && following.token() != Token.DOES_NOT_EXIST) {
                  throw error("found '%s', expected: identifier after ','", following.literal());
                }
              }
              default -> throw error("found '%s', expected: ',' or 'end of string'", after.literal());
            }
          }
          case END_OF_STRING -> {
            return requirements;
          }
          default -> throw error("found '%s', expected: !, identifier, or 'end of string'", next.literal());
        }
      }
    }

    private Requirement parseRequirement() {
      Operator operator = null;
      Item item = consume(Context.VALUES);
      if (item.token() == Token.DOES_NOT_EXIST) {
        operator = Operator.DOES_NOT_EXIST;
        item = consume(Context.VALUES);
      }
      if (item.token() != Token.IDENTIFIER) {
        throw error("found '%s', expected: identifier", item.literal());
      }
      String key = item.literal();
      List<String> keyErrs = labelKeyErrors(key);
      if (!keyErrs.isEmpty()) {
        // Go validates the key here against the parser's own path, which is nil
        throw new SelectorParseException(invalid("<nil>", GoStrings.quote(key), String.join("; ", keyErrs)));
      }
      Token next = lookahead(Context.VALUES).token();
      if ((next == Token.END_OF_STRING || next == Token.COMMA) && operator != Operator.DOES_NOT_EXIST) {
        operator = Operator.EXISTS;
      }
      if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
        return validated(key, operator, List.of());
      }
      operator = parseOperator();
      Set<String> values = switch (operator) {
        case IN, NOT_IN -> parseValues();
        default -> parseExactValue();
      };
      return validated(key, operator, new ArrayList<>(values));
    }

    private Operator parseOperator() {
      Item item = consume(Context.KEY_AND_OPERATOR);
      return switch (item.token()) {
        case IN -> Operator.IN;
        case EQUALS -> Operator.EQUALS;
        case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
        case GREATER_THAN -> Operator.GT;
        case LESS_THAN -> Operator.LT;
        case NOT_IN -> Operator.NOT_IN;
        case NOT_EQUALS -> Operator.NOT_EQUALS;
        default -> throw error("found '%s', expected: %s", item.literal(), BINARY_OPERATORS);
      };
    }

    /** A parenthesised set; "()" and empty elements stand for the empty value. */
    private Set<String> parseValues() {
      Item item = consume(Context.VALUES);
      if (item.token() != Token.OPEN_PAR) {
        throw error("found '%s' expected: '('", item.literal());
      }
      Item next = lookahead(Context.VALUES);
      switch (next.token()) {
        case IDENTIFIER, COMMA -> {
          Set<String> values = parseIdentifiersList();
          if (consume(Context.VALUES).token() != Token.CLOSED_PAR) {
            throw error("found '%s', expected: ')'", next.literal());
          }
          return values;
        }
        case CLOSED_PAR -> {
          consume(Context.VALUES);
          return newSet("");
        }
        default -> throw error("found '%s', expected: ',', ')' or identifier", next.literal());
      }
    }

    private Set<String> parseIdentifiersList() {
      Set<String> values = newSet();
      while (true) {
        Item item = consume(Context.VALUES);
        switch (item.token()) {
          case IDENTIFIER -> {
            values.add(item.literal());
            Item next = lookahead(Context.VALUES);
            switch (next.token()) {
              case COMMA -> {
                // another element follows
              }
              case CLOSED_PAR -> {
                return values;
              }
              default -> throw error("found '%s', expected: ',' or ')'", next.literal());
            }
          }
          case COMMA -> {
            if (values.isEmpty()) {
              values.add(""); // "(,"
            }
            Token next = lookahead(Context.VALUES).token();
            if (next == Token.CLOSED_PAR) {
              values.add(""); // ",)"
              return values;
            }
            if (next == Token.COMMA) {
              consume(Context.VALUES);
              values.add(""); // ",,"
            }
          }
          default -> throw error("found '%s', expected: ',', or identifier", item.literal());
        }
      }
    }

    private Set<String> parseExactValue() {
      Token next = lookahead(Context.VALUES).token();
      if (next == Token.END_OF_STRING || next == Token.COMMA) {
        return newSet("");
      }
      Item item = consume(Context.VALUES);
      if (item.token() == Token.IDENTIFIER) {
        return newSet(item.literal());
      }
      throw error("found '%s', expected: identifier", item.literal());
    }

    private static Set<String> newSet(String... values) {
      Set<String> set = new TreeSet<>(GoStrings.ORDER);
      set.addAll(List.of(values));
      return set;
    }
  }
}
