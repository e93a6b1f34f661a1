package io.kubesim.shared.util;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Objects by string key, found by hash and listed in key order: for caches whose updates (a lease
 * renewal, a status write) far outnumber their lists. Both maps hold the same slot per key, so an
 * update of a present key sets the slot and touches neither map, and no string is compared.
 */
public final class SortedIndex<V> {

  private static final class Slot<V> {
    V value;

    Slot(V value) {
      this.value = value;
    }
  }

  private final Map<String, Slot<V>> byHash = new HashMap<>();
  private final NavigableMap<String, Slot<V>> sorted = new TreeMap<>();

  public V get(String key) {
    Slot<V> s = byHash.get(key);
    return s == null ? null : s.value;
  }

  /** Maps {@code key} to {@code value}; returns the value it replaces, or null. */
  public V put(String key, V value) {
    Slot<V> s = byHash.get(key);
    if (s != null) {
      V old = s.value;
      s.value = value;
      return old;
    }
    s = new Slot<>(value);
    byHash.put(key, s);
    sorted.put(key, s);
    return null;
  }

  /** Removes {@code key}; returns its value, or null if it was absent. */
  public V remove(String key) {
    Slot<V> s = byHash.remove(key);
    if (s == null) {
      return null;
    }
    sorted.remove(key);
    return s.value;
  }

  public int size() {
    return byHash.size();
  }

  /** Every value, in key order: a read-only view. */
  public Collection<V> values() {
    return view(sorted.values());
  }

  /** The values whose keys start with {@code prefix}, in key order: a read-only view. */
  public Collection<V> valuesWithPrefix(String prefix) {
    return view(sorted.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
  }

  /** The values whose keys are {@code from} or after it, in key order: a read-only view. */
  public Collection<V> valuesFrom(String from) {
    return view(sorted.tailMap(from, true).values());
  }

  /** The keys, in order: a copy, so that the index may change while it is walked. */
  public List<String> keys() {
    return new ArrayList<>(sorted.keySet());
  }

  private static <V> Collection<V> view(Collection<Slot<V>> slots) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V> iterator() {
        Iterator<Slot<V>> it = slots.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public V next() {
            return it.next().value;
          }
        };
      }

      @Override
      public int size() {
        return slots.size();
      }
    };
  }
}
