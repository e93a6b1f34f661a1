package io.kubesim.controlplane.http;

import io.kubesim.controlplane.launcher.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code kubesim} command line run in-process against a server's kubeconfig, its output captured. */
final class KubesimCli {

  record Result(int exit, String out, String err) {}

  private final Path kubeconfig;

  KubesimCli(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** Runs {@code kubesim ARGS --kubeconfig PATH}. System.out and System.err are the process's: one run at a time. */
  synchronized Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(kubeconfig.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int exit;
    synchronized (KubesimCli.class) {
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        exit = MainAccess.run(all.toArray(String[]::new));
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
