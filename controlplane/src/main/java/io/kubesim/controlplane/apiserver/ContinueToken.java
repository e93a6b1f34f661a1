package io.kubesim.controlplane.apiserver;

import io.kubesim.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A list continuation, encoded as kube-apiserver encodes it (etcd3 store's continue token):
 * base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<next key>"}, where the key is relative to the
 * listed prefix. The next page is read at revision N, so pages form one consistent snapshot.
 */
record ContinueToken(long revision, String startKey) {

  static String encode(long revision, String keyPrefix, String nextKey) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", "meta.k8s.io/v1");
    m.put("rv", revision);
    m.put("start", nextKey.substring(keyPrefix.length()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(m));
  }

  /** Decodes a token; throws IllegalArgumentException with the reason when it is not valid. */
  static ContinueToken decode(String token, String keyPrefix) {
    JsonNode node;
    try {
      byte[] raw = Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_').replace("=", ""));
      node = Json.MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("continue key is not valid: " + e.getMessage());
    }
    if (!"meta.k8s.io/v1".equals(node.path("v").asString(""))) {
      throw new IllegalArgumentException("continue key is not valid: server does not recognize this encoded key");
    }
    long rv = node.path("rv").asLong(0);
    String start = node.path("start").asString("");
    if (rv <= 0 || start.isEmpty() || start.contains("..") || start.startsWith("/")) {
      throw new IllegalArgumentException("continue key is not valid: incorrect encoded start resourceVersion");
    }
    return new ContinueToken(rv, keyPrefix + start);
  }
}
