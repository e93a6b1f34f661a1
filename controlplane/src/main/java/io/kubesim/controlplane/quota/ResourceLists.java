package io.kubesim.controlplane.quota;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubesim.controlplane.apiserver.validation.Quantities;
import io.kubesim.controlplane.apiserver.validation.Quantities.Parsed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resource lists as quota does its arithmetic on them (k8s.io/apiserver/pkg/quota/v1/resources.go):
 * names to quantities, added, masked, compared, and printed with each quantity in its canonical
 * form ({@code pods=2}, {@code requests.memory=256Mi}). Lists are sorted maps, so that whatever is
 * printed comes out in the order Go's sorted keys give.
 */
public final class ResourceLists {

  private static final Parsed ZERO = new Parsed(BigDecimal.ZERO, Quantities.Format.DECIMAL_SI);

  private ResourceLists() {}

  /** A whole number, as resource.NewQuantity(n, DecimalSI). */
  public static Parsed count(long n) {
    return new Parsed(BigDecimal.valueOf(n), Quantities.Format.DECIMAL_SI);
  }

  public static Parsed zero() {
    return ZERO;
  }

  /** The list of an object's field; quantities that do not parse (validation refuses them) are left out. */
  public static TreeMap<String, Parsed> parse(Map<String, Quantity> list) {
    TreeMap<String, Parsed> out = new TreeMap<>();
    if (list == null) {
      return out;
    }
    for (Map.Entry<String, Quantity> e : list.entrySet()) {
      Parsed p = parse(e.getValue());
      if (p != null) {
        out.put(e.getKey(), p);
      }
    }
    return out;
  }

  /** One quantity, or null if it does not parse. */
  public static Parsed parse(Quantity q) {
    if (q == null) {
      return null;
    }
    try {
      return Quantities.parse(q);
    } catch (Quantities.QuantityException e) {
      return null;
    }
  }

  /** The list as fabric8 quantities in canonical text, for an object's status. */
  public static Map<String, Quantity> toQuantities(Map<String, Parsed> list) {
    TreeMap<String, Quantity> out = new TreeMap<>();
    list.forEach((k, v) -> out.put(k, new Quantity(v.canonical())));
    return out;
  }

  /** Quantity.Add: the sum keeps the first operand's format unless that one is zero. */
  public static Parsed add(Parsed a, Parsed b) {
    Quantities.Format format = a.signum() == 0 ? b.format() : a.format();
    return new Parsed(a.value().add(b.value()), format);
  }

  public static Parsed subtract(Parsed a, Parsed b) {
    Quantities.Format format = a.signum() == 0 ? b.format() : a.format();
    return new Parsed(a.value().subtract(b.value()), format);
  }

  /** quota.Add: every name of either list; names in both are summed. */
  public static TreeMap<String, Parsed> add(Map<String, Parsed> a, Map<String, Parsed> b) {
    TreeMap<String, Parsed> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, ResourceLists::add));
    return out;
  }

  /** quota.SubtractWithNonNegativeResult: a minus b, never below zero, over a's names. */
  public static TreeMap<String, Parsed> subtractNonNegative(Map<String, Parsed> a, Map<String, Parsed> b) {
    TreeMap<String, Parsed> out = new TreeMap<>();
    a.forEach((k, v) -> {
      Parsed other = b.get(k);
      Parsed d = other == null ? v : subtract(v, other);
      out.put(k, d.signum() < 0 ? new Parsed(BigDecimal.ZERO, d.format()) : d);
    });
    return out;
  }

  /** quota.Mask: only the named resources. */
  public static TreeMap<String, Parsed> mask(Map<String, Parsed> list, Collection<String> names) {
    TreeMap<String, Parsed> out = new TreeMap<>();
    for (String n : names) {
      Parsed v = list.get(n);
      if (v != null) {
        out.put(n, v);
      }
    }
    return out;
  }

  /** quota.RemoveZeros. */
  public static TreeMap<String, Parsed> removeZeros(Map<String, Parsed> list) {
    TreeMap<String, Parsed> out = new TreeMap<>();
    list.forEach((k, v) -> {
      if (v.signum() != 0) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** quota.IsNegative: the names whose quantity is below zero. */
  public static List<String> negative(Map<String, Parsed> list) {
    List<String> out = new ArrayList<>();
    list.forEach((k, v) -> {
      if (v.signum() < 0) {
        out.add(k);
      }
    });
    return out;
  }

  /**
   * quota.LessThanOrEqual: the names in {@code a} whose quantity is above the one in {@code b}
   * (names {@code b} does not list are not limited). Empty means a fits within b.
   */
  public static List<String> exceeding(Map<String, Parsed> a, Map<String, Parsed> b) {
    List<String> out = new ArrayList<>();
    a.forEach((k, v) -> {
      Parsed limit = b.get(k);
      if (limit != null && v.compareTo(limit) > 0) {
        out.add(k);
      }
    });
    return out;
  }

  /** quota.Equals: the same names with equal quantities. */
  public static boolean equal(Map<String, Parsed> a, Map<String, Parsed> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Parsed> e : a.entrySet()) {
      Parsed other = b.get(e.getKey());
      if (other == null || other.compareTo(e.getValue()) != 0) {
        return false;
      }
    }
    return true;
  }

  /** prettyPrint: {@code name=quantity} pairs in name order, joined with commas. */
  public static String prettyPrint(Map<String, Parsed> list) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Parsed> e : new TreeMap<>(list).entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue().canonical());
    }
    return sb.toString();
  }

  /** prettyPrintResourceNames: sorted, joined with commas. */
  public static String prettyPrintNames(Collection<String> names) {
    return String.join(",", new java.util.TreeSet<>(names));
  }

  /** The larger of two quantities of one resource (the first when equal). */
  public static Parsed max(Parsed a, Parsed b) {
    return b.compareTo(a) > 0 ? b : a;
  }

  /** quota.Intersection of two name sets, in the first one's order. */
  public static List<String> intersection(Collection<String> a, Set<String> b) {
    List<String> out = new ArrayList<>();
    for (String n : a) {
      if (b.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }
}
