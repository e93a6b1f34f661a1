package io.kubesim.controlplane.apiserver.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and canonical printing of resource quantities, as k8s.io/apimachinery/pkg/api/resource
 * does it. fabric8's Quantity only keeps the text, so the value and its canonical form (the
 * {@code String()} that Go puts in messages: "500m", "1Gi", "2") are computed here.
 */
public final class Quantities {

  /** Go's resource.ErrFormatWrong text. */
  public static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  /** Go's resource.ErrSuffix text. */
  public static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

  private static final Pattern SPLIT = Pattern.compile("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
  private static final Pattern EXPONENT = Pattern.compile("^[eE][-+]?[0-9]+$");
  private static final BigDecimal B1024 = BigDecimal.valueOf(1024);
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of(
      "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);

  /** How a quantity prints: Go's resource.Format. */
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  /** A parsed quantity. */
  public record Parsed(BigDecimal value, Format format) {
    public String canonical() {
      return Quantities.canonical(value, format);
    }

    public int compareTo(Parsed other) {
      return value.compareTo(other.value);
    }

    public int signum() {
      return value.signum();
    }
  }

  /** Thrown with Go's message when text is not a quantity. */
  public static final class QuantityException extends Exception {
    QuantityException(String message) {
      super(message);
    }
  }

  private Quantities() {}

  /** The text a fabric8 Quantity holds (amount and format concatenated). */
  public static String text(Quantity q) {
    if (q == null) {
      return "";
    }
    String amount = q.getAmount() == null ? "" : q.getAmount();
    String format = q.getFormat() == null ? "" : q.getFormat();
    return amount + format;
  }

  public static Parsed parse(Quantity q) throws QuantityException {
    return parse(text(q));
  }

  /** resource.ParseQuantity. */
  public static Parsed parse(String str) throws QuantityException {
    String s = str.trim();
    if (s.isEmpty() || !s.equals(str)) {
      throw new QuantityException(FORMAT_ERROR);
    }
    Matcher m = SPLIT.matcher(s);
    if (!m.matches()) {
      throw new QuantityException(FORMAT_ERROR);
    }
    String number = m.group(1);
    String suffix = m.group(2);
    String digits = number.startsWith("+") || number.startsWith("-") ? number.substring(1) : number;
    if (digits.chars().filter(c -> c == '.').count() > 1 || digits.equals(".")) {
      throw new QuantityException(FORMAT_ERROR);
    }
    BigDecimal value;
    try {
      value = new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
    } catch (NumberFormatException e) {
      throw new QuantityException(FORMAT_ERROR);
    }
    Format format;
    if (DECIMAL_SUFFIXES.containsKey(suffix)) {
      format = Format.DECIMAL_SI;
      value = value.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix));
    } else if (indexOf(BINARY_SUFFIXES, suffix) > 0) {
      format = Format.BINARY_SI;
      value = value.multiply(B1024.pow(indexOf(BINARY_SUFFIXES, suffix)));
    } else if (EXPONENT.matcher(suffix).matches()) {
      format = Format.DECIMAL_EXPONENT;
      value = value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1).replace("+", "")));
    } else {
      throw new QuantityException(SUFFIX_ERROR);
    }
    return new Parsed(value, format);
  }

  /** The canonical text of a quantity, or its raw text when it does not parse. */
  public static String canonical(Quantity q) {
    try {
      return parse(q).canonical();
    } catch (QuantityException e) {
      return text(q);
    }
  }

  static String canonical(BigDecimal value, Format format) {
    if (value.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI) {
      boolean integral = value.stripTrailingZeros().scale() <= 0;
      if (integral && value.abs().compareTo(B1024) >= 0) {
        BigInteger v = value.toBigIntegerExact();
        int k = 0;
        BigInteger unit = BigInteger.valueOf(1024);
        while (k < 6 && v.mod(unit).signum() == 0) {
          v = v.divide(unit);
          k++;
        }
        return v + BINARY_SUFFIXES[k];
      }
      format = Format.DECIMAL_SI;
    }
    // Round up to nano precision, as Go's inf.Dec based quantities do.
    BigDecimal v = value.setScale(Math.max(value.scale(), 0), RoundingMode.UNNECESSARY);
    if (v.scale() > 9) {
      v = v.setScale(9, RoundingMode.UP);
    }
    int exponent = -9;
    BigDecimal mantissa = v.scaleByPowerOfTen(9);
    // find the largest exponent (multiple of 3, up to 18) that keeps the mantissa integral
    while (exponent < 18) {
      BigDecimal next = mantissa.scaleByPowerOfTen(-3);
      if (next.stripTrailingZeros().scale() > 0) {
        break;
      }
      mantissa = next;
      exponent += 3;
    }
    String digits = mantissa.stripTrailingZeros().toPlainString();
    if (format == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? digits : digits + "e" + exponent;
    }
    for (Map.Entry<String, Integer> e : DECIMAL_SUFFIXES.entrySet()) {
      if (e.getValue() == exponent) {
        return digits + e.getKey();
      }
    }
    return digits;
  }

  private static int indexOf(String[] arr, String s) {
    for (int i = 0; i < arr.length; i++) {
      if (arr[i].equals(s)) {
        return i;
      }
    }
    return -1;
  }
}
