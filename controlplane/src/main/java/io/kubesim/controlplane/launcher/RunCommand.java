package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.scenario.RunReport;
import io.kubesim.controlplane.scenario.Scenario;
import io.kubesim.controlplane.scenario.ScenarioParser;
import io.kubesim.controlplane.scenario.ScenarioRunner;
import io.kubesim.controlplane.scenario.ShippedScenarios;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubesim run [SCENARIO]}: plays a failure scenario in virtual time and reports. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs a scenario in virtual time: builds its cluster, applies its manifests, plays its "
        + "timeline of actions and faults, checks its expectations, and prints the components' log, the event "
        + "timeline and a summary.",
        "SCENARIO is a file, or the name of a shipped scenario (see --list). Without it, the built-in "
            + "node-failure scenario runs on the embedded default cluster.",
        "Exit status: 0 when every expectation held, 1 when one was missed, 2 for a bad scenario."})
final class RunCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "scenario file or shipped scenario name")
  String scenario;

  @Option(names = "--seed", description = "overrides the scenario's seed")
  Long seed;

  @Option(names = {"-o", "--output"}, description = "text (default) or json", defaultValue = "text")
  String output;

  @Option(names = {"-v", "--verbosity"}, description = "log verbosity, as klog's -v (default: ${DEFAULT-VALUE})")
  int verbosity = 2;

  @Option(names = "--list", description = "lists the shipped scenarios")
  boolean list;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    if (list) {
      for (String name : ShippedScenarios.NAMES) {
        Scenario s = ShippedScenarios.load(name);
        out.printf(Locale.ROOT, "%-22s %s%n", name, s.description().strip());
      }
      out.flush();
      return 0;
    }
    if (!output.equals("text") && !output.equals("json")) {
      System.err.println("error: --output must be text or json, not \"" + output + "\"");
      return 2;
    }
    Scenario s;
    try {
      s = resolve(scenario);
    } catch (ManifestException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    boolean tty = System.console() != null;
    long total = s.duration().toNanos();
    long[] lastPrint = {0};
    long start = System.nanoTime();
    RunReport report;
    try {
      report = ScenarioRunner.run(s, new ScenarioRunner.Options(seed, verbosity, virtual -> {
        if (tty && System.nanoTime() - lastPrint[0] > 100_000_000L) {
          lastPrint[0] = System.nanoTime();
          System.err.printf(Locale.ROOT, "\r%s  %s / %s  %3d%%", s.name(), hms(virtual), hms(total),
              virtual * 100 / total);
        }
      }));
    } catch (ManifestException | IllegalArgumentException e) {
      System.err.println((tty ? "\r" : "") + "error: " + e.getMessage());
      return 2;
    }
    double wall = (System.nanoTime() - start) / 1e9;
    if (tty) {
      System.err.print("\r\033[K");
    }
    out.print(output.equals("json") ? report.json() : report.text());
    out.flush();
    System.err.printf(Locale.ROOT, "%s: %s of virtual time in %.2fs of wall time (%,.0f× real time)%n", s.name(),
        hms(total), wall, total / 1e9 / wall);
    return report.passed() ? 0 : 1;
  }

  static Scenario resolve(String arg) {
    if (arg == null) {
      return ShippedScenarios.load(ShippedScenarios.DEFAULT);
    }
    Path p = Path.of(arg);
    if (Files.exists(p)) {
      return ScenarioParser.read(p);
    }
    if (ShippedScenarios.NAMES.contains(arg)) {
      return ShippedScenarios.load(arg);
    }
    throw new IllegalArgumentException(arg + ": no such file, and no shipped scenario of that name (kubesim run "
        + "--list shows them)");
  }

  private static String hms(long nanos) {
    long s = nanos / 1_000_000_000L;
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
