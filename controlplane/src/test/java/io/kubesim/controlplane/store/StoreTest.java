package io.kubesim.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import io.kubesim.controlplane.store.Store.Event;
import io.kubesim.controlplane.store.Store.Failed;
import io.kubesim.controlplane.store.Store.Got;
import io.kubesim.controlplane.store.Store.Ranged;
import io.kubesim.controlplane.store.Store.Response;
import io.kubesim.controlplane.store.Store.WatchCanceled;
import io.kubesim.controlplane.store.Store.WatchMessage;
import io.kubesim.controlplane.store.Store.Written;
import io.kubesim.shared.testing.Recorder;
import io.kubesim.shared.testing.SimTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreTest {

  private SimTestKit kit;
  private ActorRef<Store.Command> store;
  private Recorder<Response> replies;

  @BeforeEach
  void start() {
    start(StoreSettings.DEFAULT);
  }

  private void start(StoreSettings settings) {
    if (kit != null) {
      kit.close();
    }
    kit = SimTestKit.start();
    store = kit.spawn(Store.create(settings), "store");
    replies = kit.recorder();
  }

  @AfterEach
  void stop() {
    kit.close();
  }

  private Response call(java.util.function.Function<ActorRef<Response>, Store.Command> request) {
    store.tell(request.apply(replies.ref()));
    kit.settle();
    return replies.single();
  }

  private Written create(String key, Object value) {
    return (Written) call(r -> new Store.Create(key, value, null, r, 0));
  }

  private Response update(String key, long expected, Object value) {
    return call(r -> new Store.Update(key, expected, value, null, r, 0));
  }

  @Test
  void revisionsCountEveryWriteAndVersionsCountChangesOfAKey() {
    Written a = create("/a", "1");
    Written b = create("/b", "1");
    Written a2 = (Written) update("/a", 0, "2");

    assertThat(a.kv().createRevision()).isEqualTo(2);
    assertThat(b.kv().modRevision()).isEqualTo(3);
    assertThat(a2.kv().createRevision()).isEqualTo(2);
    assertThat(a2.kv().modRevision()).isEqualTo(4);
    assertThat(a2.kv().version()).isEqualTo(2);
    assertThat(a2.prev().value()).isEqualTo("1");
    assertThat(a2.revision()).isEqualTo(4);
  }

  @Test
  void createOfAnExistingKeyFailsWithTheCurrentValue() {
    create("/a", "1");
    Failed f = (Failed) call(r -> new Store.Create("/a", "2", null, r, 7));
    assertThat(f.failure()).isEqualTo(Failure.KEY_EXISTS);
    assertThat(f.current().value()).isEqualTo("1");
    assertThat(f.tag()).isEqualTo(7);
  }

  @Test
  void updateWithAStaleModRevisionIsAConflictAndChangesNothing() {
    Written w = create("/a", "1");
    update("/a", w.kv().modRevision(), "2");

    Failed f = (Failed) update("/a", w.kv().modRevision(), "3");

    assertThat(f.failure()).isEqualTo(Failure.CONFLICT);
    assertThat(f.current().value()).isEqualTo("2");
    Got g = (Got) call(r -> new Store.Get("/a", 0, r, 0));
    assertThat(g.kv().value()).isEqualTo("2");
  }

  @Test
  void concurrentReadModifyWriteLosesNoUpdate() {
    create("/counter", 0);
    // Ten clients read, then all try to write: exactly one wins per round; the losers retry.
    int clients = 10;
    int total = 0;
    long[] seen = new long[clients];
    int[] values = new int[clients];
    int remaining = clients;
    boolean[] done = new boolean[clients];
    while (remaining > 0) {
      for (int c = 0; c < clients; c++) {
        if (!done[c]) {
          Got g = (Got) call(r -> new Store.Get("/counter", 0, r, 0));
          seen[c] = g.kv().modRevision();
          values[c] = (Integer) g.kv().value();
        }
      }
      for (int c = 0; c < clients; c++) {
        if (!done[c]) {
          int cc = c;
          Response resp = update("/counter", seen[cc], values[cc] + 1);
          if (resp instanceof Written) {
            done[c] = true;
            remaining--;
            total++;
          } else {
            assertThat(((Failed) resp).failure()).isEqualTo(Failure.CONFLICT);
          }
        }
      }
    }
    Got g = (Got) call(r -> new Store.Get("/counter", 0, r, 0));
    assertThat(g.kv().value()).isEqualTo(total).isEqualTo(clients);
  }

  @Test
  void deleteHonoursItsPreconditionAndLeavesNothingBehind() {
    Written w = create("/a", "1");
    update("/a", 0, "2");

    Failed stale = (Failed) call(r -> new Store.Delete("/a", w.kv().modRevision(), r, 0));
    assertThat(stale.failure()).isEqualTo(Failure.CONFLICT);

    Written d = (Written) call(r -> new Store.Delete("/a", 0, r, 0));
    assertThat(d.kv().isTombstone()).isTrue();
    assertThat(d.prev().value()).isEqualTo("2");
    assertThat(((Got) call(r -> new Store.Get("/a", 0, r, 0))).kv()).isNull();
    Failed missing = (Failed) call(r -> new Store.Delete("/a", 0, r, 0));
    assertThat(missing.failure()).isEqualTo(Failure.NOT_FOUND);
  }

  @Test
  void rangeReturnsKeysOfThePrefixInOrderAndPagesWithAContinuationKey() {
    for (String k : List.of("/p/c", "/p/a", "/q/x", "/p/b", "/p/d")) {
      create(k, k);
    }
    Ranged first = (Ranged) call(r -> new Store.Range("/p/", null, 2, 0, r, 0));
    assertThat(first.kvs()).extracting(KeyValue::key).containsExactly("/p/a", "/p/b");
    assertThat(first.more()).isTrue();

    String next = first.kvs().get(1).key() + "\0";
    Ranged second = (Ranged) call(r -> new Store.Range("/p/", next, 2, first.revision(), r, 0));
    assertThat(second.kvs()).extracting(KeyValue::key).containsExactly("/p/c", "/p/d");
    assertThat(second.more()).isFalse();
  }

  @Test
  void rangeAtAPastRevisionSeesTheStateOfThatRevision() {
    create("/p/a", "a1");
    Written b = create("/p/b", "b1");
    long then = b.revision();
    update("/p/a", 0, "a2");
    call(r -> new Store.Delete("/p/b", 0, r, 0));
    create("/p/c", "c1");

    Ranged past = (Ranged) call(r -> new Store.Range("/p/", null, 0, then, r, 0));
    assertThat(past.kvs()).extracting(KeyValue::value).containsExactly("a1", "b1");
    Ranged now = (Ranged) call(r -> new Store.Range("/p/", null, 0, 0, r, 0));
    assertThat(now.kvs()).extracting(KeyValue::value).containsExactly("a2", "c1");
  }

  @Test
  void watchDeliversEveryChangeOfItsPrefixInRevisionOrder() {
    Recorder<WatchMessage> watcher = kit.recorder();
    store.tell(new Store.Watch("/p/", 0, watcher.ref(), 1));
    create("/p/a", 1);
    create("/q/a", 1);
    update("/p/a", 0, 2);
    call(r -> new Store.Delete("/p/a", 0, r, 0));

    List<Event> events = watcher.drain().stream().map(Event.class::cast).toList();
    assertThat(events).extracting(e -> e.kv().modRevision()).containsExactly(2L, 4L, 5L);
    assertThat(events.get(2).kv().isTombstone()).isTrue();
    assertThat(events.get(2).prev().value()).isEqualTo(2);
  }

  @Test
  void aWriteAnsweredThroughTheWritersOwnWatchGetsOneTaggedEventAndNoSeparateAnswer() {
    Recorder<WatchMessage> own = kit.recorder();
    Recorder<WatchMessage> other = kit.recorder();
    store.tell(new Store.Watch("/p/", 0, other.ref(), 7));
    store.tell(new Store.Watch("/p/", 0, own.ref(), 1));
    store.tell(new Store.Create("/p/a", 1, null, replies.ref(), 41, own.ref()));
    store.tell(new Store.Update("/p/a", 0, 2, null, replies.ref(), 42, own.ref()));
    store.tell(new Store.Delete("/p/a", 0, replies.ref(), 43, own.ref()));
    kit.settle();

    assertThat(replies.drain()).isEmpty();
    List<Event> mine = own.drain().stream().map(Event.class::cast).toList();
    assertThat(mine).extracting(Event::answers).containsExactly(41L, 42L, 43L);
    Written deleted = mine.get(2).written();
    assertThat(deleted.tag()).isEqualTo(43);
    assertThat(deleted.kv().isTombstone()).isTrue();
    assertThat(deleted.prev().value()).isEqualTo(2);
    assertThat(deleted.revision()).isEqualTo(4);
    // Every other watcher sees the same changes, answering nothing.
    assertThat(other.drain().stream().map(Event.class::cast).toList()).extracting(Event::answers)
        .containsExactly(0L, 0L, 0L);
  }

  @Test
  void aWriteOutsideTheWritersWatchOrWithoutATagOrFailingIsAnsweredAsUsual() {
    Recorder<WatchMessage> own = kit.recorder();
    store.tell(new Store.Watch("/p/", 0, own.ref(), 1));
    store.tell(new Store.Create("/q/a", 1, null, replies.ref(), 51, own.ref()));
    store.tell(new Store.Create("/p/b", 1, null, replies.ref(), 0, own.ref()));
    store.tell(new Store.Create("/p/b", 2, null, replies.ref(), 52, own.ref()));
    kit.settle();

    List<Response> answers = replies.drain();
    assertThat(answers).extracting(Response::tag).containsExactly(51L, 0L, 52L);
    assertThat(answers.get(0)).isInstanceOf(Written.class);
    assertThat(answers.get(1)).isInstanceOf(Written.class);
    assertThat(((Failed) answers.get(2)).failure()).isEqualTo(Failure.KEY_EXISTS);
    assertThat(own.drain().stream().map(Event.class::cast).toList()).extracting(Event::answers)
        .containsExactly(0L);
  }

  @Test
  void watchResumedFromARevisionLosesAndRepeatsNothing() {
    Recorder<WatchMessage> first = kit.recorder();
    store.tell(new Store.Watch("/", 0, first.ref(), 1));
    for (int i = 0; i < 10; i++) {
      create("/k" + i, i);
    }
    List<Event> seen = first.drain().stream().map(Event.class::cast).toList();
    // The watcher goes away after the 4th event, then resumes after the last revision it saw.
    long lastSeen = seen.get(3).kv().modRevision();
    store.tell(new Store.CancelWatch(first.ref(), 1));

    Recorder<WatchMessage> resumed = kit.recorder();
    store.tell(new Store.Watch("/", lastSeen + 1, resumed.ref(), 2));
    kit.settle();
    create("/k10", 10);

    List<Long> revisions = resumed.drain().stream().map(m -> ((Event) m).kv().modRevision()).toList();
    List<Long> expected = new java.util.ArrayList<>(seen.subList(4, 10).stream().map(e -> e.kv().modRevision()).toList());
    expected.add(expected.get(expected.size() - 1) + 1);
    assertThat(revisions).isEqualTo(expected);
  }

  @Test
  void compactionMakesOlderRevisionsTooOldForWatchesAndReads() {
    for (int i = 0; i < 5; i++) {
      create("/k" + i, i);
    }
    store.tell(new Store.Compact(4));
    kit.settle();

    Recorder<WatchMessage> watcher = kit.recorder();
    store.tell(new Store.Watch("/", 3, watcher.ref(), 9));
    kit.settle();
    assertThat(watcher.single()).isEqualTo(new WatchCanceled(9, 4));

    Failed read = (Failed) call(r -> new Store.Range("/", null, 0, 3, r, 0));
    assertThat(read.failure()).isEqualTo(Failure.COMPACTED);

    Ranged atCompaction = (Ranged) call(r -> new Store.Range("/", null, 0, 4, r, 0));
    assertThat(atCompaction.kvs()).extracting(KeyValue::value).containsExactly(0, 1, 2);

    store.tell(new Store.Watch("/", 5, watcher.ref(), 10));
    kit.settle();
    assertThat(watcher.drain()).extracting(m -> ((Event) m).kv().modRevision()).containsExactly(5L, 6L);
  }

  @Test
  void historyStaysWithinItsBoundHoweverManyWrites() {
    start(new StoreSettings(Duration.ofMinutes(5), 100));
    create("/k", 0);
    for (int i = 1; i <= 1000; i++) {
      update("/k", 0, i);
    }
    Recorder<Store.Stats> stats = kit.recorder();
    store.tell(new Store.GetStats(stats.ref()));
    kit.settle();
    Store.Stats s = stats.single();
    assertThat(s.history()).isLessThanOrEqualTo(100);
    assertThat(s.keys()).isEqualTo(1);
    assertThat(s.compactRevision()).isGreaterThan(900);
  }

  @Test
  void periodicCompactionKeepsAtLeastOneIntervalOfHistory() {
    create("/a", 1);
    kit.advance(Duration.ofMinutes(5)); // first tick remembers revision 2
    create("/b", 1);
    Recorder<WatchMessage> watcher = kit.recorder();
    store.tell(new Store.Watch("/", 2, watcher.ref(), 1));
    kit.settle();
    assertThat(watcher.drain()).hasSize(2);

    kit.advance(Duration.ofMinutes(5)); // second tick compacts to revision 2
    store.tell(new Store.Watch("/", 2, watcher.ref(), 2));
    store.tell(new Store.Watch("/", 3, watcher.ref(), 3));
    kit.settle();
    List<WatchMessage> msgs = watcher.drain();
    assertThat(msgs.get(0)).isEqualTo(new WatchCanceled(2, 2));
    assertThat(msgs.subList(1, msgs.size())).extracting(m -> ((Event) m).kv().key()).containsExactly("/b");
  }

  @Test
  void keyWithATimeToLiveIsDeletedWhenItExpiresUnlessRewritten() {
    call(r -> new Store.Create("/ev/1", "x", Duration.ofHours(1), r, 0));
    call(r -> new Store.Create("/ev/2", "x", Duration.ofHours(1), r, 0));
    kit.advance(Duration.ofMinutes(30));
    call(r -> new Store.Update("/ev/2", 0, "y", Duration.ofHours(1), r, 0));
    kit.advance(Duration.ofMinutes(31));

    assertThat(((Got) call(r -> new Store.Get("/ev/1", 0, r, 0))).kv()).isNull();
    assertThat(((Got) call(r -> new Store.Get("/ev/2", 0, r, 0))).kv().value()).isEqualTo("y");
    kit.advance(Duration.ofMinutes(30));
    assertThat(((Got) call(r -> new Store.Get("/ev/2", 0, r, 0))).kv()).isNull();
  }

  @Test
  void versionerStampsEachValueWithItsRevision() {
    kit.close();
    kit = SimTestKit.start();
    store = kit.spawn(Store.create(StoreSettings.DEFAULT, (v, rev) -> v + "@" + rev), "store");
    replies = kit.recorder();
    assertThat(create("/a", "x").kv().value()).isEqualTo("x@2");
  }
}
