package io.kubesim.controlplane.http;

import io.kubesim.shared.api.ApiErrors;
import java.util.Optional;

/** Query parameters with kube-apiserver's parsing: bad numbers and booleans are 400s, unknown names are ignored. */
final class Query {

  private final akka.http.javadsl.model.Query q;

  Query(akka.http.javadsl.model.Query q) {
    this.q = q;
  }

  Query with(String name, String value) {
    return new Query(q.withParam(name, value));
  }

  String get(String name) {
    Optional<String> v = q.get(name);
    return v.orElse(null);
  }

  /** Go's strconv.ParseBool. */
  boolean bool(String name) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new StatusException(ApiErrors.badRequest(name + ": Invalid value: \"" + v
          + "\": must be a boolean"));
    };
  }

  /** Every value of a repeated parameter (exec's command=...&command=...), in order. */
  java.util.List<String> all(String name) {
    // akka's Query.getAll answers the values last first.
    java.util.List<String> values = new java.util.ArrayList<>(q.getAll(name));
    java.util.Collections.reverse(values);
    return values;
  }

  Boolean optionalBool(String name) {
    String v = get(name);
    return v == null || v.isEmpty() ? null : bool(name);
  }

  Long nonNegative(String name) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new StatusException(ApiErrors.badRequest(name + ": Invalid value: \"" + v + "\": must be an integer"));
    }
    if (n < 0) {
      throw new StatusException(ApiErrors.badRequest(name + ": Invalid value: " + n + ": must be greater than or "
          + "equal to 0"));
    }
    return n;
  }

  Long integer(String name) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new StatusException(ApiErrors.badRequest(name + ": Invalid value: \"" + v + "\": must be an integer"));
    }
  }
}
