package io.kubesim.shared.util;

import java.util.Arrays;

/**
 * A map from {@code long} to objects by open addressing (linear probing, deletion by shifting
 * back), for hot paths keyed by counters: no boxed keys, no entry objects. Not iterable, so its
 * order can never leak into a simulation.
 */
public final class LongMap<V> {

  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;

  public LongMap() {
    this(16);
  }

  public LongMap(int capacity) {
    int n = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
    keys = new long[n];
    values = new Object[n];
    mask = n - 1;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("unchecked")
  public V get(long key) {
    for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return (V) values[i];
      }
    }
    return null;
  }

  /** Maps {@code key} to a non-null {@code value}; returns the value it replaces, or null. */
  @SuppressWarnings("unchecked")
  public V put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    int i = slot(key);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        V old = (V) values[i];
        values[i] = value;
        return old;
      }
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  public V remove(long key) {
    int i = slot(key);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        V old = (V) values[i];
        shiftBack(i);
        size--;
        return old;
      }
    }
    return null;
  }

  public void clear() {
    Arrays.fill(values, null);
    size = 0;
  }

  /** Closes the gap at {@code gap}: moves up each following entry that would no longer be found. */
  private void shiftBack(int gap) {
    int i = gap;
    while (true) {
      i = (i + 1) & mask;
      if (values[i] == null) {
        break;
      }
      int home = slot(keys[i]);
      // The entry at i may move to the gap if its home is not in (gap, i] (cyclically).
      if (((i - home) & mask) >= ((i - gap) & mask)) {
        keys[gap] = keys[i];
        values[gap] = values[i];
        gap = i;
      }
    }
    values[gap] = null;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldValues[j] != null) {
        int i = slot(oldKeys[j]);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
