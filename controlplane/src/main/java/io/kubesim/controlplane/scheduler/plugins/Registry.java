package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.Plugin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The in-tree plugins kubesim has (pkg/scheduler/framework/plugins/registry.go), each with its
 * args reader and factory, and the default MultiPoint list with its score weights
 * (pkg/scheduler/apis/config/v1/default_plugins.go).
 */
public final class Registry {

  /** How to read a plugin's args and build it. */
  public record Factory(String name, Object defaultArgs, Function<JsonNode, Object> parseArgs,
      BiFunction<Object, Handle, Plugin> create) {}

  /** A default plugin and its score weight (0: not a score plugin). */
  public record DefaultPlugin(String name, int weight) {}

  /**
   * The default plugins in MultiPoint order. Of the volume plugins that come between
   * NodeResourcesFit and PodTopologySpread upstream (VolumeRestrictions, NodeVolumeLimits,
   * VolumeBinding, VolumeZone), kubesim has VolumeBinding: its volumes have no per-node attach
   * limits, zones or exclusive disks for the others to check.
   */
  public static final List<DefaultPlugin> DEFAULT_PLUGINS = List.of(
      new DefaultPlugin(SchedulingGates.NAME, 0),
      new DefaultPlugin(PrioritySort.NAME, 0),
      new DefaultPlugin(NodeUnschedulable.NAME, 0),
      new DefaultPlugin(NodeName.NAME, 0),
      new DefaultPlugin(TaintToleration.NAME, 3),
      new DefaultPlugin(NodeAffinity.NAME, 2),
      new DefaultPlugin(NodePorts.NAME, 0),
      new DefaultPlugin(NodeResourcesFit.NAME, 1),
      new DefaultPlugin(VolumeBinding.NAME, 0),
      new DefaultPlugin(PodTopologySpread.NAME, 2),
      new DefaultPlugin(InterPodAffinity.NAME, 2),
      new DefaultPlugin(DefaultPreemption.NAME, 0),
      new DefaultPlugin(NodeResourcesBalancedAllocation.NAME, 1),
      new DefaultPlugin(ImageLocality.NAME, 1),
      new DefaultPlugin(DefaultBinder.NAME, 0));

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    add(new Factory(SchedulingGates.NAME, null, n -> null, (a, h) -> new SchedulingGates()));
    add(new Factory(PrioritySort.NAME, null, n -> null, (a, h) -> new PrioritySort()));
    add(new Factory(NodeUnschedulable.NAME, null, n -> null, (a, h) -> new NodeUnschedulable()));
    add(new Factory(NodeName.NAME, null, n -> null, (a, h) -> new NodeName()));
    add(new Factory(TaintToleration.NAME, null, n -> null, (a, h) -> new TaintToleration()));
    add(new Factory(NodeAffinity.NAME, NodeAffinity.Args.DEFAULT, NodeAffinity.Args::parse,
        (a, h) -> new NodeAffinity((NodeAffinity.Args) a)));
    add(new Factory(NodePorts.NAME, null, n -> null, (a, h) -> new NodePorts()));
    add(new Factory(NodeResourcesFit.NAME, NodeResourcesFit.Args.DEFAULT, NodeResourcesFit.Args::parse,
        (a, h) -> new NodeResourcesFit((NodeResourcesFit.Args) a)));
    add(new Factory(VolumeBinding.NAME, null, n -> null, (a, h) -> new VolumeBinding(h)));
    add(new Factory(PodTopologySpread.NAME, PodTopologySpread.Args.DEFAULT, PodTopologySpread.Args::parse,
        (a, h) -> new PodTopologySpread((PodTopologySpread.Args) a, h)));
    add(new Factory(InterPodAffinity.NAME, InterPodAffinity.Args.DEFAULT, InterPodAffinity.Args::parse,
        (a, h) -> new InterPodAffinity((InterPodAffinity.Args) a, h)));
    add(new Factory(DefaultPreemption.NAME, DefaultPreemption.Args.DEFAULT, DefaultPreemption.Args::parse,
        (a, h) -> new DefaultPreemption((DefaultPreemption.Args) a, h)));
    add(new Factory(NodeResourcesBalancedAllocation.NAME, NodeResourcesBalancedAllocation.Args.DEFAULT,
        NodeResourcesBalancedAllocation.Args::parse,
        (a, h) -> new NodeResourcesBalancedAllocation((NodeResourcesBalancedAllocation.Args) a)));
    add(new Factory(ImageLocality.NAME, null, n -> null, (a, h) -> new ImageLocality(h)));
    add(new Factory(DefaultBinder.NAME, null, n -> null, (a, h) -> new DefaultBinder(h)));
  }

  private static void add(Factory f) {
    FACTORIES.put(f.name(), f);
  }

  private Registry() {}

  public static Factory factory(String name) {
    return FACTORIES.get(name);
  }

  public static boolean has(String name) {
    return FACTORIES.containsKey(name);
  }

  /** The class implementing a plugin, to know its extension points without building it. */
  public static Class<? extends Plugin> type(String name) {
    return switch (name) {
      case SchedulingGates.NAME -> SchedulingGates.class;
      case PrioritySort.NAME -> PrioritySort.class;
      case NodeUnschedulable.NAME -> NodeUnschedulable.class;
      case NodeName.NAME -> NodeName.class;
      case TaintToleration.NAME -> TaintToleration.class;
      case NodeAffinity.NAME -> NodeAffinity.class;
      case NodePorts.NAME -> NodePorts.class;
      case NodeResourcesFit.NAME -> NodeResourcesFit.class;
      case VolumeBinding.NAME -> VolumeBinding.class;
      case PodTopologySpread.NAME -> PodTopologySpread.class;
      case InterPodAffinity.NAME -> InterPodAffinity.class;
      case DefaultPreemption.NAME -> DefaultPreemption.class;
      case NodeResourcesBalancedAllocation.NAME -> NodeResourcesBalancedAllocation.class;
      case ImageLocality.NAME -> ImageLocality.class;
      case DefaultBinder.NAME -> DefaultBinder.class;
      default -> null;
    };
  }
}
