package io.kubesim.controlplane.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kubesim} command line. */
@Command(name = "kubesim", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
    description = "A Kubernetes control plane emulated with actors under a virtual clock.",
    subcommands = {RunCommand.class, ServeCommand.class, ClockCommand.class, FaultCommand.class, LogsCommand.class,
        ExplainCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", LogbackWithoutMdc.class.getName());
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        // SLF4J announces an explicitly named provider at INFO on stderr; that is not kubesim's output.
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parse) -> {
      line.getErr().println("error: " + (ex.getMessage() == null ? ex : ex.getMessage()));
      return 1;
    });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
