package io.kubesim.controlplane.http;

import io.fabric8.kubernetes.api.model.Status;

/** A request that ends in a Kubernetes {@code Status} error; thrown on the HTTP side, answered as is. */
final class StatusException extends RuntimeException {
  final Status status;

  StatusException(Status status) {
    super(status.getMessage(), null, false, false);
    this.status = status;
  }
}
