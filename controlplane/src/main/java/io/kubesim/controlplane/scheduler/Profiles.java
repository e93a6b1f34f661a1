package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.BindPlugin;
import io.kubesim.controlplane.scheduler.framework.ClusterView;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PermitPlugin;
import io.kubesim.controlplane.scheduler.framework.Plugin;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreBindPlugin;
import io.kubesim.controlplane.scheduler.framework.PreEnqueuePlugin;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.QueueSortPlugin;
import io.kubesim.controlplane.scheduler.framework.ReservePlugin;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.controlplane.scheduler.plugins.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds a profile's {@link Framework}: one instance per plugin, with its args, wired to its extension points. */
public final class Profiles {

  private Profiles() {}

  public static Framework build(SchedulerConfiguration.Profile profile, ClusterView cluster, SplittableRandom random,
      Handle.Actions actions) {
    LateHandle handle = new LateHandle();
    Map<String, Plugin> instances = new LinkedHashMap<>();
    for (String name : profile.allPlugins()) {
      Registry.Factory f = Registry.factory(name);
      instances.put(name, f.create().apply(profile.pluginArgs().get(name), handle));
    }
    List<Integer> weights = new ArrayList<>();
    for (String s : profile.plugins(ExtensionPoint.SCORE)) {
      weights.add(profile.scoreWeights().getOrDefault(s, 1));
    }
    List<String> sort = profile.plugins(ExtensionPoint.QUEUE_SORT);
    Framework.Plugins plugins = new Framework.Plugins(
        of(instances, profile, ExtensionPoint.PRE_ENQUEUE, PreEnqueuePlugin.class),
        sort.isEmpty() ? null : (QueueSortPlugin) instances.get(sort.get(0)),
        of(instances, profile, ExtensionPoint.PRE_FILTER, PreFilterPlugin.class),
        of(instances, profile, ExtensionPoint.FILTER, FilterPlugin.class),
        of(instances, profile, ExtensionPoint.POST_FILTER, PostFilterPlugin.class),
        of(instances, profile, ExtensionPoint.PRE_SCORE, PreScorePlugin.class),
        of(instances, profile, ExtensionPoint.SCORE, ScorePlugin.class),
        weights,
        of(instances, profile, ExtensionPoint.RESERVE, ReservePlugin.class),
        of(instances, profile, ExtensionPoint.PERMIT, PermitPlugin.class),
        of(instances, profile, ExtensionPoint.PRE_BIND, PreBindPlugin.class),
        of(instances, profile, ExtensionPoint.BIND, BindPlugin.class));
    Framework fw = new Framework(profile.schedulerName(), profile.percentageOfNodesToScore(), plugins, cluster, random,
        actions);
    handle.framework = fw;
    return fw;
  }

  private static <T> List<T> of(Map<String, Plugin> instances, SchedulerConfiguration.Profile profile,
      ExtensionPoint point, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (String name : profile.plugins(point)) {
      out.add(type.cast(instances.get(name)));
    }
    return out;
  }

  /** The handle plugins get at construction; the framework it stands for is built after them. */
  private static final class LateHandle implements Handle {
    Framework framework;

    @Override
    public ClusterView cluster() {
      return framework.cluster();
    }

    @Override
    public String profileName() {
      return framework.profileName();
    }

    @Override
    public SplittableRandom random() {
      return framework.random();
    }

    @Override
    public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
      return framework.runFilterWithNominatedPods(state, pod, node);
    }

    @Override
    public Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd,
        NodeInfo node) {
      return framework.runPreFilterExtensionAddPod(state, podToSchedule, podToAdd, node);
    }

    @Override
    public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove,
        NodeInfo node) {
      return framework.runPreFilterExtensionRemovePod(state, podToSchedule, podToRemove, node);
    }

    @Override
    public Actions actions() {
      return framework.actions();
    }
  }
}
