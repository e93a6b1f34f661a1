package io.kubesim.controlplane.store;

import io.kubesim.shared.util.SortedIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's data, as etcd keeps it: one global revision counter, every key's versions chained
 * back to the compaction point, and the log of changes since then. Pure bookkeeping, no actors, so
 * that its rules can be tested directly.
 *
 * <p>Each write takes exactly one revision, so the change log holds consecutive revisions from
 * {@code compacted + 1}; a watch or a read at a revision at or below the compaction point fails
 * as "too old".
 */
final class Mvcc {

  static final class StoreException extends RuntimeException {
    final Failure failure;
    final KeyValue current;

    StoreException(Failure failure, KeyValue current) {
      super(failure.name(), null, false, false);
      this.failure = failure;
      this.current = current;
    }
  }

  /**
   * Each key's newest version (a tombstone until compaction drops it): found by hash for reads and
   * writes of a key, which are most of the traffic (a lease renewal, a status write), and kept in
   * key order for range reads. A sorted map alone walked some 18 levels of long, shared-prefix
   * keys per lookup, twice per write.
   */
  private final SortedIndex<KeyValue> heads = new SortedIndex<>();
  private final RevisionLog log = new RevisionLog();
  private final Versioner versioner;
  private long revision = 1;
  private long compacted = 0;
  private int liveKeys;

  Mvcc(Versioner versioner) {
    this.versioner = versioner;
  }

  long revision() {
    return revision;
  }

  /**
   * Loads persisted state into an empty store: the live keys as they were at {@code rev}. There is
   * no history before it, so older revisions read as compacted.
   */
  void restore(java.util.List<KeyValue> live, long rev) {
    if (heads.size() != 0 || revision != 1) {
      throw new IllegalStateException("restore into a store that is not empty");
    }
    for (KeyValue kv : live) {
      heads.put(kv.key(), kv);
      liveKeys++;
    }
    revision = Math.max(1, rev);
    compacted = revision;
  }

  /** Every live key's current version, in key order. */
  java.util.List<KeyValue> live() {
    java.util.List<KeyValue> out = new java.util.ArrayList<>(liveKeys);
    for (KeyValue kv : heads.values()) {
      if (!kv.isTombstone()) {
        out.add(kv);
      }
    }
    return out;
  }

  long compacted() {
    return compacted;
  }

  /** Keys that currently exist (tombstones not counted). */
  int size() {
    return liveKeys;
  }

  /** Changes retained for watches and past reads. */
  int historySize() {
    return log.size();
  }

  /** The oldest revision still in the change log, or revision+1 if it is empty. */
  long oldestRetained() {
    return log.isEmpty() ? revision + 1 : log.first().modRevision();
  }

  private void checkReadRevision(long rev) {
    if (rev > revision) {
      throw new StoreException(Failure.FUTURE_REVISION, null);
    }
    if (rev > 0 && rev < compacted) {
      throw new StoreException(Failure.COMPACTED, null);
    }
  }

  /** The newest version of the chain at or before {@code rev} (0: latest), or null. */
  private static KeyValue at(KeyValue head, long rev) {
    KeyValue kv = head;
    if (rev > 0) {
      while (kv != null && kv.modRevision() > rev) {
        kv = kv.prev;
      }
    }
    return kv == null || kv.isTombstone() ? null : kv;
  }

  KeyValue get(String key, long rev) {
    checkReadRevision(rev);
    KeyValue head = heads.get(key);
    return head == null ? null : at(head, rev);
  }

  /** Result of a range read: the page and whether more keys follow it. */
  record Page(List<KeyValue> kvs, boolean more) {}

  /**
   * Keys under {@code prefix}, in key order, starting at {@code startKey} (inclusive) if given,
   * at most {@code limit} of them (0: all), as they were at {@code rev} (0: now).
   */
  Page range(String prefix, String startKey, int limit, long rev) {
    checkReadRevision(rev);
    String from = startKey != null && startKey.compareTo(prefix) > 0 ? startKey : prefix;
    List<KeyValue> out = new ArrayList<>();
    for (KeyValue head : heads.valuesFrom(from)) {
      if (!head.key().startsWith(prefix)) {
        break;
      }
      KeyValue kv = at(head, rev);
      if (kv == null) {
        continue;
      }
      if (limit > 0 && out.size() == limit) {
        return new Page(out, true);
      }
      out.add(kv);
    }
    return new Page(out, false);
  }

  KeyValue create(String key, Object value) {
    KeyValue head = heads.get(key);
    if (head != null && !head.isTombstone()) {
      throw new StoreException(Failure.KEY_EXISTS, head);
    }
    long rev = ++revision;
    KeyValue kv = new KeyValue(key, versioner.stamp(value, rev), rev, rev, 1, head);
    commit(kv);
    liveKeys++;
    return kv;
  }

  /** Replaces the value if the key's current modRevision is {@code expected} (0: any). */
  KeyValue update(String key, long expected, Object value) {
    KeyValue head = live(key, expected);
    long rev = ++revision;
    KeyValue kv = new KeyValue(key, versioner.stamp(value, rev), head.createRevision(), rev, head.version() + 1, head);
    commit(kv);
    return kv;
  }

  /** Deletes the key if its current modRevision is {@code expected} (0: any); returns the tombstone. */
  KeyValue delete(String key, long expected) {
    KeyValue head = live(key, expected);
    long rev = ++revision;
    KeyValue tomb = new KeyValue(key, null, head.createRevision(), rev, 0, head);
    commit(tomb);
    liveKeys--;
    return tomb;
  }

  private KeyValue live(String key, long expected) {
    KeyValue head = heads.get(key);
    if (head == null || head.isTombstone()) {
      throw new StoreException(Failure.NOT_FOUND, null);
    }
    if (expected != 0 && head.modRevision() != expected) {
      throw new StoreException(Failure.CONFLICT, head);
    }
    return head;
  }

  private void commit(KeyValue kv) {
    heads.put(kv.key(), kv);
    log.add(kv);
  }

  /** The changes with revision >= {@code from}, oldest first. */
  List<KeyValue> changesSince(long from) {
    if (from <= compacted) {
      throw new StoreException(Failure.COMPACTED, null);
    }
    if (log.isEmpty()) {
      return List.of();
    }
    long first = log.first().modRevision();
    int start = (int) Math.max(0, from - first);
    List<KeyValue> out = new ArrayList<>(Math.max(0, log.size() - start));
    for (int i = start; i < log.size(); i++) {
      out.add(log.get(i));
    }
    return out;
  }

  /**
   * Forgets history up to and including {@code rev}: older versions of keys become unreadable, and
   * watches or reads at revisions below it fail as too old. The current state is untouched.
   */
  void compact(long rev) {
    rev = Math.min(rev, revision);
    while (!log.isEmpty() && log.first().modRevision() <= rev) {
      KeyValue kv = log.removeFirst();
      kv.prev = null;
      if (kv.isTombstone() && heads.get(kv.key()) == kv) {
        heads.remove(kv.key());
      }
    }
    compacted = Math.max(compacted, rev);
  }
}
