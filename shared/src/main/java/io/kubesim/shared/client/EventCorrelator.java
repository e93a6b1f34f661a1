package io.kubesim.shared.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * client-go's EventCorrelator (tools/record/events_cache.go), deciding for each new event whether
 * it is written, counted into an identical earlier one, combined with similar ones, or dropped by
 * the spam filter. Pure bookkeeping over virtual time.
 */
public final class EventCorrelator {

  /** More than this many similar events (same object and reason, other messages) in the window are combined. */
  static final int AGGREGATE_MAX = 10;
  static final Duration AGGREGATE_WINDOW = Duration.ofMinutes(10);
  /** The spam filter: a token bucket per source and object, 25 events, one more every 5 minutes. */
  static final int SPAM_BURST = 25;
  static final Duration SPAM_REFILL = Duration.ofMinutes(5);
  static final int CACHE_SIZE = 4096;

  /** What to do with an event. */
  public sealed interface Decision {}

  /** Write it as a new Event object. */
  public record Create(Event event) implements Decision {}

  /** It repeats an earlier one: bump that one's count and lastTimestamp. */
  public record Repeat(String name, String namespace, int count, String lastTimestamp, String message)
      implements Decision {}

  /** Dropped by the spam filter. */
  public record Drop() implements Decision {}

  private record Seen(String name, String namespace, int count) {}

  private record Similar(long windowStartNanos, Map<String, Boolean> messages) {}

  private record Bucket(double tokens, long lastNanos) {}

  private final Map<String, Seen> seen = lru();
  private final Map<String, Similar> similar = lru();
  private final Map<String, Bucket> buckets = lru();

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHE_SIZE;
      }
    };
  }

  /** Decides for {@code event} (a fresh Event with count 1) at virtual time {@code nanos}. */
  public Decision observe(Event event, long nanos) {
    ObjectReference o = event.getInvolvedObject();
    String objectKey = String.join("\u0000", n(event.getSource() == null ? null : event.getSource().getComponent()),
        n(event.getSource() == null ? null : event.getSource().getHost()), n(o.getKind()), n(o.getNamespace()),
        n(o.getName()), n(o.getUid()), n(o.getApiVersion()));
    if (!allow(objectKey, nanos)) {
      return new Drop();
    }
    String aggregateKey = objectKey + "\u0000" + n(event.getType()) + "\u0000" + n(event.getReason());
    Similar s = similar.get(aggregateKey);
    if (s == null || nanos - s.windowStartNanos() > AGGREGATE_WINDOW.toNanos()) {
      s = new Similar(nanos, new LinkedHashMap<>());
      similar.put(aggregateKey, s);
    }
    s.messages().put(n(event.getMessage()), Boolean.TRUE);
    if (s.messages().size() > AGGREGATE_MAX) {
      event.setMessage("(combined from similar events): " + event.getMessage());
      String fullKey = aggregateKey + "\u0000(combined)";
      return repeatOrCreate(fullKey, event);
    }
    String fullKey = aggregateKey + "\u0000" + n(event.getMessage()) + "\u0000" + n(o.getFieldPath());
    return repeatOrCreate(fullKey, event);
  }

  private Decision repeatOrCreate(String key, Event event) {
    Seen prior = seen.get(key);
    if (prior != null) {
      Seen next = new Seen(prior.name(), prior.namespace(), prior.count() + 1);
      seen.put(key, next);
      return new Repeat(prior.name(), prior.namespace(), next.count(), event.getLastTimestamp(), event.getMessage());
    }
    seen.put(key, new Seen(event.getMetadata().getName(), event.getMetadata().getNamespace(), 1));
    return new Create(event);
  }

  /** The event was written under another name: its repeats update that one. */
  public void rename(String name, String namespace, String newName) {
    seen.replaceAll((k, v) -> v.name().equals(name) && v.namespace().equals(namespace)
        ? new Seen(newName, namespace, v.count()) : v);
  }

  /** Forgets an event that could not be updated (it expired), so the next repeat creates it anew. */
  public void forget(String name, String namespace) {
    seen.values().removeIf(s -> s.name().equals(name) && s.namespace().equals(namespace));
  }

  private boolean allow(String key, long nanos) {
    Bucket b = buckets.get(key);
    double tokens = SPAM_BURST;
    if (b != null) {
      double refill = (nanos - b.lastNanos()) / (double) SPAM_REFILL.toNanos();
      tokens = Math.min(SPAM_BURST, b.tokens() + refill);
    }
    if (tokens < 1) {
      buckets.put(key, new Bucket(tokens, nanos));
      return false;
    }
    buckets.put(key, new Bucket(tokens - 1, nanos));
    return true;
  }

  private static String n(String s) {
    return s == null ? "" : s;
  }
}
