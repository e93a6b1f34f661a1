package io.kubesim.controlplane.launcher;

/** Runs the {@code kubesim} command line in-process, for tests of other packages. */
public final class MainAccess {
  private MainAccess() {}

  public static int run(String... args) {
    return Main.commandLine().execute(args);
  }
}
