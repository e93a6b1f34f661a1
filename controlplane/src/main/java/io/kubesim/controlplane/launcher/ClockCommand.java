package io.kubesim.controlplane.launcher;

import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code kubesim clock status|pause|resume|advance DURATION|speed X}: controls the virtual clock
 * of a running {@code kubesim serve} through its {@code /kubesim/v1/clock} endpoints, with the
 * server and token of a kubeconfig. {@code advance} returns once everything due up to the new
 * instant has run, so the next kubectl command sees its effects.
 */
@Command(name = "clock", mixinStandardHelpOptions = true,
    description = {"Shows or controls the virtual clock of a running `kubesim serve`.",
        "  status             the virtual time, speed and whether the clock is paused",
        "  pause | resume     hold the clock / let it follow the wall clock again",
        "  advance DURATION   move it forward at once (Go syntax: 50s, 5m, 1h30m)",
        "  speed X            virtual seconds per wall second"})
final class ClockCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "ACTION", description = "status, pause, resume, advance, speed")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", description = "the duration or the speed")
  String argument;

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Kubeconfig of the server (default: ${DEFAULT-VALUE})")
  Path kubeconfig = Kubeconfig.DEFAULT_PATH;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String path;
    switch (action) {
      case "status" -> path = "";
      case "pause", "resume" -> path = "/" + action;
      case "advance" -> path = "/advance?duration=" + enc(required("a duration, e.g. 5m"));
      case "speed" -> path = "/speed?speed=" + enc(required("a speed, e.g. 10"));
      default -> throw new IllegalArgumentException("unknown clock action \"" + action
          + "\" (status, pause, resume, advance, speed)");
    }
    ServerClient server = ServerClient.of(kubeconfig);
    JsonNode body = Json.MAPPER.readTree(server.send(action.equals("status") ? "GET" : "POST",
        "/kubesim/v1/clock" + path, null));
    System.out.println(describe(body));
    return 0;
  }

  static String describe(JsonNode clock) {
    String state = clock.path("paused").asBoolean() ? "paused"
        : "running at " + trim(clock.path("speed").asDouble()) + "x";
    return "virtual time " + clock.path("now").asString() + " (" + clock.path("elapsed").asString()
        + " since start), " + state;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private String required(String what) {
    if (argument == null || argument.isEmpty()) {
      throw new IllegalArgumentException("clock " + action + " needs " + what);
    }
    return argument;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
