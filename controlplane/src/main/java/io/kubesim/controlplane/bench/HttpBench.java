package io.kubesim.controlplane.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubesim.controlplane.http.HttpSettings;
import io.kubesim.controlplane.launcher.ClusterDefinition;
import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.launcher.Serving;
import io.kubesim.shared.json.Json;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Pod creates per second over HTTP, and how long each create takes to reach every watcher, with
 * fabric8's {@code KubernetesClient} as the client: against {@code kubesim serve} started in this
 * process, and against fabric8's own {@code kubernetes-server-mock} in CRUD mode, driven by the
 * same code, so the two figures can be read side by side.
 *
 * <p>kubesim runs a cluster without nodes and the pods name a scheduler nobody serves
 * ({@value #SCHEDULER_NAME}), as kube-scheduler leaves pods of other schedulers alone: no kubelet,
 * lease or binding traffic competes with the creates, while the controller-manager's and the
 * scheduler's informers still receive every pod as in any cluster. The virtual clock runs at real
 * time, as {@code kubesim serve} does by default; creates do not depend on it.
 *
 * <p>The watchers are websocket watches ({@code GET .../pods?watch=true} upgraded, as fabric8 opens
 * them) read by {@link WatchReaders}, which frames by hand, finds the event's type and the pod's
 * name in the bytes and decodes nothing else: client and server share this JVM and its cores, and
 * a hundred clients each turning every pod back into objects would measure the client's JSON
 * decoding rather than the server's fan-out.
 *
 * <p>Latency is wall clock (the benchmark, not the simulation, reads it): from just before a pod's
 * create is sent to when a watcher has received the whole ADDED event for it, over every
 * watcher × pod pair.
 */
public final class HttpBench {

  /** The pods' namespace. */
  static final String NAMESPACE = "bench";

  /** A scheduler no profile answers to, so kubesim's scheduler lets the pods be. */
  static final String SCHEDULER_NAME = "kubesim-bench-unscheduled";

  /**
   * What sends the creates: the bench's own lean HTTP/1.1 client ({@link CreateSenders}), or
   * fabric8's {@code KubernetesClient}, whose per-create CPU (building the request, Vert.x,
   * decoding the answer into a {@code Pod}) is several times the server's on a shared machine.
   */
  public enum Client {
    LEAN,
    FABRIC8
  }

  /** The servers compared. */
  public enum Target {
    KUBESIM("kubesim"),
    MOCK("kubernetes-server-mock");

    private final String label;

    Target(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Wall-clock latency percentiles, in milliseconds, over {@code samples} watcher × pod pairs. */
  public record Latency(long samples, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    /** Nearest-rank percentiles of latencies given in nanoseconds (the array is sorted in place). */
    static Latency of(long[] nanos) {
      Arrays.sort(nanos);
      return new Latency(nanos.length, rank(nanos, 0.50), rank(nanos, 0.90), rank(nanos, 0.99),
          nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, i)] / 1e6;
    }
  }

  /**
   * One run against one target.
   *
   * @param created creates answered with success
   * @param failed creates answered with an error (or not at all)
   * @param cpuSeconds CPU time of this whole process over the creates (client, watchers and server
   *     share it), a figure less bent than the wall clock's by other work on the machine
   * @param missing watcher × pod pairs whose ADDED event never came
   * @param cpuSplit CPU seconds over the creates by part of the process ({@link #partNames(Client)}): each
   *     group of threads, the JIT compilers, the collectors, then the rest of the process
   * @param warmupJitShares for each warm-up round, the JIT compilers' share of the process's CPU in it
   */
  public record Result(Target target, Client client, int pods, int clients, int watchers, long created, long failed,
      double seconds, double cpuSeconds, long missing, Latency latency, double[] cpuSplit,
      List<Double> warmupJitShares) {

    /** CPU microseconds per create of each part ({@link #partNames(Client)}). */
    public double[] microsPerCreate() {
      double[] out = new double[cpuSplit.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = cpuSplit[i] * 1e6 / Math.max(1, created);
      }
      return out;
    }

    public double createsPerSecond() {
      return created / seconds;
    }

    /** Creates per CPU-second of the whole process (server, clients and watchers) while they ran. */
    public double createsPerCpuSecond() {
      return created / cpuSeconds;
    }
  }

  /**
   * The mock logs every request it answers at INFO through java.util.logging, to the console;
   * that writing is no part of serving, so it is turned down (held here: JUL keeps loggers weakly).
   */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /**
   * The parts of the process whose CPU time is told apart, by thread name prefix. The mock serves on
   * Vert.x threads, as fabric8's client sends on them: with fabric8's client against the mock, its
   * part holds both.
   */
  private static List<Map.Entry<String, List<String>>> parts(Client client) {
    return client == Client.LEAN
        ? List.of(Map.entry("server HTTP", List.of("kubesim-http-", "vert.x-")),
            Map.entry("simulation", List.of("kubesim-driver")),
            Map.entry("client", List.of("bench-http-client-")),
            Map.entry("watch reader", List.of("bench-http-watch-reader")))
        : List.of(Map.entry("server HTTP", List.of("kubesim-http-")),
            Map.entry("simulation", List.of("kubesim-driver")),
            Map.entry("fabric8 clients", List.of("vert.x-", "bench-http-client-")),
            Map.entry("watch reader", List.of("bench-http-watch-reader")));
  }

  /**
   * The JVM's own threads whose CPU time is read from {@code /proc/self/task} (the thread bean does
   * not show them), by the name Linux gives them (at most 15 characters): the JIT compilers, and
   * the collectors' workers (G1's, ZGC's and Shenandoah's). Where there is no {@code /proc} they
   * count as rest.
   */
  private static final List<Map.Entry<String, List<String>>> NATIVE_PARTS = List.of(
      Map.entry("JIT", List.of("C1 CompilerThre", "C2 CompilerThre")),
      Map.entry("GC", List.of("GC Thread#", "G1 ", "ZWorker", "ZDriver", "ZDirector", "Shenandoah")));

  /** Linux reports per-thread CPU in clock ticks of 1/100 s (USER_HZ) whatever the kernel's rate. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  /**
   * The names of the CPU split's parts with {@code client}: the threads of the process by what they
   * do, the JIT compilers, the collectors, and last everything else (the VM's other threads,
   * threads that ended between the two readings).
   */
  public static List<String> partNames(Client client) {
    List<String> names = new ArrayList<>(parts(client).stream().map(Map.Entry::getKey).toList());
    NATIVE_PARTS.forEach(p -> names.add(p.getKey()));
    names.add("rest");
    return names;
  }

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
      .getThreadMXBean();

  /**
   * CPU nanoseconds by thread, of every live thread of a part, and the part it belongs to: Java
   * threads by their id, then the JVM's compiler and collector threads by their negated Linux
   * thread id, as parts after {@code parts}.
   */
  private static Map<Long, long[]> threadCpu(List<Map.Entry<String, List<String>>> parts) {
    Map<Long, long[]> out = new HashMap<>();
    nativeThreadCpu(parts.size(), out);
    for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      int part = partOf(t.getThreadName(), parts);
      long cpu = THREADS.getThreadCpuTime(t.getThreadId());
      if (part >= 0 && cpu >= 0) {
        out.put(t.getThreadId(), new long[] {part, cpu});
      }
    }
    return out;
  }

  /** The index of the first part one of whose prefixes starts {@code threadName}, or -1. */
  private static int partOf(String threadName, List<Map.Entry<String, List<String>>> parts) {
    for (int i = 0; i < parts.size(); i++) {
      for (String prefix : parts.get(i).getValue()) {
        if (threadName.startsWith(prefix)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The JVM threads of {@link #NATIVE_PARTS}, from {@code /proc/self/task}; nothing where it cannot be read. */
  static void nativeThreadCpu(int firstPart, Map<Long, long[]> out) {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path task : list.toList()) {
        try {
          String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
          int part = partOf(name, NATIVE_PARTS);
          if (part < 0) {
            continue;
          }
          // After the name in parentheses: state is field 3, utime 14 and stime 15 (proc(5)).
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.put(-Long.parseLong(task.getFileName().toString()),
              new long[] {firstPart + part, ticks * NANOS_PER_TICK});
        } catch (java.io.IOException | RuntimeException e) {
          // The thread ended while it was read: its time goes to the rest.
        }
      }
    } catch (java.io.IOException e) {
      // No /proc here: the JIT's and the collectors' time stays in the rest.
    }
  }

  /** CPU nanoseconds of the JIT compilers' live threads so far; 0 where {@code /proc} cannot be read. */
  private static long jitNanos() {
    Map<Long, long[]> cpu = new HashMap<>();
    nativeThreadCpu(0, cpu);
    return cpu.values().stream().filter(v -> NATIVE_PARTS.get((int) v[0]).getKey().equals("JIT"))
        .mapToLong(v -> v[1]).sum();
  }

  /** CPU seconds of each part between two snapshots; the process's remaining CPU goes last. */
  private static double[] split(int parts, Map<Long, long[]> before, Map<Long, long[]> after, long processNanos) {
    double[] out = new double[parts + 1];
    long counted = 0;
    for (Map.Entry<Long, long[]> e : after.entrySet()) {
      long[] b = before.get(e.getKey());
      long d = e.getValue()[1] - (b == null ? 0 : b[1]);
      out[(int) e.getValue()[0]] += d / 1e9;
      counted += d;
    }
    out[parts] = Math.max(0, processNanos - counted) / 1e9;
    return out;
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private HttpBench() {}

  /**
   * Starts the target on a free loopback port, opens {@code watchers} watches of the namespace's
   * pods, then creates {@code pods} pods from {@code clients} lean connections (one create in
   * flight each) and waits until every watcher has seen every pod, or gives up after
   * {@code patience} without a new event. No warm-up.
   */
  public static Result run(Target target, int pods, int watchers, int clients, java.time.Duration patience) {
    return run(target, Client.LEAN, 0, 0, pods, watchers, clients, patience);
  }

  /**
   * The JIT compilers' share of the process's CPU under which a warm-up round ends the warm-up. A
   * server that has just started spends a third of two cores compiling under this load, and the
   * code it runs meanwhile is the profiling tiers', not the compiled one: a measurement then
   * tells how fast the JIT finishes, not how fast the server serves. Five percent is about what
   * C2 still takes after 40,000 creates.
   */
  static final double JIT_SETTLED = 0.05;

  /**
   * As {@link #run(Target, int, int, int, java.time.Duration)}, the creates sent by {@code client}
   * (the lean client's {@code clients} keep-alive connections, or as many fabric8 clients on threads
   * of their own), after a warm-up on the same server, by the same clients, to the same watchers,
   * untimed: rounds of {@code warmup} creates of other pods, each deleted again at the end of its
   * round, until a round in which the JIT took less than {@link #JIT_SETTLED} of the process's CPU,
   * or {@code warmupRounds} rounds. The measured creates thus meet a server whose code the JIT has
   * compiled for this work, and the same store the warm-up met.
   */
  public static Result run(Target target, Client client, int warmup, int warmupRounds, int pods, int watchers,
      int clients, java.time.Duration patience) {
    if (pods < 1 || warmup < 0 || warmupRounds < 0 || watchers < 0 || clients < 1) {
      throw new IllegalArgumentException("need pods ≥ 1, warm-up ≥ 0, warm-up rounds ≥ 0, watchers ≥ 0, clients ≥ 1");
    }
    // The client's objects are built before the clock starts: this measures the server.
    Pod[] manifests = new Pod[pods];
    for (int i = 0; i < pods; i++) {
      manifests[i] = pod(i);
    }
    Pod[] warmups = new Pod[warmup];
    for (int i = 0; i < warmup; i++) {
      warmups[i] = new PodBuilder(pod(i)).editMetadata().withName("warmup-" + i).endMetadata().build();
    }
    quietClientLogs();
    try (Server server = Server.start(target)) {
      List<KubernetesClient> fabric8 = new ArrayList<>();
      WatchReaders readers = null;
      try {
        URI base = URI.create(server.url());
        String collection = "/api/v1/namespaces/" + NAMESPACE + "/pods";
        CreateSenders.post(base, "/api/v1/namespaces", Json.writeBytes(new NamespaceBuilder().withNewMetadata()
            .withName(NAMESPACE).endMetadata().build()));
        AtomicLongArray sentAt = new AtomicLongArray(manifests.length);
        readers = new WatchReaders(URI.create(server.url() + collection + "?watch=true"), watchers, sentAt);
        List<WatchReaders.Reader> receivers = readers.readers();
        awaitWatchesOpen(base, collection, receivers, patience);
        if (client == Client.FABRIC8) {
          for (int c = 0; c < clients; c++) {
            fabric8.add(fabric8(server.url()));
          }
        }
        // Each round's pods are deleted again, so the measured creates meet the same store, whatever
        // the warm-up's size: the mock's requests take longer the more objects it holds.
        List<byte[]> deletes = new ArrayList<>(warmup);
        for (Pod p : warmups) {
          deletes.add(CreateSenders.request(base, "DELETE", collection + "/" + p.getMetadata().getName(),
              new byte[0]));
        }
        List<Double> jitShares = new ArrayList<>();
        for (int round = 1; warmup > 0 && round <= warmupRounds; round++) {
          long jit0 = jitNanos();
          long roundCpu0 = OS.getProcessCpuTime();
          Senders w = senders(client, base, collection, warmups, new AtomicLongArray(warmup), clients, fabric8);
          w.start().await();
          w.release();
          CreateSenders deleting = new CreateSenders(base, deletes, new AtomicLongArray(warmup));
          deleting.run(clients);
          if (deleting.succeeded() != warmup) {
            throw new IllegalStateException("the warm-up's pods were not all deleted: " + deleting.firstFailure());
          }
          // Every watcher has the marker, then each warm-up pod's ADDED and DELETED in every round.
          awaitMessages(receivers, 1 + 2L * warmup * round, patience);
          double share = (jitNanos() - jit0) / (double) Math.max(1, OS.getProcessCpuTime() - roundCpu0);
          jitShares.add(share);
          if (share < JIT_SETTLED) {
            break;
          }
        }

        Senders measured = senders(client, base, collection, manifests, sentAt, clients, fabric8);
        // The bench's own objects (the prepared requests, the warm-up's garbage) are collected or
        // moved out of the young generation before the clock starts, as JMH does between
        // iterations: otherwise the first young pauses of the measured span copy them, and the
        // server's latency pays for the bench's data.
        System.gc();
        List<Map.Entry<String, List<String>>> parts = parts(client);
        Map<Long, long[]> threads0 = threadCpu(parts);
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        measured.start().await();
        long t1 = System.nanoTime();
        long cpu1 = OS.getProcessCpuTime();
        Map<Long, long[]> threads1 = threadCpu(parts);
        measured.release();

        // Every pod's ADDED at every watcher, or as many as came before they stopped coming.
        awaitEach(receivers, WatchReaders.Reader::count, manifests.length, patience);
        long missing = 0;
        long[] samples = new long[0];
        for (WatchReaders.Reader r : receivers) {
          missing += manifests.length - r.count();
          samples = concat(samples, r.latencies());
        }
        long created = measured.created().getAsLong();
        return new Result(target, client, manifests.length, clients, watchers, created, manifests.length - created,
            (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, missing, Latency.of(samples),
            split(parts.size() + NATIVE_PARTS.size(), threads0, threads1, cpu1 - cpu0), List.copyOf(jitShares));
      } finally {
        if (readers != null) {
          readers.close();
        }
        fabric8.forEach(KubernetesClient::close);
      }
    }
  }

  /**
   * The threads that send one batch of creates. Each stays alive, done, until {@link #release()}:
   * the thread bean counts only live threads, so their CPU time is read before they end.
   */
  private record Senders(List<Thread> threads, java.util.concurrent.CountDownLatch finished,
      java.util.concurrent.CountDownLatch released, java.util.function.LongSupplier created) {

    Senders start() {
      threads.forEach(Thread::start);
      return this;
    }

    void await() {
      awaitQuietly(finished);
    }

    void release() {
      released.countDown();
    }
  }

  private static Senders senders(Client client, URI base, String collection, Pod[] pods, AtomicLongArray sentAt,
      int clients, List<KubernetesClient> fabric8) {
    List<Runnable> work;
    java.util.function.LongSupplier created;
    if (client == Client.LEAN) {
      List<byte[]> bodies = new ArrayList<>(pods.length);
      for (Pod p : pods) {
        bodies.add(Json.writeBytes(p));
      }
      CreateSenders lean = CreateSenders.posts(base, collection, bodies, sentAt);
      work = List.of(() -> lean.run(clients));
      created = lean::succeeded;
    } else {
      AtomicLong count = new AtomicLong();
      work = fabric8Senders(fabric8, pods, sentAt, count);
      created = count::get;
    }
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(work.size());
    java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (Runnable w : work) {
      threads.add(new Thread(() -> {
        try {
          w.run();
        } finally {
          finished.countDown();
          awaitQuietly(released);
        }
      }, "bench-http-client-" + threads.size()));
    }
    return new Senders(threads, finished, released, created);
  }

  /** One loop per fabric8 client with one create in flight each, sharing the pods out. */
  private static List<Runnable> fabric8Senders(List<KubernetesClient> senders, Pod[] manifests,
      AtomicLongArray sentAt, AtomicLong created) {
    AtomicInteger next = new AtomicInteger();
    List<Runnable> loops = new ArrayList<>();
    for (KubernetesClient sender : senders) {
      loops.add(() -> {
        for (int i = next.getAndIncrement(); i < manifests.length; i = next.getAndIncrement()) {
          sentAt.set(i, System.nanoTime());
          try {
            sender.pods().inNamespace(NAMESPACE).resource(manifests[i]).create();
            created.incrementAndGet();
          } catch (RuntimeException e) {
            // counted as failed: pods less created
          }
        }
      });
    }
    return loops;
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * On a busy machine Vert.x warns of every event-loop task that a starved core stretches past 2 s,
   * and Netty reports notifications still queued when a client closes; neither says anything about
   * the servers measured.
   */
  private static void quietClientLogs() {
    for (String name : List.of("io.vertx.core.internal.threadchecker.BlockedThreadChecker",
        "io.netty.util.concurrent.DefaultPromise.rejectedExecution", "io.netty.util.concurrent.DefaultPromise")) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.OFF);
      }
    }
  }

  /** A pod as a Deployment's template would make it, in the bench namespace, for no scheduler. */
  static Pod pod(int i) {
    return new PodBuilder(ApiServerBench.typicalPod(i)).editMetadata().withNamespace(NAMESPACE).endMetadata()
        .editSpec().withSchedulerName(SCHEDULER_NAME).endSpec().build();
  }

  private static KubernetesClient fabric8(String url) {
    Config config = new ConfigBuilder().withMasterUrl(url).withNamespace(NAMESPACE).withRequestTimeout(60_000)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A watch is open once it delivers: a marker pod (outside the measured range) must reach every
   * watcher before the creates start, so no create races a watch still being set up.
   */
  private static void awaitWatchesOpen(URI base, String pods, List<WatchReaders.Reader> receivers,
      java.time.Duration patience) {
    CreateSenders.post(base, pods, Json.writeBytes(new PodBuilder(pod(0)).editMetadata().withName("marker")
        .endMetadata().build()));
    long deadline = System.nanoTime() + patience.toNanos();
    while (!receivers.stream().allMatch(WatchReaders.Reader::markerSeen)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the watches did not deliver the marker pod within " + patience);
      }
      sleep();
    }
  }

  /** Waits until every receiver has {@code messages} events of any kind; fails if they stop coming first. */
  private static void awaitMessages(List<WatchReaders.Reader> receivers, long messages, java.time.Duration patience) {
    if (!awaitEach(receivers, WatchReaders.Reader::messages, messages, patience)) {
      throw new IllegalStateException("the watchers stopped receiving the warm-up's events ("
          + receivers.stream().mapToLong(WatchReaders.Reader::messages).sum() + " of "
          + messages * receivers.size() + ")");
    }
  }

  /**
   * Waits until {@code count} is at least {@code target} for every receiver (true), or their sum
   * has not moved for {@code patience} (false).
   */
  private static boolean awaitEach(List<WatchReaders.Reader> receivers,
      java.util.function.ToLongFunction<WatchReaders.Reader> count, long target, java.time.Duration patience) {
    long last = -1;
    long lastChange = System.nanoTime();
    while (!receivers.stream().allMatch(r -> count.applyAsLong(r) >= target)) {
      long total = receivers.stream().mapToLong(count).sum();
      if (total != last) {
        last = total;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > patience.toNanos()) {
        return false;
      }
      sleep();
    }
    return true;
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** A server under test on a free loopback port. */
  private interface Server extends AutoCloseable {
    String url();

    @Override
    void close();

    static Server start(Target target) {
      return switch (target) {
        case KUBESIM -> {
          // No nodes: the cluster's components run, but nothing schedules, binds or runs the pods.
          Serving serving = Serving.start(new ClusterDefinition(List.of(), Map.of()), ClusterSettings.defaults(1),
              HttpSettings.defaults().withPort(0), 1.0, false);
          yield new Server() {
            @Override
            public String url() {
              return serving.url();
            }

            @Override
            public void close() {
              serving.close();
            }
          };
        }
        case MOCK -> {
          MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
          // CRUD mode: the mock keeps what it is sent and serves it back, watches included.
          KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
              new KubernetesCrudDispatcher(), false);
          mock.init(InetAddress.getLoopbackAddress(), 0);
          yield new Server() {
            @Override
            public String url() {
              return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + mock.getPort();
            }

            @Override
            public void close() {
              mock.destroy();
            }
          };
        }
      };
    }
  }
}
