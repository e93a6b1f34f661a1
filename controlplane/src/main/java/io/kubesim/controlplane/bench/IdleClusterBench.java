package io.kubesim.controlplane.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubesim.controlplane.launcher.Cluster;
import io.kubesim.controlplane.launcher.ClusterDefinition;
import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.launcher.DriverClient;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A large cluster at rest: N nodes (each with its kubelet and container runtime), Deployments
 * totalling P pods scheduled and started, then one virtual hour in which nothing changes but what
 * a live cluster does on its own (leases every 10 s, node status, controller passes, probes).
 * Reports the wall time of that hour, hence the time compression, and the peak heap.
 *
 * <p>Optionally a warm-up first: idle virtual time run between the set-up and the measured span,
 * not timed, as the other benchmarks run a warm-up iteration. The set-up exercises other code
 * than the idle cluster (creates, scheduling, image pulls); in the first idle minutes the JIT
 * compiles the idle paths anew (some 180 C2 compilations, 4-6 s of compiler time on two cores),
 * and the measured span otherwise pays for that.
 */
public final class IdleClusterBench {

  /**
   * @param idleCpuSeconds CPU time of the simulation's driver thread (the caller) over the idle
   *     hour: the figure that does not depend on what else the machine is doing
   * @param idleTasks tasks (actor mailbox runs) the driver ran in the idle hour
   * @param idleTimers virtual timers that fired in the idle hour
   * @param warmupVirtual idle virtual time run before the measured span, untimed (zero for none)
   * @param warmupWallSeconds the wall time that warm-up took
   */
  public record Result(int nodes, int pods, int running, double setupWallSeconds, double setupCpuSeconds,
      Duration setupVirtual, Duration warmupVirtual, double warmupWallSeconds, double idleWallSeconds,
      double idleCpuSeconds, Duration idleVirtual, long idleTasks, long idleTimers, long peakHeapBytes,
      long heapAfterBytes) {
    public double compression() {
      return idleVirtual.toNanos() / 1e9 / idleWallSeconds;
    }

    public double cpuCompression() {
      return idleVirtual.toNanos() / 1e9 / idleCpuSeconds;
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private IdleClusterBench() {}

  static List<Node> nodes(int n) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("node-%04d", i);
      int zone = i % 3;
      nodes.add(new NodeBuilder().withNewMetadata().withName(name)
          .addToLabels("topology.kubernetes.io/zone", "zone-" + (char) ('a' + zone)).endMetadata()
          .withNewSpec().withPodCIDR("10." + (i / 256) + "." + (i % 256) + ".0/24").endSpec()
          .withNewStatus().addNewAddress().withType("InternalIP")
          .withAddress("192.168." + (i / 250) + "." + (i % 250 + 2)).endAddress()
          .addToCapacity("cpu", new Quantity("32")).addToCapacity("memory", new Quantity("128Gi"))
          .addToCapacity("pods", new Quantity("110")).addToCapacity("ephemeral-storage", new Quantity("200Gi"))
          .endStatus().build());
    }
    return nodes;
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("nginx:1.27").withNewResources()
        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi")).endResources()
        .endContainer().endSpec().endTemplate().endSpec().build();
  }

  public static Result run(int nodeCount, int podCount, Duration idle, Consumer<String> progress) {
    return run(nodeCount, podCount, Duration.ZERO, idle, progress);
  }

  /** As {@link #run(int, int, Duration, Consumer)}, with {@code warmup} of idle virtual time run, untimed, before the measured span. */
  public static Result run(int nodeCount, int podCount, Duration warmup, Duration idle, Consumer<String> progress) {
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("the warm-up must not be negative, got "
          + io.kubesim.shared.time.GoDuration.format(warmup));
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long[] peak = {0};
    Runnable sample = () -> peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
    long t0 = System.nanoTime();
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    ClusterDefinition def = ClusterDefinition.fromNodes(nodes(nodeCount), null);
    try (Cluster cluster = Cluster.boot(def, ClusterSettings.defaults(1).withLogVerbosity(0))) {
      DriverClient client = new DriverClient(cluster, "bench-client");
      int perDeployment = 100;
      int deployments = (podCount + perDeployment - 1) / perDeployment;
      for (int d = 0; d < deployments; d++) {
        int replicas = Math.min(perDeployment, podCount - d * perDeployment);
        Api.Response r = client.create(deployment(String.format("app-%03d", d), replicas));
        if (r instanceof Api.Failed f) {
          throw new IllegalStateException("cannot create deployment: " + f.message());
        }
      }
      // Let the workload come up: scheduled, pulled, started, ready.
      int running = 0;
      long setupStart = cluster.runtime().nanos();
      for (int minute = 1; minute <= 30; minute++) {
        cluster.runtime().advance(Duration.ofMinutes(1));
        sample.run();
        running = countRunning(client);
        progress.accept("setup: " + minute + " virtual min, " + running + "/" + podCount + " pods running");
        if (running == podCount) {
          break;
        }
      }
      Duration setupVirtual = Duration.ofNanos(cluster.runtime().nanos() - setupStart);
      double setupWall = (System.nanoTime() - t0) / 1e9;
      double setupCpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
      long w0 = System.nanoTime();
      Duration warmupVirtual = idleFor(cluster, warmup, "warm-up", sample, progress);
      double warmupWall = (System.nanoTime() - w0) / 1e9;
      System.gc();
      long t1 = System.nanoTime();
      long cpu1 = THREADS.getCurrentThreadCpuTime();
      long tasks0 = cluster.runtime().tasksRun();
      long timers0 = cluster.runtime().timersFired();
      Duration idleVirtual = idleFor(cluster, idle, "idle", sample, progress);
      double idleWall = (System.nanoTime() - t1) / 1e9;
      double idleCpu = (THREADS.getCurrentThreadCpuTime() - cpu1) / 1e9;
      long tasks = cluster.runtime().tasksRun() - tasks0;
      long timersFired = cluster.runtime().timersFired() - timers0;
      System.gc();
      long after = memory.getHeapMemoryUsage().getUsed();
      return new Result(nodeCount, podCount, running, setupWall, setupCpu, setupVirtual, warmupVirtual, warmupWall,
          idleWall, idleCpu, idleVirtual, tasks, timersFired, peak[0], after);
    }
  }

  /**
   * Runs {@code span} of the idle cluster in steps of at most five virtual minutes, sampling the
   * heap and reporting after each; returns the virtual time run.
   */
  private static Duration idleFor(Cluster cluster, Duration span, String label, Runnable sample,
      Consumer<String> progress) {
    long start = cluster.runtime().nanos();
    long step = Duration.ofMinutes(5).toNanos();
    for (long done = 0; done < span.toNanos(); done += step) {
      cluster.runtime().advance(Duration.ofNanos(Math.min(step, span.toNanos() - done)));
      sample.run();
      progress.accept(label + ": " + Duration.ofNanos(cluster.runtime().nanos() - start).toMinutes() + " virtual min");
    }
    return Duration.ofNanos(cluster.runtime().nanos() - start);
  }

  private static int countRunning(DriverClient client) {
    int n = 0;
    for (HasMetadata o : client.list(Resources.PODS, "default", ListOptions.ALL)) {
      Pod p = (Pod) o;
      if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
        n++;
      }
    }
    return n;
  }
}
