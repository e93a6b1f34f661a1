package io.kubesim.controlplane.http;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pod creates per second over HTTP and watch latency to many watchers, for {@code kubesim serve}
 * (in-process, clock paused) and fabric8's {@code kubernetes-server-mock} in CRUD mode, driven by
 * the same fabric8 client in the same run. Not a test: run it by hand (see docs/BENCHMARKS.md).
 *
 * <p>Creates: {@code threads} client threads, each creating its share of pods one after the other,
 * after a warm-up of the same size as a tenth of the run. The pods are bound to a node that does not
 * exist, so no scheduler or kubelet work is mixed in: the figure is the server's. Watch latency:
 * {@code watchers} watches on one namespace, then pods created one at a time; each pod carries the
 * {@code System.nanoTime()} of its create call, and every watcher's ADDED event is one sample
 * (after {@value #WATCH_WARM_UP} creates that are not sampled).
 */
public final class HttpBench {

  private record Rates(String server, int creates, double createsPerSecond, int samples, int expected, double p50Ms,
      double p99Ms, double maxMs) {}

  /** Watched creates before the measured ones, not sampled: the first deliveries pay for class loading and JIT. */
  private static final int WATCH_WARM_UP = 20;

  /** Pause between the creates and the watch phase. */
  private static final long SETTLE_MILLIS = Long.getLong("bench.settleMillis", 10_000);

  private HttpBench() {}

  public static void main(String[] args) throws Exception {
    int kubesimCreates = arg(args, 0, 20_000);
    int mockCreates = arg(args, 1, 5_000);
    int watchers = arg(args, 2, 100);
    int watchEvents = arg(args, 3, 200);
    int threads = arg(args, 4, 16);
    List<Rates> all = new ArrayList<>();
    try (ServeFixture serve = ServeFixture.start(true);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl(serve.url()).withRequestTimeout(120_000).build()).build()) {
      all.add(measure("kubesim serve", client, kubesimCreates, watchers, watchEvents, threads));
    }
    KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    mock.init();
    try (KubernetesClient client = mock.createClient()) {
      all.add(measure("kubernetes-server-mock (CRUD)", client, mockCreates, watchers, watchEvents, threads));
    } finally {
      mock.destroy();
    }
    System.out.println();
    System.out.printf("| server | pods created | creates/s | watch deliveries | p50 ms | p99 ms | max ms |%n");
    System.out.printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |%n");
    for (Rates r : all) {
      System.out.printf("| %s | %,d | %,.0f | %,d of %,d | %.1f | %.1f | %.1f |%n", r.server(), r.creates(),
          r.createsPerSecond(), r.samples(), r.expected(), r.p50Ms(), r.p99Ms(), r.maxMs());
    }
    System.exit(0);
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i].replace("_", "").replace(",", "")) : dflt;
  }

  private static Rates measure(String name, KubernetesClient client, int creates, int watchers, int events,
      int threads) throws Exception {
    for (String ns : List.of("warm", "bench", "watch")) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    createPods(client, "warm", Math.max(100, creates / 10), threads);
    long start = System.nanoTime();
    createPods(client, "bench", creates, threads);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = creates / seconds;
    System.out.printf("%s: %,d pod creates in %.2f s: %,.0f/s%n", name, creates, seconds, rate);

    // Let the server work off what the burst of creates left behind (its own controllers' informers).
    Thread.sleep(SETTLE_MILLIS);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    List<Watch> watches = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      watches.add(client.pods().inNamespace("watch").watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          if (action == Action.ADDED && !pod.getMetadata().getName().startsWith("warm-")) {
            long sent = Long.parseLong(pod.getMetadata().getAnnotations().get("bench/sent"));
            latencies.add(System.nanoTime() - sent);
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      }));
    }
    for (int i = 0; i < events + WATCH_WARM_UP; i++) {
      Pod pod = pod(i < WATCH_WARM_UP ? "warm-" + i : "w-" + i);
      pod.getMetadata().setAnnotations(new HashMap<>());
      pod.getMetadata().getAnnotations().put("bench/sent", Long.toString(System.nanoTime()));
      client.pods().inNamespace("watch").resource(pod).create();
      Thread.sleep(5);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (latencies.size() < watchers * events && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    watches.forEach(Watch::close);
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    Rates r = new Rates(name, creates, rate, sorted.length, watchers * events, percentile(sorted, 0.50),
        percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    System.out.printf("%s: %d watchers x %d creates: %,d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        name, watchers, events, r.samples(), r.p50Ms(), r.p99Ms(), r.maxMs());
    return r;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private static void createPods(KubernetesClient client, String namespace, int count, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          client.pods().inNamespace(namespace).resource(pod("p-" + i)).create();
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "bench").endMetadata()
        .withNewSpec().withNodeName("bench-node").addNewContainer().withName("app").withImage("nginx:1.27")
        .endContainer().endSpec().build();
  }
}
