package io.kubesim.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import io.kubesim.controlplane.store.Store.Got;
import io.kubesim.controlplane.store.Store.Ranged;
import io.kubesim.controlplane.store.Store.Response;
import io.kubesim.shared.testing.Recorder;
import io.kubesim.shared.testing.SimTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

class PersistenceTest {

  @TempDir
  Path dir;

  /** One "process": a simulation with a persistent store over {@link #dir}. */
  private final class Process implements AutoCloseable {
    final SimTestKit kit = SimTestKit.start();
    final FilePersistence persistence = new FilePersistence(dir, v -> JsonNodeFactory.instance.stringNode((String) v),
        n -> n.asString());
    final ActorRef<Store.Command> store = kit.spawn(Store.create(StoreSettings.DEFAULT, (v, r) -> v, persistence,
        kit.runtime()), "store");
    final Recorder<Response> replies = kit.recorder();

    Response call(java.util.function.Function<ActorRef<Response>, Store.Command> request) {
      store.tell(request.apply(replies.ref()));
      kit.settle();
      return replies.single();
    }

    /** Ends the process without closing anything, as kill -9 would. */
    @Override
    public void close() {
      kit.close();
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesARestart() {
    try (Process p = new Process()) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        assertThat(p.call(r -> new Store.Create("/k/" + n, "v" + n, null, r, 0))).isInstanceOf(Store.Written.class);
      }
      p.call(r -> new Store.Update("/k/7", 0, "seven", null, r, 0));
      p.call(r -> new Store.Delete("/k/8", 0, r, 0));
    }
    try (Process p = new Process()) {
      Ranged all = (Ranged) p.call(r -> new Store.Range("/k/", null, 0, 0, r, 0));
      assertThat(all.kvs()).hasSize(49);
      assertThat(((Got) p.call(r -> new Store.Get("/k/7", 0, r, 0))).kv().value()).isEqualTo("seven");
      assertThat(((Got) p.call(r -> new Store.Get("/k/7", 0, r, 0))).kv().version()).isEqualTo(2);
      assertThat(((Got) p.call(r -> new Store.Get("/k/8", 0, r, 0))).kv()).isNull();
      // Revisions continue where they stopped.
      assertThat(all.revision()).isEqualTo(53);
      Store.Written next = (Store.Written) p.call(r -> new Store.Create("/k/new", "x", null, r, 0));
      assertThat(next.kv().modRevision()).isEqualTo(54);
    }
  }

  @Test
  void aRecordCutShortByACrashIsIgnored() throws Exception {
    try (Process p = new Process()) {
      p.call(r -> new Store.Create("/a", "1", null, r, 0));
    }
    Files.writeString(dir.resolve("wal.jsonl"), "{\"rev\":3,\"key\":\"/b\",\"cre", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (Process p = new Process()) {
      assertThat(((Ranged) p.call(r -> new Store.Range("/", null, 0, 0, r, 0))).kvs())
          .extracting(KeyValue::key).containsExactly("/a");
      p.call(r -> new Store.Create("/c", "3", null, r, 0));
    }
    try (Process p = new Process()) {
      assertThat(((Ranged) p.call(r -> new Store.Range("/", null, 0, 0, r, 0))).kvs())
          .extracting(KeyValue::key).containsExactly("/a", "/c");
    }
  }

  @Test
  void snapshotsTruncateTheLogAndRestoreTheSameState() {
    try (Process p = new Process()) {
      for (int i = 0; i < Store.SNAPSHOT_EVERY + 10; i++) {
        int n = i;
        p.call(r -> new Store.Create("/s/" + n, "v", null, r, 0));
      }
      assertThat(Files.exists(dir.resolve("snapshot.jsonl"))).isTrue();
    }
    try (Process p = new Process()) {
      assertThat(((Ranged) p.call(r -> new Store.Range("/s/", null, 0, 0, r, 0))).kvs())
          .hasSize(Store.SNAPSHOT_EVERY + 10);
    }
  }

  @Test
  void aTimeToLiveRunsOnAfterARestart() {
    try (Process p = new Process()) {
      p.call(r -> new Store.Create("/ev", "e", Duration.ofHours(1), r, 0));
    }
    try (Process p = new Process()) {
      assertThat(((Got) p.call(r -> new Store.Get("/ev", 0, r, 0))).kv()).isNotNull();
      p.kit.advance(Duration.ofHours(1));
      assertThat(((Got) p.call(r -> new Store.Get("/ev", 0, r, 0))).kv()).isNull();
    }
  }
}
