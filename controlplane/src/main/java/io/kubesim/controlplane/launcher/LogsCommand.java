package io.kubesim.controlplane.launcher;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubesim logs [--component NAME] [-f]}: the log lines of a running {@code kubesim serve}'s
 * controllers, scheduler and kubelets, in virtual-time order, klog-style with virtual timestamps.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Prints the control plane's log lines (controllers, scheduler, kubelets) of a running",
        "`kubesim serve`, in virtual-time order; with -f, then the new ones as they come."})
final class LogsCommand implements Callable<Integer> {

  @Option(names = "--component", paramLabel = "NAME",
      description = "Only this component, e.g. node-lifecycle, scheduler, kubelet/w1-k8s (kubelet: every kubelet)")
  String component;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written")
  boolean follow;

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Kubeconfig of the server (default: ${DEFAULT-VALUE})")
  Path kubeconfig = Kubeconfig.DEFAULT_PATH;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<String> params = new ArrayList<>();
    if (component != null && !component.isEmpty()) {
      params.add("component=" + URLEncoder.encode(component, StandardCharsets.UTF_8));
    }
    if (follow) {
      params.add("follow=true");
    }
    String path = "/kubesim/v1/logs" + (params.isEmpty() ? "" : "?" + String.join("&", params));
    ServerClient server = ServerClient.of(kubeconfig);
    if (!follow) {
      System.out.print(server.send("GET", path, null));
      System.out.flush();
      return 0;
    }
    try (Stream<String> lines = server.lines(path)) {
      lines.forEach(l -> {
        System.out.println(l);
        System.out.flush();
      });
    }
    return 0;
  }
}
