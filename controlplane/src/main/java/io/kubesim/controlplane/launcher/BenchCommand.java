package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.bench.ApiServerBench;
import io.kubesim.controlplane.bench.HttpBench;
import io.kubesim.controlplane.bench.SchedulerBench;
import io.kubesim.controlplane.bench.StoreBench;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubesim bench}: whole-component throughput figures, the numbers in docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures kubesim's throughput.",
        "  store      store writes/s with watchers attached",
        "  apiserver  pod creates/s through the apiserver's internal protocol",
        "  scenario   time compression of a scenario (virtual seconds per wall second), warm JVM",
        "  idle       a large cluster at rest for a virtual hour: compression and peak heap",
        "  scale      the idle cluster at DESIGN.md's scale (5,000 nodes, 150,000 pods); run it with -Xmx4g",
        "  scheduler  pods placed/s by the scheduler (--nodes, --pods)",
        "  http       pod creates/s over HTTP and watch latency (--pods, --watchers, --clients, --client), kubesim serve side by",
        "             side with fabric8's kubernetes-server-mock (--target)"})
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "WHAT",
      description = "store, apiserver, scenario, idle, scale, scheduler, http (default: store, apiserver, scheduler)")
  List<String> what = new ArrayList<>();

  @Option(names = "--count", description = "writes or creates per iteration (default: ${DEFAULT-VALUE})")
  long count = 200_000;

  @Option(names = "--watchers", description = "watchers attached (default 10; 100 for `bench http`)")
  Integer watchersOption;

  int watchers;

  @Option(names = "--clients", description = "concurrent senders for `bench http` (the lean client's keep-alive "
      + "connections, or fabric8 clients), one create in flight each (default: ${DEFAULT-VALUE})")
  int clients = 16;

  @Option(names = "--client", description = "what sends the creates of `bench http`: lean (the bench's own HTTP/1.1 "
      + "client, one keep-alive connection per --clients) or fabric8 (a KubernetesClient per --clients, each on its "
      + "own thread) (default: ${DEFAULT-VALUE})")
  String client = "lean";

  @Option(names = "--target", description = "server(s) for `bench http`: kubesim, mock or both (default: "
      + "${DEFAULT-VALUE})")
  String target = "both";

  @Option(names = "--warmup-pods", description = "untimed pod creates of `bench http` before the measured ones, on "
      + "the same server, to the same watchers, deleted again before them (default: as many as --pods)")
  Integer warmupPods;

  @Option(names = "--warmup-rounds", description = "most warm-up rounds of `bench http` (each --warmup-pods creates "
      + "and their deletes); fewer once a round in which the JIT compilers took under 5 % of the process's CPU "
      + "(default: ${DEFAULT-VALUE})")
  int warmupRounds = 8;

  @Option(names = "--window", description = "requests in flight (default: ${DEFAULT-VALUE})")
  int window = 1000;

  @Option(names = "--scenario", description = "scenario for `bench scenario` (default: ${DEFAULT-VALUE})")
  String scenarioName = "node-failure";

  @Option(names = "--nodes", description = "nodes for `bench idle` (default 1,000) and `bench scheduler` "
      + "(default 5,000)")
  Integer nodesOption;

  @Option(names = "--pods", description = "pods for `bench idle` (default 30,000) and `bench scheduler` "
      + "(default 10,000)")
  Integer podsOption;

  @Option(names = "--idle", description = "virtual idle time for `bench idle` (default 1h) and `bench scale` "
      + "(default 10m), as a Go duration")
  String idleOption;

  @Option(names = "--warmup", description = "virtual idle time run before the measured span of `bench idle` and "
      + "`bench scale`, not timed (default: ${DEFAULT-VALUE}), as a Go duration")
  String warmupOption = "0s";

  int nodes;
  int pods;

  @Option(names = "--iterations", description = "measured iterations after one warm-up (default: ${DEFAULT-VALUE})")
  int iterations = 5;

  @Override
  public Integer call() {
    List<String> targets = what.isEmpty() ? List.of("store", "apiserver", "scheduler") : what;
    System.out.printf(Locale.ROOT, "# java %s, %d cores, heap %d MiB initial, %d MiB max%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    for (String t : targets) {
      watchers = watchersOption != null ? watchersOption : t.equals("http") ? 100 : 10;
      switch (t) {
        case "store" -> store();
        case "apiserver" -> apiserver();
        case "scenario" -> scenario();
        case "idle" -> {
          nodes = nodesOption != null ? nodesOption : 1000;
          pods = podsOption != null ? podsOption : 30_000;
          idle(idleOption != null ? idleOption : "1h");
        }
        case "scale" -> {
          nodes = nodesOption != null ? nodesOption : 5000;
          pods = podsOption != null ? podsOption : 150_000;
          idle(idleOption != null ? idleOption : "10m");
        }
        case "scheduler" -> {
          nodes = nodesOption != null ? nodesOption : 5000;
          pods = podsOption != null ? podsOption : 10_000;
          scheduler();
        }
        case "http" -> {
          pods = podsOption != null ? podsOption : 10_000;
          http();
        }
        default -> throw new IllegalArgumentException("unknown benchmark '" + t
            + "' (store, apiserver, scenario, idle, scale, scheduler, http)");
      }
    }
    return 0;
  }

  /**
   * One run per target: its warm-up rounds (--warmup-pods creates and deletes each, default as many
   * as --pods, until the JIT settles or --warmup-rounds), then the measured creates.
   */
  private void http() {
    List<HttpBench.Target> servers = switch (target) {
      case "kubesim" -> List.of(HttpBench.Target.KUBESIM);
      case "mock" -> List.of(HttpBench.Target.MOCK);
      case "both" -> List.of(HttpBench.Target.KUBESIM, HttpBench.Target.MOCK);
      default -> throw new IllegalArgumentException("--target must be kubesim, mock or both, got " + target);
    };
    HttpBench.Client sender = switch (client) {
      case "lean" -> HttpBench.Client.LEAN;
      case "fabric8" -> HttpBench.Client.FABRIC8;
      default -> throw new IllegalArgumentException("--client must be lean or fabric8, got " + client);
    };
    java.time.Duration patience = java.time.Duration.ofSeconds(30);
    int warmup = warmupPods != null ? warmupPods : pods;
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup-pods must be 0 or more, got " + warmup);
    }
    if (warmupRounds < 0) {
      throw new IllegalArgumentException("--warmup-rounds must be 0 or more, got " + warmupRounds);
    }
    System.out.printf(Locale.ROOT, "http       %,d pod creates over HTTP, %s, %d watchers (load average %s):%n",
        pods, sender == HttpBench.Client.LEAN ? clients + " keep-alive connections of the lean client"
            : clients + " fabric8 clients", watchers, loadAverage());
    System.out.printf(Locale.ROOT, "  %-24s %10s %12s %9s %9s %9s %9s %12s %8s%n", "target", "creates/s",
        "per CPU-s", "p50 ms", "p90 ms", "p99 ms", "max ms", "events", "missing");
    List<HttpBench.Result> results = new ArrayList<>();
    for (HttpBench.Target s : servers) {
      HttpBench.Result r = HttpBench.run(s, sender, warmup, warmupRounds, pods, watchers, clients, patience);
      results.add(r);
      System.out.printf(Locale.ROOT, "  %-24s %,10.0f %,12.0f %9s %9s %9s %9s %,12d %,8d%s%n", s.label(),
          r.createsPerSecond(), r.createsPerCpuSecond(), millis(r.latency().p50Ms()), millis(r.latency().p90Ms()),
          millis(r.latency().p99Ms()), millis(r.latency().maxMs()), r.latency().samples(), r.missing(),
          r.failed() > 0 ? "  (" + r.failed() + " creates FAILED)" : "");
      StringBuilder split = new StringBuilder("    CPU µs per create:");
      double[] micros = r.microsPerCreate();
      List<String> names = HttpBench.partNames(sender);
      for (int i = 0; i < micros.length; i++) {
        split.append(String.format(Locale.ROOT, "%s %s %,.0f", i == 0 ? "" : ",", names.get(i), micros[i]));
      }
      System.out.println(split);
      if (!r.warmupJitShares().isEmpty()) {
        System.out.printf(Locale.ROOT, "    warm-up: %d round%s of %,d pods created and deleted; JIT share of the CPU by "
            + "round: %s%n", r.warmupJitShares().size(), r.warmupJitShares().size() == 1 ? "" : "s", warmup,
            r.warmupJitShares().stream().map(f -> String.format(Locale.ROOT, "%.0f %%", 100 * f))
                .collect(java.util.stream.Collectors.joining(", ")));
      }
    }
    if (results.size() == 2) {
      HttpBench.Result k = results.get(0);
      HttpBench.Result m = results.get(1);
      double latency = k.latency().p99Ms() / m.latency().p99Ms();
      System.out.printf(Locale.ROOT, "  kubesim / mock: %.1f× the creates/s (%.1f× per CPU-second)%s%n",
          k.createsPerSecond() / m.createsPerSecond(), k.createsPerCpuSecond() / m.createsPerCpuSecond(),
          Double.isNaN(latency) ? "" : String.format(Locale.ROOT, ", p99 watch latency %.2f× the mock's", latency));
    }
  }

  /** A latency column: "-" when there was nothing to measure (no watchers). */
  private static String millis(double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.1f", ms);
  }

  private static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private void idle(String idle) {
    java.time.Duration span = io.kubesim.shared.time.GoDuration.parse(idle);
    java.time.Duration warmup = io.kubesim.shared.time.GoDuration.parse(warmupOption);
    io.kubesim.controlplane.bench.IdleClusterBench.Result r = io.kubesim.controlplane.bench.IdleClusterBench.run(
        nodes, pods, warmup, span, line -> System.err.println("  " + line));
    String warm = r.warmupVirtual().isZero() ? "" : String.format(Locale.ROOT,
        "after %s virtual warm-up (%.1f s wall), ", io.kubesim.shared.time.GoDuration.format(r.warmupVirtual()),
        r.warmupWallSeconds());
    System.out.printf(Locale.ROOT,
        "idle       %,d nodes, %,d pods (%,d running after %s virtual, %.1f s wall, %.1f s driver CPU to set up): "
            + "%s%s virtual idle in %.2f s wall = %,.0f× real time; driver thread CPU %.2f s = %,.0f×; "
            + "%,d tasks, %,d timers; peak heap %,d MiB, %,d MiB after%n",
        r.nodes(), r.pods(), r.running(), io.kubesim.shared.time.GoDuration.format(r.setupVirtual()),
        r.setupWallSeconds(), r.setupCpuSeconds(), warm, io.kubesim.shared.time.GoDuration.format(r.idleVirtual()),
        r.idleWallSeconds(), r.compression(), r.idleCpuSeconds(),
        r.cpuCompression(), r.idleTasks(), r.idleTimers(), r.peakHeapBytes() >> 20, r.heapAfterBytes() >> 20);
  }

  private void scenario() {
    io.kubesim.controlplane.scenario.Scenario s = RunCommand.resolve(scenarioName);
    io.kubesim.controlplane.bench.ScenarioBench.Result r =
        io.kubesim.controlplane.bench.ScenarioBench.run(s, 2, iterations);
    boolean passed = r.runs().stream().allMatch(io.kubesim.controlplane.bench.ScenarioBench.Run::passed);
    System.out.printf(Locale.ROOT,
        "scenario   %s: %s virtual in a median %.3f s wall over %d runs (after 2 warm-up runs): %,.0f× real time; "
            + "driver thread CPU %.3f s = %,.0f×%s%n",
        r.scenario(), io.kubesim.shared.time.GoDuration.format(s.duration()), r.medianSeconds(), iterations,
        r.compression(), r.medianCpuSeconds(), r.cpuCompression(), passed ? "" : " (EXPECTATIONS MISSED)");
  }

  private void store() {
    StoreBench.run(count / 4, watchers, window);
    List<StoreBench.Result> results = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      results.add(StoreBench.run(count, watchers, window));
    }
    results.sort(Comparator.comparingDouble(StoreBench.Result::writesPerSecond));
    StoreBench.Result median = results.get(results.size() / 2);
    System.out.printf(Locale.ROOT,
        "store      %,d writes, %d watchers (%,d events delivered), window %d: median %,.0f writes/s "
            + "(min %,.0f, max %,.0f) over %d runs; driver thread CPU %,.0f writes/s%n",
        count, watchers, median.eventsDelivered(), window, median.writesPerSecond(),
        results.get(0).writesPerSecond(), results.get(results.size() - 1).writesPerSecond(), iterations,
        median.writesPerCpuSecond());
  }

  private void apiserver() {
    ApiServerBench.run(count / 4, watchers, window);
    List<ApiServerBench.Result> results = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      results.add(ApiServerBench.run(count, watchers, window));
    }
    results.sort(Comparator.comparingDouble(ApiServerBench.Result::createsPerSecond));
    ApiServerBench.Result median = results.get(results.size() / 2);
    System.out.printf(Locale.ROOT,
        "apiserver  %,d pod creates, %d watchers (%,d events delivered), window %d: median %,.0f creates/s "
            + "(min %,.0f, max %,.0f) over %d runs; driver thread CPU %,.0f creates/s%n",
        count, watchers, median.eventsDelivered(), window, median.createsPerSecond(),
        results.get(0).createsPerSecond(), results.get(results.size() - 1).createsPerSecond(), iterations,
        median.createsPerCpuSecond());
  }

  private void scheduler() {
    // Warm-up: one unmeasured run of each variant at the measured size, so that the measured runs see
    // compiled code (a smaller warm-up left the first measured variant at half speed).
    SchedulerBench.run(nodes, pods, false);
    SchedulerBench.run(nodes, pods, true);
    for (boolean precreate : new boolean[] {false, true}) {
      List<SchedulerBench.Result> results = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        results.add(SchedulerBench.run(nodes, pods, precreate));
      }
      results.sort(Comparator.comparingDouble(SchedulerBench.Result::podsPerSecond));
      SchedulerBench.Result median = results.get(results.size() / 2);
      System.out.printf(Locale.ROOT,
          "scheduler  %,d pods on %,d nodes, %s: median %,.0f pods/s (min %,.0f, max %,.0f) over %d runs; "
              + "driver thread CPU %,.0f pods/s%n",
          pods, nodes, precreate ? "pods created before the scheduler starts" : "creates included",
          median.podsPerSecond(), results.get(0).podsPerSecond(), results.get(results.size() - 1).podsPerSecond(),
          iterations, median.podsPerCpuSecond());
    }
  }
}
