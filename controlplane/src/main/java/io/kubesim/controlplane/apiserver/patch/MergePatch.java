package io.kubesim.controlplane.apiserver.patch;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch, RFC 7386: {@code application/merge-patch+json}.
 *
 * <p>An object patch is merged key by key into the target (a target that is not an object counts
 * as an empty one); a {@code null} value removes the key; any other value replaces the target's
 * value, recursively for objects. Arrays and scalars replace whole, and a patch that is not an object
 * replaces the whole target. Neither input is modified.
 */
public final class MergePatch {

  private MergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || patch.isMissingNode()) {
      return target == null ? JsonNodeFactory.instance.nullNode() : target.deepCopy();
    }
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject()
        ? (ObjectNode) target.deepCopy()
        : JsonNodeFactory.instance.objectNode();
    mergeInto(result, patch);
    return result;
  }

  /** As {@link #apply}, merging into {@code target} itself: for a tree the caller owns and no longer needs. */
  public static JsonNode applyInPlace(JsonNode target, JsonNode patch) {
    if (target == null || !target.isObject() || patch == null || !patch.isObject()) {
      return apply(target, patch);
    }
    mergeInto((ObjectNode) target, patch);
    return target;
  }

  /** Merges an object patch into a target this class owns. */
  private static void mergeInto(ObjectNode target, JsonNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject()) {
        JsonNode current = target.get(key);
        ObjectNode child = current != null && current.isObject()
            ? (ObjectNode) current
            : JsonNodeFactory.instance.objectNode();
        mergeInto(child, value);
        target.set(key, child);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }
}
