package io.kubesim.controlplane.store;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.kubesim.controlplane.store.Mvcc.StoreException;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The etcd of a simulated cluster: keys under one global revision, with compare-and-swap writes,
 * range reads at any retained revision, watches of a prefix from a revision, time-to-live keys
 * (etcd leases, used for Events) and periodic compaction. Only the apiserver talks to it.
 */
public final class Store extends AbstractBehavior<Store.Command> {

  public sealed interface Command {}

  /** Reads one key at {@code revision} (0: latest). */
  public record Get(String key, long revision, ActorRef<Response> replyTo, long tag) implements Command {}

  /**
   * Reads keys under {@code prefix} in key order from {@code startKey} (inclusive, null: from the
   * start), at most {@code limit} (0: all), at {@code revision} (0: latest).
   */
  public record Range(String prefix, String startKey, int limit, long revision, ActorRef<Response> replyTo, long tag)
      implements Command {}

  /**
   * Creates the key if absent; {@code ttl} (null: none) deletes it that long after this write.
   *
   * <p>{@code answerVia} (null: none), on this and the other writes: a watch of the writer's own. When
   * the written key is in that watch's range, the write is answered by its {@link Event} alone,
   * carrying {@code tag} in {@link Event#answers()}, instead of an Event and then a {@link Written}:
   * the same order, one message less per write for a writer that watches what it writes (the
   * apiserver's watch cache). A failed write is answered to {@code replyTo} as always, and so is a
   * write whose {@code tag} is 0 (an event's {@code answers} of 0 means none).
   */
  public record Create(String key, Object value, Duration ttl, ActorRef<Response> replyTo, long tag,
      ActorRef<WatchMessage> answerVia) implements Command {
    public Create(String key, Object value, Duration ttl, ActorRef<Response> replyTo, long tag) {
      this(key, value, ttl, replyTo, tag, null);
    }
  }

  /** Replaces the value if the key's modRevision is {@code expectedModRevision} (0: unconditionally). */
  public record Update(String key, long expectedModRevision, Object value, Duration ttl, ActorRef<Response> replyTo,
      long tag, ActorRef<WatchMessage> answerVia) implements Command {
    public Update(String key, long expectedModRevision, Object value, Duration ttl, ActorRef<Response> replyTo,
        long tag) {
      this(key, expectedModRevision, value, ttl, replyTo, tag, null);
    }
  }

  /** Deletes the key if its modRevision is {@code expectedModRevision} (0: unconditionally). */
  public record Delete(String key, long expectedModRevision, ActorRef<Response> replyTo, long tag,
      ActorRef<WatchMessage> answerVia) implements Command {
    public Delete(String key, long expectedModRevision, ActorRef<Response> replyTo, long tag) {
      this(key, expectedModRevision, replyTo, tag, null);
    }
  }

  /** Streams every change under {@code prefix} with revision >= {@code fromRevision}, in revision order. */
  public record Watch(String prefix, long fromRevision, ActorRef<WatchMessage> watcher, long watchId)
      implements Command {}

  public record CancelWatch(ActorRef<WatchMessage> watcher, long watchId) implements Command {}

  /** Compacts history up to {@code revision} now, whatever the schedule. */
  public record Compact(long revision) implements Command {}

  /** Reports the revision counters and sizes. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** The earliest time-to-live deadline is due. */
  private enum ExpireDue implements Command { INSTANCE }

  /**
   * A key's time-to-live: it is deleted at {@code atNanos} (virtual) if its value is still the one
   * written at {@code modRevision}. Later writes leave the entry in the queue; it is skipped then.
   */
  private record Expiry(long atNanos, long seq, String key, long modRevision) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry o) {
      return atNanos != o.atNanos ? Long.compare(atNanos, o.atNanos) : Long.compare(seq, o.seq);
    }
  }

  private enum CompactionTick implements Command { INSTANCE }

  /** Forces the writes of this turn to disk, then tells their watchers and writers (group commit). */
  private enum Flush implements Command { INSTANCE }

  // ---------------------------------------------------------------- answers

  public sealed interface Response {
    long tag();

    /** The store's revision when it answered. */
    long revision();
  }

  public record Got(long tag, long revision, KeyValue kv) implements Response {}

  public record Ranged(long tag, long revision, List<KeyValue> kvs, boolean more) implements Response {}

  /** A successful write; for a delete {@code kv} is the tombstone and {@code prev} what was deleted. */
  public record Written(long tag, long revision, KeyValue kv, KeyValue prev) implements Response {}

  /**
   * A failed operation. {@code current} is the key's current version for KEY_EXISTS and CONFLICT,
   * so that a caller can retry without another read.
   */
  public record Failed(long tag, long revision, Failure failure, KeyValue current, long compactRevision)
      implements Response {}

  public record Stats(long revision, long compactRevision, int keys, int history, int watches) {}

  public sealed interface WatchMessage {
    long watchId();
  }

  /**
   * One change. {@code kv} is the new version (a tombstone for a delete), {@code prev} the one it
   * replaced. {@code answers}: the tag of the write this event also answers (a write sent with
   * {@code answerVia} this watch), 0 for none; the answer is {@link #written()}.
   */
  public record Event(long watchId, KeyValue kv, KeyValue prev, long answers) implements WatchMessage {
    public Event(long watchId, KeyValue kv, KeyValue prev) {
      this(watchId, kv, prev, 0);
    }

    /** The answer to the write this event answers: what a {@link Written} would have said. */
    public Written written() {
      return new Written(answers, kv.modRevision(), kv, prev);
    }
  }

  /** The watch could not start (or continue) because the revisions it needs were compacted. */
  public record WatchCanceled(long watchId, long compactRevision) implements WatchMessage {}

  // ---------------------------------------------------------------- behaviour

  public static Behavior<Command> create(StoreSettings settings, Versioner versioner) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Store(ctx, timers, settings, versioner, null,
        null)));
  }

  /**
   * A store that persists every write before acknowledging it, and starts from what
   * {@code persistence} holds. {@code clock} dates time-to-live deadlines across restarts.
   */
  public static Behavior<Command> create(StoreSettings settings, Versioner versioner, Persistence persistence,
      io.kubesim.shared.time.VirtualClock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Store(ctx, timers, settings, versioner,
        persistence, clock)));
  }

  /** A store whose values are stored as given. */
  public static Behavior<Command> create(StoreSettings settings) {
    return create(settings, (value, revision) -> value);
  }

  private record Watcher(String prefix, ActorRef<WatchMessage> ref, long watchId) {}

  private final TimerScheduler<Command> timers;
  private final StoreSettings settings;
  private final Mvcc data;
  private final List<Watcher> watchers = new ArrayList<>();
  private long compactAtNextTick;
  private final Persistence persistence;
  private final io.kubesim.shared.time.VirtualClock clock;
  /** With persistence: what waits for the next flush (watch events and answers, in order). */
  private final List<Runnable> unsynced = new ArrayList<>();
  private final java.util.Map<String, Long> expiries = new java.util.HashMap<>();
  /**
   * Time-to-live deadlines in the order they fall due, with one timer for the earliest: Events live
   * an hour, so a large cluster holds hundreds of thousands of them, too many for a timer each.
   */
  private final java.util.PriorityQueue<Expiry> expiryQueue = new java.util.PriorityQueue<>();
  private long expirySeq;
  /** When the ExpireDue timer fires; Long.MAX_VALUE when none is set. */
  private long expiryArmedAt = Long.MAX_VALUE;

  /** Writes between snapshots of a persistent store. */
  static final int SNAPSHOT_EVERY = 10_000;

  private Store(ActorContext<Command> ctx, TimerScheduler<Command> timers, StoreSettings settings,
      Versioner versioner, Persistence persistence, io.kubesim.shared.time.VirtualClock clock) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.data = new Mvcc(versioner);
    this.persistence = persistence;
    // Without persistence the store needs the clock only to order time-to-live deadlines.
    this.clock = clock != null ? clock : io.kubesim.shared.time.VirtualRuntime.current();
    if (persistence != null) {
      restore();
    }
    timers.startTimerWithFixedDelay(CompactionTick.INSTANCE, settings.compactionInterval());
  }

  private void restore() {
    Persistence.State state = persistence.load();
    List<KeyValue> live = new ArrayList<>();
    long nowMillis = clock.now().toEpochMilli();
    for (Persistence.Write w : state.live()) {
      KeyValue kv = new KeyValue(w.key(), w.value(), w.createRevision(), w.revision(), w.version(), null);
      live.add(kv);
      if (w.expiresAtMillis() > 0) {
        expiries.put(w.key(), w.expiresAtMillis());
        expireAfter(w.key(), w.revision(), Duration.ofMillis(Math.max(0, w.expiresAtMillis() - nowMillis)));
      }
    }
    data.restore(live, state.revision());
  }

  /** Runs {@code r} now, or after the current writes are on disk when the store persists. */
  private void afterSync(Runnable r) {
    if (persistence == null) {
      r.run();
      return;
    }
    if (unsynced.isEmpty()) {
      timers.startSingleTimer(Flush.INSTANCE, Duration.ZERO);
    }
    unsynced.add(r);
  }

  private Behavior<Command> onFlush() {
    persistence.sync();
    List<Runnable> ready = new ArrayList<>(unsynced);
    unsynced.clear();
    ready.forEach(Runnable::run);
    if (persistence.sinceSnapshot() >= SNAPSHOT_EVERY) {
      List<Persistence.Write> live = new ArrayList<>();
      for (KeyValue kv : data.live()) {
        live.add(new Persistence.Write(kv.modRevision(), kv.key(), kv.value(), kv.createRevision(), kv.version(),
            expiries.getOrDefault(kv.key(), 0L)));
      }
      persistence.snapshot(data.revision(), live);
    }
    return this;
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(Get.class, this::onGet)
        .onMessage(Range.class, this::onRange)
        .onMessage(Create.class, this::onCreate)
        .onMessage(Update.class, this::onUpdate)
        .onMessage(Delete.class, this::onDelete)
        .onMessage(Watch.class, this::onWatch)
        .onMessage(CancelWatch.class, this::onCancelWatch)
        .onMessage(Compact.class, this::onCompact)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessageEquals(ExpireDue.INSTANCE, this::onExpireDue)
        .onMessageEquals(CompactionTick.INSTANCE, this::onCompactionTick)
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .build();
  }

  private void fail(ActorRef<Response> replyTo, long tag, StoreException e) {
    replyTo.tell(new Failed(tag, data.revision(), e.failure, e.current, data.compacted()));
  }

  private Behavior<Command> onGet(Get m) {
    try {
      m.replyTo().tell(new Got(m.tag(), data.revision(), data.get(m.key(), m.revision())));
    } catch (StoreException e) {
      fail(m.replyTo(), m.tag(), e);
    }
    return this;
  }

  private Behavior<Command> onRange(Range m) {
    try {
      long rev = m.revision() == 0 ? data.revision() : m.revision();
      Mvcc.Page page = data.range(m.prefix(), m.startKey(), m.limit(), m.revision());
      m.replyTo().tell(new Ranged(m.tag(), rev, page.kvs(), page.more()));
    } catch (StoreException e) {
      fail(m.replyTo(), m.tag(), e);
    }
    return this;
  }

  private Behavior<Command> onCreate(Create m) {
    try {
      KeyValue kv = data.create(m.key(), m.value());
      Written reply = new Written(m.tag(), data.revision(), kv, null);
      written(kv, m.ttl(), () -> m.replyTo().tell(reply), m.answerVia(), m.tag());
    } catch (StoreException e) {
      fail(m.replyTo(), m.tag(), e);
    }
    return this;
  }

  private Behavior<Command> onUpdate(Update m) {
    try {
      KeyValue kv = data.update(m.key(), m.expectedModRevision(), m.value());
      Written reply = new Written(m.tag(), data.revision(), kv, kv.prev());
      written(kv, m.ttl(), () -> m.replyTo().tell(reply), m.answerVia(), m.tag());
    } catch (StoreException e) {
      fail(m.replyTo(), m.tag(), e);
    }
    return this;
  }

  private Behavior<Command> onDelete(Delete m) {
    try {
      KeyValue tomb = data.delete(m.key(), m.expectedModRevision());
      Written reply = new Written(m.tag(), data.revision(), tomb, tomb.prev());
      written(tomb, null, () -> m.replyTo().tell(reply), m.answerVia(), m.tag());
    } catch (StoreException e) {
      fail(m.replyTo(), m.tag(), e);
    }
    return this;
  }

  /**
   * Persists the write (when the store persists), tells the watchers, answers the writer, arms or
   * drops the key's time-to-live, and keeps the history bounded. The writer's watch {@code answerVia}
   * (if any, and if it sees the key) carries the answer, tagged {@code tag}, in place of {@code answer}.
   */
  private void written(KeyValue kv, Duration ttl, Runnable answer, ActorRef<WatchMessage> answerVia, long tag) {
    KeyValue prev = kv.prev();
    long expiresAt = 0;
    if (ttl != null && !kv.isTombstone()) {
      expireAfter(kv.key(), kv.modRevision(), ttl);
      if (persistence != null) {
        expiresAt = clock.now().plus(ttl).toEpochMilli();
        expiries.put(kv.key(), expiresAt);
      }
    } else if (persistence != null) {
      expiries.remove(kv.key());
    }
    if (persistence != null) {
      persistence.time(clock.now().toEpochMilli());
      persistence.append(new Persistence.Write(kv.modRevision(), kv.key(), kv.value(), kv.createRevision(),
          kv.version(), expiresAt));
    }
    afterSync(() -> {
      boolean answered = false;
      for (int i = 0; i < watchers.size(); i++) {
        Watcher w = watchers.get(i);
        if (kv.key().startsWith(w.prefix())) {
          boolean answers = !answered && answerVia != null && tag != 0 && w.ref().equals(answerVia);
          answered |= answers;
          w.ref().tell(new Event(w.watchId(), kv, prev, answers ? tag : 0));
        }
      }
      if (!answered && answer != null) {
        answer.run();
      }
    });
    if (data.historySize() > settings.maxHistory()) {
      data.compact(data.oldestRetained());
    }
  }

  private Behavior<Command> onWatch(Watch m) {
    List<KeyValue> history;
    try {
      history = data.changesSince(Math.max(1, m.fromRevision()));
    } catch (StoreException e) {
      m.watcher().tell(new WatchCanceled(m.watchId(), data.compacted()));
      return this;
    }
    for (KeyValue kv : history) {
      if (kv.key().startsWith(m.prefix())) {
        m.watcher().tell(new Event(m.watchId(), kv, kv.prev()));
      }
    }
    watchers.add(new Watcher(m.prefix(), m.watcher(), m.watchId()));
    return this;
  }

  private Behavior<Command> onCancelWatch(CancelWatch m) {
    watchers.removeIf(w -> w.watchId() == m.watchId() && w.ref().equals(m.watcher()));
    return this;
  }

  private Behavior<Command> onCompact(Compact m) {
    data.compact(m.revision());
    return this;
  }

  private Behavior<Command> onCompactionTick() {
    // As kube-apiserver's compactor: compact to what was current one interval ago.
    if (compactAtNextTick > 0) {
      data.compact(compactAtNextTick);
    }
    compactAtNextTick = data.revision();
    return this;
  }

  private Behavior<Command> onGetStats(GetStats m) {
    m.replyTo().tell(new Stats(data.revision(), data.compacted(), data.size(), data.historySize(), watchers.size()));
    return this;
  }

  private void expireAfter(String key, long modRevision, Duration ttl) {
    long at = clock.nanos() + ttl.toNanos();
    expiryQueue.add(new Expiry(at, expirySeq++, key, modRevision));
    armExpiry();
  }

  private void armExpiry() {
    Expiry head = expiryQueue.peek();
    if (head != null && head.atNanos() < expiryArmedAt) {
      expiryArmedAt = head.atNanos();
      timers.startSingleTimer(ExpireDue.INSTANCE, Duration.ofNanos(Math.max(0, head.atNanos() - clock.nanos())));
    }
  }

  /** Deletes every key whose time-to-live is up and whose value is still the one it was given with. */
  private Behavior<Command> onExpireDue() {
    expiryArmedAt = Long.MAX_VALUE;
    long now = clock.nanos();
    while (!expiryQueue.isEmpty() && expiryQueue.peek().atNanos() <= now) {
      Expiry e = expiryQueue.poll();
      KeyValue current = data.get(e.key(), 0);
      if (current != null && current.modRevision() == e.modRevision()) {
        KeyValue tomb = data.delete(e.key(), e.modRevision());
        written(tomb, null, null, null, 0);
      }
    }
    armExpiry();
    return this;
  }
}
