package io.kubesim.controlplane.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubesim.controlplane.store.KeyValue;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.util.SortedIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The apiserver's watch cache of one kind, as kube-apiserver's Cacher: the current objects (fed by
 * the store's watch, sharing its objects), a bounded window of recent changes from which watches
 * resume, and the open watches, indexed so that a pod change reaches only the kubelet of its node.
 */
final class TypeCache {

  /** One change: {@code object} is null for a deletion; {@code prev} is what it replaced. */
  record Change(long revision, HasMetadata object, HasMetadata prev) {}

  final ResourceType type;
  /** The current objects: found by hash for gets and updates, kept in key order for lists. */
  private final SortedIndex<KeyValue> objects = new SortedIndex<>();
  private final Change[] window;
  private int start;
  private int size;
  /** Changes at or below this revision are no longer in the window. */
  private long floor;

  final List<WatchSession> unindexed = new ArrayList<>();
  final Map<String, List<WatchSession>> byNode = new HashMap<>();

  TypeCache(ResourceType type, int capacity, long initialRevision) {
    this.type = type;
    this.window = new Change[capacity];
    this.floor = initialRevision;
  }

  void load(KeyValue kv) {
    objects.put(kv.key(), kv);
  }

  /** Applies a store change and returns it as the cache records it. */
  Change apply(KeyValue kv, KeyValue prevKv) {
    HasMetadata prev = prevKv == null || prevKv.isTombstone() ? null : (HasMetadata) prevKv.value();
    HasMetadata now;
    if (kv.isTombstone()) {
      objects.remove(kv.key());
      now = null;
    } else {
      objects.put(kv.key(), kv);
      now = (HasMetadata) kv.value();
    }
    Change c = new Change(kv.modRevision(), now, prev);
    if (size == window.length) {
      floor = window[start].revision();
      window[start] = c;
      start = (start + 1) % window.length;
    } else {
      window[(start + size) % window.length] = c;
      size++;
    }
    return c;
  }

  /** The oldest resourceVersion a watch can resume from: every change after it is still here. */
  long floor() {
    return floor;
  }

  /** Changes with revision > {@code after}, oldest first. */
  List<Change> since(long after) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Change c = window[(start + i) % window.length];
      if (c.revision() > after) {
        out.add(c);
      }
    }
    return out;
  }

  KeyValue get(String key) {
    return objects.get(key);
  }

  int size() {
    return objects.size();
  }

  /** Objects of one namespace (null: all), in key order. */
  Collection<KeyValue> scan(String namespace) {
    if (namespace == null || !type.namespaced()) {
      return objects.values();
    }
    String prefix = type.keyPrefix(namespace);
    return objects.valuesWithPrefix(prefix);
  }

  void addWatch(WatchSession w) {
    if (w.nodeName != null) {
      byNode.computeIfAbsent(w.nodeName, n -> new ArrayList<>()).add(w);
    } else {
      unindexed.add(w);
    }
  }

  void removeWatch(WatchSession w) {
    if (w.nodeName != null) {
      List<WatchSession> l = byNode.get(w.nodeName);
      if (l != null) {
        l.remove(w);
        if (l.isEmpty()) {
          byNode.remove(w.nodeName);
        }
      }
    } else {
      unindexed.remove(w);
    }
  }

  /** The watches a change may concern, each once. */
  List<WatchSession> candidates(Change c) {
    if (byNode.isEmpty()) {
      return unindexed;
    }
    List<WatchSession> out = new ArrayList<>(unindexed);
    String n1 = nodeOf(c.object());
    String n2 = nodeOf(c.prev());
    addNode(out, n1);
    if (n2 != null && !n2.equals(n1)) {
      addNode(out, n2);
    }
    return out;
  }

  private void addNode(List<WatchSession> out, String node) {
    if (node != null) {
      List<WatchSession> l = byNode.get(node);
      if (l != null) {
        out.addAll(l);
      }
    }
  }

  List<WatchSession> allWatches() {
    List<WatchSession> out = new ArrayList<>(unindexed);
    byNode.values().forEach(out::addAll);
    return out;
  }

  /** The index value of an object: a pod's node, any other object's name (see WatchSession#nodeName). */
  private static String nodeOf(HasMetadata o) {
    if (o instanceof Pod p) {
      String n = p.getSpec() == null ? null : p.getSpec().getNodeName();
      return n == null ? "" : n;
    }
    return o == null || o.getMetadata() == null ? null : o.getMetadata().getName();
  }

  int watchCount() {
    int n = unindexed.size();
    for (List<WatchSession> l : byNode.values()) {
      n += l.size();
    }
    return n;
  }
}
