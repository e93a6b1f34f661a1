package io.kubesim.controlplane.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.kubesim.controlplane.launcher.ClusterDefinition;
import io.kubesim.controlplane.manifest.ManifestException;
import io.kubesim.controlplane.manifest.Manifests;
import io.kubesim.controlplane.scenario.Scenario.Action;
import io.kubesim.controlplane.scenario.Scenario.Count;
import io.kubesim.controlplane.scenario.Scenario.Expectation;
import io.kubesim.controlplane.scenario.Scenario.Step;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads a scenario file; every error names the file, the document and the field. */
public final class ScenarioParser {

  static final List<String> NODE_FAULTS = List.of("node-down", "node-up", "kubelet-stop", "kubelet-start",
      "partition", "heal");
  static final List<String> ACTIONS = List.of("node-down", "node-up", "kubelet-stop", "kubelet-start", "partition",
      "heal", "container-crash", "oom", "apply", "delete", "scale", "cordon", "uncordon", "drain", "taint", "label",
      "set-image");

  private ScenarioParser() {}

  public static Scenario read(Path file) {
    return parse(Manifests.read(file));
  }

  public static Scenario readResource(String resource) {
    return parse(Manifests.readResource(resource));
  }

  public static Scenario parse(String source, String text) {
    return parse(Manifests.parse(source, text));
  }

  static Scenario parse(List<Manifests.Document> docs) {
    if (docs.isEmpty()) {
      throw new ManifestException("the scenario file has no documents");
    }
    String source = docs.get(0).source();
    Manifests.Document scenarioDoc = null;
    List<Node> nodes = new ArrayList<>();
    List<HasMetadata> objects = new ArrayList<>();
    String schedulerConfig = null;
    for (Manifests.Document d : docs) {
      if (Scenario.KIND.equals(d.kind()) && d.apiVersion().startsWith("kubesim.io/")) {
        if (!Scenario.API_VERSION.equals(d.apiVersion())) {
          throw new ManifestException(d.where() + ": apiVersion: Unsupported value: \"" + d.apiVersion()
              + "\": supported values: \"" + Scenario.API_VERSION + "\"");
        }
        if (scenarioDoc != null) {
          throw new ManifestException(d.where() + ": a file holds one Scenario; another is at document "
              + scenarioDoc.index());
        }
        scenarioDoc = d;
      } else if ("KubeSchedulerConfiguration".equals(d.kind())) {
        schedulerConfig = Json.YAML.writeValueAsString(d.content());
      } else if ("Node".equals(d.kind())) {
        nodes.add((Node) Manifests.toObject(d));
      } else {
        objects.add(Manifests.toObject(d));
      }
    }
    if (scenarioDoc == null) {
      throw new ManifestException(source + ": no Scenario document (apiVersion: " + Scenario.API_VERSION
          + ", kind: Scenario)");
    }
    FieldReader top = new FieldReader(scenarioDoc, scenarioDoc.content(), "");
    top.string("apiVersion");
    top.string("kind");
    FieldReader meta = top.object("metadata");
    String name = meta.string("name");
    meta.raw("annotations");
    meta.raw("labels");
    meta.done();
    FieldReader spec = top.object("spec");
    String description = spec.string("description", "");
    long seed = Optional.ofNullable(spec.optionalLong("seed")).orElse(1L);
    Duration duration = spec.duration("duration");
    if (duration.isNegative() || duration.isZero()) {
      throw spec.error(spec.at("duration"), "must be positive");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    JsonNode s = spec.raw("settings");
    if (s != null && !s.isNull()) {
      if (!s.isObject()) {
        throw spec.error(spec.at("settings"), "expected a mapping");
      }
      for (String k : s.propertyNames()) {
        settings.put(k, s.get(k).asString());
      }
    }
    List<Step> timeline = new ArrayList<>();
    for (FieldReader step : spec.objects("timeline")) {
      Duration at = step.duration("at");
      checkWithin(step, at, duration);
      timeline.add(new Step(at, action(step), step.doc().source() + ": " + step.path()));
      step.done();
    }
    List<Expectation> expectations = new ArrayList<>();
    for (FieldReader e : spec.objects("expect")) {
      expectations.add(expectation(e, duration));
      e.done();
    }
    spec.done();
    top.done();
    // Timeline steps at the same instant run in file order.
    List<Step> ordered = new ArrayList<>(timeline);
    ordered.sort((a, b) -> a.at().compareTo(b.at()));
    ClusterDefinition cluster = nodes.isEmpty() ? ClusterDefinition.defaultCluster()
        : ClusterDefinition.fromNodes(nodes, baseDir(source));
    return new Scenario(name, description, source, seed, duration, cluster, objects, schedulerConfig, settings,
        ordered, expectations);
  }

  private static Path baseDir(String source) {
    try {
      Path p = Path.of(source).toAbsolutePath().getParent();
      return p;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void checkWithin(FieldReader r, Duration at, Duration duration) {
    if (at.isNegative()) {
      throw r.error(r.at("at"), "must not be negative");
    }
    if (at.compareTo(duration) > 0) {
      throw r.error(r.at("at"), "is after the end of the scenario (duration " + io.kubesim.shared.time.GoDuration
          .format(duration) + ")");
    }
  }

  // ---------------------------------------------------------------- actions

  private static Action action(FieldReader r) {
    String action = r.string("action");
    if (NODE_FAULTS.contains(action)) {
      return new Scenario.NodeFault(action, r.string("node"));
    }
    switch (action) {
      case "container-crash", "oom" -> {
        String pod = r.optionalString("pod");
        String selector = r.optionalString("selector");
        if ((pod == null) == (selector == null)) {
          throw r.error(r.at("pod"), "give either pod (a name) or selector");
        }
        Long code = r.optionalLong("exitCode");
        int exit = action.equals("oom") ? 137 : code == null ? 1 : code.intValue();
        if (action.equals("oom") && code != null) {
          throw r.error(r.at("exitCode"), "an OOM kill always exits with 137");
        }
        return new Scenario.ContainerFault(action, r.string("namespace", "default"), pod, selector,
            r.optionalString("container"), exit);
      }
      case "apply" -> {
        return new Scenario.Apply(applied(r));
      }
      case "delete" -> {
        Ref ref = ref(r, "resource");
        return new Scenario.Delete(ref.namespace, ref.type.kind(), ref.name, r.optionalString("propagationPolicy"),
            r.optionalLong("gracePeriod"));
      }
      case "scale" -> {
        Ref ref = ref(r, "resource");
        if (!List.of("Deployment", "ReplicaSet", "StatefulSet").contains(ref.type.kind())) {
          throw r.error(r.at("resource"), "only deployments, replicasets and statefulsets can be scaled");
        }
        long replicas = r.longValue("replicas");
        if (replicas < 0) {
          throw r.error(r.at("replicas"), "must not be negative");
        }
        return new Scenario.Scale(ref.namespace, ref.type.kind(), ref.name, (int) replicas);
      }
      case "cordon", "uncordon" -> {
        return new Scenario.Cordon(r.string("node"), action.equals("cordon"));
      }
      case "drain" -> {
        return new Scenario.Drain(r.string("node"), r.bool("ignoreDaemonSets", false), r.bool("force", false),
            r.bool("deleteEmptyDirData", false), r.optionalLong("gracePeriod"), r.optionalDuration("timeout"));
      }
      case "taint" -> {
        List<String> taints = r.strings("taints");
        if (taints.isEmpty()) {
          throw r.error(r.at("taints"), "Required value");
        }
        return new Scenario.Taint(r.string("node"), taints);
      }
      case "label" -> {
        List<String> labels = r.strings("labels");
        if (labels.isEmpty()) {
          throw r.error(r.at("labels"), "Required value");
        }
        if (r.has("node")) {
          return new Scenario.Label(null, "Node", r.string("node"), labels);
        }
        Ref ref = ref(r, "resource");
        return new Scenario.Label(ref.namespace, ref.type.kind(), ref.name, labels);
      }
      case "set-image" -> {
        Ref ref = ref(r, "resource");
        return new Scenario.SetImage(ref.namespace, ref.type.kind(), ref.name, r.string("container"),
            r.string("image"));
      }
      default -> throw r.error(r.at("action"), "Unsupported value: \"" + action + "\": supported values: "
          + String.join(", ", ACTIONS));
    }
  }

  private static List<HasMetadata> applied(FieldReader r) {
    List<HasMetadata> out = new ArrayList<>();
    String manifest = r.optionalString("manifest");
    JsonNode object = r.raw("object");
    if ((manifest == null) == (object == null || object.isNull())) {
      throw r.error(r.at("manifest"), "give either manifest (YAML text) or object (a mapping)");
    }
    if (manifest != null) {
      for (Manifests.Document d : Manifests.parse(r.doc().source() + ": " + r.at("manifest"), manifest)) {
        out.add(Manifests.toObject(d));
      }
    } else {
      if (!object.isObject()) {
        throw r.error(r.at("object"), "expected a mapping");
      }
      Manifests.Document d = new Manifests.Document(r.doc().source() + ": " + r.at("object"), 1, r.doc().line(),
          (tools.jackson.databind.node.ObjectNode) object);
      out.add(Manifests.toObject(d));
    }
    return out;
  }

  private record Ref(ResourceType type, String name, String namespace) {}

  /** "deployment/web", "deploy/web", "node/w1-k8s": kubectl's TYPE/NAME. */
  private static Ref ref(FieldReader r, String field) {
    String v = r.string(field);
    int slash = v.indexOf('/');
    if (slash <= 0 || slash == v.length() - 1) {
      throw r.error(r.at(field), "expected TYPE/NAME (e.g. deployment/web), got \"" + v + "\"");
    }
    ResourceType type = resolveType(v.substring(0, slash))
        .orElseThrow(() -> r.error(r.at(field), "the server doesn't have a resource type \""
            + v.substring(0, slash) + "\""));
    String ns = r.string("namespace", "default");
    return new Ref(type, v.substring(slash + 1), type.namespaced() ? ns : null);
  }

  /** Resolves a resource name as kubectl does: plural, singular, short name or kind, any case. */
  public static Optional<ResourceType> resolveType(String name) {
    String n = name.toLowerCase();
    int dot = n.indexOf('.');
    String group = null;
    if (dot > 0) {
      group = n.substring(dot + 1);
      n = n.substring(0, dot);
    }
    for (ResourceType t : Resources.all()) {
      if (group != null && !group.equals(t.group())) {
        continue;
      }
      if (t.plural().equals(n) || t.singular().equals(n) || t.kind().toLowerCase().equals(n)
          || t.shortNames().contains(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- expectations

  private static Count count(FieldReader r, String field, Count fallback) {
    String v = r.optionalString(field);
    if (v == null) {
      return fallback;
    }
    try {
      return Count.parse(v);
    } catch (NumberFormatException e) {
      throw r.error(r.at(field), "expected a count like 3, \">=1\" or \"<=2\", got \"" + v + "\"");
    }
  }

  private static String nodeSelector(FieldReader p) {
    String s = p.optionalString("nodeSelector");
    if (s != null) {
      try {
        io.kubesim.shared.api.selector.LabelSelector.parse(s);
      } catch (io.kubesim.shared.api.selector.SelectorParseException e) {
        throw p.error(p.at("nodeSelector"), e.getMessage());
      }
    }
    return s;
  }

  /** A kind by its name (PersistentVolumeClaim), its plural, singular or short name (pvc), case aside. */
  static io.kubesim.shared.api.ResourceType resourceType(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    for (io.kubesim.shared.api.ResourceType t : io.kubesim.shared.api.Resources.all()) {
      if (t.kind().toLowerCase(java.util.Locale.ROOT).equals(n) || t.plural().equals(n) || t.singular().equals(n)
          || t.shortNames().contains(n)) {
        return t;
      }
    }
    return null;
  }

  private static Expectation expectation(FieldReader r, Duration duration) {
    Duration at = r.duration("at");
    checkWithin(r, at, duration);
    String where = r.doc().source() + ": " + r.path();
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("node", "pod", "pods", "deployment", "replicaset", "statefulset", "daemonset", "event",
        "scheduling", "service", "object")) {
      if (r.has(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      throw r.error(r.path(), kinds.isEmpty()
          ? "an expectation names one of node, pod, pods, deployment, replicaset, statefulset, daemonset, event, "
              + "scheduling, service, object"
          : "an expectation names one subject, got " + String.join(" and ", kinds));
    }
    String kind = kinds.get(0);
    switch (kind) {
      case "node" -> {
        String ready = r.conditionStatus("ready");
        return new Scenario.NodeExpectation(at, where, r.string("node"), ready, r.strings("taints"),
            r.strings("noTaints"), r.optionalBool("unschedulable"), r.optionalBool("exists"));
      }
      case "pod", "pods" -> {
        String podName = null;
        String selector = null;
        FieldReader p;
        if (kind.equals("pod")) {
          JsonNode v = r.raw("pod");
          if (v.isValueNode()) {
            podName = v.asString();
            p = r;
          } else {
            p = r.object("pod");
            podName = p.string("name");
          }
        } else {
          p = r.object("pods");
          selector = p.string("selector", "");
          try {
            io.kubesim.shared.api.selector.LabelSelector.parse(selector);
          } catch (io.kubesim.shared.api.selector.SelectorParseException e) {
            throw p.error(p.at("selector"), e.getMessage());
          }
        }
        Scenario.PodsExpectation pe = new Scenario.PodsExpectation(at, where, p.string("namespace", "default"),
            podName, selector, p.optionalString("phase"), p.optionalBool("ready"), p.optionalString("node"),
            p.optionalString("notNode"), nodeSelector(p), p.optionalBool("terminating"), p.optionalString("state"),
            count(p, "restarts", null), p.optionalString("condition"), p.conditionStatus("conditionStatus"),
            p.optionalString("conditionReason"), p.optionalString("message"),
            count(p, "count", podName != null ? new Count("==", 1) : new Count(">=", 1)));
        if (p != r) {
          p.done();
        }
        return pe;
      }
      case "scheduling" -> {
        FieldReader sc = r.object("scheduling");
        String podName = sc.optionalString("pod");
        String selector = sc.optionalString("selector");
        if ((podName == null) == (selector == null)) {
          throw sc.error(sc.at("pod"), "give either pod (a name) or selector");
        }
        Map<String, String> rejected = new LinkedHashMap<>();
        JsonNode rj = sc.raw("rejected");
        if (rj != null && !rj.isNull()) {
          if (!rj.isObject()) {
            throw sc.error(sc.at("rejected"), "expected a mapping of node to filter plugin");
          }
          for (String k : rj.propertyNames()) {
            rejected.put(k, rj.get(k).asString());
          }
        }
        Scenario.SchedulingExpectation se = new Scenario.SchedulingExpectation(at, where,
            sc.string("namespace", "default"), podName, selector, sc.optionalString("node"),
            sc.optionalBool("unschedulable"), rejected, sc.optionalString("message"));
        sc.done();
        return se;
      }
      case "service" -> {
        FieldReader sv = r.object("service");
        String range = null;
        Count nodePort = null;
        JsonNode np = sv.raw("nodePort");
        if (np != null && !np.isNull()) {
          String text = np.asString().trim();
          if (text.matches("\\d+-\\d+")) {
            range = text;
          } else {
            nodePort = count(sv, "nodePort", null);
          }
        }
        Scenario.ServiceExpectation se = new Scenario.ServiceExpectation(at, where, sv.string("namespace", "default"),
            sv.string("name"), sv.optionalBool("exists"), sv.optionalString("type"), sv.optionalString("clusterIP"),
            range, nodePort, count(sv, "endpoints", null), count(sv, "readyEndpoints", null),
            count(sv, "notReadyEndpoints", null));
        sv.done();
        return se;
      }
      case "object" -> {
        FieldReader o = r.object("object");
        String kindName = o.string("kind");
        io.kubesim.shared.api.ResourceType type = resourceType(kindName);
        if (type == null) {
          throw o.error(o.at("kind"), "unknown kind \"" + kindName + "\" (a kind such as PersistentVolumeClaim, "
              + "or a resource name such as pvc)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode fj = o.raw("fields");
        if (fj != null && !fj.isNull()) {
          if (!fj.isObject()) {
            throw o.error(o.at("fields"), "expected a mapping of field path to value");
          }
          for (String k : fj.propertyNames()) {
            fields.put(k, fj.get(k).isValueNode() ? fj.get(k).asString() : fj.get(k).toString());
          }
        }
        Boolean exists = o.optionalBool("exists");
        if (exists == null && fields.isEmpty()) {
          throw o.error(o.path(), "name exists or at least one of fields");
        }
        Scenario.ObjectExpectation oe = new Scenario.ObjectExpectation(at, where, type,
            type.namespaced() ? o.string("namespace", "default") : null, o.string("name"), exists, fields);
        o.done();
        return oe;
      }
      case "event" -> {
        FieldReader e = r.object("event");
        Scenario.EventExpectation ee = new Scenario.EventExpectation(at, where, e.string("reason"),
            e.optionalString("type"), e.optionalString("object"), e.optionalString("message"),
            count(e, "count", new Count(">=", 1)));
        e.done();
        return ee;
      }
      default -> {
        FieldReader w = r.object(kind);
        String name = w.string("name");
        Map<String, Count> fields = new LinkedHashMap<>();
        for (String f : List.of("replicas", "readyReplicas", "availableReplicas", "updatedReplicas",
            "currentNumberScheduled", "numberReady", "desiredNumberScheduled")) {
          Count c = count(w, f, null);
          if (c != null) {
            fields.put(f, c);
          }
        }
        if (fields.isEmpty()) {
          throw w.error(w.path(), "name at least one of replicas, readyReplicas, availableReplicas, updatedReplicas");
        }
        String resolvedKind = switch (kind) {
          case "deployment" -> "Deployment";
          case "replicaset" -> "ReplicaSet";
          case "statefulset" -> "StatefulSet";
          default -> "DaemonSet";
        };
        Scenario.WorkloadExpectation we = new Scenario.WorkloadExpectation(at, where,
            w.string("namespace", "default"), resolvedKind, name, fields);
        w.done();
        return we;
      }
    }
  }
}
