package io.kubesim.controlplane.apiserver.patch;

/**
 * A patch that cannot be applied: a document that is not of the expected shape, an unknown
 * {@code $patch} directive, a list element without its declared merge key, a {@code $retainKeys}
 * or {@code $setElementOrder} list that contradicts the patch. The apiserver answers these with a
 * client error; the message says what was wrong and where.
 */
public class PatchException extends RuntimeException {

  public PatchException(String message) {
    super(message);
  }
}
