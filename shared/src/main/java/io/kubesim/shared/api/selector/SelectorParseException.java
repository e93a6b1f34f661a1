package io.kubesim.shared.api.selector;

/**
 * A label or field selector that Kubernetes would refuse. The message is worded as the Go
 * libraries word it (k8s.io/apimachinery/pkg/labels and pkg/fields), so the apiserver can hand it
 * back unchanged in a 400 "BadRequest" Status.
 */
public final class SelectorParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SelectorParseException(String message) {
    super(message);
  }
}
