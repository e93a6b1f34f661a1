package io.kubesim.controlplane.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Why each node was turned down (framework.NodeToStatus): an explicit status for the nodes that
 * were filtered, and one status for all nodes not in the map (those a PreFilter result excluded,
 * or that preemption did not look at).
 */
public final class NodeToStatus {

  private final Map<String, Status> statuses = new LinkedHashMap<>();
  private Status absent = Status.unresolvable();

  public void set(String node, Status s) {
    statuses.put(node, s);
  }

  public Status get(String node) {
    Status s = statuses.get(node);
    return s != null ? s : absent;
  }

  public void setAbsent(Status s) {
    absent = s;
  }

  public Status absent() {
    return absent;
  }

  public int size() {
    return statuses.size();
  }

  public void forEachExplicit(BiConsumer<String, Status> f) {
    statuses.forEach(f);
  }

  /**
   * The nodes with this status code, among {@code allNodes} (NodesForStatusCode): explicit ones
   * with it, and all absent ones if the absent status has it.
   */
  public List<NodeInfo> nodesWithCode(List<NodeInfo> allNodes, Status.Code code) {
    List<NodeInfo> out = new ArrayList<>();
    boolean absentMatches = absent.code() == code;
    for (NodeInfo n : allNodes) {
      Status s = statuses.get(n.name());
      if (s != null ? s.code() == code : absentMatches) {
        out.add(n);
      }
    }
    return out;
  }
}
