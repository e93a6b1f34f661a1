package io.kubesim.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.model.Taints;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The node controller's taints: which conditions map to which taint keys
 * (nodeConditionToTaintKeyStatusMap), set arithmetic on taints matched by key and effect
 * (pkg/util/taints), and the read-modify-patch of a node's taints with retry on conflict
 * (controller.AddOrUpdateTaintOnNode, RemoveTaintOffNode, SwapNodeControllerTaint).
 */
public final class NodeTaints {

  private static final int UPDATE_ATTEMPTS = 5;

  private NodeTaints() {}

  public static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  public static final Taint UNREACHABLE_NO_EXECUTE = taint(Taints.UNREACHABLE, Taints.NO_EXECUTE);
  public static final Taint NOT_READY_NO_EXECUTE = taint(Taints.NOT_READY, Taints.NO_EXECUTE);

  /** The taint key a condition in a status maps to, or null. */
  static String taintKeyFor(NodeCondition c) {
    String status = c.getStatus();
    return switch (c.getType() == null ? "" : c.getType()) {
      case "Ready" -> "False".equals(status) ? Taints.NOT_READY : "Unknown".equals(status) ? Taints.UNREACHABLE : null;
      case "MemoryPressure" -> "True".equals(status) ? Taints.MEMORY_PRESSURE : null;
      case "DiskPressure" -> "True".equals(status) ? Taints.DISK_PRESSURE : null;
      case "NetworkUnavailable" -> "True".equals(status) ? Taints.NETWORK_UNAVAILABLE : null;
      case "PIDPressure" -> "True".equals(status) ? Taints.PID_PRESSURE : null;
      default -> null;
    };
  }

  private static boolean conditionTaintKey(String key) {
    return Taints.NOT_READY.equals(key) || Taints.UNREACHABLE.equals(key) || Taints.NETWORK_UNAVAILABLE.equals(key)
        || Taints.MEMORY_PRESSURE.equals(key) || Taints.DISK_PRESSURE.equals(key) || Taints.PID_PRESSURE.equals(key);
  }

  /**
   * doNoScheduleTaintingPass's wish: a NoSchedule taint per condition that calls for one, in the
   * order of the node's conditions, plus node.kubernetes.io/unschedulable for a cordoned node.
   */
  public static List<Taint> desiredNoSchedule(Node node) {
    List<Taint> out = new ArrayList<>();
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      for (NodeCondition c : node.getStatus().getConditions()) {
        String key = taintKeyFor(c);
        if (key != null) {
          out.add(taint(key, Taints.NO_SCHEDULE));
        }
      }
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      out.add(taint(Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE));
    }
    return out;
  }

  /** The NoSchedule taints on the node that the node controller manages. */
  public static List<Taint> managedNoSchedule(Node node) {
    List<Taint> out = new ArrayList<>();
    for (Taint t : taints(node)) {
      if (Taints.NO_SCHEDULE.equals(t.getEffect())
          && (Taints.UNSCHEDULABLE.equals(t.getKey()) || conditionTaintKey(t.getKey()))) {
        out.add(t);
      }
    }
    return out;
  }

  /** TaintSetDiff: what to add (in {@code desired}, not in {@code current}) and remove, matched by key and effect. */
  public record Diff(List<Taint> add, List<Taint> remove) {
    public boolean empty() {
      return add.isEmpty() && remove.isEmpty();
    }
  }

  public static Diff diff(List<Taint> desired, List<Taint> current) {
    List<Taint> add = new ArrayList<>();
    for (Taint t : desired) {
      if (!exists(current, t)) {
        add.add(t);
      }
    }
    List<Taint> remove = new ArrayList<>();
    for (Taint t : current) {
      if (!exists(desired, t)) {
        remove.add(t);
      }
    }
    return new Diff(add, remove);
  }

  public static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  /** Whether the node lifecycle controller's unreachable or not-ready NoExecute taint is among {@code taints}. */
  public static boolean hasNoExecute(List<Taint> taints) {
    return exists(taints, UNREACHABLE_NO_EXECUTE) || exists(taints, NOT_READY_NO_EXECUTE);
  }

  /** TaintExists: a taint with the same key and effect. */
  public static boolean exists(List<Taint> taints, Taint t) {
    for (Taint x : taints) {
      if (Objects.equals(x.getKey(), t.getKey()) && Objects.equals(x.getEffect(), t.getEffect())) {
        return true;
      }
    }
    return false;
  }

  /**
   * SwapNodeControllerTaint's arithmetic: adds each taint (with {@code timeAdded}), replacing one
   * of the same key and effect, then removes the others by key and effect.
   */
  public static List<Taint> swap(List<Taint> current, List<Taint> add, List<Taint> remove, String timeAdded) {
    List<Taint> out = new ArrayList<>(current);
    for (Taint a : add) {
      Taint stamped = new TaintBuilder(a).withTimeAdded(timeAdded).build();
      boolean replaced = false;
      for (int i = 0; i < out.size(); i++) {
        Taint x = out.get(i);
        if (Objects.equals(x.getKey(), a.getKey()) && Objects.equals(x.getEffect(), a.getEffect())) {
          out.set(i, stamped);
          replaced = true;
        }
      }
      if (!replaced) {
        out.add(stamped);
      }
    }
    out.removeIf(x -> exists(remove, x));
    return out;
  }

  /**
   * Reads the node, applies {@code change} to its taints and patches them with the read
   * resourceVersion as precondition, retrying on conflict; {@code done} gets whether it succeeded
   * (true also when nothing needed changing, or the node is gone).
   */
  public static void update(ApiClient client, String nodeName, UnaryOperator<List<Taint>> change,
      Consumer<Boolean> done) {
    attempt(client, nodeName, change, done, 0);
  }

  private static void attempt(ApiClient client, String nodeName, UnaryOperator<List<Taint>> change,
      Consumer<Boolean> done, int n) {
    client.get(Resources.NODES, null, nodeName, r -> {
      if (!(r instanceof Api.Ok ok)) {
        done.accept(r instanceof Api.Failed f && f.code() == 404);
        return;
      }
      Node node = (Node) ok.object();
      List<Taint> current = taints(node);
      List<Taint> next = change.apply(current);
      if (next.equals(current)) {
        done.accept(true);
        return;
      }
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("taints", next.isEmpty() ? null : next);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()));
      body.put("spec", spec);
      client.patch(Resources.NODES, null, nodeName, PatchType.MERGE_PATCH, Json.write(body), pr -> {
        if (pr instanceof Api.Ok) {
          done.accept(true);
        } else if (pr instanceof Api.Failed f && f.code() == 409 && n + 1 < UPDATE_ATTEMPTS) {
          attempt(client, nodeName, change, done, n + 1);
        } else {
          done.accept(false);
        }
      });
    });
  }
}
