package io.kubesim.controlplane.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubesim run FILE}: the exit status, {@code --seed}, {@code --output json} and the message for a bad file. */
class RunCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private Path scenario(String ready) throws IOException {
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, """
        apiVersion: kubesim.io/v1alpha1
        kind: Scenario
        metadata:
          name: s
        spec:
          seed: 3
          duration: 30s
          expect:
          - at: 20s
            node: w1-k8s
            ready: %s
        """.formatted(ready));
    return file;
  }

  @Test
  void exitsZeroWhenEveryExpectationHeld() throws IOException {
    assertThat(Main.commandLine().execute("run", scenario("\"True\"").toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("PASS  00:00:20  node w1-k8s Ready=True");
  }

  @Test
  void exitsOneWhenAnExpectationWasMissed() throws IOException {
    assertThat(Main.commandLine().execute("run", scenario("\"False\"").toString())).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL  00:00:20  node w1-k8s Ready=False");
  }

  @Test
  void seedOverridesTheFileAndJsonIsForTools() throws IOException {
    assertThat(Main.commandLine().execute("run", scenario("\"True\"").toString(), "--seed", "11", "-o", "json"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{").contains("\"seed\" : 11")
        .contains("\"passed\" : true");
  }

  @Test
  void aBadFileExitsTwoWithOneLineNamingTheFileTheLineAndTheField() throws IOException {
    Path file = scenario("Sometimes");
    assertThat(Main.commandLine().execute("run", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: " + file
        + ": document 1 (line 11, Scenario s): spec.expect[0].ready: Unsupported value: \"Sometimes\": supported values: "
        + "\"False\", \"True\", \"Unknown\"" + System.lineSeparator());
    assertThat(out.size()).isZero();
  }
}
