package io.kubesim.controlplane.apiserver.patch;

import io.kubesim.shared.json.Json;
import tools.jackson.databind.JsonNode;

/** Test documents written with single quotes, so that they read as JSON in Java source. */
final class Trees {

  private Trees() {}

  static JsonNode json(String singleQuoted) {
    return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
  }
}
