package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.client.Informer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A secondary index over an informer's cache, as client-go's Indexer: objects by node name, by
 * controller uid, and the like. The owning actor keeps it current from its informer handler.
 */
public final class CacheIndex<T extends HasMetadata> {

  private final Function<T, Collection<String>> indexFn;
  private final Map<String, NavigableSet<String>> keys = new HashMap<>();

  public CacheIndex(Function<T, Collection<String>> indexFn) {
    this.indexFn = indexFn;
  }

  /** An index with at most one value per object; null means the object is not indexed. */
  public static <T extends HasMetadata> CacheIndex<T> single(Function<T, String> fn) {
    return new CacheIndex<>(o -> {
      String v = fn.apply(o);
      return v == null ? List.of() : List.of(v);
    });
  }

  public void add(T o) {
    String k = Informer.key(o);
    for (String v : indexFn.apply(o)) {
      keys.computeIfAbsent(v, x -> new TreeSet<>()).add(k);
    }
  }

  public void remove(T o) {
    String k = Informer.key(o);
    for (String v : indexFn.apply(o)) {
      NavigableSet<String> s = keys.get(v);
      if (s != null) {
        s.remove(k);
        if (s.isEmpty()) {
          keys.remove(v);
        }
      }
    }
  }

  public void update(T old, T o) {
    if (old != null) {
      remove(old);
    }
    add(o);
  }

  /** The index values that have objects, in no particular order: a read-only view. */
  public java.util.Set<String> valuesUnordered() {
    return java.util.Collections.unmodifiableSet(keys.keySet());
  }

  /** The index values that have objects, in order. */
  public java.util.SortedSet<String> values() {
    return new TreeSet<>(keys.keySet());
  }

  /** The cache keys under {@code value}, in key order. */
  public NavigableSet<String> keys(String value) {
    NavigableSet<String> s = keys.get(value);
    return s == null ? new TreeSet<>() : s;
  }

  /** The cached objects under {@code value}, in key order. */
  public List<T> list(String value, Informer<T> informer) {
    List<T> out = new ArrayList<>();
    for (String k : keys(value)) {
      T o = informer.get(k);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }
}
