package io.kubesim.controlplane.controller.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * The pod-template-hash of a Deployment's template (pkg/controller/controller_utils.go ComputeHash):
 * FNV-32a over hashutil.DeepHashObject's printing of the template (go-spew's {@code %#v}, see
 * {@link GoSpew}), then, when the Deployment has a collisionCount, its four little-endian bytes
 * padded to eight, and the decimal uint32 passed through rand.SafeEncodeString.
 */
public final class PodTemplateHash {

  /** k8s.io/apimachinery/pkg/util/rand: the consonants and digits that spell no words. */
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateHash() {}

  public static String compute(PodTemplateSpec template, Integer collisionCount) {
    Fnv32a h = new Fnv32a();
    h.write(GoSpew.podTemplateSpec(template).getBytes(StandardCharsets.UTF_8));
    if (collisionCount != null) {
      byte[] b = new byte[8];
      int c = collisionCount;
      b[0] = (byte) c;
      b[1] = (byte) (c >>> 8);
      b[2] = (byte) (c >>> 16);
      b[3] = (byte) (c >>> 24);
      h.write(b);
    }
    return safeEncode(Integer.toUnsignedString(h.sum()));
  }

  /** rand.SafeEncodeString: each byte mapped into the alphabet by its value modulo its size. */
  public static String safeEncode(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      sb.append(ALPHANUMS.charAt((b & 0xff) % ALPHANUMS.length()));
    }
    return sb.toString();
  }

  /** hash/fnv New32a. */
  static final class Fnv32a {
    private int h = 0x811c9dc5;

    void write(byte[] bytes) {
      for (byte b : bytes) {
        h ^= b & 0xff;
        h *= 0x01000193;
      }
    }

    int sum() {
      return h;
    }
  }
}
