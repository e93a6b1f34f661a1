package io.kubesim.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimProcessTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** What a container's main process did within a time window: its lines (with seconds) and how it ended. */
  record Trace(List<String> lines, String end) {}

  static class FakeHost implements SimProcess.Host {
    Instant now = T0;
    final ContainerFs fs = new ContainerFs();
    final List<String> lines = new ArrayList<>();

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public String hostname() {
      return "web-0";
    }

    @Override
    public ContainerFs fs() {
      return fs;
    }

    @Override
    public void output(String stream, String line) {
      long s = Duration.between(T0, now).toSeconds();
      lines.add(s + (stream.equals("stderr") ? "! " : " ") + line);
    }

    @Override
    public int random() {
      return 4;
    }
  }

  /** Runs the container command for up to {@code window} of virtual time. */
  static Trace simulate(String image, List<String> command, List<String> args, Duration window) {
    FakeHost host = new FakeHost();
    ProcessPlan plan = ProcessPlan.of(image, command, args, false, false);
    if (plan.immediateExit() != null) {
      plan.output().forEach(l -> host.output("stdout", l));
      return new Trace(host.lines, "exit " + plan.immediateExit() + " at 0");
    }
    if (plan.forever()) {
      return new Trace(host.lines, "forever");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GREETING", "hi");
    SimProcess p = new SimProcess(plan.script(), plan.positional(), env, SimProcess.Mode.MAIN, host);
    Instant end = T0.plus(window);
    while (true) {
      SimProcess.Step step = p.run();
      long at = Duration.between(T0, host.now).toSeconds();
      if (step instanceof SimProcess.Exit e) {
        return new Trace(host.lines, "exit " + e.code() + " at " + at);
      }
      if (step instanceof SimProcess.Forever) {
        return new Trace(host.lines, "forever from " + at);
      }
      Duration d = ((SimProcess.Sleep) step).duration();
      if (host.now.plus(d).isAfter(end)) {
        return new Trace(host.lines, "sleeping at " + at);
      }
      host.now = host.now.plus(d);
    }
  }

  static Stream<Arguments> containerCommands() {
    return Stream.of(
        Arguments.of("busybox", List.of("sleep", "10"), List.of(), List.of(), "exit 0 at 10"),
        Arguments.of("busybox", List.of("sleep", "infinity"), List.of(), List.of(), "forever from 0"),
        Arguments.of("busybox", List.of("sleep", "3600"), List.of(), List.of(), "sleeping at 0"),
        Arguments.of("busybox", List.of("sleep", "1m"), List.of(), List.of(), "sleeping at 0"),
        Arguments.of("busybox", List.of("true"), List.of(), List.of(), "exit 0 at 0"),
        Arguments.of("busybox", List.of("false"), List.of(), List.of(), "exit 1 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "exit 3"), List.of(), List.of(), "exit 3 at 0"),
        Arguments.of("busybox", List.of("exit", "1"), List.of(), List.of(), "exit 1 at 0"),
        Arguments.of("busybox", List.of("echo", "hello", "world"), List.of(), List.of("0 hello world"), "exit 0 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "echo hello; sleep 10"), List.of(), List.of("0 hello"),
            "exit 0 at 10"),
        Arguments.of("busybox", List.of("sh", "-c"), List.of("echo $GREETING && sleep 5 && exit 2"),
            List.of("0 hi"), "exit 2 at 5"),
        Arguments.of("busybox", List.of("/bin/sh", "-c", "while true; do echo $(date); sleep 5; done"), List.of(),
            List.of("0 Thu Jan 1 00:00:00 UTC 2026", "5 Thu Jan 1 00:00:05 UTC 2026",
                "10 Thu Jan 1 00:00:10 UTC 2026"), "sleeping at 10"),
        Arguments.of("busybox", List.of("sh", "-c", "i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done"),
            List.of(), List.of("0 0: Thu Jan  1 00:00:00 UTC 2026", "1 1: Thu Jan  1 00:00:01 UTC 2026",
                "2 2: Thu Jan  1 00:00:02 UTC 2026"), "sleeping at 2 (window 2s)"),
        Arguments.of("busybox", List.of("sh", "-c", "for i in 1 2 3; do echo step $i; sleep 1; done; echo done"),
            List.of(), List.of("0 step 1", "1 step 2", "2 step 3", "3 done"), "exit 0 at 3"),
        Arguments.of("busybox", List.of("sh", "-c", "if [ \"$GREETING\" = hi ]; then echo yes; else echo no; fi"),
            List.of(), List.of("0 yes"), "exit 0 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "false || echo recovered; false && echo never; true"),
            List.of(), List.of("0 recovered"), "exit 0 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "echo oops >&2; exit 1"), List.of(), List.of("0! oops"),
            "exit 1 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"),
            List.of(), List.of(), "sleeping at 30"),
        Arguments.of("busybox", List.of("sh", "-c", "sleep 2 & wait"), List.of(), List.of(), "exit 0 at 2"),
        Arguments.of("busybox", List.of("sh", "-c", "tail -f /dev/null"), List.of(), List.of(), "forever from 0"),
        Arguments.of("busybox", List.of("sh", "-c", "echo 'unterminated"), List.of(),
            List.of("0! sh: syntax error: unterminated quoted string"), "exit 2 at 0"),
        Arguments.of("busybox", List.of(), List.of(), List.of(), "exit 0 at 0"),
        Arguments.of("alpine", List.of(), List.of(), List.of(), "exit 0 at 0"),
        Arguments.of("ubuntu:24.04", List.of(), List.of(), List.of(), "exit 0 at 0"),
        Arguments.of("python:3.12", List.of(), List.of(), List.of(), "exit 0 at 0"),
        Arguments.of("hello-world", List.of(), List.of(), List.of("0 ", "0 Hello from Docker!",
            "0 This message shows that your installation appears to be working correctly.", "0 "), "exit 0 at 0"),
        Arguments.of("nginx:1.27", List.of(), List.of(), List.of(), "forever from 0"),
        Arguments.of("redis", List.of(), List.of(), List.of(), "forever from 0"),
        Arguments.of("registry.example.com/team/api:v2", List.of(), List.of(), List.of(), "forever"),
        Arguments.of("nginx", List.of("nginx", "-g", "daemon off;"), List.of(), List.of(), "forever from 0"),
        Arguments.of("busybox", List.of("sh", "-c", "echo starting; exec /app/server --port 8080"), List.of(),
            List.of("0 starting"), "forever from 0"),
        Arguments.of("busybox", List.of("sh", "-c", "echo $0 $1", "me", "arg"), List.of(), List.of("0 me arg"),
            "exit 0 at 0"),
        Arguments.of("busybox", List.of("sh", "-c", "printf '%s-%d\\n' a 7; echo ${MISSING:-fallback}"), List.of(),
            List.of("0 a-7", "0 fallback"), "exit 0 at 0"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("containerCommands")
  void interpretsContainerCommands(String image, List<String> command, List<String> args, List<String> lines,
      String end) {
    // The window is 12 s of virtual time (32 s for the 30 s liveness example), or as the expectation says.
    long window = end.contains("(window ") ? Long.parseLong(end.replaceAll(".*\\(window (\\d+)s\\)", "$1"))
        : end.contains("30") ? 32 : 12;
    Trace t = simulate(image, command, args, Duration.ofSeconds(window));
    assertThat(t.lines()).containsExactlyElementsOf(lines);
    assertThat(t.end()).isEqualTo(end.replaceAll(" \\(window \\d+s\\)", ""));
  }

  @Test
  void busyLoopIsThrottledInsteadOfHangingTheSimulation() {
    FakeHost host = new FakeHost();
    SimProcess p = new SimProcess(Script.argv(List.of("sh", "-c", "while true; do :; done")), List.of("sh"),
        Map.of(), SimProcess.Mode.MAIN, host);
    assertThat(p.run()).isEqualTo(new SimProcess.Sleep(SimProcess.THROTTLE));
  }

  @Test
  void sigtermKillsAProcessThatDoesNotTrapIt() {
    FakeHost host = new FakeHost();
    SimProcess p = new SimProcess(Script.argv(List.of("sleep", "3600")), List.of("sleep"), Map.of(),
        SimProcess.Mode.MAIN, host);
    p.run();
    assertThat(p.terminate()).isEqualTo(new SimProcess.Exit(143));
  }

  @Test
  void aServerShutsDownCleanlyOnSigterm() {
    FakeHost host = new FakeHost();
    ProcessPlan plan = ProcessPlan.of("nginx:1.27", List.of(), List.of(), false, false);
    SimProcess p = new SimProcess(plan.script(), plan.positional(), Map.of(), SimProcess.Mode.MAIN, host);
    assertThat(p.run()).isEqualTo(new SimProcess.Forever());
    assertThat(p.terminate()).isEqualTo(new SimProcess.Exit(0));
  }

  @Test
  void sigtermRunsTheTrapHandler() {
    FakeHost host = new FakeHost();
    SimProcess p = new SimProcess(Script.argv(List.of("sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 3600")),
        List.of("sh"), Map.of(), SimProcess.Mode.MAIN, host);
    p.run();
    assertThat(p.terminate()).isEqualTo(new SimProcess.Exit(0));
    assertThat(host.lines).containsExactly("0 bye");
  }

  @Test
  void sigtermIsIgnoredWhenTrappedWithAnEmptyAction() {
    FakeHost host = new FakeHost();
    SimProcess p = new SimProcess(Script.argv(List.of("sh", "-c", "trap '' TERM; sleep 3600")), List.of("sh"),
        Map.of(), SimProcess.Mode.MAIN, host);
    p.run();
    assertThat(p.terminate()).isNull();
  }

  static Stream<Arguments> execCommands() {
    return Stream.of(
        Arguments.of(List.of("printenv", "GREETING"), "hi\n", "", 0),
        Arguments.of(List.of("printenv", "NOPE"), "", "", 1),
        Arguments.of(List.of("env"), "GREETING=hi\n", "", 0),
        Arguments.of(List.of("hostname"), "web-0\n", "", 0),
        Arguments.of(List.of("cat", "/etc/config/app.properties"), "color=blue\n", "", 0),
        Arguments.of(List.of("cat", "/etc/nope"), "", "cat: can't open '/etc/nope': No such file or directory\n", 1),
        Arguments.of(List.of("ls", "/etc/config"), "app.properties\nmode\n", "", 0),
        Arguments.of(List.of("echo", "a", "b"), "a b\n", "", 0),
        Arguments.of(List.of("true"), "", "", 0),
        Arguments.of(List.of("false"), "", "", 1),
        Arguments.of(List.of("sh", "-c", "cat /etc/config/mode && echo ok"), "prod\nok\n", "", 0),
        Arguments.of(List.of("sh", "-c", "echo [$(printf abc)]"), "[abc]\n", "", 0),
        Arguments.of(List.of("sh", "-c", "test -f /tmp/healthy"), "", "", 1),
        Arguments.of(List.of("sh", "-c", "echo x > /etc/config/new"), "",
            "sh: can't create /etc/config/new: Read-only file system\n", 1),
        Arguments.of(List.of("wget", "-qO-", "http://web"), "", "wget: bad address 'web'\n", 1),
        Arguments.of(List.of("sh", "-c", "nc -z web 80"), "",
            "command not supported in the simulated container: nc -z web 80\n", 126));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("execCommands")
  void answersExecFromTheContainersState(List<String> command, String stdout, String stderr, int code) {
    FakeHost host = new FakeHost();
    host.fs.mount("/etc/config", Map.of("app.properties", "color=blue\n", "mode", "prod\n"), true);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    SimProcess.Host h = new SimProcess.Host() {
      @Override
      public Instant now() {
        return host.now;
      }

      @Override
      public String hostname() {
        return host.hostname();
      }

      @Override
      public ContainerFs fs() {
        return host.fs;
      }

      @Override
      public void output(String stream, String line) {
        (stream.equals("stderr") ? err : out).append(line).append('\n');
      }

      @Override
      public int random() {
        return 0;
      }
    };
    SimProcess p = new SimProcess(Script.argv(command), List.of(command.get(0)), Map.of("GREETING", "hi"),
        SimProcess.Mode.EXEC, h);
    SimProcess.Step step = p.run();
    assertThat(step).isEqualTo(new SimProcess.Exit(code));
    assertThat(out.toString()).isEqualTo(stdout);
    assertThat(err.toString()).isEqualTo(stderr);
  }

  @Test
  void sleepAcceptsBusyboxSuffixesAndSums() {
    assertThat(SimProcess.sleepDuration(List.of("1m", "30"))).isEqualTo(Duration.ofSeconds(90));
    assertThat(SimProcess.sleepDuration(List.of("0.5"))).isEqualTo(Duration.ofMillis(500));
    assertThat(SimProcess.sleepDuration(List.of("infinity"))).isNull();
  }
}
