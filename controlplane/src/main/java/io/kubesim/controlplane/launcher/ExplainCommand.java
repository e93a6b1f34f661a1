package io.kubesim.controlplane.launcher;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubesim explain pod NAME [-n NAMESPACE]}: why the scheduler of a running
 * {@code kubesim serve} put a pod where it did, or why nowhere: each node's filter verdict and
 * each plugin's score.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Explains the scheduler's latest decision for a pod of a running `kubesim serve`:",
        "which filters each node passed or failed, and each score plugin's score (why w1 and not w3)."})
final class ExplainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KIND", description = "pod (or pod/NAME)")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the pod's name")
  String name;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", description = "(default: ${DEFAULT-VALUE})")
  String namespace = "default";

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Kubeconfig of the server (default: ${DEFAULT-VALUE})")
  Path kubeconfig = Kubeconfig.DEFAULT_PATH;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String k = kind;
    String n = name;
    int slash = k.indexOf('/');
    if (slash >= 0) {
      if (n != null) {
        throw new IllegalArgumentException("give the pod as pod/NAME or pod NAME, not both");
      }
      n = k.substring(slash + 1);
      k = k.substring(0, slash);
    }
    if (!k.equals("pod") && !k.equals("pods") && !k.equals("po")) {
      throw new IllegalArgumentException("kubesim explains scheduling decisions of pods only, not \"" + k + "\"");
    }
    if (n == null || n.isEmpty()) {
      throw new IllegalArgumentException("explain pod needs the pod's name");
    }
    String path = "/kubesim/v1/explain?namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "&pod="
        + URLEncoder.encode(n, StandardCharsets.UTF_8);
    System.out.print(ServerClient.of(kubeconfig).send("GET", path, null));
    System.out.flush();
    return 0;
  }
}
