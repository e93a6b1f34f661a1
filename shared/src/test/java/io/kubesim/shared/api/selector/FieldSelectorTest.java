package io.kubesim.shared.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.kubesim.shared.api.selector.FieldSelector.Operator;
import io.kubesim.shared.api.selector.FieldSelector.Requirement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FieldSelectorTest {

  // ---- parsing and the canonical form ----

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        arguments("", ""),
        arguments(",", ""),
        arguments(",,", ""),
        arguments("metadata.name=foo", "metadata.name=foo"),
        arguments("metadata.name==foo", "metadata.name=foo"),
        arguments("spec.nodeName!=", "spec.nodeName!="),
        arguments("spec.nodeName=", "spec.nodeName="),
        arguments("b=1,a=2", "a=2,b=1"),
        arguments("status.phase!=Failed,metadata.name=x", "metadata.name=x,status.phase!=Failed"),
        arguments("a=1,,b=2,", "a=1,b=2"),
        arguments("x=a\\,b", "x=a\\,b"),
        arguments("x=a\\=b", "x=a\\=b"),
        arguments("x=a\\\\b", "x=a\\\\b"),
        arguments(" x = y ", " x = y "),
        arguments("=v", "=v"),
        arguments("x=!", "x=!"),
        arguments("a!b=c", "a!b=c"));
  }

  @ParameterizedTest(name = "\"{0}\" renders as \"{1}\"")
  @MethodSource("canonicalForms")
  void parsedSelectorRendersInCanonicalForm(String input, String canonical) {
    FieldSelector selector = FieldSelector.parse(input);
    assertThat(selector.toString()).isEqualTo(canonical);
    assertThat(FieldSelector.parse(canonical)).isEqualTo(selector);
  }

  static Stream<Arguments> parsedRequirements() {
    return Stream.of(
        arguments("metadata.name=foo", new Requirement("metadata.name", Operator.EQUALS, "foo")),
        arguments("metadata.name==foo", new Requirement("metadata.name", Operator.EQUALS, "foo")),
        arguments("metadata.name!=foo", new Requirement("metadata.name", Operator.NOT_EQUALS, "foo")),
        arguments("spec.nodeName=", new Requirement("spec.nodeName", Operator.EQUALS, "")),
        arguments("x=a\\,b", new Requirement("x", Operator.EQUALS, "a,b")),
        arguments("x!=a\\=b", new Requirement("x", Operator.NOT_EQUALS, "a=b")),
        arguments("x=a\\\\b", new Requirement("x", Operator.EQUALS, "a\\b")),
        arguments("x=\\\\\\,\\=", new Requirement("x", Operator.EQUALS, "\\,=")),
        arguments(" x = y ", new Requirement(" x ", Operator.EQUALS, " y ")),
        arguments("a!b=c", new Requirement("a!b", Operator.EQUALS, "c")));
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @MethodSource("parsedRequirements")
  void termsSplitAtTheFirstOperator(String input, Requirement expected) {
    assertThat(FieldSelector.parse(input).requirements()).containsExactly(expected);
  }

  @Test
  void termsAreKeptInTheSortedOrderOfTheirText() {
    FieldSelector selector = FieldSelector.parse("c=3,a!=1,b==2");
    assertThat(selector.requirements()).extracting(Requirement::field).containsExactly("a", "b", "c");
  }

  @Test
  void emptyStringSelectsEverything() {
    FieldSelector selector = FieldSelector.parse("");
    assertThat(selector.isEmpty()).isTrue();
    assertThat(selector.requirements()).isEmpty();
    assertThat(selector.matches(f -> "anything")).isTrue();
    assertThat(selector).isEqualTo(FieldSelector.everything());
    assertThat(FieldSelector.parse(null).isEmpty()).isTrue();
  }

  @Test
  void selectorWithTermsIsNotEmpty() {
    assertThat(FieldSelector.parse("a=b").isEmpty()).isFalse();
  }

  // ---- escaping ----

  @ParameterizedTest(name = "\"{0}\" escapes as \"{1}\"")
  @CsvSource(delimiter = '|', textBlock = """
      plain       | plain
      a,b         | a\\,b
      a=b         | a\\=b
      a\\b        | a\\\\b
      '\\,='      | '\\\\\\,\\='
      a!b         | a!b
      ''          | ''
      """)
  void valuesEscapeBackslashCommaAndEquals(String value, String escaped) {
    assertThat(FieldSelector.escapeValue(value)).isEqualTo(escaped);
    assertThat(FieldSelector.unescapeValue(escaped)).isEqualTo(value);
  }

  @Test
  void anEscapedValueSurvivesTheRoundTrip() {
    String value = "a,b=c\\d!e";
    FieldSelector selector = FieldSelector.parse("x=" + FieldSelector.escapeValue(value));
    assertThat(selector.requiredValue("x")).contains(value);
    assertThat(FieldSelector.parse(selector.toString())).isEqualTo(selector);
    assertThat(FieldSelector.oneTermEqual("x", value)).isEqualTo(selector);
  }

  // ---- errors ----

  static Stream<Arguments> parseErrors() {
    return Stream.of(
        arguments("x", "invalid selector: 'x'; can't understand 'x'"),
        arguments("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        arguments("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
        arguments("a!b", "invalid selector: 'a!b'; can't understand 'a!b'"),
        arguments("x=a\\n", "invalid field selector: invalid escape sequence: \\n"),
        arguments("x=a\\!", "invalid field selector: invalid escape sequence: \\!"),
        arguments("x=a\\", "invalid field selector: invalid escape sequence: \\"),
        arguments("x=a=b", "invalid field selector: unescaped character in value: 61"),
        arguments("x!=a=b", "invalid field selector: unescaped character in value: 61"),
        arguments("x===", "invalid field selector: unescaped character in value: 61"),
        // the first failing term in sorted order decides
        arguments("z=1\\x,a", "invalid selector: 'z=1\\x,a'; can't understand 'a'"),
        arguments("a=1\\x,z", "invalid field selector: invalid escape sequence: \\x"));
  }

  @ParameterizedTest(name = "\"{0}\" fails with: {1}")
  @MethodSource("parseErrors")
  void invalidSelectorFailsWithKubernetesMessage(String input, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(input))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage(message);
  }

  @Test
  void unescapedCommaInAValueIsReportedAsItsRune() {
    assertThatThrownBy(() -> FieldSelector.unescapeValue("a,b"))
        .isInstanceOf(SelectorParseException.class)
        .hasMessage("invalid field selector: unescaped character in value: 44");
  }

  // ---- matching ----

  static Stream<Arguments> matching() {
    Map<String, String> pod = Map.of("metadata.name", "web-0", "spec.nodeName", "node-1", "status.phase", "Running");
    return Stream.of(
        arguments("= matches an equal field", "metadata.name=web-0", pod, true),
        arguments("== matches like =", "metadata.name==web-0", pod, true),
        arguments("= does not match another value", "metadata.name=web-1", pod, false),
        arguments("!= matches another value", "status.phase!=Failed", pod, true),
        arguments("!= does not match an equal field", "status.phase!=Running", pod, false),
        arguments("= with no value matches an absent field", "spec.schedulerName=", pod, true),
        arguments("= does not match an absent field", "spec.schedulerName=default", pod, false),
        arguments("!= matches an absent field", "spec.schedulerName!=default", pod, true),
        arguments("!= with no value does not match an absent field", "spec.schedulerName!=", pod, false),
        arguments("all terms must match", "spec.nodeName=node-1,status.phase=Pending", pod, false),
        arguments("a conjunction matches when each term does", "spec.nodeName=node-1,status.phase!=Failed", pod,
            true),
        arguments("an escaped value matches the literal", "metadata.name=a\\,b", Map.of("metadata.name", "a,b"),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matching")
  void matchesAsKubernetesDoes(String spec, String selector, Map<String, String> fields, boolean expected) {
    FieldSelector parsed = FieldSelector.parse(selector);
    assertThat(parsed.matches(fields)).isEqualTo(expected);
    assertThat(parsed.matches((Function<String, String>) fields::get)).isEqualTo(expected);
  }

  @Test
  void fieldWithoutValueIsTheEmptyString() {
    Map<String, String> fields = new HashMap<>();
    fields.put("spec.nodeName", null);
    assertThat(FieldSelector.parse("spec.nodeName=").matches(fields::get)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName!=").matches(fields::get)).isFalse();
    assertThat(FieldSelector.parse("spec.nodeName=").matches((Map<String, String>) null)).isTrue();
  }

  @Test
  void requirementMatchesOnItsOwn() {
    Requirement r = new Requirement("status.phase", Operator.NOT_EQUALS, "Failed");
    assertThat(r.matches(f -> "Running")).isTrue();
    assertThat(r.matches(f -> "Failed")).isFalse();
    assertThat(r).hasToString("status.phase!=Failed");
  }

  // ---- required values ----

  @ParameterizedTest(name = "\"{0}\" requires {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
      metadata.name=foo                       | foo
      metadata.name==foo                      | foo
      metadata.name=                          | ''
      metadata.name!=foo                      | NONE
      spec.nodeName=foo                       | NONE
      ''                                      | NONE
      metadata.name!=bar,metadata.name=foo    | foo
      metadata.name=a\\,b                     | a,b
      """)
  void requiredValueIsTheValueOfTheFirstEqualsTerm(String selector, String expected) {
    assertThat(FieldSelector.parse(selector).requiredValue("metadata.name")).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void requirementsAreImmutable() {
    List<Requirement> reqs = FieldSelector.parse("a=b").requirements();
    assertThatThrownBy(() -> reqs.add(new Requirement("c", Operator.EQUALS, "d")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
