package io.kubesim.controlplane.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import java.util.List;
import java.util.Map;

/**
 * The health of one zone, as node_lifecycle_controller.go ComputeZoneState and the rate limits
 * that follow from it (setLimiterInZone, HealthyQPSFunc, ReducedQPSFunc).
 */
public enum ZoneState {
  INITIAL("Initial"),
  NORMAL("Normal"),
  FULL_DISRUPTION("FullDisruption"),
  PARTIAL_DISRUPTION("PartialDisruption");

  /** The label nodes carry to be left out of the zone counts. */
  public static final String EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";

  private final String goName;

  ZoneState(String goName) {
    this.goName = goName;
  }

  @Override
  public String toString() {
    return goName;
  }

  /** A zone's count of not-ready nodes and its state. */
  public record Health(int notReady, ZoneState state) {}

  /**
   * FullDisruption when no node is Ready; PartialDisruption when more than two are not Ready and
   * they are at least {@code unhealthyZoneThreshold} of the zone; Normal otherwise. A node without
   * a Ready condition counts as not Ready.
   */
  public static Health compute(List<NodeCondition> readyConditions, double unhealthyZoneThreshold) {
    int ready = 0;
    int notReady = 0;
    for (NodeCondition c : readyConditions) {
      if (c != null && "True".equals(c.getStatus())) {
        ready++;
      } else {
        notReady++;
      }
    }
    if (ready == 0 && notReady > 0) {
      return new Health(notReady, FULL_DISRUPTION);
    }
    // Go compares float32 values; the shares that matter are exact enough in double.
    if (notReady > 2 && (float) notReady / (float) (notReady + ready) >= (float) unhealthyZoneThreshold) {
      return new Health(notReady, PARTIAL_DISRUPTION);
    }
    return new Health(notReady, NORMAL);
  }

  /**
   * The NoExecute tainting rate of a zone in this state: the eviction rate when Normal or fully
   * disrupted (unless every zone is, which the controller handles apart), and when partially
   * disrupted the secondary rate for a zone larger than the large-cluster threshold, else zero.
   */
  public double rate(int zoneSize, ControllerManagerSettings s) {
    return switch (this) {
      case NORMAL, FULL_DISRUPTION -> s.nodeEvictionRate();
      case PARTIAL_DISRUPTION -> zoneSize > s.largeClusterSizeThreshold() ? s.secondaryNodeEvictionRate() : 0;
      case INITIAL -> s.nodeEvictionRate();
    };
  }

  /**
   * component-helpers/node/topology GetZoneKey: region and zone from the topology labels (the
   * stable ones first, then the deprecated failure-domain ones), "" when neither is set.
   */
  public static String zoneKey(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return "";
    }
    String zone = labels.containsKey("topology.kubernetes.io/zone") ? labels.get("topology.kubernetes.io/zone")
        : labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", "");
    String region = labels.containsKey("topology.kubernetes.io/region") ? labels.get("topology.kubernetes.io/region")
        : labels.getOrDefault("failure-domain.beta.kubernetes.io/region", "");
    if (region.isEmpty() && zone.isEmpty()) {
      return "";
    }
    return region + ":\u0000:" + zone;
  }

  public static boolean excludedFromDisruption(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && labels.containsKey(EXCLUDE_DISRUPTION);
  }
}
