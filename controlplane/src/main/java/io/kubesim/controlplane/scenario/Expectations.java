package io.kubesim.controlplane.scenario;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.launcher.DriverClient;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Checks a scenario's expectations against the cluster as the apiserver shows it. */
final class Expectations {

  /** The outcome of one check; {@code actual} says what was there. */
  record Result(Scenario.Expectation expectation, boolean met, String actual) {}

  private final DriverClient client;
  private final EventLog events;
  private final io.kubesim.controlplane.launcher.Cluster cluster;

  Expectations(DriverClient client, EventLog events, io.kubesim.controlplane.launcher.Cluster cluster) {
    this.client = client;
    this.events = events;
    this.cluster = cluster;
  }

  Result check(Scenario.Expectation e) {
    if (e instanceof Scenario.NodeExpectation n) {
      return node(n);
    }
    if (e instanceof Scenario.PodsExpectation p) {
      return pods(p);
    }
    if (e instanceof Scenario.WorkloadExpectation w) {
      return workload(w);
    }
    if (e instanceof Scenario.SchedulingExpectation s) {
      return scheduling(s);
    }
    if (e instanceof Scenario.ServiceExpectation s) {
      return service(s);
    }
    if (e instanceof Scenario.ObjectExpectation o) {
      return object(o);
    }
    return event((Scenario.EventExpectation) e);
  }

  // ---------------------------------------------------------------- nodes

  private Result node(Scenario.NodeExpectation e) {
    Api.Response r = client.get(Resources.NODES, null, e.node());
    if (r instanceof Api.Failed) {
      boolean met = Boolean.FALSE.equals(e.exists());
      return new Result(e, met, "node " + e.node() + " does not exist");
    }
    Node n = (Node) ((Api.Ok) r).object();
    List<String> problems = new ArrayList<>();
    if (Boolean.FALSE.equals(e.exists())) {
      problems.add("it exists");
    }
    String ready = readyStatus(n);
    if (e.ready() != null && !e.ready().equals(ready)) {
      problems.add("Ready=" + ready);
    }
    List<Taint> taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    for (String t : e.taints()) {
      if (taints.stream().noneMatch(x -> taintMatches(x, t))) {
        problems.add("no taint " + t);
      }
    }
    for (String t : e.noTaints()) {
      if (taints.stream().anyMatch(x -> taintMatches(x, t))) {
        problems.add("has taint " + t);
      }
    }
    boolean unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    if (e.unschedulable() != null && e.unschedulable() != unschedulable) {
      problems.add(unschedulable ? "unschedulable" : "schedulable");
    }
    String actual = "Ready=" + ready + ", taints=[" + String.join(", ", taints.stream().map(Expectations::taint)
        .toList()) + "]" + (unschedulable ? ", unschedulable" : "");
    return new Result(e, problems.isEmpty(), problems.isEmpty() ? actual : String.join("; ", problems) + " ("
        + actual + ")");
  }

  static String readyStatus(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return "none";
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return c.getStatus();
      }
    }
    return "none";
  }

  static String taint(Taint t) {
    return t.getKey() + (t.getValue() == null || t.getValue().isEmpty() ? "" : "=" + t.getValue()) + ":"
        + t.getEffect();
  }

  /** "key", "key:Effect", "key=value:Effect". */
  static boolean taintMatches(Taint t, String spec) {
    String effect = null;
    String body = spec;
    int colon = spec.lastIndexOf(':');
    if (colon >= 0) {
      effect = spec.substring(colon + 1);
      body = spec.substring(0, colon);
    }
    String key = body;
    String value = null;
    int eq = body.indexOf('=');
    if (eq >= 0) {
      key = body.substring(0, eq);
      value = body.substring(eq + 1);
    }
    return key.equals(t.getKey()) && (effect == null || effect.equals(t.getEffect()))
        && (value == null || value.equals(t.getValue() == null ? "" : t.getValue()));
  }

  // ---------------------------------------------------------------- pods

  private Result pods(Scenario.PodsExpectation e) {
    List<Pod> candidates = new ArrayList<>();
    if (e.podName() != null) {
      Api.Response r = client.get(Resources.PODS, e.namespace(), e.podName());
      if (r instanceof Api.Ok ok) {
        candidates.add((Pod) ok.object());
      }
    } else {
      for (HasMetadata o : client.list(Resources.PODS, e.namespace(), ListOptions.labels(e.selector()))) {
        candidates.add((Pod) o);
      }
    }
    int passing = 0;
    List<String> seen = new ArrayList<>();
    java.util.Map<String, java.util.Map<String, String>> nodeLabels = new java.util.HashMap<>();
    if (e.nodeSelector() != null) {
      for (HasMetadata n : client.list(Resources.NODES, null, ListOptions.ALL)) {
        nodeLabels.put(n.getMetadata().getName(), n.getMetadata().getLabels());
      }
    }
    for (Pod p : candidates) {
      String why = mismatch(e, p);
      if (why == null && e.nodeSelector() != null) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        if (node == null || !io.kubesim.shared.api.selector.LabelSelector.parse(e.nodeSelector())
            .matches(nodeLabels.get(node))) {
          why = "node " + node + " not selected by " + e.nodeSelector();
        }
      }
      if (why == null) {
        passing++;
      }
      seen.add(p.getMetadata().getName() + " " + describe(p) + (why == null ? "" : " (" + why + ")"));
    }
    boolean met = e.count().test(passing);
    String actual = passing + " of " + candidates.size() + " match" + (seen.isEmpty() ? "" : ": "
        + String.join("; ", seen));
    return new Result(e, met, actual);
  }

  /** Why the pod does not pass the expectation's filters, or null if it does. */
  private static String mismatch(Scenario.PodsExpectation e, Pod p) {
    String phase = p.getStatus() == null ? "" : p.getStatus().getPhase();
    if (e.phase() != null && !e.phase().equals(phase)) {
      return "phase " + phase;
    }
    if (e.ready() != null && e.ready() != isReady(p)) {
      return isReady(p) ? "ready" : "not ready";
    }
    String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
    if (e.node() != null && !e.node().equals(node)) {
      return "on " + (node == null ? "no node" : node);
    }
    if (e.notNode() != null && e.notNode().equals(node)) {
      return "on " + node;
    }
    boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
    if (e.terminating() != null && e.terminating() != terminating) {
      return terminating ? "terminating" : "not terminating";
    }
    if (e.containerState() != null && !hasState(p, e.containerState())) {
      return "no container " + e.containerState();
    }
    if (e.restarts() != null && !e.restarts().test(restarts(p))) {
      return restarts(p) + " restarts";
    }
    if (e.condition() != null) {
      PodCondition c = condition(p, e.condition());
      if (c == null) {
        return "no " + e.condition() + " condition";
      }
      if (e.conditionStatus() != null && !e.conditionStatus().equals(c.getStatus())) {
        return e.condition() + "=" + c.getStatus();
      }
      if (e.conditionReason() != null && !e.conditionReason().equals(c.getReason())) {
        return e.condition() + " reason " + c.getReason();
      }
      if (e.messageContains() != null && (c.getMessage() == null || !c.getMessage().contains(e.messageContains()))) {
        return e.condition() + " message \"" + c.getMessage() + "\"";
      }
    }
    return null;
  }

  private static String describe(Pod p) {
    String phase = p.getStatus() == null ? "" : p.getStatus().getPhase();
    String node = p.getSpec() == null || p.getSpec().getNodeName() == null ? "-" : p.getSpec().getNodeName();
    return "[" + phase + (isReady(p) ? ", ready" : "") + (p.getMetadata().getDeletionTimestamp() != null
        ? ", terminating" : "") + ", node " + node + "]";
  }

  static boolean isReady(Pod p) {
    PodCondition c = condition(p, "Ready");
    return c != null && "True".equals(c.getStatus());
  }

  static PodCondition condition(Pod p, String type) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  private static List<ContainerStatus> statuses(Pod p) {
    List<ContainerStatus> all = new ArrayList<>();
    if (p.getStatus() != null) {
      if (p.getStatus().getInitContainerStatuses() != null) {
        all.addAll(p.getStatus().getInitContainerStatuses());
      }
      if (p.getStatus().getContainerStatuses() != null) {
        all.addAll(p.getStatus().getContainerStatuses());
      }
    }
    return all;
  }

  /** A container is (or last was) in this state: Running, or a waiting or terminated reason. */
  private static boolean hasState(Pod p, String state) {
    for (ContainerStatus s : statuses(p)) {
      var st = s.getState();
      if (st != null) {
        if ("Running".equals(state) && st.getRunning() != null) {
          return true;
        }
        if (st.getWaiting() != null && state.equals(st.getWaiting().getReason())) {
          return true;
        }
        if (st.getTerminated() != null && state.equals(st.getTerminated().getReason())) {
          return true;
        }
      }
      var last = s.getLastState();
      if (last != null && last.getTerminated() != null && state.equals(last.getTerminated().getReason())) {
        return true;
      }
    }
    return false;
  }

  private static long restarts(Pod p) {
    long max = 0;
    for (ContainerStatus s : statuses(p)) {
      if (s.getRestartCount() != null) {
        max = Math.max(max, s.getRestartCount());
      }
    }
    return max;
  }

  // ---------------------------------------------------------------- workloads and events

  private Result workload(Scenario.WorkloadExpectation e) {
    ResourceType type = Resources.byKind("apps/v1", e.kind()).orElseThrow();
    Api.Response r = client.get(type, e.namespace(), e.objectName());
    if (r instanceof Api.Failed f) {
      return new Result(e, false, f.message());
    }
    JsonNode status = Json.tree(((Api.Ok) r).object()).path("status");
    List<String> problems = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (Map.Entry<String, Scenario.Count> f : e.fields().entrySet()) {
      long v = status.path(f.getKey()).asLong(0);
      actual.add(f.getKey() + "=" + v);
      if (!f.getValue().test(v)) {
        problems.add(f.getKey() + "=" + v);
      }
    }
    return new Result(e, problems.isEmpty(), String.join(", ", actual));
  }

  private Result scheduling(Scenario.SchedulingExpectation e) {
    List<String> names = new ArrayList<>();
    if (e.podName() != null) {
      names.add(e.podName());
    } else {
      for (HasMetadata o : client.list(Resources.PODS, e.namespace(), ListOptions.labels(e.selector()))) {
        names.add(o.getMetadata().getName());
      }
    }
    if (names.isEmpty()) {
      return new Result(e, false, "no such pod");
    }
    List<String> problems = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String name : names) {
      var d = cluster.explain(e.namespace(), name);
      if (d.isEmpty()) {
        problems.add(name + ": no scheduling decision");
        continue;
      }
      var decision = d.get();
      seen.add(name + " -> " + (decision.scheduled() ? decision.node() : "unschedulable: " + decision.message()));
      if (e.node() != null && !e.node().equals(decision.node())) {
        problems.add(name + " went to " + decision.node());
      }
      if (e.unschedulable() != null && e.unschedulable() == decision.scheduled()) {
        problems.add(name + (decision.scheduled() ? " was scheduled" : " was not scheduled"));
      }
      for (var r : e.rejected().entrySet()) {
        var v = decision.verdict(r.getKey());
        if (v == null || v.passed() || !r.getValue().equals(v.plugin())) {
          problems.add(name + ": " + r.getKey() + " " + (v == null ? "not evaluated" : v.text()));
        }
      }
      if (e.messageContains() != null && (decision.message() == null
          || !decision.message().contains(e.messageContains()))) {
        problems.add(name + ": message \"" + decision.message() + "\"");
      }
    }
    return new Result(e, problems.isEmpty(), problems.isEmpty() ? String.join("; ", seen)
        : String.join("; ", problems));
  }

  private Result service(Scenario.ServiceExpectation e) {
    Api.Response r = client.get(Resources.SERVICES, e.namespace(), e.name());
    if (r instanceof Api.Failed) {
      return new Result(e, Boolean.FALSE.equals(e.exists()), "service " + e.namespace() + "/" + e.name()
          + " does not exist");
    }
    io.fabric8.kubernetes.api.model.Service svc = (io.fabric8.kubernetes.api.model.Service) ((Api.Ok) r).object();
    List<String> problems = new ArrayList<>();
    if (Boolean.FALSE.equals(e.exists())) {
      problems.add("it exists");
    }
    var spec = svc.getSpec();
    String clusterIp = spec.getClusterIP();
    Integer nodePort = spec.getPorts() == null || spec.getPorts().isEmpty() ? null
        : spec.getPorts().get(0).getNodePort();
    int all = 0;
    int ready = 0;
    for (HasMetadata o : client.list(Resources.ENDPOINTSLICES, e.namespace(),
        ListOptions.labels("kubernetes.io/service-name=" + e.name()))) {
      var slice = (io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice) o;
      for (var ep : slice.getEndpoints() == null ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
          : slice.getEndpoints()) {
        all++;
        if (ep.getConditions() != null && Boolean.TRUE.equals(ep.getConditions().getReady())) {
          ready++;
        }
      }
    }
    if (e.type() != null && !e.type().equals(spec.getType())) {
      problems.add("type " + spec.getType());
    }
    if (e.clusterIP() != null && (clusterIp == null || (e.clusterIP().equals("None") ? !clusterIp.equals("None")
        : !clusterIp.startsWith(e.clusterIP())))) {
      problems.add("clusterIP " + clusterIp);
    }
    if (e.nodePortRange() != null) {
      String[] b = e.nodePortRange().split("-");
      if (nodePort == null || nodePort < Integer.parseInt(b[0]) || nodePort > Integer.parseInt(b[1])) {
        problems.add("nodePort " + nodePort);
      }
    }
    if (e.nodePort() != null && (nodePort == null || !e.nodePort().test(nodePort))) {
      problems.add("nodePort " + nodePort);
    }
    if (e.endpoints() != null && !e.endpoints().test(all)) {
      problems.add(all + " endpoints");
    }
    if (e.readyEndpoints() != null && !e.readyEndpoints().test(ready)) {
      problems.add(ready + " ready");
    }
    if (e.notReadyEndpoints() != null && !e.notReadyEndpoints().test(all - ready)) {
      problems.add((all - ready) + " not ready");
    }
    String actual = spec.getType() + " " + clusterIp + (nodePort == null ? "" : " nodePort " + nodePort) + ", "
        + all + " endpoints (" + ready + " ready)";
    return new Result(e, problems.isEmpty(), problems.isEmpty() ? actual : String.join("; ", problems) + " ("
        + actual + ")");
  }

  private Result object(Scenario.ObjectExpectation e) {
    Api.Response r = client.get(e.type(), e.namespace(), e.objectName());
    if (r instanceof Api.Failed f) {
      boolean met = Boolean.FALSE.equals(e.exists());
      return new Result(e, met, f.code() == 404 ? "does not exist" : f.message());
    }
    HasMetadata o = ((Api.Ok) r).object();
    if (Boolean.FALSE.equals(e.exists())) {
      return new Result(e, false, "it exists" + (o.getMetadata().getDeletionTimestamp() != null
          ? " (being deleted)" : ""));
    }
    JsonNode tree = Json.tree(o);
    List<String> problems = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    for (Map.Entry<String, String> f : e.fields().entrySet()) {
      JsonNode v = at(tree, f.getKey());
      String text = v == null || v.isNull() || v.isMissingNode() ? "<none>" : v.isValueNode() ? v.asString()
          : v.toString();
      actual.add(f.getKey() + "=" + text);
      if (!f.getValue().equals(text)) {
        problems.add(f.getKey() + "=" + text);
      }
    }
    String seen = actual.isEmpty() ? "exists" : String.join(", ", actual);
    return new Result(e, problems.isEmpty(), seen);
  }

  /**
   * The node at a dotted path. A segment in brackets is one key, dots and all
   * ({@code metadata.annotations[a.b/c]}); on a list, {@code [2]} is an index and
   * {@code [type=Ready]} the element whose field has that value.
   */
  static JsonNode at(JsonNode root, String path) {
    JsonNode n = root;
    int i = 0;
    while (i < path.length() && n != null) {
      String key;
      if (path.charAt(i) == '[') {
        int end = path.indexOf(']', i);
        key = path.substring(i + 1, end < 0 ? path.length() : end);
        i = end < 0 ? path.length() : end + 1;
      } else {
        int dot = path.indexOf('.', i);
        int bracket = path.indexOf('[', i);
        int end = dot < 0 ? path.length() : dot;
        if (bracket >= 0 && bracket < end) {
          end = bracket;
        }
        key = path.substring(i, end);
        i = end;
      }
      if (i < path.length() && path.charAt(i) == '.') {
        i++;
      }
      if (n.isArray()) {
        int eq = key.indexOf('=');
        if (eq > 0) {
          // [type=Ready]: the element whose field has that value
          JsonNode match = null;
          for (JsonNode el : n) {
            JsonNode f = el.get(key.substring(0, eq));
            if (f != null && f.isValueNode() && f.asString().equals(key.substring(eq + 1))) {
              match = el;
              break;
            }
          }
          n = match;
          continue;
        }
        try {
          n = n.get(Integer.parseInt(key));
        } catch (NumberFormatException ex) {
          return null;
        }
      } else {
        n = n.get(key);
      }
    }
    return n;
  }

  private Result event(Scenario.EventExpectation e) {
    long n = 0;
    for (EventLog.Entry x : events.entries()) {
      if (!e.reason().equals(x.reason())) {
        continue;
      }
      if (e.type() != null && !e.type().equals(x.type())) {
        continue;
      }
      if (e.object() != null && !x.object().startsWith(e.object())) {
        continue;
      }
      if (e.messageContains() != null && (x.message() == null || !x.message().contains(e.messageContains()))) {
        continue;
      }
      n++;
    }
    return new Result(e, e.count().test(n), n + " seen");
  }
}
