package io.kubesim.shared.time;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The run's one seed, split per component. Each component draws from its own generator, derived
 * from the seed and the component's name (not from the order in which components ask), so adding
 * a component does not change what the others draw.
 */
public final class Seeds {

  private final long seed;

  public Seeds(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** A generator of its own for the named component ("scheduler", "kubelet/w1-k8s", ...). */
  public SplittableRandom forComponent(String name) {
    return new SplittableRandom(mix(seed ^ fnv1a(name)));
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: spreads nearby seeds far apart. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
