package io.kubesim.shared.api.selector;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * The few Go string behaviours the selectors need to reproduce: byte-wise ordering, byte lengths,
 * {@code %q} quoting and the JSON rendering of a {@code []string} in a field error.
 */
final class GoStrings {

  /**
   * Go compares strings byte by byte over UTF-8, which is code point order. {@link String#compareTo}
   * compares UTF-16 units and disagrees for characters above U+FFFF.
   */
  static final Comparator<String> ORDER = GoStrings::compare;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoStrings() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** {@code len(s)} in Go: the number of UTF-8 bytes. */
  static int byteLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** {@code strconv.Quote}, which is what {@code %q} prints for a string. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0b -> sb.append("\\v");
        default -> {
          if (isPrintable(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < ' ' || cp == 0x7f) {
            sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
          } else if (cp < 0x10000) {
            sb.append("\\u");
            hex(sb, cp, 4);
          } else {
            sb.append("\\U");
            hex(sb, cp, 8);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * A {@code []string} as {@code encoding/json} marshals it. An empty list is rendered as
   * {@code null}: where Kubernetes reports an empty value list it is always a nil slice.
   */
  static String jsonList(List<String> values) {
    if (values.isEmpty()) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < values.size(); k++) {
      if (k > 0) {
        sb.append(',');
      }
      jsonString(sb, values.get(k));
    }
    return sb.append(']').toString();
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          // encoding/json escapes control characters, the HTML-sensitive <, > and &, and the
          // JavaScript line separators
          if (c < ' ' || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append("\\u");
            hex(sb, c, 4);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** An approximation of Go's {@code unicode.IsPrint}: graphic characters and the ASCII space. */
  private static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (cp < ' ' || cp == 0x7f || !Character.isDefined(cp) || Character.isISOControl(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
  }

  private static void hex(StringBuilder sb, int value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append(HEX[(value >> shift) & 0xf]);
    }
  }
}
