package io.kubesim.controlplane.apiserver.patch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.kubesim.shared.api.ApiErrors;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.time.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply ({@code application/apply-patch+yaml}), after sigs.k8s.io/structured-merge-diff
 * as kube-apiserver uses it (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager): the applied
 * configuration's fields become the manager's set, recorded in {@code metadata.managedFields}
 * (operation Apply, FieldsV1); a field the configuration sets to a different value than the live
 * object while another manager owns it is a conflict (409, unless {@code force}, which takes the
 * field over); fields the manager applied before and no longer applies are removed unless another
 * manager owns them. Lists merge by the kind's strategic-merge keys (containers by name, ...),
 * lists of scalars with a merge strategy are sets, other lists are atomic.
 *
 * <p>Simplified: only Apply operations are tracked; other writes (create, update, the other patch
 * types) leave managedFields as they are, so they never own fields an apply could conflict with.
 */
public final class ServerSideApply {

  private static final Set<String> SYSTEM_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
      "selfLink");

  private ServerSideApply() {}

  /** The configuration as the client sent it (YAML or JSON), checked against the kind. */
  static ObjectNode parse(ResourceType type, String body) {
    JsonNode node;
    try {
      node = Json.YAML.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      throw failure(ApiErrors.badRequest("error decoding YAML: " + e.getOriginalMessage()));
    }
    if (node == null || !node.isObject()) {
      throw failure(ApiErrors.badRequest("error decoding YAML: the apply configuration must be an object"));
    }
    ObjectNode config = (ObjectNode) node;
    String apiVersion = config.path("apiVersion").asString("");
    String kind = config.path("kind").asString("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw failure(ApiErrors.badRequest("error decoding YAML: Object 'Kind' is missing or apiVersion is not set"));
    }
    if (!apiVersion.equals(type.apiVersion()) || !kind.equals(type.kind())) {
      throw failure(ApiErrors.badRequest("the apply configuration is a " + apiVersion + " " + kind + ", not a "
          + type.apiVersion() + " " + type.kind()));
    }
    return config;
  }

  static Patches.PatchFailure failure(Status s) {
    return new Patches.PatchFailure(s);
  }

  private static String manager(String fieldManager) {
    if (fieldManager == null || fieldManager.isEmpty()) {
      throw failure(ApiErrors.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
          + "is required for apply patch"));
    }
    return fieldManager;
  }

  /** The object an apply creates when nothing exists yet. */
  public static HasMetadata create(ResourceType type, String body, String fieldManager, Instant now) {
    String manager = manager(fieldManager);
    ObjectNode config = parse(type, body);
    ObjectNode managed = fieldSet(type, stripped(type, config));
    ObjectNode result = config.deepCopy();
    removeNulls(result);
    ObjectNode meta = result.has("metadata") && result.get("metadata").isObject() ? (ObjectNode) result.get("metadata")
        : result.putObject("metadata");
    ArrayNode entries = meta.putArray("managedFields");
    entries.add(entry(manager, type, managed, now));
    return Patches.readAs(type, result);
  }

  /** The live object with the configuration applied by {@code fieldManager}. */
  public static HasMetadata apply(ResourceType type, HasMetadata live, String body, String fieldManager, boolean force,
      Instant now) {
    String manager = manager(fieldManager);
    ObjectNode config = parse(type, body);
    ObjectNode liveJson = (ObjectNode) Json.tree(live);
    ObjectNode newSet = fieldSet(type, stripped(type, config));
    List<ObjectNode> entries = new ArrayList<>();
    ObjectNode previous = null;
    for (JsonNode e : liveJson.path("metadata").path("managedFields")) {
      if (e.isObject()) {
        ObjectNode entry = ((ObjectNode) e).deepCopy();
        if (manager.equals(entry.path("manager").asString("")) && "Apply".equals(entry.path("operation").asString(""))
            && entry.path("subresource").asString("").isEmpty()) {
          previous = entry.path("fieldsV1") instanceof ObjectNode f ? f : Json.MAPPER.createObjectNode();
        } else {
          entries.add(entry);
        }
      }
    }

    // Conflicts: a leaf the configuration changes that another manager owns.
    List<String[]> conflicts = new ArrayList<>();
    List<List<String>> newLeaves = leaves(newSet);
    for (List<String> leaf : newLeaves) {
      if (leaf.get(leaf.size() - 1).equals(".")) {
        continue;
      }
      JsonNode want = valueAt(config, leaf);
      JsonNode have = valueAt(liveJson, leaf);
      if (want != null && want.equals(have)) {
        continue;
      }
      for (ObjectNode other : entries) {
        if (other.path("fieldsV1") instanceof ObjectNode set && contains(set, leaf)) {
          if (force) {
            remove(set, leaf);
          } else {
            conflicts.add(new String[] {describeManager(other), pathString(leaf)});
          }
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw failure(conflict(conflicts));
    }

    ObjectNode result = liveJson.deepCopy();
    // Fields this manager applied before and applies no more go, unless someone else owns them.
    if (previous != null) {
      List<List<String>> gone = new ArrayList<>(leaves(previous));
      gone.removeAll(newLeaves);
      gone.sort((a, b) -> b.size() - a.size());
      for (List<String> leaf : gone) {
        boolean ownedElsewhere = false;
        for (ObjectNode other : entries) {
          if (other.path("fieldsV1") instanceof ObjectNode set && contains(set, leaf)) {
            ownedElsewhere = true;
          }
        }
        if (!ownedElsewhere) {
          removeAt(result, leaf);
        }
      }
    }
    merge(type, result, stripped(type, config), new ArrayList<>());
    entries.removeIf(e -> e.path("fieldsV1") instanceof ObjectNode set && set.isEmpty());
    List<ObjectNode> all = new ArrayList<>(entries);
    all.add(entry(manager, type, newSet, now));
    ObjectNode meta = (ObjectNode) result.get("metadata");
    ArrayNode mf = meta.putArray("managedFields");
    all.forEach(mf::add);
    return Patches.readAs(type, result);
  }

  private static ObjectNode entry(String manager, ResourceType type, ObjectNode set, Instant now) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("manager", manager);
    e.put("operation", "Apply");
    e.put("apiVersion", type.apiVersion());
    e.put("time", Times.rfc3339(now));
    e.put("fieldsType", "FieldsV1");
    e.set("fieldsV1", set);
    return e;
  }

  /** printManager: Apply managers by name, Update managers "using <apiVersion>". */
  private static String describeManager(ObjectNode entry) {
    String name = "\"" + entry.path("manager").asString("") + "\"";
    if ("Update".equals(entry.path("operation").asString(""))) {
      return name + " using " + entry.path("apiVersion").asString("");
    }
    return name;
  }

  /** errors.NewApplyConflict with the message of fieldmanager.getConflictMessage. */
  private static Status conflict(List<String[]> conflicts) {
    StringBuilder msg = new StringBuilder();
    if (conflicts.size() == 1) {
      msg.append("Apply failed with 1 conflict: conflict with ").append(conflicts.get(0)[0]).append(": ")
          .append(conflicts.get(0)[1]);
    } else {
      msg.append("Apply failed with ").append(conflicts.size()).append(" conflicts: ");
      Map<String, List<String>> byManager = new LinkedHashMap<>();
      for (String[] c : conflicts) {
        byManager.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]);
      }
      List<String> lines = new ArrayList<>();
      byManager.keySet().stream().sorted().forEach(m -> {
        lines.add("conflicts with " + m + ":");
        for (String p : byManager.get(m)) {
          lines.add("- " + p);
        }
      });
      msg.append(String.join("\n", lines));
    }
    StatusDetails d = new StatusDetails();
    List<StatusCause> causes = new ArrayList<>();
    for (String[] c : conflicts) {
      StatusCause cause = new StatusCause();
      cause.setReason("FieldManagerConflict");
      cause.setMessage("conflict with " + c[0]);
      cause.setField(c[1]);
      causes.add(cause);
    }
    d.setCauses(causes);
    return ApiErrors.status(409, "Conflict", msg.toString(), d);
  }

  // ---------------------------------------------------------------- field sets (FieldsV1)

  /** The configuration without what the server owns: identity metadata, and status where it is a subresource. */
  private static ObjectNode stripped(ResourceType type, ObjectNode config) {
    ObjectNode c = config.deepCopy();
    c.remove("apiVersion");
    c.remove("kind");
    if (type.hasStatus()) {
      c.remove("status");
    }
    if (c.get("metadata") instanceof ObjectNode meta) {
      SYSTEM_METADATA.forEach(meta::remove);
      if (meta.isEmpty()) {
        c.remove("metadata");
      }
    }
    return c;
  }

  static ObjectNode fieldSet(ResourceType type, ObjectNode config) {
    return fields(PatchSchemas.forKind(type.apiVersion(), type.kind()), config, new ArrayList<>());
  }

  private static ObjectNode fields(PatchSchema schema, ObjectNode obj, List<String> path) {
    ObjectNode set = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      List<String> p = new ArrayList<>(path);
      p.add(k);
      FieldStrategy s = schema.lookup(p);
      if (v.isObject() && !s.isReplace() && !v.isEmpty()) {
        set.set("f:" + k, fields(schema, (ObjectNode) v, p));
      } else if (v.isArray() && s.isMerge() && !s.mergeKey().isEmpty()) {
        ObjectNode items = Json.MAPPER.createObjectNode();
        for (JsonNode item : v) {
          if (item.isObject() && item.has(s.mergeKey())) {
            ObjectNode child = fields(schema, (ObjectNode) item, p);
            child.putObject(".");
            items.set(elementKey(s.mergeKey(), item.get(s.mergeKey())), child);
          }
        }
        set.set("f:" + k, items);
      } else if (v.isArray() && s.isMerge()) {
        ObjectNode items = Json.MAPPER.createObjectNode();
        for (JsonNode item : v) {
          items.putObject("v:" + Json.write(item));
        }
        set.set("f:" + k, items);
      } else {
        set.putObject("f:" + k);
      }
    }
    return set;
  }

  private static String elementKey(String key, JsonNode value) {
    ObjectNode k = Json.MAPPER.createObjectNode();
    k.set(key, value);
    return "k:" + Json.write(k);
  }

  /** Every leaf of a set, as its key path ("f:spec", "f:containers", "k:{...}", "f:image"). */
  static List<List<String>> leaves(ObjectNode set) {
    List<List<String>> out = new ArrayList<>();
    collect(set, new ArrayList<>(), out);
    return out;
  }

  private static void collect(ObjectNode set, List<String> path, List<List<String>> out) {
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      if (e.getValue() instanceof ObjectNode child && !child.isEmpty()) {
        collect(child, p, out);
      } else {
        out.add(p);
      }
    }
  }

  private static boolean contains(ObjectNode set, List<String> leaf) {
    JsonNode n = set;
    for (String k : leaf) {
      n = n.get(k);
      if (n == null) {
        return false;
      }
    }
    return true;
  }

  private static void remove(ObjectNode set, List<String> leaf) {
    List<ObjectNode> chain = new ArrayList<>();
    ObjectNode n = set;
    for (int i = 0; i < leaf.size() - 1; i++) {
      chain.add(n);
      if (!(n.get(leaf.get(i)) instanceof ObjectNode next)) {
        return;
      }
      n = next;
    }
    n.remove(leaf.get(leaf.size() - 1));
    // Drop emptied parents.
    for (int i = chain.size() - 1; i >= 0; i--) {
      ObjectNode parent = chain.get(i);
      JsonNode child = parent.get(leaf.get(i));
      if (child instanceof ObjectNode c && (c.isEmpty() || (c.size() == 1 && c.has(".")))) {
        parent.remove(leaf.get(i));
      } else {
        break;
      }
    }
  }

  /** ".spec.containers[name=\"app\"].image", as fieldpath.Path prints. */
  static String pathString(List<String> leaf) {
    StringBuilder sb = new StringBuilder();
    for (String k : leaf) {
      if (k.startsWith("f:")) {
        sb.append('.').append(k.substring(2));
      } else if (k.startsWith("k:")) {
        JsonNode key = Json.MAPPER.readTree(k.substring(2));
        sb.append('[');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : key.properties()) {
          if (!first) {
            sb.append(',');
          }
          sb.append(e.getKey()).append('=').append(Json.write(e.getValue()));
          first = false;
        }
        sb.append(']');
      } else if (k.startsWith("v:")) {
        sb.append("[=").append(k.substring(2)).append(']');
      }
    }
    return sb.toString();
  }

  /** The value a key path names in an object, or null. */
  static JsonNode valueAt(JsonNode root, List<String> leaf) {
    JsonNode n = root;
    for (String k : leaf) {
      if (n == null) {
        return null;
      }
      if (k.equals(".")) {
        continue;
      }
      if (k.startsWith("f:")) {
        n = n.get(k.substring(2));
      } else if (k.startsWith("k:")) {
        n = element(n, Json.MAPPER.readTree(k.substring(2)));
      } else if (k.startsWith("v:")) {
        JsonNode want = Json.MAPPER.readTree(k.substring(2));
        JsonNode found = null;
        if (n.isArray()) {
          for (JsonNode item : n) {
            if (item.equals(want)) {
              found = item;
            }
          }
        }
        n = found;
      }
    }
    return n;
  }

  private static JsonNode element(JsonNode list, JsonNode key) {
    if (list == null || !list.isArray()) {
      return null;
    }
    for (JsonNode item : list) {
      boolean match = item.isObject();
      for (Map.Entry<String, JsonNode> e : key.properties()) {
        match &= e.getValue().equals(item.get(e.getKey()));
      }
      if (match) {
        return item;
      }
    }
    return null;
  }

  private static void removeAt(ObjectNode root, List<String> leaf) {
    List<String> parentPath = leaf.get(leaf.size() - 1).equals(".") ? leaf.subList(0, leaf.size() - 1) : leaf;
    if (parentPath.isEmpty()) {
      return;
    }
    String last = parentPath.get(parentPath.size() - 1);
    JsonNode parent = valueAt(root, parentPath.subList(0, parentPath.size() - 1));
    if (parent == null) {
      return;
    }
    if (last.startsWith("f:") && parent instanceof ObjectNode o) {
      o.remove(last.substring(2));
    } else if ((last.startsWith("k:") || last.startsWith("v:")) && parent instanceof ArrayNode a) {
      JsonNode target = valueAt(root, parentPath);
      for (Iterator<JsonNode> it = a.iterator(); it.hasNext();) {
        if (it.next() == target) {
          it.remove();
        }
      }
    }
  }

  // ---------------------------------------------------------------- merging the configuration in

  private static void merge(ResourceType type, ObjectNode target, ObjectNode config, List<String> path) {
    PatchSchema schema = PatchSchemas.forKind(type.apiVersion(), type.kind());
    mergeInto(schema, target, config, path);
  }

  private static void mergeInto(PatchSchema schema, ObjectNode target, ObjectNode config, List<String> path) {
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      List<String> p = new ArrayList<>(path);
      p.add(k);
      FieldStrategy s = schema.lookup(p);
      JsonNode current = target.get(k);
      if (v.isNull()) {
        target.remove(k);
      } else if (v.isObject() && current instanceof ObjectNode cur && !s.isReplace()) {
        mergeInto(schema, cur, (ObjectNode) v, p);
      } else if (v.isArray() && current instanceof ArrayNode cur && s.isMerge() && !s.mergeKey().isEmpty()) {
        for (JsonNode item : v) {
          JsonNode key = item.get(s.mergeKey());
          JsonNode existing = null;
          for (JsonNode c : cur) {
            if (key != null && key.equals(c.get(s.mergeKey()))) {
              existing = c;
            }
          }
          if (existing instanceof ObjectNode ex && item.isObject()) {
            mergeInto(schema, ex, (ObjectNode) item, p);
          } else {
            JsonNode copy = item.deepCopy();
            removeNulls(copy);
            cur.add(copy);
          }
        }
      } else if (v.isArray() && current instanceof ArrayNode cur && s.isMerge()) {
        for (JsonNode item : v) {
          boolean present = false;
          for (JsonNode c : cur) {
            present |= c.equals(item);
          }
          if (!present) {
            cur.add(item.deepCopy());
          }
        }
      } else {
        JsonNode copy = v.deepCopy();
        removeNulls(copy);
        target.set(k, copy);
      }
    }
  }

  private static void removeNulls(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.properties().removeIf(e -> e.getValue().isNull());
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        removeNulls(e.getValue());
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode item : a) {
        removeNulls(item);
      }
    }
  }
}
