package io.kubesim.controlplane.bench;

import io.kubesim.controlplane.scenario.RunReport;
import io.kubesim.controlplane.scenario.Scenario;
import io.kubesim.controlplane.scenario.ScenarioRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Time compression of a whole scenario: how many virtual seconds pass per wall second, with the
 * cluster booted, the scenario played to its end and its report built, in a warm JVM.
 */
public final class ScenarioBench {

  /**
   * One run: wall seconds, CPU seconds of the driver thread (the caller, which runs the whole
   * simulation), and whether its expectations held (a benchmark of a failing run means little).
   */
  public record Run(double seconds, double cpuSeconds, boolean passed) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  public record Result(String scenario, double virtualSeconds, List<Run> runs) {
    public double medianSeconds() {
      List<Double> s = new ArrayList<>(runs.stream().map(Run::seconds).toList());
      s.sort(Double::compare);
      return s.get(s.size() / 2);
    }

    public double medianCpuSeconds() {
      List<Double> s = new ArrayList<>(runs.stream().map(Run::cpuSeconds).toList());
      s.sort(Double::compare);
      return s.get(s.size() / 2);
    }

    public double compression() {
      return virtualSeconds / medianSeconds();
    }

    public double cpuCompression() {
      return virtualSeconds / medianCpuSeconds();
    }
  }

  private ScenarioBench() {}

  public static Result run(Scenario scenario, int warmups, int iterations) {
    for (int i = 0; i < warmups; i++) {
      ScenarioRunner.run(scenario);
    }
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      RunReport r = ScenarioRunner.run(scenario);
      r.text();
      runs.add(new Run((System.nanoTime() - t0) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9,
          r.passed()));
    }
    return new Result(scenario.name(), scenario.duration().toNanos() / 1e9, runs);
  }
}
