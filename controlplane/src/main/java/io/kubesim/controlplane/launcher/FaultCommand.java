package io.kubesim.controlplane.launcher;

import io.kubesim.shared.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubesim fault node-down|node-up|kubelet-stop|kubelet-start|partition|heal NODE}: injects a
 * node fault into a running {@code kubesim serve} through {@code POST /kubesim/v1/faults}.
 */
@Command(name = "fault", mixinStandardHelpOptions = true,
    description = {"Injects a node fault into a running `kubesim serve`.",
        "  node-down NODE       the machine crashes: kubelet and containers stop",
        "  node-up NODE         it boots again: container runtime and kubelet start",
        "  kubelet-stop NODE    the kubelet stops; containers keep running",
        "  kubelet-start NODE   the kubelet starts again",
        "  partition NODE       the node is cut off from the control plane",
        "  heal NODE            the partition ends"})
final class FaultCommand implements Callable<Integer> {

  static final List<String> FAULTS = List.of("node-down", "node-up", "kubelet-stop", "kubelet-start", "partition",
      "heal");

  @Parameters(index = "0", paramLabel = "FAULT", description = "node-down, node-up, kubelet-stop, kubelet-start, "
      + "partition, heal")
  String fault;

  @Parameters(index = "1", paramLabel = "NODE", description = "the node, e.g. w3-k8s")
  String node;

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Kubeconfig of the server (default: ${DEFAULT-VALUE})")
  Path kubeconfig = Kubeconfig.DEFAULT_PATH;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!FAULTS.contains(fault)) {
      throw new IllegalArgumentException("unknown fault \"" + fault + "\" (" + String.join(", ", FAULTS) + ")");
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("fault", fault);
    body.put("node", node);
    String answer = ServerClient.of(kubeconfig).send("POST", "/kubesim/v1/faults", Json.write(body));
    System.out.println(Json.MAPPER.readTree(answer).path("result").asString());
    return 0;
  }
}
