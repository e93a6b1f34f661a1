package io.kubesim.controlplane.launcher;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.controlplane.store.FilePersistence;
import io.kubesim.controlplane.store.Persistence;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** How the apiserver's objects are written to and read from a data directory: JSON with apiVersion and kind. */
final class ObjectCodec {

  private ObjectCodec() {}

  static Persistence persistence(Path dir) {
    return new FilePersistence(dir, Json::tree, ObjectCodec::decode);
  }

  static Object decode(JsonNode n) {
    String apiVersion = n.path("apiVersion").asString("");
    String kind = n.path("kind").asString("");
    ResourceType type = Resources.byKind(apiVersion, kind).orElseThrow(() -> new IllegalStateException(
        "the data directory holds an object of kind " + kind + " (" + apiVersion + ") that kubesim does not know"));
    HasMetadata o = Json.convert(n, type.type());
    return o;
  }
}
