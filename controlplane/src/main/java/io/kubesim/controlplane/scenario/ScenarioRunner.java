package io.kubesim.controlplane.scenario;

import akka.actor.typed.ActorRef;
import io.kubesim.controlplane.kubectl.Kubectl;
import io.kubesim.controlplane.launcher.Cluster;
import io.kubesim.controlplane.launcher.ClusterSettings;
import io.kubesim.controlplane.launcher.DriverClient;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Plays a scenario: boots its cluster in virtual time, applies its objects, carries out its
 * timeline, checks its expectations at their instants, and runs to the end, as fast as the CPU
 * allows. Everything in the report comes from the simulation, so the same scenario and seed give
 * the same report, byte for byte.
 */
public final class ScenarioRunner {

  /**
   * @param seed overrides the scenario's seed when not null
   * @param verbosity klog -v of the components' log
   * @param progress called now and then with the virtual nanoseconds reached (for a progress line)
   */
  public record Options(Long seed, int verbosity, LongConsumer progress) {
    public static Options defaults() {
      return new Options(null, 2, t -> {});
    }
  }

  /** How often (virtual time) the runner reports progress while fast-forwarding. */
  private static final Duration PROGRESS_STEP = Duration.ofSeconds(10);

  private ScenarioRunner() {}

  public static RunReport run(Scenario scenario, Options options) {
    long seed = options.seed() != null ? options.seed() : scenario.seed();
    ClusterSettings settings = ScenarioSettings.apply(ClusterSettings.defaults(seed)
        .withLogVerbosity(options.verbosity()), scenario);
    try (Cluster cluster = Cluster.boot(scenario.cluster(), settings)) {
      ComponentContext ctx = cluster.componentContext();
      EventLog events = new EventLog();
      cluster.spawn(events.behavior(ctx), "event-log");
      ActorRef<Kubectl.Command> kubectl = cluster.spawn(Kubectl.create(ctx), "kubectl");
      DriverClient client = new DriverClient(cluster, "scenario-checks");
      Expectations checks = new Expectations(client, events, cluster);
      Klog log = ctx.log("scenario");

      log.info("Scenario started", "scenario", scenario.name(), "seed", seed, "duration",
          scenario.duration());
      if (!scenario.objects().isEmpty()) {
        kubectl.tell(new Kubectl.Apply(scenario.objects()));
      }
      cluster.runtime().runUntilIdle();

      List<Expectations.Result> results = new ArrayList<>();
      int step = 0;
      int exp = 0;
      List<Scenario.Step> steps = scenario.timeline();
      List<Scenario.Expectation> expectations = new ArrayList<>(scenario.expectations());
      expectations.sort((a, b) -> a.at().compareTo(b.at()));
      while (step < steps.size() || exp < expectations.size()) {
        Duration nextStep = step < steps.size() ? steps.get(step).at() : null;
        Duration nextExp = exp < expectations.size() ? expectations.get(exp).at() : null;
        // At one instant the timeline acts first, then the checks look.
        if (nextExp == null || (nextStep != null && nextStep.compareTo(nextExp) <= 0)) {
          advanceTo(cluster, nextStep, options);
          Scenario.Step s = steps.get(step++);
          log.info("Timeline action", "action", s.action().describe());
          perform(cluster, kubectl, client, log, s);
          cluster.runtime().runUntilIdle();
        } else {
          advanceTo(cluster, nextExp, options);
          Scenario.Expectation e = expectations.get(exp++);
          Expectations.Result r = checks.check(e);
          results.add(r);
          if (r.met()) {
            log.info("Expectation met", "expect", e.describe());
          } else {
            log.warning("Expectation missed", "expect", e.describe(), "actual", r.actual());
          }
        }
      }
      advanceTo(cluster, scenario.duration(), options);
      log.info("Scenario finished", "scenario", scenario.name());
      cluster.runtime().runUntilIdle();
      return new RunReport(scenario, seed, cluster.logs().lines(), cluster.logs().dropped(),
          List.copyOf(events.entries()), results, ClusterSummary.of(client), decisions(cluster, client));
    }
  }

  /** Decisions shown in a report at most; beyond, the log's per-attempt lines remain. */
  static final int MAX_DECISIONS = 50;

  /** The scheduler's latest decision for each pod still there at the end, in namespace/name order. */
  private static List<String> decisions(Cluster cluster, DriverClient client) {
    List<String> out = new ArrayList<>();
    List<io.fabric8.kubernetes.api.model.HasMetadata> pods = client.list(io.kubesim.shared.api.Resources.PODS, null,
        io.kubesim.shared.api.ListOptions.ALL);
    for (io.fabric8.kubernetes.api.model.HasMetadata p : pods) {
      if (out.size() == MAX_DECISIONS) {
        out.add("(" + (pods.size() - MAX_DECISIONS) + " more pods; their attempts are in the log)");
        break;
      }
      cluster.explain(p.getMetadata().getNamespace(), p.getMetadata().getName())
          .ifPresent(d -> out.add(d.render()));
    }
    return out;
  }

  private static void advanceTo(Cluster cluster, Duration target, Options options) {
    long end = target.toNanos();
    long now = cluster.runtime().nanos();
    // Moving in steps changes nothing in the simulation (nothing runs between due timers); it
    // only lets the caller show progress.
    while (now < end) {
      now = Math.min(end, now + PROGRESS_STEP.toNanos());
      cluster.runtime().advanceTo(now);
      options.progress().accept(now);
    }
    cluster.runtime().advanceTo(end);
  }

  private static void perform(Cluster cluster, ActorRef<Kubectl.Command> kubectl, DriverClient client, Klog log,
      Scenario.Step step) {
    Scenario.Action a = step.action();
    if (a instanceof Scenario.NodeFault f) {
      String result = cluster.nodeFault(f.name(), f.node());
      if (result.startsWith("error")) {
        log.error("Fault not carried out", "fault", f.describe(), "err", result);
      }
    } else if (a instanceof Scenario.ContainerFault f) {
      List<io.fabric8.kubernetes.api.model.HasMetadata> pods = new ArrayList<>();
      if (f.pod() != null) {
        if (client.get(io.kubesim.shared.api.Resources.PODS, f.namespace(), f.pod())
            instanceof io.kubesim.shared.api.Api.Ok ok) {
          pods.add(ok.object());
        }
      } else {
        pods.addAll(client.list(io.kubesim.shared.api.Resources.PODS, f.namespace(),
            io.kubesim.shared.api.ListOptions.labels(f.selector())));
      }
      if (pods.isEmpty()) {
        log.error("Fault not carried out: no such pod", "fault", f.describe());
      }
      for (io.fabric8.kubernetes.api.model.HasMetadata o : pods) {
        io.fabric8.kubernetes.api.model.Pod p = (io.fabric8.kubernetes.api.model.Pod) o;
        String node = p.getSpec().getNodeName();
        if (node == null || node.isEmpty()) {
          log.error("Fault not carried out: pod not on a node", "pod", f.namespace() + "/" + p.getMetadata().getName());
          continue;
        }
        String result = cluster.containerFault(node, f.namespace(), p.getMetadata().getName(), f.container(),
            f.exitCode(), f.name().equals("oom"));
        if (result.startsWith("error")) {
          log.error("Fault not carried out", "fault", f.describe(), "err", result);
        }
      }
    } else if (a instanceof Scenario.Apply ap) {
      kubectl.tell(new Kubectl.Apply(ap.objects()));
    } else if (a instanceof Scenario.Delete d) {
      kubectl.tell(new Kubectl.Delete(type(d.kind()), d.namespace(), d.objectName(), d.propagationPolicy(),
          d.gracePeriodSeconds()));
    } else if (a instanceof Scenario.Scale s) {
      kubectl.tell(new Kubectl.Scale(type(s.kind()), s.namespace(), s.objectName(), s.replicas()));
    } else if (a instanceof Scenario.Cordon c) {
      kubectl.tell(new Kubectl.Cordon(c.node(), c.cordon()));
    } else if (a instanceof Scenario.Drain d) {
      kubectl.tell(new Kubectl.Drain(d.node(), d.ignoreDaemonSets(), d.force(), d.deleteEmptyDirData(),
          d.gracePeriodSeconds(), d.timeout()));
    } else if (a instanceof Scenario.Taint t) {
      kubectl.tell(new Kubectl.TaintNode(t.node(), t.taints()));
    } else if (a instanceof Scenario.Label l) {
      kubectl.tell(new Kubectl.Label(type(l.kind()), l.namespace(), l.objectName(), l.labels()));
    } else if (a instanceof Scenario.SetImage si) {
      kubectl.tell(new Kubectl.SetImage(type(si.kind()), si.namespace(), si.objectName(), si.container(),
          si.image()));
    } else {
      throw new ManifestException(step.where() + ": action " + a.name() + " cannot be performed");
    }
  }

  private static ResourceType type(String kind) {
    return ScenarioParser.resolveType(kind).orElseThrow();
  }

  /** Runs a scenario with default options, for tests. */
  public static RunReport run(Scenario scenario) {
    return run(scenario, Options.defaults());
  }

  /** Formats a virtual offset as HH:MM:SS for reports. */
  static String clock(long nanos) {
    long s = nanos / 1_000_000_000L;
    return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  /** The virtual duration as Go prints it. */
  static String go(Duration d) {
    return Klog.goDuration(d);
  }
}
