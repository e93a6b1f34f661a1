package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.http.HttpSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubesim serve}: runs a cluster behind a kube-apiserver-compatible HTTP API and writes a
 * kubeconfig for it, until SIGINT or SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Runs an emulated cluster with a Kubernetes API that kubectl and client libraries use as is.",
        "Writes a kubeconfig (default ./kubesim.kubeconfig): export KUBECONFIG=<it>; kubectl get nodes.",
        "The virtual clock follows the wall clock (--speed 1), runs faster, or is held (--paused) and moved",
        "with `kubesim clock advance 5m`."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--cluster", paramLabel = "FILE",
      description = "Node manifests of the cluster (default: the embedded m-k8s + w1-k8s..w3-k8s)")
  Path cluster;

  @Option(names = "--address", description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String address = "127.0.0.1";

  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE})")
  int port = 6443;

  @Option(names = "--kubeconfig", paramLabel = "PATH",
      description = "Where to write the kubeconfig (default: ${DEFAULT-VALUE})")
  Path kubeconfig = Kubeconfig.DEFAULT_PATH;

  static final class Clock {
    @Option(names = "--speed", paramLabel = "X",
        description = "Virtual seconds per wall second (default: 1, real time)")
    Double speed;

    @Option(names = "--paused", description = "Hold the virtual clock; move it with `kubesim clock advance`")
    boolean paused;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Clock clock = new Clock();

  @Option(names = "--seed", description = "Seed of every random choice (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--token", paramLabel = "T",
      description = "Require `Authorization: Bearer T` on every request (written into the kubeconfig)")
  String token;

  @Option(names = "--tls", description = "Serve HTTPS with a self-signed certificate made at start-up (always on with "
      + "--token, since kubectl sends a token only over TLS); the kubeconfig carries the certificate")
  boolean tls;

  @Option(names = "--start-time", paramLabel = "TIME", description = "Virtual time at start: an RFC 3339 instant, "
      + "or `now` for the wall clock's, which keeps the ages kubectl computes itself (describe's events) true while "
      + "the clock runs at --speed 1 (default: 2026-01-01T00:00:00Z)")
  String startTime;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the cluster's state in DIR (write-ahead log and snapshots); a restart, even after "
      + "kill -9, comes back with every acknowledged write")
  Path dataDir;

  /** The wall clock is read here once, at the user's request, to place the virtual clock's start. */
  static java.time.Instant startInstant(String text) {
    if (text.equals("now")) {
      return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--start-time must be `now` or an RFC 3339 instant such as "
          + "2026-01-01T00:00:00Z, got \"" + text + "\"");
    }
  }

  @Override
  public Integer call() throws Exception {

    double speed = clock.speed == null ? 1.0 : clock.speed;
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("--speed must be a positive number, got " + speed);
    }
    ClusterDefinition definition = cluster == null ? ClusterDefinition.defaultCluster() : ClusterDefinition.load(cluster);
    HttpSettings http = HttpSettings.defaults().withAddress(address).withPort(port).withToken(token).withTls(tls);
    ClusterSettings settings = ClusterSettings.defaults(seed);
    if (startTime != null) {
      settings = settings.withEpoch(startInstant(startTime));
    }
    if (dataDir != null) {
      // A store kept on disk goes on from its last write, whatever the start time.
      settings = settings.withDataDir(dataDir);
    }
    Serving serving = Serving.start(definition, settings, http, speed, clock.paused);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      serving.close();
      stopped.countDown();
    }, "kubesim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Kubeconfig.write(kubeconfig, serving.url(), token, serving.certificatePem());
    String kc = kubeconfig.toAbsolutePath().toString();
    System.out.println("kubesim: serving a Kubernetes " + Version.KUBERNETES_GIT_VERSION + " API at " + serving.url()
        + " (" + definition.nodeNames().size() + " nodes, seed " + seed + ", clock "
        + (clock.paused ? "paused" : "at " + speed + "x") + ")");
    System.out.println("kubesim: kubeconfig written to " + kc);
    System.out.println();
    System.out.println("  export KUBECONFIG=" + kc);
    System.out.println("  kubectl get nodes");
    System.out.println();
    System.out.println("  kubesim clock status | pause | resume | advance 5m | speed 10");
    System.out.println("  kubesim fault node-down w3-k8s      kubesim logs -f      kubesim explain pod NAME");
    System.out.println();
    System.out.println("Press Ctrl-C to stop.");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
