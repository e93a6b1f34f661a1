package io.kubesim.shared.api;

/**
 * One validation failure, as Kubernetes' {@code field.Error}: a type, the path of the field, the
 * offending value and a detail. Rendered as "spec.containers[0].name: Required value" or
 * "metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of ...".
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** The error types of k8s.io/apimachinery/pkg/util/validation/field, with their reasons and texts. */
  public enum Type {
    NOT_FOUND("FieldValueNotFound", "Not found"),
    REQUIRED("FieldValueRequired", "Required value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    INTERNAL("InternalError", "Internal error"),
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

    public final String reason;
    public final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError notSupported(String field, Object value, java.util.Collection<String> valid) {
    StringBuilder sb = new StringBuilder("supported values: ");
    boolean first = true;
    for (String v : valid) {
      if (!first) {
        sb.append(", ");
      }
      sb.append('"').append(v).append('"');
      first = false;
    }
    return new FieldError(Type.NOT_SUPPORTED, field, value, sb.toString());
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, "");
  }

  public static FieldError tooLong(String field, Object value, int max) {
    return new FieldError(Type.TOO_LONG, field, value, "must have at most " + max + " bytes");
  }

  /** The error without its field path, as in a StatusCause message: "Required value". */
  public String message() {
    StringBuilder sb = new StringBuilder(type.text);
    if (type == Type.INVALID || type == Type.NOT_SUPPORTED || type == Type.DUPLICATE || type == Type.TYPE_INVALID
        || type == Type.NOT_FOUND) {
      if (badValue != null) {
        sb.append(": ").append(renderValue(badValue));
      } else if (type == Type.INVALID) {
        sb.append(": null");
      }
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  /** "field: message", the way kubectl shows each cause. */
  @Override
  public String toString() {
    return field + ": " + message();
  }

  private static String renderValue(Object v) {
    if (v instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return String.valueOf(v);
  }
}
