package io.kubesim.controlplane.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameValidationTest {

  @Test
  void dns1123SubdomainMessagesAreGoStrings() {
    assertThat(NameValidation.isDns1123Subdomain("example.com")).isEmpty();
    assertThat(NameValidation.isDns1123Subdomain("Bad_Name")).containsExactly(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    assertThat(NameValidation.isDns1123Subdomain("a".repeat(254))).containsExactly("must be no more than 253 characters");
  }

  @Test
  void dns1123LabelRejectsDotsWithItsOwnMessage() {
    assertThat(NameValidation.isDns1123Label("my-name")).isEmpty();
    assertThat(NameValidation.isDns1123Label("a.b")).containsExactly("must not contain dots");
    assertThat(NameValidation.isDns1123Label("-x")).containsExactly(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void dns1035LabelMustStartWithALetter() {
    assertThat(NameValidation.isDns1035Label("abc-123")).isEmpty();
    assertThat(NameValidation.isDns1035Label("1abc")).containsExactly(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void qualifiedNameChecksPrefixAndName() {
    assertThat(NameValidation.isQualifiedName("example.com/MyName")).isEmpty();
    assertThat(NameValidation.isQualifiedName("/x")).containsExactly("prefix part must be non-empty");
    assertThat(NameValidation.isQualifiedName("a/b/c")).containsExactly(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    assertThat(NameValidation.isQualifiedName("-bad")).containsExactly(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    assertThat(NameValidation.isQualifiedName("x".repeat(64))).contains("name part must be no more than 63 characters");
  }

  @Test
  void labelValuesMayBeEmpty() {
    assertThat(NameValidation.isValidLabelValue("")).isEmpty();
    assertThat(NameValidation.isValidLabelValue("a b")).containsExactly(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  }

  @Test
  void generateNamePrefixMayEndWithADash() {
    assertThat(NameValidation.nameIsDnsSubdomain("web-", true)).isEmpty();
    assertThat(NameValidation.nameIsDnsSubdomain("web-", false)).hasSize(1);
  }

  @Test
  void portNamesFollowIanaRules() {
    assertThat(NameValidation.isValidPortName("http")).isEmpty();
    assertThat(NameValidation.isValidPortName("a--b")).containsExactly("must not contain consecutive hyphens");
    assertThat(NameValidation.isValidPortName("123")).containsExactly("must contain at least one letter (a-z)");
  }

  @Test
  void quantitiesCanonicaliseLikeGo() throws Exception {
    assertThat(Quantities.parse("0.5").canonical()).isEqualTo("500m");
    assertThat(Quantities.parse("1000").canonical()).isEqualTo("1k");
    assertThat(Quantities.parse("1536Mi").canonical()).isEqualTo("1536Mi");
    assertThat(Quantities.parse("1Gi").canonical()).isEqualTo("1Gi");
    assertThat(Quantities.parse("2").canonical()).isEqualTo("2");
    assertThat(Quantities.parse("100m").canonical()).isEqualTo("100m");
  }

  @Test
  void cronSchedulesParseLikeRobfigCron() {
    assertThat(CronSchedule.parseError("*/5 * * * *")).isNull();
    assertThat(CronSchedule.parseError("@hourly")).isNull();
    assertThat(CronSchedule.parseError("0 0 * JAN-MAR MON")).isNull();
    assertThat(CronSchedule.parseError("foo")).isEqualTo("expected exactly 5 fields, found 1: [foo]");
    assertThat(CronSchedule.parseError("61 * * * *")).isEqualTo("end of range (61) above maximum (59): 61");
    assertThat(CronSchedule.parseError("@fortnightly")).isEqualTo("unrecognized descriptor: @fortnightly");
  }
}
