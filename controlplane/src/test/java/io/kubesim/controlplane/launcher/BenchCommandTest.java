package io.kubesim.controlplane.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `kubesim bench http`'s options: a bad value is one line naming the option, before any server starts. */
class BenchCommandTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--client|grpc|error: --client must be lean or fabric8, got grpc",
      "--target|etcd|error: --target must be kubesim, mock or both, got etcd",
      "--warmup-pods|-5|error: --warmup-pods must be 0 or more, got -5",
      "--warmup-rounds|-1|error: --warmup-rounds must be 0 or more, got -1"})
  void aBadHttpBenchOptionIsOneLineNamingIt(String option, String value, String message) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));

    int exit = cl.execute("bench", "http", "--pods", "1", option, value);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(message + System.lineSeparator());
  }
}
