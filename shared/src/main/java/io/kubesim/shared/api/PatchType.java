package io.kubesim.shared.api;

import java.util.Optional;

/** The PATCH content types kube-apiserver accepts. */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  APPLY_PATCH("application/apply-patch+yaml");

  public final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public static Optional<PatchType> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase();
    for (PatchType t : values()) {
      if (t.contentType.equals(base)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
