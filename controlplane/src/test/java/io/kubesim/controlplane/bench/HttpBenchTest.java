package io.kubesim.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;

/** `kubesim bench http` end to end on a tiny size: counts only, never timings. */
class HttpBenchTest {

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> targetsAndClients() {
    return java.util.Arrays.stream(HttpBench.Target.values()).flatMap(t -> java.util.Arrays
        .stream(HttpBench.Client.values()).map(c -> org.junit.jupiter.params.provider.Arguments.of(t, c)));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("targetsAndClients")
  void createsEveryPodAndEveryWatcherSeesEveryAdded(HttpBench.Target target, HttpBench.Client client) {
    HttpBench.Result r = HttpBench.run(target, client, 20, 2, 50, 3, 2, Duration.ofSeconds(30));

    assertThat(r.created()).isEqualTo(50);
    assertThat(r.failed()).isZero();
    assertThat(r.missing()).isZero();
    assertThat(r.latency().samples()).isEqualTo(150);
    assertThat(r.latency().p50Ms()).isPositive().isLessThanOrEqualTo(r.latency().p99Ms());
    assertThat(r.latency().p99Ms()).isLessThanOrEqualTo(r.latency().maxMs());
    assertThat(r.createsPerSecond()).isPositive();
    assertThat(r.cpuSplit()).as("one figure per part").hasSize(HttpBench.partNames(client).size());
    assertThat(java.util.Arrays.stream(r.cpuSplit()).min().orElse(0)).isNotNegative();
    assertThat(r.warmupJitShares()).as("one round, or two if the first left the JIT busy").hasSizeBetween(1, 2)
        .allSatisfy(share -> assertThat(share).isNotNegative());
    if (r.warmupJitShares().size() == 2) {
      assertThat(r.warmupJitShares().get(0)).isGreaterThanOrEqualTo(HttpBench.JIT_SETTLED);
    }
  }

  @org.junit.jupiter.api.Test
  void theJitCompilersAndTheCollectorsAreFoundAmongTheProcesssThreadsOnLinux() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task")));
    java.util.Map<Long, long[]> found = new java.util.HashMap<>();

    HttpBench.nativeThreadCpu(10, found);

    assertThat(found.values()).as("a C1 or C2 compiler thread, part 10").anyMatch(v -> v[0] == 10);
    if (java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .anyMatch(gc -> gc.getName().startsWith("G1"))) {
      // The serial collector, which a small machine gets, works on the VM thread: nothing to find.
      assertThat(found.values()).as("a G1 worker thread, part 11").anyMatch(v -> v[0] == 11);
    }
    assertThat(found.keySet()).as("keyed apart from Java thread ids").allMatch(k -> k < 0);
    assertThat(found.values()).allMatch(v -> v[1] >= 0);
    assertThat(HttpBench.partNames(HttpBench.Client.LEAN)).endsWith("JIT", "GC", "rest");
  }

  @org.junit.jupiter.api.Test
  void percentilesAreNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (100 - i) * 1_000_000L;
    }
    HttpBench.Latency l = HttpBench.Latency.of(nanos);

    assertThat(l.samples()).isEqualTo(100);
    assertThat(l.p50Ms()).isEqualTo(50.0);
    assertThat(l.p90Ms()).isEqualTo(90.0);
    assertThat(l.p99Ms()).isEqualTo(99.0);
    assertThat(l.maxMs()).isEqualTo(100.0);
  }
}
