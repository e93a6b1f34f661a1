package io.kubesim.controlplane.http;

import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents, generated from {@link Resources}: legacy ({@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/<g>}, {@code /apis/<g>/<v>}) and aggregated
 * (apidiscovery.k8s.io v2 and v2beta1, served on {@code /api} and {@code /apis} when the Accept
 * header asks for them). Short names and categories make {@code get po} and {@code get all}
 * resolve; the subresource entries are what kubectl looks for ({@code pods/eviction} of policy/v1
 * for drain, {@code deployments/scale} of autoscaling/v1 for scale).
 */
final class Discovery {

  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
      "watch");

  /** One subresource as discovery shows it: the kind it answers with and its verbs. */
  record Sub(String name, String group, String version, String kind, List<String> verbs) {}

  static List<Sub> subresources(ResourceType t) {
    List<Sub> out = new ArrayList<>();
    for (String s : sorted(t.subresources())) {
      Sub sub = switch (s) {
        case "status" -> new Sub(s, t.group(), t.version(), t.kind(), List.of("get", "patch", "update"));
        case "scale" -> new Sub(s, "autoscaling", "v1", "Scale", List.of("get", "patch", "update"));
        case "binding" -> new Sub(s, "", "v1", "Binding", List.of("create"));
        case "eviction" -> new Sub(s, "policy", "v1", "Eviction", List.of("create"));
        case "log" -> new Sub(s, "", "v1", "Pod", List.of("get"));
        case "exec" -> new Sub(s, "", "v1", "PodExecOptions", List.of("create", "get"));
        case "attach" -> new Sub(s, "", "v1", "PodAttachOptions", List.of("create", "get"));
        case "portforward" -> new Sub(s, "", "v1", "PodPortForwardOptions", List.of("create", "get"));
        case "proxy" -> new Sub(s, "", "v1", t.kind() + "ProxyOptions",
            List.of("create", "delete", "get", "patch", "update"));
        case "ephemeralcontainers", "resize" -> new Sub(s, "", "v1", "Pod", List.of("get", "patch", "update"));
        case "token" -> new Sub(s, "authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
        default -> null;
      };
      if (sub != null) {
        out.add(sub);
      }
    }
    return out;
  }

  private static List<String> sorted(java.util.Set<String> s) {
    List<String> l = new ArrayList<>(s);
    java.util.Collections.sort(l);
    return l;
  }

  private static ArrayNode strings(List<String> l) {
    ArrayNode a = N.arrayNode();
    l.forEach(a::add);
    return a;
  }

  // ---------------------------------------------------------------- legacy

  static byte[] apiVersions(String serverAddress) {
    ObjectNode o = N.objectNode();
    o.put("kind", "APIVersions");
    o.set("versions", strings(List.of("v1")));
    ArrayNode cidrs = o.putArray("serverAddressByClientCIDRs");
    cidrs.addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return Json.writeBytes(o);
  }

  private static final byte[] GROUP_LIST;
  private static final Map<String, byte[]> GROUPS = new LinkedHashMap<>();
  private static final Map<String, byte[]> RESOURCE_LISTS = new LinkedHashMap<>();
  private static final Map<String, byte[]> AGGREGATED = new LinkedHashMap<>();

  static {
    ObjectNode list = N.objectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<ResourceType>> e : Resources.byGroup().entrySet()) {
      String version = e.getValue().get(0).version();
      if (!e.getKey().isEmpty()) {
        ObjectNode g = group(e.getKey(), version);
        groups.add(g);
        ObjectNode single = g.deepCopy();
        single.put("kind", "APIGroup");
        single.put("apiVersion", "v1");
        GROUPS.put(e.getKey(), Json.writeBytes(single));
      }
      RESOURCE_LISTS.put(e.getKey() + "/" + version, Json.writeBytes(resourceList(e.getKey(), version, e.getValue())));
    }
    GROUP_LIST = Json.writeBytes(list);
    for (String v : List.of("v2", "v2beta1")) {
      AGGREGATED.put("core/" + v, Json.writeBytes(aggregated(v, true)));
      AGGREGATED.put("apis/" + v, Json.writeBytes(aggregated(v, false)));
    }
  }

  private static ObjectNode group(String name, String version) {
    ObjectNode g = N.objectNode();
    g.put("name", name);
    ObjectNode gv = N.objectNode().put("groupVersion", name + "/" + version).put("version", version);
    g.putArray("versions").add(gv);
    g.set("preferredVersion", gv.deepCopy());
    return g;
  }

  private static ObjectNode resourceList(String group, String version, List<ResourceType> types) {
    ObjectNode o = N.objectNode();
    o.put("kind", "APIResourceList");
    o.put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode rs = o.putArray("resources");
    List<ResourceType> sortedTypes = new ArrayList<>(types);
    sortedTypes.sort(java.util.Comparator.comparing(ResourceType::plural));
    for (ResourceType t : sortedTypes) {
      ObjectNode r = rs.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      r.set("verbs", strings(VERBS));
      if (!t.shortNames().isEmpty()) {
        r.set("shortNames", strings(t.shortNames()));
      }
      if (!t.categories().isEmpty()) {
        r.set("categories", strings(t.categories()));
      }
      for (Sub s : subresources(t)) {
        ObjectNode sr = rs.addObject();
        sr.put("name", t.plural() + "/" + s.name());
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (!s.group().equals(t.group()) || !s.version().equals(t.version())) {
          sr.put("group", s.group());
          sr.put("version", s.version());
        }
        sr.put("kind", s.kind());
        sr.set("verbs", strings(s.verbs()));
      }
    }
    return o;
  }

  private static ObjectNode aggregated(String discoveryVersion, boolean core) {
    ObjectNode o = N.objectNode();
    o.put("kind", "APIGroupDiscoveryList");
    o.put("apiVersion", "apidiscovery.k8s.io/" + discoveryVersion);
    o.putObject("metadata");
    ArrayNode items = o.putArray("items");
    for (Map.Entry<String, List<ResourceType>> e : Resources.byGroup().entrySet()) {
      if (e.getKey().isEmpty() != core) {
        continue;
      }
      ObjectNode item = items.addObject();
      item.putObject("metadata").put("name", e.getKey());
      ObjectNode version = item.putArray("versions").addObject();
      version.put("version", e.getValue().get(0).version());
      ArrayNode rs = version.putArray("resources");
      List<ResourceType> sortedTypes = new ArrayList<>(e.getValue());
      sortedTypes.sort(java.util.Comparator.comparing(ResourceType::plural));
      for (ResourceType t : sortedTypes) {
        ObjectNode r = rs.addObject();
        r.put("resource", t.plural());
        r.set("responseKind", kind(t.group(), t.version(), t.kind()));
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        r.set("verbs", strings(VERBS));
        if (!t.shortNames().isEmpty()) {
          r.set("shortNames", strings(t.shortNames()));
        }
        if (!t.categories().isEmpty()) {
          r.set("categories", strings(t.categories()));
        }
        List<Sub> subs = subresources(t);
        if (!subs.isEmpty()) {
          ArrayNode sa = r.putArray("subresources");
          for (Sub s : subs) {
            ObjectNode so = sa.addObject();
            so.put("subresource", s.name());
            so.set("responseKind", kind(s.group(), s.version(), s.kind()));
            so.set("verbs", strings(s.verbs()));
          }
        }
      }
      version.put("freshness", "Current");
    }
    return o;
  }

  private static ObjectNode kind(String group, String version, String kind) {
    return N.objectNode().put("group", group).put("version", version).put("kind", kind);
  }

  static byte[] groupList() {
    return GROUP_LIST;
  }

  /** The APIGroup document of a group, or null if kubesim serves no such group. */
  static byte[] group(String group) {
    return GROUPS.get(group);
  }

  /** The APIResourceList of a group version ("" for core), or null. */
  static byte[] resourceList(String group, String version) {
    return RESOURCE_LISTS.get(group + "/" + version);
  }

  /** The aggregated document of the core group or of all other groups, in discovery version v2 or v2beta1. */
  static byte[] aggregated(boolean core, String discoveryVersion) {
    return AGGREGATED.get((core ? "core/" : "apis/") + discoveryVersion);
  }

  static String aggregatedContentType(String discoveryVersion) {
    return "application/json;g=apidiscovery.k8s.io;v=" + discoveryVersion + ";as=APIGroupDiscoveryList";
  }
}
