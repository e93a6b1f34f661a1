package io.kubesim.controlplane.launcher;

import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.scheduler.SchedulerConfiguration;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.nodeagent.kubelet.KubeletSettings;
import io.kubesim.nodeagent.runtime.RuntimeSettings;
import java.time.Instant;

/**
 * Everything a simulated cluster is configured with besides its nodes.
 *
 * @param epoch the virtual instant at which the run starts; 2026-01-01T00:00:00Z by default, so
 *     log lines read I0101 00:00:40.000000
 * @param logVerbosity klog's -v: lines at higher V levels are not even formatted
 * @param logCapacity log lines kept in memory (the oldest go first)
 */
public record ClusterSettings(
    long seed,
    Instant epoch,
    StoreSettings store,
    ApiServerSettings apiserver,
    SchedulerConfiguration scheduler,
    ControllerManagerSettings controllerManager,
    KubeletSettings kubelet,
    RuntimeSettings runtime,
    int logVerbosity,
    int logCapacity,
    java.nio.file.Path dataDir) {

  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  public static ClusterSettings defaults(long seed) {
    return new ClusterSettings(seed, EPOCH, StoreSettings.DEFAULT, ApiServerSettings.DEFAULT,
        SchedulerConfiguration.defaults(), ControllerManagerSettings.DEFAULT, KubeletSettings.DEFAULT, RuntimeSettings.DEFAULT, 2, 1_000_000, null);
  }

  public ClusterSettings withLogVerbosity(int v) {
    return new ClusterSettings(seed, epoch, store, apiserver, scheduler, controllerManager, kubelet, runtime, v, logCapacity, dataDir);
  }

  /**
   * Keeps the store in {@code dir} (a write-ahead log and snapshots) so that a restart, even
   * after kill -9, comes back with every acknowledged write. The clock goes on from the time of
   * the last write found there.
   */
  public ClusterSettings withDataDir(java.nio.file.Path dir) {
    Instant resume = epoch;
    long last = io.kubesim.controlplane.store.FilePersistence.lastWriteMillis(dir);
    if (last > 0) {
      resume = Instant.ofEpochMilli(last);
    }
    return new ClusterSettings(seed, resume, store, apiserver, scheduler, controllerManager, kubelet, runtime, logVerbosity,
        logCapacity, dir);
  }

  /** Starts the virtual clock at {@code start} instead of the default epoch. */
  public ClusterSettings withEpoch(Instant start) {
    return new ClusterSettings(seed, start, store, apiserver, scheduler, controllerManager, kubelet, runtime,
        logVerbosity, logCapacity, dataDir);
  }

  public ClusterSettings withApiServer(ApiServerSettings a) {
    return new ClusterSettings(seed, epoch, store, a, scheduler, controllerManager, kubelet, runtime, logVerbosity, logCapacity, dataDir);
  }

  public ClusterSettings withStore(StoreSettings s) {
    return new ClusterSettings(seed, epoch, s, apiserver, scheduler, controllerManager, kubelet, runtime, logVerbosity, logCapacity, dataDir);
  }

  public ClusterSettings withScheduler(SchedulerConfiguration s) {
    return new ClusterSettings(seed, epoch, store, apiserver, s, controllerManager, kubelet, runtime, logVerbosity, logCapacity, dataDir);
  }

  public ClusterSettings withControllerManager(ControllerManagerSettings c) {
    return new ClusterSettings(seed, epoch, store, apiserver, scheduler, c, kubelet, runtime, logVerbosity,
        logCapacity, dataDir);
  }

  public ClusterSettings withKubelet(KubeletSettings k) {
    return new ClusterSettings(seed, epoch, store, apiserver, scheduler, controllerManager, k, runtime, logVerbosity, logCapacity, dataDir);
  }

  public ClusterSettings withRuntime(RuntimeSettings r) {
    return new ClusterSettings(seed, epoch, store, apiserver, scheduler, controllerManager, kubelet, r, logVerbosity, logCapacity, dataDir);
  }
}
