package io.kubesim.controlplane.store;

import java.util.List;

/**
 * Where the store keeps its writes so that a restart finds them: a log of every write, forced to
 * disk before the write is acknowledged, and snapshots that let the log be truncated.
 */
public interface Persistence extends AutoCloseable {

  /** A write as persisted. {@code value} is null for a delete; {@code expiresAtMillis} 0 for none. */
  record Write(long revision, String key, Object value, long createRevision, long version, long expiresAtMillis) {}

  /**
   * What a restart finds: the live keys at {@code revision}, with their time-to-live deadlines,
   * and the (virtual) time of the last write, so that the cluster's clock can go on from there.
   */
  record State(long revision, List<Write> live, long lastMillis) {}

  /** Records the virtual time the next writes happen at. */
  default void time(long epochMillis) {}

  /** Reads the snapshot and replays the log after it. */
  State load();

  /** Queues a write; it is durable only after {@link #sync()}. */
  void append(Write w);

  /** Forces queued writes to disk. */
  void sync();

  /** Writes a snapshot of the live keys at {@code revision} and truncates the log. */
  void snapshot(long revision, List<Write> live);

  /** Writes appended since the last snapshot. */
  long sinceSnapshot();

  @Override
  void close();
}
