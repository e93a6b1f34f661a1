package io.kubesim.controlplane.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of docs/SCENARIOS.md is a scenario that parses and passes, as a reader would run it. */
class ScenariosDocTest {

  private static String firstYamlBlock(String markdown) {
    int start = markdown.indexOf("```yaml\n");
    int end = markdown.indexOf("```", start + 8);
    return markdown.substring(start + 8, end);
  }

  @Test
  void theScenarioDocumentExampleParsesAndEveryExpectationHolds() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "SCENARIOS.md"));
    Scenario s = ScenarioParser.parse("SCENARIOS.md", firstYamlBlock(doc));

    RunReport report = ScenarioRunner.run(s);

    List<String> missed = report.results().stream().filter(r -> !r.met())
        .map(r -> r.expectation().describe() + " -> " + r.actual()).toList();
    assertThat(report.results()).isNotEmpty();
    assertThat(missed).isEmpty();
  }
}
