package io.kubesim.shared.api;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.ArrayList;
import java.util.List;

/**
 * Failure {@code Status} objects worded and coded as kube-apiserver words them
 * (k8s.io/apimachinery/pkg/api/errors), since kubectl prints their messages verbatim.
 */
public final class ApiErrors {

  private ApiErrors() {}

  public static Status status(int code, String reason, String message, StatusDetails details) {
    Status s = new Status();
    s.setApiVersion("v1");
    s.setKind("Status");
    s.setMetadata(new ListMeta());
    s.setStatus("Failure");
    s.setCode(code);
    s.setReason(reason);
    s.setMessage(message);
    s.setDetails(details);
    return s;
  }

  private static StatusDetails details(ResourceType type, String name) {
    StatusDetails d = new StatusDetails();
    d.setName(name);
    if (type != null) {
      if (!type.group().isEmpty()) {
        d.setGroup(type.group());
      }
      d.setKind(type.plural());
    }
    return d;
  }

  public static Status notFound(ResourceType type, String name) {
    return status(404, "NotFound", type.groupResource() + " \"" + name + "\" not found", details(type, name));
  }

  /** The namespace of a request does not exist: {@code namespaces "x" not found}. */
  public static Status namespaceNotFound(String namespace) {
    return notFound(Resources.NAMESPACES, namespace);
  }

  public static Status alreadyExists(ResourceType type, String name) {
    return status(409, "AlreadyExists", type.groupResource() + " \"" + name + "\" already exists",
        details(type, name));
  }

  /** An optimistic-concurrency failure: the object changed since the caller read it. */
  public static Status conflict(ResourceType type, String name) {
    return conflict(type, name, "the object has been modified; please apply your changes to the latest version "
        + "and try again");
  }

  public static Status conflict(ResourceType type, String name, String why) {
    return status(409, "Conflict", "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name
        + "\": " + why, details(type, name));
  }

  /** 422 Invalid, with one cause per field error: {@code Pod "bad" is invalid: spec.containers: Required value}. */
  public static Status invalid(ResourceType type, String name, List<FieldError> errors) {
    StatusDetails d = new StatusDetails();
    d.setName(name);
    if (!type.group().isEmpty()) {
      d.setGroup(type.group());
    }
    d.setKind(type.kind());
    List<StatusCause> causes = new ArrayList<>();
    for (FieldError e : errors) {
      StatusCause c = new StatusCause();
      c.setReason(e.type().reason);
      c.setMessage(e.message());
      c.setField(e.field());
      causes.add(c);
    }
    d.setCauses(causes);
    String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    return status(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + aggregate(errors), d);
  }

  /** Go's utilerrors.NewAggregate(...).Error(): one error bare, several in brackets. */
  static String aggregate(List<FieldError> errors) {
    if (errors.size() == 1) {
      return errors.get(0).toString();
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < errors.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(errors.get(i));
    }
    return sb.append(']').toString();
  }

  /** 410 Expired: a resourceVersion or continue token older than the retained history. */
  public static Status expired(String message) {
    return status(410, "Expired", message, null);
  }

  public static Status tooOldResourceVersion(long requested, long oldest) {
    return expired("too old resource version: " + requested + " (" + oldest + ")");
  }

  public static Status badRequest(String message) {
    return status(400, "BadRequest", message, null);
  }

  public static Status forbidden(ResourceType type, String name, String why) {
    return status(403, "Forbidden", type.groupResource() + " \"" + name + "\" is forbidden: " + why,
        details(type, name));
  }

  public static Status methodNotAllowed(String message) {
    return status(405, "MethodNotAllowed", message, null);
  }

  public static Status unsupportedMediaType(String message) {
    return status(415, "UnsupportedMediaType", message, null);
  }

  public static Status tooManyRequests(String message, StatusDetails details) {
    return status(429, "TooManyRequests", message, details);
  }

  public static Status entityTooLarge(long limitBytes) {
    return status(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limitBytes, null);
  }

  public static Status unauthorized() {
    return status(401, "Unauthorized", "Unauthorized", null);
  }

  public static Status internal(String message) {
    return status(500, "InternalError", "Internal error occurred: " + message, null);
  }

  public static Status timeout(String message) {
    return status(504, "Timeout", message, null);
  }

  public static Status success(int code) {
    Status s = new Status();
    s.setApiVersion("v1");
    s.setKind("Status");
    s.setMetadata(new ListMeta());
    s.setStatus("Success");
    s.setCode(code);
    return s;
  }
}
