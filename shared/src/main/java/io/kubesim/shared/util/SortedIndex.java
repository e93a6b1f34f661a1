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
 *
 * <p>New keys go into the sorted map only when something is next listed in order: a cache that
 * takes thousands of creates between two lists (each of a controller's informers, as pods are
 * created) compares no keys for them until then. Every ordered read, views included, sees the
 * index as it is when it is read.
 */
public final class SortedIndex<V> {

  private static final class Slot<V> {
    final String key;
    V value;
    /** In the sorted map; else pending (and skipped when sorted in if no longer the key's slot). */
    boolean sorted;

    Slot(String key, V value) {
      this.key = key;
      this.value = value;
    }
  }

  private final Map<String, Slot<V>> byHash = new HashMap<>();
  private final NavigableMap<String, Slot<V>> sorted = new TreeMap<>();
  /** Slots added since the sorted map was last brought up to date, in the order they came. */
  private final List<Slot<V>> pending = new ArrayList<>();

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
    s = new Slot<>(key, value);
    byHash.put(key, s);
    pending.add(s);
    if (pending.size() > 1024 + byHash.size()) {
      // Keys come and go without a list in between: sort them in so that the removed ones are dropped.
      sortPending();
    }
    return null;
  }

  /** Removes {@code key}; returns its value, or null if it was absent. */
  public V remove(String key) {
    Slot<V> s = byHash.remove(key);
    if (s == null) {
      return null;
    }
    if (s.sorted) {
      sorted.remove(key);
    }
    return s.value;
  }

  /** Brings the sorted map up to date with the keys added since it last was. */
  private void sortPending() {
    if (pending.isEmpty()) {
      return;
    }
    for (Slot<V> s : pending) {
      // A slot removed since (and maybe replaced by a newer one) is no longer its key's.
      if (byHash.get(s.key) == s) {
        sorted.put(s.key, s);
        s.sorted = true;
      }
    }
    pending.clear();
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
    sortPending();
    return new ArrayList<>(sorted.keySet());
  }

  /** A view of the sorted map's {@code slots} that sorts the pending keys in before each read. */
  private Collection<V> view(Collection<Slot<V>> slots) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V> iterator() {
        sortPending();
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
        sortPending();
        return slots.size();
      }
    };
  }
}
