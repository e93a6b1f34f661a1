package io.kubesim.controlplane.scheduler.framework;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What plugins keep for the length of one scheduling cycle (framework.CycleState): each plugin
 * writes its PreFilter and PreScore results under its own {@link Key}, and reads them back in
 * Filter and Score for every node. Keys index an array, so a read in the per-node hot path is one
 * array load. Also records which plugins skipped Filter and Score for this pod.
 */
public final class CycleState {

  /** Something a plugin keeps in the cycle state; copied when preemption tries "what if" on a node. */
  public interface Data {
    /** A copy that can be changed without changing this one. Immutable data returns itself. */
    Data copy();
  }

  /** A typed slot in the cycle state. Create keys once, as static finals. */
  public static final class Key<T extends Data> {
    private static final AtomicInteger NEXT = new AtomicInteger();
    final int index = NEXT.getAndIncrement();
    private final String name;

    public Key(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Data[] slots = new Data[16];
  private long skipFilter;
  private long skipScore;
  /** The filter plugins that run this cycle, worked out once by the framework. */
  FilterPlugin[] activeFilters;

  public <T extends Data> void write(Key<T> key, T value) {
    if (key.index >= slots.length) {
      slots = Arrays.copyOf(slots, Math.max(key.index + 1, slots.length * 2));
    }
    slots[key.index] = value;
  }

  /** The value under the key, or null if the plugin wrote none this cycle. */
  @SuppressWarnings("unchecked")
  public <T extends Data> T read(Key<T> key) {
    return key.index < slots.length ? (T) slots[key.index] : null;
  }

  void skipFilter(int pluginIndex) {
    skipFilter |= 1L << pluginIndex;
    activeFilters = null;
  }

  boolean filterSkipped(int pluginIndex) {
    return (skipFilter & (1L << pluginIndex)) != 0;
  }

  void skipScore(int pluginIndex) {
    skipScore |= 1L << pluginIndex;
  }

  boolean scoreSkipped(int pluginIndex) {
    return (skipScore & (1L << pluginIndex)) != 0;
  }

  /** A deep copy, for trying pods on and off a node without disturbing this cycle (CycleState.Clone). */
  public CycleState copy() {
    CycleState c = new CycleState();
    c.slots = new Data[slots.length];
    for (int i = 0; i < slots.length; i++) {
      c.slots[i] = slots[i] == null ? null : slots[i].copy();
    }
    c.skipFilter = skipFilter;
    c.skipScore = skipScore;
    c.activeFilters = activeFilters;
    return c;
  }
}
