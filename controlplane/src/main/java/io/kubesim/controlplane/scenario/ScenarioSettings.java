package io.kubesim.controlplane.scenario;

import io.kubesim.controlplane.apiserver.ApiServerSettings;
import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.time.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A scenario's {@code spec.settings}: the component flags it changes from Kubernetes' defaults,
 * by their Kubernetes flag names in camelCase (kube-apiserver's --default-unreachable-toleration-seconds
 * is defaultUnreachableTolerationSeconds). An unknown name is an error.
 */
final class ScenarioSettings {

  static final List<String> KNOWN = List.of("defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds",
      "eventTTL", "etcdCompactionInterval");

  private ScenarioSettings() {}

  static ClusterSettings apply(ClusterSettings base, Scenario s) {
    ApiServerSettings api = base.apiserver();
    StoreSettings store = base.store();
    for (Map.Entry<String, String> e : s.settings().entrySet()) {
      String v = e.getValue();
      try {
        switch (e.getKey()) {
          case "defaultNotReadyTolerationSeconds" -> api = new ApiServerSettings(Long.parseLong(v),
              api.defaultUnreachableTolerationSeconds(), api.eventTtl(), api.watchCacheCapacity(),
              api.bookmarkInterval());
          case "defaultUnreachableTolerationSeconds" -> api = new ApiServerSettings(
              api.defaultNotReadyTolerationSeconds(), Long.parseLong(v), api.eventTtl(), api.watchCacheCapacity(),
              api.bookmarkInterval());
          case "eventTTL" -> api = new ApiServerSettings(api.defaultNotReadyTolerationSeconds(),
              api.defaultUnreachableTolerationSeconds(), duration(v), api.watchCacheCapacity(),
              api.bookmarkInterval());
          case "etcdCompactionInterval" -> store = new StoreSettings(duration(v), store.maxHistory());
          default -> throw new ManifestException(s.source() + ": spec.settings." + e.getKey()
              + ": unknown setting (known: " + String.join(", ", KNOWN) + ")");
        }
      } catch (NumberFormatException ex) {
        throw new ManifestException(s.source() + ": spec.settings." + e.getKey() + ": expected an integer, got \""
            + v + "\"");
      } catch (IllegalArgumentException ex) {
        throw new ManifestException(s.source() + ": spec.settings." + e.getKey() + ": " + ex.getMessage());
      }
    }
    ClusterSettings out = base.withApiServer(api).withStore(store);
    if (s.schedulerConfiguration() != null) {
      try {
        out = out.withScheduler(io.kubesim.controlplane.scheduler.SchedulerConfiguration.parse(
            s.schedulerConfiguration()));
      } catch (RuntimeException e) {
        throw new ManifestException(s.source() + ": KubeSchedulerConfiguration: " + e.getMessage());
      }
    }
    return out;
  }

  private static Duration duration(String v) {
    return GoDuration.parse(v);
  }
}
