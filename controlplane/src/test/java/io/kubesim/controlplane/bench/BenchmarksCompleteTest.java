package io.kubesim.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each `kubesim bench` measurement runs to its end on a small input (the figures are for docs/BENCHMARKS.md). */
class BenchmarksCompleteTest {

  @Test
  void theStoreBenchmarkDeliversEveryWriteToEveryWatcher() {
    StoreBench.Result r = StoreBench.run(500, 2, 50);
    assertThat(r.writes()).isEqualTo(500);
    assertThat(r.eventsDelivered()).isEqualTo(1000);
  }

  @Test
  void theApiServerBenchmarkCreatesEveryPodPastAdmission() {
    ApiServerBench.Result r = ApiServerBench.run(300, 2, 50);
    assertThat(r.creates()).isEqualTo(300);
    assertThat(r.eventsDelivered()).isEqualTo(600);
  }

  @Test
  void theSchedulerBenchmarkBindsEveryPod() {
    assertThat(SchedulerBench.run(20, 100, false).bound()).isEqualTo(100);
    assertThat(SchedulerBench.run(20, 100, true).bound()).isEqualTo(100);
  }

  @Test
  void theIdleBenchmarkRunsItsPods() {
    IdleClusterBench.Result r = IdleClusterBench.run(4, 20, Duration.ofMinutes(5), line -> {});
    assertThat(r.running()).isEqualTo(20);
    assertThat(r.warmupVirtual()).isZero();
    assertThat(r.idleVirtual()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theIdleBenchmarkRunsItsWarmUpBeforeTheMeasuredSpan() {
    List<String> lines = new ArrayList<>();
    IdleClusterBench.Result r = IdleClusterBench.run(4, 20, Duration.ofMinutes(7), Duration.ofMinutes(5), lines::add);
    assertThat(r.warmupVirtual()).isEqualTo(Duration.ofMinutes(7));
    assertThat(r.idleVirtual()).isEqualTo(Duration.ofMinutes(5));
    assertThat(lines).containsSubsequence("warm-up: 5 virtual min", "warm-up: 7 virtual min", "idle: 5 virtual min");
  }
}
