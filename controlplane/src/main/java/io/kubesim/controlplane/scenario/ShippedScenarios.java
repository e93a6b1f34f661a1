package io.kubesim.controlplane.scenario;

import java.util.List;

/** The scenarios shipped in config/scenarios (on the classpath as kubesim/scenarios/NAME.yaml). */
public final class ShippedScenarios {

  /** What {@code kubesim run} plays without arguments. */
  public static final String DEFAULT = "node-failure";

  /** Every shipped scenario, by name; a test checks this against the files. */
  public static final List<String> NAMES = List.of("node-failure", "node-recovery", "partition-heal", "crash-loop", "oom",
      "init-containers", "rolling-update", "drain", "node-selector", "node-affinity", "pod-affinity",
      "pod-anti-affinity", "taint-untolerated", "toleration", "cordon", "resources-exhausted",
      "topology-spread-zones", "preemption", "services", "init-waits-for-service", "storage", "quota",
      "config-and-secrets", "limit-range", "namespace-deletion", "daemonset", "job", "cronjob-day", "statefulset");

  private ShippedScenarios() {}

  public static Scenario load(String name) {
    return ScenarioParser.readResource("kubesim/scenarios/" + name + ".yaml");
  }
}
