package io.kubesim.controlplane.apiserver.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string-format checks of k8s.io/apimachinery/pkg/util/validation: each returns the list of
 * failure messages, empty when the value is valid, worded exactly as the Go functions word them.
 */
public final class NameValidation {

  public static final int DNS1123_LABEL_MAX_LENGTH = 63;
  public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
  public static final int DNS1035_LABEL_MAX_LENGTH = 63;
  public static final int LABEL_VALUE_MAX_LENGTH = 63;
  private static final int QUALIFIED_NAME_MAX_LENGTH = 63;

  static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_LABEL_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1123_SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1035_LABEL_MSG =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  private static final String QUALIFIED_NAME_CHAR_FMT = "[A-Za-z0-9]";
  private static final String QUALIFIED_NAME_EXT_CHAR_FMT = "[-A-Za-z0-9_.]";
  static final String QUALIFIED_NAME_FMT =
      "(" + QUALIFIED_NAME_CHAR_FMT + QUALIFIED_NAME_EXT_CHAR_FMT + "*)?" + QUALIFIED_NAME_CHAR_FMT;
  private static final String QUALIFIED_NAME_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String LABEL_VALUE_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
  private static final String WILDCARD_MSG =
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
  private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final String CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
  private static final String PERCENT_FMT = "[0-9]+%";
  private static final String PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'";
  private static final String HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+";
  private static final String HTTP_HEADER_NAME_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'";
  private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
  private static final String C_IDENTIFIER_MSG =
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

  private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN_FMT + "$");
  private static final Pattern DNS1035_LABEL = Pattern.compile("^" + DNS1035_LABEL_FMT + "$");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("^" + QUALIFIED_NAME_FMT + "$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE_FMT + "$");
  private static final Pattern WILDCARD_DNS1123_SUBDOMAIN = Pattern.compile("^" + WILDCARD_DNS1123_SUBDOMAIN_FMT + "$");
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile("^" + CONFIG_MAP_KEY_FMT + "$");
  private static final Pattern PERCENT = Pattern.compile("^" + PERCENT_FMT + "$");
  private static final Pattern HTTP_HEADER_NAME = Pattern.compile("^" + HTTP_HEADER_NAME_FMT + "$");
  private static final Pattern C_IDENTIFIER = Pattern.compile("^" + C_IDENTIFIER_FMT + "$");
  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("^[-a-z0-9]+$");
  private static final Pattern PORT_NAME_ONE_LETTER = Pattern.compile("[a-z]");

  private NameValidation() {}

  // Names and label values repeat endlessly (every pod of a ReplicaSet has the same label keys and
  // values); remembering the valid ones spares the regular expressions on the apiserver's hot path.
  private static final int REMEMBERED = 50_000;
  private static final java.util.Map<String, Boolean> VALID_ISDNS1123LABEL = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<String, Boolean> VALID_ISDNS1123SUBDOMAIN =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<String, Boolean> VALID_ISQUALIFIEDNAME =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<String, Boolean> VALID_ISVALIDLABELVALUE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static List<String> remembered(java.util.Map<String, Boolean> valid, String value,
      java.util.function.Function<String, List<String>> check) {
    if (valid.containsKey(value)) {
      return new ArrayList<>(0);
    }
    List<String> errs = check.apply(value);
    if (errs.isEmpty()) {
      if (valid.size() >= REMEMBERED) {
        valid.clear();
      }
      valid.put(value, Boolean.TRUE);
    }
    return errs;
  }

  /** IsDNS1123Label: at most 63 characters of [a-z0-9-], alphanumeric at both ends. */
  public static List<String> isDns1123Label(String value) {
    return remembered(VALID_ISDNS1123LABEL, value, NameValidation::isDns1123LabelUncached);
  }

  private static List<String> isDns1123LabelUncached(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) {
      errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errs.add("must not contain dots");
      } else {
        errs.add(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
      }
    }
    return errs;
  }

  /** IsDNS1123Subdomain: at most 253 characters, dot-separated RFC 1123 labels. */
  public static List<String> isDns1123Subdomain(String value) {
    return remembered(VALID_ISDNS1123SUBDOMAIN, value, NameValidation::isDns1123SubdomainUncached);
  }

  private static List<String> isDns1123SubdomainUncached(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  /** IsDNS1035Label: like an RFC 1123 label but starting with a letter. */
  public static List<String> isDns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) {
      errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }
    return errs;
  }

  /** IsWildcardDNS1123Subdomain: "*." followed by a subdomain. */
  public static List<String> isWildcardDns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!WILDCARD_DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(WILDCARD_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"));
    }
    return errs;
  }

  /** IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
  public static List<String> isQualifiedName(String value) {
    return remembered(VALID_ISQUALIFIEDNAME, value, NameValidation::isQualifiedNameUncached);
  }

  private static List<String> isQualifiedNameUncached(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part " + emptyError());
        } else {
          for (String msg : isDns1123Subdomain(prefix)) {
            errs.add("prefix part " + msg);
          }
        }
      }
      default -> {
        errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part " + emptyError());
    } else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) {
      errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** IsValidLabelValue: empty, or at most 63 characters that a qualified name's name part allows. */
  public static List<String> isValidLabelValue(String value) {
    return remembered(VALID_ISVALIDLABELVALUE, value, NameValidation::isValidLabelValueUncached);
  }

  private static List<String> isValidLabelValueUncached(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) {
      errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** IsConfigMapKey: the keys of ConfigMap and Secret data. */
  public static List<String> isConfigMapKey(String value) {
    List<String> errs = new ArrayList<>();
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!CONFIG_MAP_KEY.matcher(value).matches()) {
      errs.add(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
    }
    errs.addAll(hasChDirPrefix(value));
    return errs;
  }

  /**
   * IsRelaxedEnvVarName, the rule for environment variable names since RelaxedEnvironmentVariableValidation
   * went on by default: any printable ASCII character except '='.
   */
  public static List<String> isEnvVarName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.isEmpty()) {
      errs.add("environment variable name " + emptyError());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0x7e || c < 0x20 || c == '=') {
        errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        break;
      }
    }
    return errs;
  }

  /** IsCIdentifier. */
  public static List<String> isCIdentifier(String value) {
    if (!C_IDENTIFIER.matcher(value).matches()) {
      return List.of(regexError(C_IDENTIFIER_MSG, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName"));
    }
    return List.of();
  }

  /** IsValidPortNum: 1 to 65535. */
  public static List<String> isValidPortNum(long port) {
    if (port >= 1 && port <= 65535) {
      return List.of();
    }
    return List.of(inclusiveRangeError(1, 65535));
  }

  /** IsValidPortName: an IANA service name, lower case, at most 15 characters. */
  public static List<String> isValidPortName(String port) {
    List<String> errs = new ArrayList<>();
    if (port.length() > 15) {
      errs.add(maxLenError(15));
    }
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!PORT_NAME_ONE_LETTER.matcher(port).find()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (port.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  /** IsValidPercent: digits then '%'. */
  public static List<String> isValidPercent(String percent) {
    if (!PERCENT.matcher(percent).matches()) {
      return List.of(regexError(PERCENT_MSG, PERCENT_FMT, "1%", "93%"));
    }
    return List.of();
  }

  /** IsHTTPHeaderName. */
  public static List<String> isHttpHeaderName(String value) {
    if (!HTTP_HEADER_NAME.matcher(value).matches()) {
      return List.of(regexError(HTTP_HEADER_NAME_MSG, HTTP_HEADER_NAME_FMT, "X-Header-Name"));
    }
    return List.of();
  }

  /** NameIsDNSSubdomain, with Go's allowance of a trailing dash in a generateName prefix. */
  public static List<String> nameIsDnsSubdomain(String name, boolean prefix) {
    return isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
  }

  /** NameIsDNSLabel (namespaces). */
  public static List<String> nameIsDnsLabel(String name, boolean prefix) {
    return isDns1123Label(prefix ? maskTrailingDash(name) : name);
  }

  /** NameIsDNS1035Label (services). */
  public static List<String> nameIsDns1035Label(String name, boolean prefix) {
    return isDns1035Label(prefix ? maskTrailingDash(name) : name);
  }

  static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) {
      return name.substring(0, name.length() - 1) + "a";
    }
    return name;
  }

  public static String maxLenError(int length) {
    return "must be no more than " + length + " characters";
  }

  public static String emptyError() {
    return "must be non-empty";
  }

  public static String inclusiveRangeError(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  /** RegexError: Go's message, including its doubled space before each " or ". */
  public static String regexError(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    sb.append("regex used for validation is '").append(fmt).append("')");
    return sb.toString();
  }

  private static List<String> hasChDirPrefix(String value) {
    if (value.equals(".")) {
      return List.of("must not be '.'");
    } else if (value.equals("..")) {
      return List.of("must not be '..'");
    } else if (value.startsWith("..")) {
      return List.of("must not start with '..'");
    }
    return List.of();
  }

  static int byteLength(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
