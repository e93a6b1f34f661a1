package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.bench.ApiServerBench;
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
        "  scheduler  pods placed/s by the scheduler (--nodes, --pods)"})
final class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "WHAT", description = "store, apiserver, scheduler (default: all)")
  List<String> what = new ArrayList<>();

  @Option(names = "--count", description = "writes or creates per iteration (default: ${DEFAULT-VALUE})")
  long count = 200_000;

  @Option(names = "--watchers", description = "watchers attached (default: ${DEFAULT-VALUE})")
  int watchers = 10;

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

  int nodes;
  int pods;

  @Option(names = "--iterations", description = "measured iterations after one warm-up (default: ${DEFAULT-VALUE})")
  int iterations = 5;

  @Override
  public Integer call() {
    List<String> targets = what.isEmpty() ? List.of("store", "apiserver", "scheduler") : what;
    System.out.printf(Locale.ROOT, "# java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    for (String t : targets) {
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
        default -> throw new IllegalArgumentException("unknown benchmark '" + t
            + "' (store, apiserver, scenario, idle, scale, scheduler)");
      }
    }
    return 0;
  }

  private void idle(String idle) {
    java.time.Duration span = io.kubesim.shared.time.GoDuration.parse(idle);
    io.kubesim.controlplane.bench.IdleClusterBench.Result r = io.kubesim.controlplane.bench.IdleClusterBench.run(
        nodes, pods, span, line -> System.err.println("  " + line));
    System.out.printf(Locale.ROOT,
        "idle       %,d nodes, %,d pods (%,d running after %s virtual, %.1f s wall, %.1f s driver CPU to set up): "
            + "%s virtual idle in %.2f s wall = %,.0f× real time; driver thread CPU %.2f s = %,.0f×; "
            + "%,d tasks, %,d timers; peak heap %,d MiB, %,d MiB after%n",
        r.nodes(), r.pods(), r.running(), io.kubesim.shared.time.GoDuration.format(r.setupVirtual()),
        r.setupWallSeconds(), r.setupCpuSeconds(), io.kubesim.shared.time.GoDuration.format(r.idleVirtual()),
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
    SchedulerBench.run(Math.min(nodes, 1000), Math.min(pods, 2000), false);
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
