package io.kubesim.controlplane.apiserver.patch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Applies a PATCH body to a stored object, by its patch type, as kube-apiserver's patcher does:
 * the object goes to JSON, the patch applies to the JSON, and the result is read back as the
 * kind's type. Errors carry the Status kube-apiserver answers with.
 */
public final class Patches {

  private Patches() {}

  /** A patch that cannot apply; {@link #status} is what the apiserver answers. */
  public static final class PatchFailure extends RuntimeException {
    public final io.fabric8.kubernetes.api.model.Status status;

    PatchFailure(io.fabric8.kubernetes.api.model.Status status) {
      super(status.getMessage(), null, false, false);
      this.status = status;
    }
  }

  public static HasMetadata apply(ResourceType type, HasMetadata current, PatchType patchType, String body) {
    return apply(type, current, patchType, body, io.kubesim.shared.api.WriteOptions.DEFAULT, null);
  }

  /**
   * Applies a patch of any type; server-side apply ({@link PatchType#APPLY_PATCH}) needs the
   * field manager, force and the time its managedFields entry records.
   */
  public static HasMetadata apply(ResourceType type, HasMetadata current, PatchType patchType, String body,
      io.kubesim.shared.api.WriteOptions options, java.time.Instant now) {
    if (patchType == PatchType.APPLY_PATCH) {
      return ServerSideApply.apply(type, current, body, options.fieldManager(), options.force(), now);
    }
    return apply(type, current, patchType, parse(body));
  }

  /**
   * As {@link #apply}, for a patch of the status subresource, where the apiserver keeps everything
   * but the status from the stored object: a merge patch goes into the typed object directly when
   * it can ({@link TypedMergePatch}), sharing what it does not change.
   */
  public static HasMetadata applyToStatus(ResourceType type, HasMetadata current, PatchType patchType, String body,
      io.kubesim.shared.api.WriteOptions options, java.time.Instant now) {
    if (patchType != PatchType.MERGE_PATCH) {
      return apply(type, current, patchType, body, options, now);
    }
    JsonNode patch = parse(body);
    HasMetadata typed = TypedMergePatch.apply(current, patch);
    return typed != null ? typed : apply(type, current, patchType, patch);
  }

  private static JsonNode parse(String body) {
    JsonNode patch;
    try {
      patch = Json.MAPPER.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      throw new PatchFailure(ApiErrors.badRequest("error decoding patch: " + e.getOriginalMessage()));
    }
    if (patch == null || patch.isMissingNode()) {
      throw new PatchFailure(ApiErrors.badRequest("empty patch"));
    }
    return patch;
  }

  private static HasMetadata apply(ResourceType type, HasMetadata current, PatchType patchType, JsonNode patch) {
    JsonNode original = Json.tree(current); // a tree of our own: the patches below merge into it
    JsonNode result;
    try {
      result = switch (patchType) {
        case JSON_PATCH -> {
          if (!patch.isArray()) {
            throw new PatchFailure(ApiErrors.badRequest("json: cannot unmarshal object into Go value of type "
                + "jsonpatch.Patch"));
          }
          yield JsonPatch.apply(patch, original);
        }
        case MERGE_PATCH -> MergePatch.applyInPlace(original, patch);
        case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.applyInPlace(original, patch,
            PatchSchemas.forKind(type.apiVersion(), type.kind()));
        case APPLY_PATCH -> throw new IllegalStateException("server-side apply is handled above");
      };
    } catch (JsonPatchException e) {
      throw new PatchFailure(ApiErrors.status(422, "Invalid", "the server rejected our request due to an error in "
          + "our request: " + e.getMessage(), null));
    } catch (PatchException e) {
      throw new PatchFailure(ApiErrors.badRequest(e.getMessage()));
    }
    if (!result.isObject()) {
      throw new PatchFailure(ApiErrors.badRequest("the patch does not produce an object"));
    }
    return readAs(type, result);
  }

  /** A patched JSON object read back as its kind's type. */
  static HasMetadata readAs(ResourceType type, JsonNode result) {
    try {
      return Json.convert(result, type.type());
    } catch (JacksonException e) {
      throw new PatchFailure(ApiErrors.badRequest("the patched object is not a valid " + type.kind() + ": "
          + e.getOriginalMessage()));
    }
  }
}
