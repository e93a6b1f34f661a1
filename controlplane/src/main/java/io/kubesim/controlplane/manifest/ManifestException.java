package io.kubesim.controlplane.manifest;

/** A manifest that cannot be used; the message names the file, the document and the field. */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message, null, false, false);
  }
}
