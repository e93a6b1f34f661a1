package io.kubesim.controlplane.apiserver.allocator;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A bitmap of the offsets 0..size-1 of a range (cluster IPs or node ports), allocated at random
 * as kube-apiserver's allocators do (KEP-3070, pkg/registry/core/service/allocator/bitmap.go
 * randomScanStrategyWithOffset and ipallocator/ipallocator.go allocateNextService): the range is
 * cut at {@code offset}; a dynamic allocation starts at a random point of the upper part and scans
 * forward with wrap-around, and only when the upper part is full does the same in the lower part,
 * which is thereby kept for addresses and ports that users ask for by number.
 */
public final class RangeAllocator {

  private final int size;
  private final int offset;
  private final BitSet used;
  private final SplittableRandom random;

  public RangeAllocator(int size, int offset, SplittableRandom random) {
    if (size < 0 || offset < 0 || offset > size) {
      throw new IllegalArgumentException("bad range: size " + size + ", offset " + offset);
    }
    this.size = size;
    this.offset = offset;
    this.used = new BitSet(size);
    this.random = random;
  }

  public int size() {
    return size;
  }

  public int offset() {
    return offset;
  }

  public int used() {
    return used.cardinality();
  }

  public boolean has(int i) {
    return i >= 0 && i < size && used.get(i);
  }

  /** Reserves offset {@code i}; false if it is already taken. */
  public boolean allocate(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    if (used.get(i)) {
      return false;
    }
    used.set(i);
    return true;
  }

  /** Reserves a free offset chosen as kube-apiserver chooses it, or returns -1 when the range is full. */
  public int allocateNext() {
    int upper = size - offset;
    if (upper > 0) {
      int at = scan(offset, size, offset + random.nextInt(upper));
      if (at >= 0) {
        used.set(at);
        return at;
      }
    }
    if (offset > 0) {
      int at = scan(0, offset, random.nextInt(offset));
      if (at >= 0) {
        used.set(at);
        return at;
      }
    }
    return -1;
  }

  /** The first free offset at or after {@code start} in [from, to), wrapping around to {@code from}; -1 if none. */
  private int scan(int from, int to, int start) {
    int at = used.nextClearBit(start);
    if (at < to) {
      return at;
    }
    at = used.nextClearBit(from);
    return at < start ? at : -1;
  }

  /** Releases an offset; releasing a free one does nothing, as Release does. */
  public void release(int i) {
    if (i >= 0 && i < size) {
      used.clear(i);
    }
  }

  /**
   * The size of the lower, static part of a range: min(max(floor, size/step), cap), or 0 for a
   * range no larger than {@code floor} (calculateRangeOffset in both allocators).
   */
  public static int rangeOffset(long rangeSize, int floor, int step, int cap) {
    if (rangeSize <= floor) {
      return 0;
    }
    long o = rangeSize / step;
    return (int) Math.max(floor, Math.min(o, cap));
  }
}
