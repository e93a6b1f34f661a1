package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.Status;

/** A request failed with this Status; thrown inside the apiserver's pipeline, answered to the caller. */
final class ApiException extends RuntimeException {
  final Status status;

  ApiException(Status status) {
    super(status.getMessage(), null, false, false);
    this.status = status;
  }
}
