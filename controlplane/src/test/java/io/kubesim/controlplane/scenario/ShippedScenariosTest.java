package io.kubesim.controlplane.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario shipped in config/scenarios passes under `kubesim run`, and replays byte for byte. */
class ShippedScenariosTest {

  static Stream<String> shipped() {
    return ShippedScenarios.NAMES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void everyExpectationOfTheShippedScenarioHolds(String name) {
    RunReport report = ScenarioRunner.run(ShippedScenarios.load(name));
    List<String> missed = report.results().stream().filter(r -> !r.met())
        .map(r -> r.expectation().describe() + " -> " + r.actual()).toList();
    assertThat(missed).as("missed expectations of %s (seed %d)", name, report.seed()).isEmpty();
    assertThat(report.results()).as("expectations of %s", name).isNotEmpty();
  }

  @Test
  void theSameScenarioAndSeedGiveByteIdenticalOutput() {
    Scenario s = ShippedScenarios.load(ShippedScenarios.DEFAULT);
    String first = ScenarioRunner.run(s).text();
    String second = ScenarioRunner.run(s).text();
    assertThat(second).isEqualTo(first);
    String json1 = ScenarioRunner.run(s).json();
    assertThat(ScenarioRunner.run(s).json()).isEqualTo(json1);
  }

  @Test
  void anotherSeedGivesAnotherRun() {
    Scenario s = ShippedScenarios.load("drain");
    String seed17 = ScenarioRunner.run(s).text();
    String seed18 = ScenarioRunner.run(s, new ScenarioRunner.Options(18L, 2, t -> {})).text();
    assertThat(seed18).isNotEqualTo(seed17);
  }

  @Test
  void theListOfShippedScenariosIsTheFilesInConfigScenarios() throws IOException {
    Path dir = Path.of("..", "config", "scenarios");
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
      assertThat(ShippedScenarios.NAMES).containsExactlyInAnyOrderElementsOf(names);
    }
  }
}
