package io.kubesim.controlplane.store;

/**
 * One version of one key, as etcd's mvccpb.KeyValue: the revision that created the key, the
 * revision of this change, and how many times the key changed since it was created. A deletion
 * is a version too (a tombstone, with no value), so that a read at an earlier revision still
 * finds what was there.
 *
 * <p>Versions of a key are chained newest to oldest through {@link #prev()}, down to the
 * compaction point; compaction cuts the chain.
 */
public final class KeyValue {
  private final String key;
  private final Object value;
  private final long createRevision;
  private final long modRevision;
  private final long version;
  KeyValue prev;

  KeyValue(String key, Object value, long createRevision, long modRevision, long version, KeyValue prev) {
    this.key = key;
    this.value = value;
    this.createRevision = createRevision;
    this.modRevision = modRevision;
    this.version = version;
    this.prev = prev;
  }

  public String key() {
    return key;
  }

  /** The stored value; null for a tombstone. */
  public Object value() {
    return value;
  }

  public long createRevision() {
    return createRevision;
  }

  public long modRevision() {
    return modRevision;
  }

  /** 1 on creation, +1 on each update; 0 for a tombstone. */
  public long version() {
    return version;
  }

  public boolean isTombstone() {
    return value == null;
  }

  /** The version this one replaced, while it is still within the retained history. */
  public KeyValue prev() {
    return prev;
  }

  @Override
  public String toString() {
    return key + "@" + modRevision + (isTombstone() ? " (deleted)" : " v" + version);
  }
}
