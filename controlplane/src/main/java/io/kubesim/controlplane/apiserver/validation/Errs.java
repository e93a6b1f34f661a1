package io.kubesim.controlplane.apiserver.validation;

import io.kubesim.shared.api.FieldError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An error list being gathered, with the constructors of Go's field package. */
final class Errs {

  private final List<FieldError> list = new ArrayList<>();

  List<FieldError> list() {
    return list;
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  Errs addAll(Collection<FieldError> errs) {
    list.addAll(errs);
    return this;
  }

  Errs addAll(Errs errs) {
    list.addAll(errs.list);
    return this;
  }

  Errs add(FieldError e) {
    list.add(e);
    return this;
  }

  Errs required(FieldPath p, String detail) {
    return add(new FieldError(FieldError.Type.REQUIRED, p.toString(), null, detail));
  }

  Errs invalid(FieldPath p, Object value, String detail) {
    return add(new FieldError(FieldError.Type.INVALID, p.toString(), value == null ? GoValue.raw("null") : value, detail));
  }

  /** One Invalid error per message, as Go's loops over IsXxx results do. */
  Errs invalidEach(FieldPath p, Object value, List<String> msgs) {
    for (String m : msgs) {
      invalid(p, value, m);
    }
    return this;
  }

  Errs notSupported(FieldPath p, Object value, List<String> valid) {
    return add(FieldError.notSupported(p.toString(), value == null ? GoValue.raw("null") : value, valid));
  }

  Errs forbidden(FieldPath p, String detail) {
    return add(new FieldError(FieldError.Type.FORBIDDEN, p.toString(), null, detail));
  }

  Errs duplicate(FieldPath p, Object value) {
    return add(new FieldError(FieldError.Type.DUPLICATE, p.toString(), value, ""));
  }

  Errs duplicate(FieldPath p, Object value, String detail) {
    return add(new FieldError(FieldError.Type.DUPLICATE, p.toString(), value, detail));
  }

  Errs notFound(FieldPath p, Object value) {
    return add(new FieldError(FieldError.Type.NOT_FOUND, p.toString(), value, ""));
  }

  /** field.TooLong as of Kubernetes 1.33: "may not be more than N bytes". */
  Errs tooLong(FieldPath p, int max) {
    return add(new FieldError(FieldError.Type.TOO_LONG, p.toString(), null,
        "may not be more than " + max + " " + (max == 1 ? "byte" : "bytes")));
  }

  Errs tooMany(FieldPath p, int actual, int max) {
    return add(new FieldError(FieldError.Type.TOO_MANY, p.toString(), actual, "must have at most " + max + " items"));
  }

  /** ValidateNonnegativeField. */
  Errs nonNegative(long value, FieldPath p) {
    if (value < 0) {
      invalid(p, value, "must be greater than or equal to 0");
    }
    return this;
  }

  /** ValidateImmutableField, given whether old and new are equal and the new value as printed. */
  Errs immutable(boolean equal, Object newValue, FieldPath p) {
    if (!equal) {
      invalid(p, newValue, "field is immutable");
    }
    return this;
  }
}
