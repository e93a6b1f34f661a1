package io.kubesim.nodeagent.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a container's main process will do, decided from its image and its command, as Docker
 * and containerd combine them: the pod's {@code command} replaces the image's ENTRYPOINT (and
 * drops its CMD), {@code args} replace the CMD.
 *
 * <ul>
 *   <li>An image the simulation does not know, with no command: a server, running until stopped.
 *   <li>A shell or interpreter with nothing to run (busybox's default {@code sh}, python's
 *       {@code python3}): reads stdin, finds it closed (no {@code stdin: true, tty: true}) and
 *       exits 0 at once; with a terminal it waits for input for good.
 *   <li>An entrypoint wrapper (docker-entrypoint.sh) runs what follows it.
 *   <li>Anything else runs through the interpreter: {@code sleep}, {@code echo}, {@code sh -c}
 *       scripts...; unknown executables are servers.
 * </ul>
 *
 * @param script what the interpreter runs (null when the process does not run a script)
 * @param positional $0 and the arguments of the script
 * @param forever the process runs until stopped
 * @param immediateExit the process exits at once with this code (null otherwise)
 * @param output lines it prints before an immediate exit
 */
public record ProcessPlan(Script script, List<String> positional, boolean forever, Integer immediateExit,
    List<String> output) {

  private static final List<String> HELLO = List.of("", "Hello from Docker!",
      "This message shows that your installation appears to be working correctly.", "");

  static ProcessPlan runsForever() {
    return new ProcessPlan(null, List.of(), true, null, List.of());
  }

  static ProcessPlan exit(int code, List<String> output) {
    return new ProcessPlan(null, List.of(), false, code, output);
  }

  /** The argument vector the container runs, or an empty list when the image's entrypoint is unknown. */
  public static List<String> argv(String image, List<String> command, List<String> args) {
    Images.Profile p = Images.profile(image);
    List<String> argv = new ArrayList<>();
    boolean hasCommand = command != null && !command.isEmpty();
    boolean hasArgs = args != null && !args.isEmpty();
    if (hasCommand) {
      argv.addAll(command);
      if (hasArgs) {
        argv.addAll(args);
      }
    } else if (p != null) {
      argv.addAll(p.entrypoint());
      argv.addAll(hasArgs ? args : p.cmd());
    } else if (hasArgs) {
      // Unknown image: its entrypoint is unknown too, so the args cannot be interpreted.
      return List.of();
    }
    return argv;
  }

  public static ProcessPlan of(String image, List<String> command, List<String> args, boolean stdin, boolean tty) {
    List<String> argv = argv(image, command, args);
    while (!argv.isEmpty() && isWrapper(argv.get(0))) {
      argv = argv.subList(1, argv.size());
    }
    if (argv.isEmpty()) {
      return runsForever();
    }
    String program = SimProcess.base(argv.get(0));
    if (program.equals("hello")) {
      return exit(0, HELLO);
    }
    if (Images.INTERACTIVE.contains(program) && argv.subList(1, argv.size()).stream()
        .allMatch(a -> a.startsWith("-") && !a.contains("c"))) {
      return stdin && tty ? runsForever() : exit(0, List.of());
    }
    return new ProcessPlan(Script.argv(argv), List.of(argv.get(0)), false, null, List.of());
  }

  private static boolean isWrapper(String arg) {
    String b = SimProcess.base(arg);
    return b.equals("docker-entrypoint.sh") || b.equals("entrypoint.sh");
  }
}
