package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Optimistic concurrency over HTTP: read-modify-write with resourceVersion preconditions loses no
 * update. Eight clients contend for one object, so each increment costs about five attempts (every
 * write that lands invalidates what the others just read): 8,000 increments are some 40,000
 * requests.
 */
class ConcurrentUpdatesTest {

  private static final int CLIENTS = 8;
  private static final int UPDATES = 1000;
  private static final String CM = "/api/v1/namespaces/default/configmaps";

  @Test
  void eightClientsIncrementingOneCounterLoseNoUpdate() throws Exception {
    try (ServeFixture serve = ServeFixture.start(true)) {
      assertThat(serve.post(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"counter\"},"
          + "\"data\":{\"n\":\"0\"}}").code()).isEqualTo(201);
      AtomicLong conflicts = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < UPDATES; i++) {
            while (true) {
              ObjectNode cm = (ObjectNode) serve.get(CM + "/counter").json();
              long n = Long.parseLong(cm.path("data").path("n").asString());
              ((ObjectNode) cm.get("data")).put("n", Long.toString(n + 1));
              ServeFixture.Reply r = serve.put(CM + "/counter", Json.write(cm));
              if (r.code() == 200) {
                break;
              }
              assertThat(r.code()).as(r.body()).isEqualTo(409);
              conflicts.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      long n = Long.parseLong(serve.get(CM + "/counter").json().path("data").path("n").asString());
      assertThat(n).isEqualTo((long) CLIENTS * UPDATES);
      System.out.println("concurrent updates: " + n + " applied, " + conflicts.get() + " conflicts retried");
    }
  }
}
