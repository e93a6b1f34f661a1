package io.kubesim.controlplane.scenario;

import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.shared.time.GoDuration;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A scenario's {@code spec.settings}: component flags changed from their Kubernetes defaults, by
 * the camelCase names of the flags (kube-controller-manager's --node-monitor-grace-period is
 * nodeMonitorGracePeriod; kube-apiserver's --default-unreachable-toleration-seconds is
 * defaultUnreachableTolerationSeconds; the kubelet's nodeStatusUpdateFrequency keeps its
 * KubeletConfiguration name). Each name is a field of one component's settings; durations are in
 * Go syntax. An unknown name is an error listing the known ones.
 */
final class ScenarioSettings {

  private ScenarioSettings() {}

  static ClusterSettings apply(ClusterSettings base, Scenario s) {
    return apply(base, s, name -> s.source() + ": spec.settings." + name);
  }

  /** As {@link #apply(ClusterSettings, Scenario)}, errors located by {@code where} (a setting's name to its place). */
  static ClusterSettings apply(ClusterSettings base, Scenario s, java.util.function.Function<String, String> where) {
    Object store = base.store();
    Object api = base.apiserver();
    Object cm = base.controllerManager();
    Object kubelet = base.kubelet();
    Object runtime = base.runtime();
    for (Map.Entry<String, String> e : s.settings().entrySet()) {
      String at = where.apply(e.getKey());
      Object[] targets = {store, api, cm, kubelet, runtime};
      boolean found = false;
      for (int i = 0; i < targets.length && !found; i++) {
        Object updated = with(targets[i], e.getKey(), e.getValue(), at);
        if (updated != null) {
          targets[i] = updated;
          found = true;
        }
      }
      if (!found) {
        throw new ManifestException(at + ": unknown setting (known: " + String.join(", ", known(base)) + ")");
      }
      store = targets[0];
      api = targets[1];
      cm = targets[2];
      kubelet = targets[3];
      runtime = targets[4];
    }
    ClusterSettings out = base
        .withStore((io.kubesim.controlplane.store.StoreSettings) store)
        .withApiServer((io.kubesim.controlplane.apiserver.ApiServerSettings) api)
        .withControllerManager((io.kubesim.controlplane.controller.ControllerManagerSettings) cm)
        .withKubelet((io.kubesim.nodeagent.kubelet.KubeletSettings) kubelet)
        .withRuntime((io.kubesim.nodeagent.runtime.RuntimeSettings) runtime);
    if (s.schedulerConfiguration() != null) {
      try {
        out = out.withScheduler(io.kubesim.controlplane.scheduler.SchedulerConfiguration.parse(
            s.schedulerConfiguration()));
      } catch (RuntimeException ex) {
        throw new ManifestException(s.source() + ": KubeSchedulerConfiguration: " + ex.getMessage());
      }
    }
    return out;
  }

  private static List<String> known(ClusterSettings base) {
    TreeSet<String> names = new TreeSet<>();
    for (Object o : new Object[] {base.store(), base.apiserver(), base.controllerManager(), base.kubelet(),
        base.runtime()}) {
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        if (settable(c.getType())) {
          names.add(c.getName());
        }
      }
    }
    return new ArrayList<>(names);
  }

  private static boolean settable(Class<?> t) {
    return t == Duration.class || t == int.class || t == long.class || t == double.class || t == boolean.class;
  }

  /** A copy of the settings record with one field changed, or null if it has no such field. */
  private static Object with(Object record, String name, String value, String where) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    boolean found = false;
    try {
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        args[i] = c.getAccessor().invoke(record);
        if (c.getName().equals(name) && settable(c.getType())) {
          args[i] = parse(c.getType(), value, where);
          found = true;
        }
      }
      if (!found) {
        return null;
      }
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
      }
      Constructor<?> ctor = record.getClass().getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException ex) {
      Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
      throw new ManifestException(where + ": " + cause.getMessage());
    }
  }

  private static Object parse(Class<?> type, String v, String where) {
    try {
      if (type == Duration.class) {
        return GoDuration.parse(v);
      }
      if (type == int.class) {
        return Integer.parseInt(v.trim());
      }
      if (type == long.class) {
        return Long.parseLong(v.trim());
      }
      if (type == double.class) {
        return Double.parseDouble(v.trim());
      }
      if (v.equals("true") || v.equals("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new IllegalArgumentException("expected true or false, got \"" + v + "\"");
    } catch (NumberFormatException e) {
      throw new ManifestException(where + ": expected a " + type.getSimpleName() + ", got \"" + v + "\"");
    } catch (IllegalArgumentException e) {
      throw new ManifestException(where + ": " + e.getMessage());
    }
  }
}
