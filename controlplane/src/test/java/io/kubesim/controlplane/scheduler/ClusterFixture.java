package io.kubesim.controlplane.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubesim.controlplane.scheduler.framework.ClusterView;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.NodeToStatus;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A cluster for plugin and framework tests, without actors: nodes and assigned pods in a
 * {@link SchedulerCache}, the other kinds in lists, and a profile's framework over them. Runs the
 * extension points directly, as the Go plugin tests do.
 */
public final class ClusterFixture implements ClusterView {

  final SchedulerCache cache = new SchedulerCache();
  final Nominator nominator = new Nominator();
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  public final List<Service> services = new ArrayList<>();
  public final List<ReplicaSet> replicaSets = new ArrayList<>();
  public final List<StatefulSet> statefulSets = new ArrayList<>();
  public final List<PodDisruptionBudget> pdbs = new ArrayList<>();
  public final Map<String, Pod> pods = new LinkedHashMap<>();
  public final List<String> actions = new ArrayList<>();
  /** Claims by namespace/name, volumes and classes by name, for VolumeBinding. */
  public final Map<String, io.fabric8.kubernetes.api.model.PersistentVolumeClaim> claims = new LinkedHashMap<>();
  public final Map<String, io.fabric8.kubernetes.api.model.PersistentVolume> volumes = new java.util.TreeMap<>();
  public final Map<String, io.fabric8.kubernetes.api.model.storage.StorageClass> storageClasses =
      new LinkedHashMap<>();
  private final SplittableRandom random = new SplittableRandom(1);

  public ClusterFixture() {
    namespace("default", Map.of());
  }

  public ClusterFixture node(Node n) {
    cache.addNode(n);
    return this;
  }

  public ClusterFixture nodes(Node... ns) {
    for (Node n : ns) {
      node(n);
    }
    return this;
  }

  /** An assigned pod on the node. */
  public ClusterFixture pod(Pod p, String nodeName) {
    Pod bound = new PodBuilder(p).editSpec().withNodeName(nodeName).endSpec().build();
    cache.addPod(PodInfo.of(bound), nodeName);
    pods.put(bound.getMetadata().getNamespace() + "/" + bound.getMetadata().getName(), bound);
    return this;
  }

  public ClusterFixture namespace(String name, Map<String, String> labels) {
    namespaces.put(name, new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .build());
    return this;
  }

  public void nominate(Pod p, String node) {
    nominator.add(PodInfo.of(p), node);
  }

  public Framework framework() {
    return framework(SchedulerConfiguration.defaults());
  }

  public Framework framework(SchedulerConfiguration config) {
    return Profiles.build(config.profiles().get(0), this, random, new RecordingActions());
  }

  public Framework framework(String yaml) {
    return framework(SchedulerConfiguration.parse(yaml));
  }

  /** PreFilter, then Filter on every node: the status per node (Success for a pass), or the PreFilter rejection. */
  public Map<String, Status> filter(Framework fw, Pod pod) {
    PodInfo p = PodInfo.of(pod);
    CycleState state = new CycleState();
    Framework.PreFilterOutcome pre = fw.runPreFilter(state, p, nodes());
    Map<String, Status> out = new LinkedHashMap<>();
    for (NodeInfo n : nodes()) {
      if (!pre.status().success()) {
        out.put(n.name(), pre.status());
      } else if (pre.nodeNames() != null && !pre.nodeNames().contains(n.name())) {
        out.put(n.name(), Status.unresolvable("not in PreFilter result"));
      } else {
        out.put(n.name(), fw.runFilterWithNominatedPods(state, p, n));
      }
    }
    return out;
  }

  public Map<String, Status> filter(Pod pod) {
    return filter(framework(), pod);
  }

  /** The reasons per node, "" for a pass. */
  public Map<String, String> reasons(Framework fw, Pod pod) {
    Map<String, String> out = new LinkedHashMap<>();
    filter(fw, pod).forEach((n, s) -> out.put(n, s.success() ? "" : s.message()));
    return out;
  }

  public Map<String, String> reasons(Pod pod) {
    return reasons(framework(), pod);
  }

  /** A whole failed cycle: PreFilter, Filter on every node, then PostFilter (preemption) on the statuses. */
  public PostFilterPlugin.Result postFilter(Framework fw, Pod pod) {
    PodInfo p = PodInfo.of(pod);
    pods.putIfAbsent(p.key(), pod);
    CycleState state = new CycleState();
    Framework.PreFilterOutcome pre = fw.runPreFilter(state, p, nodes());
    NodeToStatus statuses = new NodeToStatus();
    if (!pre.status().success()) {
      statuses.setAbsent(pre.status());
    } else {
      for (NodeInfo n : nodes()) {
        Status s = fw.runFilterWithNominatedPods(state, p, n);
        if (!s.success()) {
          statuses.set(n.name(), s);
        }
      }
    }
    return fw.runPostFilter(state, p, statuses);
  }

  /** PreScore and Score over every node (no filtering), as the Go score tests do. */
  public Framework.Scores scores(Framework fw, Pod pod) {
    PodInfo p = PodInfo.of(pod);
    CycleState state = new CycleState();
    List<NodeInfo> all = nodes();
    fw.runPreFilter(state, p, all);
    fw.runPreScore(state, p, all);
    return fw.runScore(state, p, all.toArray(NodeInfo[]::new), all.size());
  }

  /** One plugin's normalized score per node; empty if the plugin skipped. */
  public Map<String, Long> score(Framework fw, String plugin, Pod pod) {
    return pluginScores(fw, plugin, pod, true);
  }

  public Map<String, Long> score(String plugin, Pod pod) {
    return score(framework(), plugin, pod);
  }

  public Map<String, Long> rawScore(Framework fw, String plugin, Pod pod) {
    return pluginScores(fw, plugin, pod, false);
  }

  private Map<String, Long> pluginScores(Framework fw, String plugin, Pod pod, boolean normalized) {
    Framework.Scores s = scores(fw, pod);
    List<NodeInfo> all = nodes();
    Map<String, Long> out = new LinkedHashMap<>();
    for (int p = 0; p < s.plugins().length; p++) {
      if (s.plugins()[p].equals(plugin)) {
        for (int i = 0; i < all.size(); i++) {
          out.put(all.get(i).name(), normalized ? s.normalized()[p][i] : s.raw()[p][i]);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- ClusterView

  @Override
  public List<NodeInfo> nodes() {
    return cache.nodeList();
  }

  @Override
  public NodeInfo node(String name) {
    return cache.node(name);
  }

  @Override
  public List<NodeInfo> nodesWithAffinityPods() {
    return cache.nodesWithAffinityPods();
  }

  @Override
  public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
    return cache.nodesWithRequiredAntiAffinityPods();
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null ? Map.of() : ns.getMetadata().getLabels();
  }

  @Override
  public List<String> namespacesMatching(LabelSelector selector) {
    List<String> out = new ArrayList<>();
    namespaces.forEach((n, ns) -> {
      if (selector.matches(ns.getMetadata().getLabels())) {
        out.add(n);
      }
    });
    return out;
  }

  @Override
  public Pod pod(String namespace, String name) {
    return pods.get(namespace + "/" + name);
  }

  @Override
  public List<PodDisruptionBudget> podDisruptionBudgets() {
    return pdbs;
  }

  @Override
  public List<Service> services(String namespace) {
    return services.stream().filter(s -> namespace.equals(s.getMetadata().getNamespace())).toList();
  }

  @Override
  public ReplicaSet replicaSet(String namespace, String name) {
    return replicaSets.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  @Override
  public StatefulSet statefulSet(String namespace, String name) {
    return statefulSets.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  @Override
  public io.fabric8.kubernetes.api.model.PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
    return claims.get(namespace + "/" + name);
  }

  @Override
  public List<io.fabric8.kubernetes.api.model.PersistentVolume> persistentVolumes() {
    return new ArrayList<>(volumes.values());
  }

  @Override
  public io.fabric8.kubernetes.api.model.PersistentVolume persistentVolume(String name) {
    return volumes.get(name);
  }

  @Override
  public io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(String name) {
    return storageClasses.get(name);
  }

  @Override
  public List<PodInfo> nominatedPods(String nodeName) {
    return nominator.isEmpty() ? List.of() : nominator.forNode(nodeName);
  }

  private final class RecordingActions implements Handle.Actions {
    @Override
    public void bind(PodInfo pod, String nodeName, Consumer<Status> done) {
      actions.add("bind " + pod.key() + " " + nodeName);
      done.accept(Status.SUCCESS);
    }

    @Override
    public void preempt(PodInfo preemptor, PodInfo victim, String nodeName) {
      actions.add("preempt " + victim.key() + " on " + nodeName + " for " + preemptor.key());
    }

    @Override
    public void clearNomination(PodInfo pod) {
      actions.add("clear nomination of " + pod.key());
    }
  }
}
