package io.kubesim.shared.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.util.SortedIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A cache of one kind of object kept current by a watch, with event handlers: client-go's
 * informer, owned by one actor. It starts with a streaming list (a watch with sendInitialEvents,
 * ended by a bookmark), applies each change, and after a broken watch resumes from the last
 * resourceVersion or, if that is too old (410), lists again and reconciles.
 *
 * <p>Cached objects are shared, read-only: copy before changing.
 */
public final class Informer<T extends HasMetadata> {

  /** What the owning actor does on changes; all run inside the actor. */
  public interface Handler<T> {
    default void onAdd(T object) {}

    default void onUpdate(T old, T object) {}

    default void onDelete(T last) {}

    /** The initial state is in the cache (and again after each re-list). */
    default void onSynced() {}
  }

  private final ApiClient client;
  private final ResourceType type;
  private final String namespace;
  private final ListOptions selector;
  private final Class<T> cls;
  private final Handler<T> handler;
  /** The cache: found by hash for gets and updates, kept in key order for listing. */
  private final SortedIndex<T> cache = new SortedIndex<>();
  private NavigableMap<String, T> relisting;
  private long watchId = -1;
  private String resourceVersion = "";
  private boolean synced;
  private boolean stopped;
  private long relists;

  public Informer(ApiClient client, ResourceType type, Class<T> cls, String namespace, ListOptions selector,
      Handler<T> handler) {
    this.client = client;
    this.type = type;
    this.cls = cls;
    this.namespace = namespace;
    this.selector = selector == null ? ListOptions.ALL : selector;
    this.handler = handler;
  }

  public static <T extends HasMetadata> Informer<T> of(ApiClient client, ResourceType type, Class<T> cls,
      Handler<T> handler) {
    return new Informer<>(client, type, cls, null, null, handler);
  }

  public void start() {
    stopped = false;
    relist();
  }

  public void stop() {
    stopped = true;
    if (watchId >= 0) {
      client.stopWatch(watchId);
    }
  }

  /** After the connection comes back: resume the watch (or re-list). */
  public void reconnect() {
    if (!stopped) {
      resume();
    }
  }

  public boolean synced() {
    return synced;
  }

  public ResourceType type() {
    return type;
  }

  /** How many times the informer had to list from scratch after the first time. */
  public long relists() {
    return relists;
  }

  public String resourceVersion() {
    return resourceVersion;
  }

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public static String key(HasMetadata o) {
    return key(o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  public T get(String namespace, String name) {
    return get(key(namespace, name));
  }

  public T get(String key) {
    return cache.get(key);
  }

  /** Every cached object, in namespace/name order (a read-only view). */
  public Collection<T> list() {
    return cache.values();
  }

  /** The cached objects of one namespace, in name order. */
  public List<T> list(String ns) {
    return new ArrayList<>(cache.valuesWithPrefix(ns + "/"));
  }

  public int size() {
    return cache.size();
  }

  private void relist() {
    if (watchId > 0) {
      relists++;
    }
    synced = false;
    relisting = new TreeMap<>();
    watchId = client.watch(type, namespace, selector.withResourceVersion("").withSendInitialEvents(true)
        .withBookmarks(true), this::onMessage);
  }

  private void resume() {
    watchId = client.watch(type, namespace, selector.withResourceVersion(resourceVersion).withBookmarks(true),
        this::onMessage);
  }

  private void onMessage(Api.WatchMessage m) {
    if (m.watchId() != watchId && m.watchId() != -1) {
      return;
    }
    if (m instanceof Api.WatchEnded) {
      if (!stopped && client.connected()) {
        if (synced) {
          resume();
        } else {
          relist();
        }
      }
      return;
    }
    Api.WatchEvent e = (Api.WatchEvent) m;
    switch (e.type()) {
      case ERROR -> {
        // 410 Gone: the resourceVersion is too old; list again. The apiserver ends the watch next.
        watchId = -2;
        if (!stopped && client.connected()) {
          relist();
        }
      }
      case BOOKMARK -> {
        resourceVersion = e.object().getMetadata().getResourceVersion();
        Map<String, String> ann = e.object().getMetadata().getAnnotations();
        if (relisting != null && ann != null && "true".equals(ann.get(Api.INITIAL_EVENTS_END))) {
          finishRelist();
        }
      }
      case ADDED, MODIFIED -> {
        T obj = cls.cast(e.object());
        resourceVersion = obj.getMetadata().getResourceVersion();
        if (relisting != null) {
          relisting.put(key(obj), obj);
        } else {
          T old = cache.put(key(obj), obj);
          if (old == null) {
            handler.onAdd(obj);
          } else {
            handler.onUpdate(old, obj);
          }
        }
      }
      case DELETED -> {
        T obj = cls.cast(e.object());
        resourceVersion = obj.getMetadata().getResourceVersion();
        if (relisting != null) {
          relisting.remove(key(obj));
        } else {
          T old = cache.remove(key(obj));
          handler.onDelete(old != null ? old : obj);
        }
      }
    }
  }

  /** Replaces the cache with the fresh list, telling the handler what changed meanwhile. */
  private void finishRelist() {
    NavigableMap<String, T> fresh = relisting;
    relisting = null;
    for (String k : cache.keys()) {
      if (!fresh.containsKey(k)) {
        handler.onDelete(cache.remove(k));
      }
    }
    for (Map.Entry<String, T> e : fresh.entrySet()) {
      T old = cache.put(e.getKey(), e.getValue());
      if (old == null) {
        handler.onAdd(e.getValue());
      } else if (!old.getMetadata().getResourceVersion().equals(e.getValue().getMetadata().getResourceVersion())) {
        handler.onUpdate(old, e.getValue());
      }
    }
    synced = true;
    handler.onSynced();
  }
}
