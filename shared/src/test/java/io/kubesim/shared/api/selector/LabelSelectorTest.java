package io.kubesim.shared.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubesim.shared.api.selector.LabelSelector.Operator;
import io.kubesim.shared.api.selector.LabelSelector.Requirement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  private static final String NAME_PART_REGEX_ERROR = "name part must consist of alphanumeric characters, '-', '_' or "
      + "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
      + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String LABEL_VALUE_REGEX_ERROR = "a valid label must be an empty string or consist of "
      + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
      + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
      + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  // ---- parsing and the canonical form ----

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        arguments("", ""),
        arguments("   ", ""),
        arguments("x=a", "x=a"),
        arguments("x==a", "x==a"),
        arguments("x!=a", "x!=a"),
        arguments("x", "x"),
        arguments("!x", "!x"),
        arguments("x>1", "x>1"),
        arguments("x<10", "x<10"),
        arguments("x in (a)", "x in (a)"),
        arguments("x in (b,a,c)", "x in (a,b,c)"),
        arguments("x notin (b, a ,c)", "x notin (a,b,c)"),
        arguments("x in(a)", "x in (a)"),
        arguments("x in (a,a)", "x in (a)"),
        arguments("x in ()", "x in ()"),
        arguments("x in (,)", "x in ()"),
        arguments("x in (a,,b)", "x in (,a,b)"),
        arguments("x in (,a)", "x in (,a)"),
        arguments("x in (a,)", "x in (,a)"),
        arguments("x=", "x="),
        arguments("x=,y", "x=,y"),
        arguments("  x  =  a  ,  y  ", "x=a,y"),
        arguments("\tx\n!=\ra", "x!=a"),
        arguments("z=a,y,x!=b", "x!=b,y,z=a"),
        arguments("b notin (x),a in (y)", "a in (y),b notin (x)"),
        arguments("in in (in,notin)", "in in (in,notin)"),
        arguments("notin=in", "notin=in"),
        arguments("example.com/app=web", "example.com/app=web"),
        arguments("app.kubernetes.io/name notin (db)", "app.kubernetes.io/name notin (db)"),
        arguments("x=A-b_c.d", "x=A-b_c.d"),
        arguments("x,!y,z>3", "x,!y,z>3"));
  }

  @ParameterizedTest(name = "\"{0}\" renders as \"{1}\"")
  @MethodSource("canonicalForms")
  void parsedSelectorRendersInCanonicalForm(String input, String canonical) {
    LabelSelector selector = LabelSelector.parse(input);
    assertThat(selector.toString()).isEqualTo(canonical);
    assertThat(LabelSelector.parse(canonical)).isEqualTo(selector);
  }

  static Stream<Arguments> parsedRequirements() {
    return Stream.of(
        arguments("x=a", new Requirement("x", Operator.EQUALS, List.of("a"))),
        arguments("x==a", new Requirement("x", Operator.DOUBLE_EQUALS, List.of("a"))),
        arguments("x!=a", new Requirement("x", Operator.NOT_EQUALS, List.of("a"))),
        arguments("x in (b,a)", new Requirement("x", Operator.IN, List.of("a", "b"))),
        arguments("x notin (a)", new Requirement("x", Operator.NOT_IN, List.of("a"))),
        arguments("x", new Requirement("x", Operator.EXISTS, List.of())),
        arguments("!x", new Requirement("x", Operator.DOES_NOT_EXIST, List.of())),
        arguments("x>5", new Requirement("x", Operator.GT, List.of("5"))),
        arguments("x<5", new Requirement("x", Operator.LT, List.of("5"))),
        arguments("x=", new Requirement("x", Operator.EQUALS, List.of(""))),
        arguments("x in ()", new Requirement("x", Operator.IN, List.of(""))));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @MethodSource("parsedRequirements")
  void eachOperatorParsesToItsRequirement(String input, Requirement expected) {
    assertThat(LabelSelector.parse(input).requirements()).containsExactly(expected);
  }

  @Test
  void requirementsAreSortedByKey() {
    LabelSelector selector = LabelSelector.parse("c,a=1,b!=2");
    assertThat(selector.requirements()).extracting(Requirement::key).containsExactly("a", "b", "c");
  }

  @Test
  void emptyStringSelectsEverything() {
    LabelSelector selector = LabelSelector.parse("");
    assertThat(selector.isEmpty()).isTrue();
    assertThat(selector.requirements()).isEmpty();
    assertThat(selector.matches(Map.of("a", "b"))).isTrue();
    assertThat(selector.matches(null)).isTrue();
    assertThat(selector).isEqualTo(LabelSelector.everything());
  }

  @Test
  void selectorWithRequirementsIsNotEmpty() {
    assertThat(LabelSelector.parse("a").isEmpty()).isFalse();
  }

  // ---- matching ----

  static Stream<Arguments> matching() {
    Map<String, String> none = Map.of();
    Map<String, String> web = Map.of("app", "web", "tier", "front", "replicas", "3");
    return Stream.of(
        arguments("= matches an equal label", "app=web", web, true),
        arguments("= does not match another value", "app=db", web, false),
        arguments("= does not match an absent label", "app=web", none, false),
        arguments("== matches like =", "app==web", web, true),
        arguments("= with no value matches an empty label", "app=", Map.of("app", ""), true),
        arguments("= with no value does not match an absent label", "app=", none, false),
        arguments("!= does not match an equal label", "app!=web", web, false),
        arguments("!= matches another value", "app!=db", web, true),
        arguments("!= matches an absent label", "app!=web", none, true),
        arguments("in matches a listed value", "tier in (back,front)", web, true),
        arguments("in does not match an unlisted value", "tier in (back)", web, false),
        arguments("in does not match an absent label", "tier in (front)", none, false),
        arguments("in () matches an empty label", "tier in ()", Map.of("tier", ""), true),
        arguments("notin does not match a listed value", "tier notin (front)", web, false),
        arguments("notin matches an unlisted value", "tier notin (back)", web, true),
        arguments("notin matches an absent label", "tier notin (front)", none, true),
        arguments("exists matches a present label", "app", web, true),
        arguments("exists matches a present empty label", "app", Map.of("app", ""), true),
        arguments("exists does not match an absent label", "app", none, false),
        arguments("! does not match a present label", "!app", web, false),
        arguments("! matches an absent label", "!app", none, true),
        arguments("> matches a greater integer", "replicas>2", web, true),
        arguments("> does not match an equal integer", "replicas>3", web, false),
        arguments("> compares as integers, not as text", "n>9", Map.of("n", "10"), true),
        arguments("> accepts a signed label", "n>0", Map.of("n", "+1"), true),
        arguments("> does not match a negative label below", "n>0", Map.of("n", "-1"), false),
        arguments("> does not match a non-integer label", "n>1", Map.of("n", "2x"), false),
        arguments("> does not match an absent label", "n>1", none, false),
        arguments("> does not match a label beyond int64", "n>1", Map.of("n", "9223372036854775808"), false),
        arguments("< matches a smaller integer", "replicas<4", web, true),
        arguments("< does not match a greater integer", "replicas<3", web, false),
        arguments("< does not match an absent label", "n<5", none, false),
        arguments("all requirements must match", "app=web,tier=back", web, false),
        arguments("a conjunction matches when each part does", "app=web,tier in (front),!canary,replicas>1", web,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matching")
  void matchesAsKubernetesDoes(String spec, String selector, Map<String, String> labels, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(labels)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"app notin (web)", "app!=web", "!app"})
  void negativeRequirementsMatchWhenLabelIsAbsent(String selector) {
    assertThat(LabelSelector.parse(selector).matches(Map.of("other", "x"))).isTrue();
  }

  @Test
  void notInMatchesWhenLabelIsAbsent() {
    assertThat(LabelSelector.parse("env notin (prod)").matches(Map.of())).isTrue();
  }

  @Test
  void nullLabelsAreNoLabels() {
    assertThat(LabelSelector.parse("!app").matches(null)).isTrue();
    assertThat(LabelSelector.parse("app").matches(null)).isFalse();
    assertThat(LabelSelector.parse("app!=x").matches(null)).isTrue();
  }

  @Test
  void greaterThanIgnoresLabelsThatAreNotIntegers() {
    assertThat(LabelSelector.parse("gen>1").matches(Map.of("gen", "two"))).isFalse();
    assertThat(LabelSelector.parse("gen<1").matches(Map.of("gen", "two"))).isFalse();
  }

  // ---- errors ----

  static Stream<Arguments> parseErrors() {
    return Stream.of(
        arguments("x=a,", "found '', expected: identifier after ','"),
        arguments("x=a,,y", "found ',', expected: identifier after ','"),
        arguments(",x", "found ',', expected: !, identifier, or 'end of string'"),
        arguments("=a", "found '=', expected: !, identifier, or 'end of string'"),
        arguments("(x)", "found '(', expected: !, identifier, or 'end of string'"),
        arguments("x=a b", "found 'b', expected: ',' or 'end of string'"),
        arguments("!x=a", "found '=', expected: ',' or 'end of string'"),
        arguments("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
        arguments("x (a)", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        arguments("!", "unable to parse requirement: found '', expected: identifier"),
        arguments("!!x", "unable to parse requirement: found '!', expected: identifier"),
        arguments("x in a", "unable to parse requirement: found 'a' expected: '('"),
        arguments("x in", "unable to parse requirement: found '' expected: '('"),
        arguments("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        arguments("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        arguments("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        arguments("x in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        arguments("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        arguments("x=(", "unable to parse requirement: found '(', expected: identifier"),
        arguments("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
            + "for 'Gt', 'Lt' operators, the value must be an integer"),
        arguments("x<", "unable to parse requirement: values[0]: Invalid value: \"\": "
            + "for 'Gt', 'Lt' operators, the value must be an integer"),
        arguments("x>-1", "unable to parse requirement: values[0][x]: Invalid value: \"-1\": "
            + LABEL_VALUE_REGEX_ERROR),
        arguments("x>a_", "unable to parse requirement: [values[0]: Invalid value: \"a_\": for 'Gt', 'Lt' operators, "
            + "the value must be an integer, values[0][x]: Invalid value: \"a_\": " + LABEL_VALUE_REGEX_ERROR + "]"),
        arguments("x=a@", "unable to parse requirement: values[0][x]: Invalid value: \"a@\": "
            + LABEL_VALUE_REGEX_ERROR),
        arguments("x in (ok,-bad)", "unable to parse requirement: values[0][x]: Invalid value: \"-bad\": "
            + LABEL_VALUE_REGEX_ERROR),
        arguments("x=" + "v".repeat(64), "unable to parse requirement: values[0][x]: Invalid value: \""
            + "v".repeat(64) + "\": must be no more than 63 bytes"),
        arguments("x@=a", "unable to parse requirement: <nil>: Invalid value: \"x@\": " + NAME_PART_REGEX_ERROR),
        arguments("-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": " + NAME_PART_REGEX_ERROR),
        arguments("x/", "unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; "
            + NAME_PART_REGEX_ERROR),
        arguments("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty"),
        arguments("Example.com/x", "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": "
            + "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
            + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        arguments("a/b/c", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key must "
            + "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
            + "(e.g. 'example.com/MyName')"),
        arguments("k".repeat(64), "unable to parse requirement: <nil>: Invalid value: \"" + "k".repeat(64)
            + "\": name part must be no more than 63 bytes"),
        arguments("x\"=a", "unable to parse requirement: <nil>: Invalid value: \"x\\\"\": " + NAME_PART_REGEX_ERROR));
  }

  @ParameterizedTest(name = "\"{0}\" fails with: {1}")
  @MethodSource("parseErrors")
  void invalidSelectorFailsWithKubernetesMessage(String input, String message) {
    assertThatThrownBy(() -> LabelSelector.parse(input))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage(message);
  }

  static Stream<String> qualifiedNames() {
    return Stream.of("k".repeat(63), "a.b-c_d", "A9", "example.com/x", "a" + ".b".repeat(120) + "/x");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("qualifiedNames")
  void qualifiedNamesAreAcceptedAsKeys(String key) {
    assertThat(LabelSelector.parse(key).requirements()).extracting(Requirement::key).containsExactly(key);
  }

  // ---- the API type ----

  @Test
  void nullApiSelectorMatchesNothing() {
    LabelSelector selector = LabelSelector.from(null);
    assertThat(selector.matches(Map.of())).isFalse();
    assertThat(selector.matches(Map.of("app", "web"))).isFalse();
    assertThat(selector.isEmpty()).isFalse();
    assertThat(selector.matchesNothing()).isTrue();
    assertThat(selector.requirements()).isEmpty();
    assertThat(selector).isEqualTo(LabelSelector.nothing());
  }

  @Test
  void emptyApiSelectorMatchesEverything() {
    LabelSelector selector = LabelSelector.from(new io.fabric8.kubernetes.api.model.LabelSelector());
    assertThat(selector.isEmpty()).isTrue();
    assertThat(selector.matches(Map.of("app", "web"))).isTrue();
    assertThat(selector.matches(null)).isTrue();
    assertThat(LabelSelector.from(new io.fabric8.kubernetes.api.model.LabelSelector(null, null)).isEmpty()).isTrue();
  }

  static Stream<Arguments> apiSelectors() {
    return Stream.of(
        arguments(new LabelSelectorBuilder().addToMatchLabels("app", "web").build(), "app=web"),
        arguments(new LabelSelectorBuilder().addToMatchLabels("b", "2").addToMatchLabels("a", "1").build(), "a=1,b=2"),
        arguments(new LabelSelectorBuilder().addToMatchLabels("app", "").build(), "app="),
        arguments(new LabelSelectorBuilder().addToMatchExpressions(expr("tier", "In", List.of("b", "a"))).build(),
            "tier in (a,b)"),
        arguments(new LabelSelectorBuilder().addToMatchExpressions(expr("tier", "NotIn", List.of("a"))).build(),
            "tier notin (a)"),
        arguments(new LabelSelectorBuilder().addToMatchExpressions(expr("canary", "Exists", null)).build(), "canary"),
        arguments(new LabelSelectorBuilder().addToMatchExpressions(expr("legacy", "DoesNotExist", List.of())).build(),
            "!legacy"),
        arguments(new LabelSelectorBuilder()
            .addToMatchLabels("app", "web")
            .addToMatchExpressions(expr("tier", "In", List.of("front", "back")))
            .addToMatchExpressions(expr("legacy", "DoesNotExist", null))
            .addToMatchExpressions(expr("env", "Exists", null))
            .build(), "app=web,env,!legacy,tier in (back,front)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("apiSelectors")
  void apiSelectorConvertsToRequirements(io.fabric8.kubernetes.api.model.LabelSelector api, String canonical) {
    LabelSelector selector = LabelSelector.from(api);
    assertThat(selector.toString()).isEqualTo(canonical);
    assertThat(selector.isEmpty()).isFalse();
  }

  @Test
  void matchLabelsAreEqualsRequirements() {
    LabelSelector selector = LabelSelector.from(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
    assertThat(selector.requirements()).containsExactly(new Requirement("app", Operator.EQUALS, List.of("web")));
    assertThat(selector.matches(Map.of("app", "web", "x", "y"))).isTrue();
    assertThat(selector.matches(Map.of("app", "db"))).isFalse();
  }

  @Test
  void apiMatchExpressionsMatchLikeParsedOnes() {
    io.fabric8.kubernetes.api.model.LabelSelector api = new LabelSelectorBuilder()
        .addToMatchExpressions(expr("tier", "NotIn", List.of("db")))
        .addToMatchExpressions(expr("track", "DoesNotExist", null))
        .build();
    LabelSelector selector = LabelSelector.from(api);
    assertThat(selector).isEqualTo(LabelSelector.parse("tier notin (db),!track"));
    assertThat(selector.matches(Map.of())).isTrue();
    assertThat(selector.matches(Map.of("tier", "db"))).isFalse();
    assertThat(selector.matches(Map.of("track", "canary"))).isFalse();
  }

  static Stream<Arguments> invalidApiSelectors() {
    return Stream.of(
        arguments(expression("tier", "In", List.of()),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        arguments(expression("tier", "NotIn", null),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"),
        arguments(expression("tier", "Exists", List.of("a")),
            "values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist"),
        arguments(expression("tier", "DoesNotExist", List.of("a", "b")),
            "values: Invalid value: [\"a\",\"b\"]: values set must be empty for exists and does not exist"),
        arguments(expression("tier", "Gt", List.of("1")), "\"Gt\" is not a valid pod selector operator"),
        arguments(expression("tier", "in", List.of("a")), "\"in\" is not a valid pod selector operator"),
        arguments(expression("tier", null, List.of("a")), "\"\" is not a valid pod selector operator"),
        arguments(expression("app", "In", List.of("ok", "not ok")),
            "values[1][app]: Invalid value: \"not ok\": " + LABEL_VALUE_REGEX_ERROR),
        arguments(expression("bad key", "Exists", null),
            "key: Invalid value: \"bad key\": " + NAME_PART_REGEX_ERROR),
        arguments(expression("", "Exists", null),
            "key: Invalid value: \"\": name part must be non-empty; " + NAME_PART_REGEX_ERROR),
        arguments(expression("bad key", "In", List.of()), "[key: Invalid value: \"bad key\": " + NAME_PART_REGEX_ERROR
            + ", values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty]"),
        arguments(new LabelSelectorBuilder().addToMatchLabels("app", "a<b>").build(),
            "values[0][app]: Invalid value: \"a<b>\": " + LABEL_VALUE_REGEX_ERROR),
        arguments(new LabelSelectorBuilder().addToMatchLabels("-app", "web").build(),
            "key: Invalid value: \"-app\": " + NAME_PART_REGEX_ERROR));
  }

  private static LabelSelectorRequirement expr(String key, String op, List<String> values) {
    return new LabelSelectorRequirement(key, op, values);
  }

  private static io.fabric8.kubernetes.api.model.LabelSelector expression(String key, String op, List<String> values) {
    io.fabric8.kubernetes.api.model.LabelSelector selector = new io.fabric8.kubernetes.api.model.LabelSelector();
    selector.getMatchExpressions().add(new LabelSelectorRequirement(key, op, values));
    return selector;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidApiSelectors")
  void invalidApiSelectorFailsWithKubernetesMessage(io.fabric8.kubernetes.api.model.LabelSelector api, String message) {
    assertThatThrownBy(() -> LabelSelector.from(api))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage(message);
  }

  @Test
  void fromSetRequiresEveryLabel() {
    Map<String, String> set = new HashMap<>();
    set.put("b", "2");
    set.put("a", "1");
    LabelSelector selector = LabelSelector.fromSet(set);
    assertThat(selector.toString()).isEqualTo("a=1,b=2");
    assertThat(selector.matches(Map.of("a", "1", "b", "2", "c", "3"))).isTrue();
    assertThat(selector.matches(Map.of("a", "1"))).isFalse();
    assertThat(LabelSelector.fromSet(Map.of()).isEmpty()).isTrue();
  }

  // ---- requirements built directly ----

  @Test
  void requirementValuesAreSorted() {
    Requirement r = new Requirement("k", Operator.IN, List.of("c", "a", "b"));
    assertThat(r.values()).containsExactly("a", "b", "c");
    assertThat(r).hasToString("k in (a,b,c)");
  }

  static Stream<Arguments> invalidRequirements() {
    return Stream.of(
        arguments(Operator.EQUALS, List.of("v0", "v1"),
            "values: Invalid value: [\"v0\",\"v1\"]: exact-match compatibility requires one single value"),
        arguments(Operator.NOT_EQUALS, List.of(),
            "values: Invalid value: null: exact-match compatibility requires one single value"),
        arguments(Operator.GT, List.of(),
            "values: Invalid value: null: for 'Gt', 'Lt' operators, exactly one value is required"),
        arguments(Operator.LT, List.of("x"),
            "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
        arguments(Operator.IN, List.of("a\tb"),
            "values[0][k]: Invalid value: \"a\\tb\": " + LABEL_VALUE_REGEX_ERROR));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalidRequirements")
  void requirementOfValidatesLikeNewRequirement(Operator op, List<String> values, String message) {
    assertThatThrownBy(() -> Requirement.of("k", op, values))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage(message);
  }

  @Test
  void requirementOfAcceptsAValidRequirement() {
    assertThat(Requirement.of("k", Operator.IN, List.of("b", "a")))
        .isEqualTo(new Requirement("k", Operator.IN, List.of("a", "b")))
        .hasToString("k in (a,b)");
    assertThat(Requirement.of("k", Operator.GT, List.of("3"))).hasToString("k>3");
  }

  // ---- required values ----

  @ParameterizedTest(name = "\"{0}\" requires {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
      app=web                 | web
      app==web                | web
      app in (web)            | web
      app=                    | ''
      app in (web,db)         | NONE
      app!=web                | NONE
      app notin (web)         | NONE
      app                     | NONE
      !app                    | NONE
      tier=front              | NONE
      ''                      | NONE
      app=web,tier=front      | web
      """)
  void requiredValueIsTheSingleValueDemandedForTheKey(String selector, String expected) {
    assertThat(LabelSelector.parse(selector).requiredValue("app")).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void nothingRequiresNoValue() {
    assertThat(LabelSelector.nothing().requiredValue("app")).isEmpty();
  }
}
