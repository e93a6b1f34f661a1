package io.kubesim.controlplane.scenario;

import io.kubesim.shared.json.Json;
import io.kubesim.shared.log.LogLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario run produced: the components' log lines in virtual-time order, the event
 * timeline, the expectations met or missed, and a summary. Written as text for people or JSON
 * for tools; both contain nothing but what the simulation produced, so they are byte-identical
 * for the same scenario and seed.
 */
public record RunReport(Scenario scenario, long seed, List<LogLine> logs, long logsDropped,
    List<EventLog.Entry> events, List<Expectations.Result> results, ClusterSummary summary,
    List<String> decisions) {

  public boolean passed() {
    return results.stream().allMatch(Expectations.Result::met);
  }

  public long met() {
    return results.stream().filter(Expectations.Result::met).count();
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("Scenario ").append(scenario.name());
    if (!scenario.description().isEmpty()) {
      sb.append(": ").append(scenario.description().strip());
    }
    sb.append('\n');
    sb.append("seed ").append(seed).append(", duration ").append(ScenarioRunner.go(scenario.duration()))
        .append(", nodes ").append(String.join(" ", scenario.cluster().nodeNames())).append("\n\n");

    sb.append("== Log (").append(logs.size()).append(" lines");
    if (logsDropped > 0) {
      sb.append(", the first ").append(logsDropped).append(" dropped");
    }
    sb.append(") ==\n");
    for (LogLine l : logs) {
      sb.append(l.text()).append('\n');
    }

    sb.append("\n== Events (").append(events.size()).append(") ==\n");
    for (EventLog.Entry e : events) {
      sb.append(ScenarioRunner.clock(e.nanos())).append("  ")
          .append(String.format(Locale.ROOT, "%-8s %-24s %-40s ", e.type(), e.reason(), e.object()))
          .append(e.message() == null ? "" : e.message());
      if (e.count() > 1) {
        sb.append(" (x").append(e.count()).append(')');
      }
      sb.append("  [").append(e.source()).append("]\n");
    }

    sb.append("\n== Scheduling decisions (the latest attempt for each pod) ==\n");
    for (String d : decisions) {
      sb.append(d.stripTrailing()).append("\n\n");
    }

    sb.append("== Expectations (").append(met()).append(" of ").append(results.size()).append(" met) ==\n");
    for (Expectations.Result r : results) {
      sb.append(r.met() ? "PASS  " : "FAIL  ").append(ScenarioRunner.clock(r.expectation().at().toNanos()))
          .append("  ").append(r.expectation().describe()).append("\n        ").append(r.actual()).append('\n');
    }

    sb.append("\n== Summary ==\n");
    sb.append(String.format(Locale.ROOT, "%-14s %s%n", "virtual time", ScenarioRunner.go(scenario.duration())));
    sb.append(String.format(Locale.ROOT, "%-14s %s%n", "nodes", String.join(", ", summary.nodes())));
    StringBuilder pods = new StringBuilder(Integer.toString(summary.pods()));
    if (!summary.podsByPhase().isEmpty()) {
      pods.append(" (");
      List<String> parts = new ArrayList<>();
      summary.podsByPhase().forEach((k, v) -> parts.add(k + " " + v));
      pods.append(String.join(", ", parts));
      if (summary.terminating() > 0) {
        pods.append("; terminating ").append(summary.terminating());
      }
      pods.append(')');
    }
    sb.append(String.format(Locale.ROOT, "%-14s %s%n", "pods", pods));
    sb.append(String.format(Locale.ROOT, "%-14s %d%n", "log lines", logs.size() + logsDropped));
    sb.append(String.format(Locale.ROOT, "%-14s %d%n", "events", events.size()));
    sb.append(String.format(Locale.ROOT, "%-14s %d of %d met%n", "expectations", met(), results.size()));
    sb.append(String.format(Locale.ROOT, "%-14s %s%n", "result", passed() ? "PASS" : "FAIL"));
    return sb.toString();
  }

  public String json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", scenario.name());
    out.put("description", scenario.description());
    out.put("seed", seed);
    out.put("duration", ScenarioRunner.go(scenario.duration()));
    out.put("nodes", scenario.cluster().nodeNames());
    out.put("passed", passed());
    List<Map<String, Object>> lines = new ArrayList<>();
    for (LogLine l : logs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", ScenarioRunner.clock(l.nanos()));
      m.put("nanos", l.nanos());
      m.put("component", l.component());
      m.put("severity", String.valueOf(l.severity()));
      m.put("text", l.text());
      lines.add(m);
    }
    out.put("log", lines);
    out.put("logDropped", logsDropped);
    List<Map<String, Object>> evs = new ArrayList<>();
    for (EventLog.Entry e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", ScenarioRunner.clock(e.nanos()));
      m.put("type", e.type());
      m.put("reason", e.reason());
      m.put("object", e.object());
      m.put("message", e.message());
      m.put("count", e.count());
      m.put("source", e.source());
      evs.add(m);
    }
    out.put("events", evs);
    List<Map<String, Object>> exps = new ArrayList<>();
    for (Expectations.Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", ScenarioRunner.go(r.expectation().at()));
      m.put("expect", r.expectation().describe());
      m.put("met", r.met());
      m.put("actual", r.actual());
      m.put("where", r.expectation().where());
      exps.add(m);
    }
    out.put("expectations", exps);
    out.put("schedulingDecisions", decisions);
    Map<String, Object> sum = new LinkedHashMap<>();
    sum.put("nodes", summary.nodes());
    sum.put("pods", summary.pods());
    sum.put("podsByPhase", summary.podsByPhase());
    sum.put("terminating", summary.terminating());
    sum.put("met", met());
    sum.put("expectations", results.size());
    out.put("summary", sum);
    return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
  }
}
