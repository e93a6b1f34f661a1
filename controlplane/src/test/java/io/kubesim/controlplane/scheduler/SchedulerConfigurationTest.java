package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubesim.controlplane.scheduler.plugins.NodeResourcesFit;
import io.kubesim.controlplane.scheduler.plugins.PodTopologySpread;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KubeSchedulerConfiguration: defaults, merging a profile's plugins, args, and errors that name the field. */
class SchedulerConfigurationTest {

  static final String HEADER = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

  static SchedulerConfiguration parse(String body) {
    return SchedulerConfiguration.parse(HEADER + body);
  }

  static Map<String, Integer> weights(SchedulerConfiguration.Profile p) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String s : p.plugins(ExtensionPoint.SCORE)) {
      out.put(s, p.scoreWeights().get(s));
    }
    return out;
  }

  @Test
  void theDefaultsAreKubernetesDefaultPlugins() {
    SchedulerConfiguration c = SchedulerConfiguration.defaults();
    SchedulerConfiguration.Profile p = c.profile("default-scheduler");
    assertThat(c.percentageOfNodesToScore()).isZero();
    assertThat(c.podInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.podMaxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.plugins(ExtensionPoint.PRE_ENQUEUE)).containsExactly("SchedulingGates");
    assertThat(p.plugins(ExtensionPoint.QUEUE_SORT)).containsExactly("PrioritySort");
    assertThat(p.plugins(ExtensionPoint.PRE_FILTER)).containsExactly("NodeAffinity", "NodePorts", "NodeResourcesFit",
        "VolumeBinding", "PodTopologySpread", "InterPodAffinity");
    assertThat(p.plugins(ExtensionPoint.FILTER)).containsExactly("NodeUnschedulable", "NodeName", "TaintToleration",
        "NodeAffinity", "NodePorts", "NodeResourcesFit", "VolumeBinding", "PodTopologySpread", "InterPodAffinity");
    assertThat(p.plugins(ExtensionPoint.POST_FILTER)).containsExactly("DefaultPreemption");
    assertThat(p.plugins(ExtensionPoint.PRE_SCORE)).containsExactly("TaintToleration", "NodeAffinity",
        "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity", "NodeResourcesBalancedAllocation");
    assertThat(weights(p)).containsExactly(Map.entry("TaintToleration", 3), Map.entry("NodeAffinity", 2),
        Map.entry("NodeResourcesFit", 1), Map.entry("PodTopologySpread", 2), Map.entry("InterPodAffinity", 2),
        Map.entry("NodeResourcesBalancedAllocation", 1), Map.entry("ImageLocality", 1));
    assertThat(p.plugins(ExtensionPoint.BIND)).containsExactly("DefaultBinder");
  }

  @Test
  void multiPointDisablesAPluginEverywhere() {
    SchedulerConfiguration.Profile p = parse("""
        profiles:
        - schedulerName: default-scheduler
          plugins:
            multiPoint:
              disabled: [{name: TaintToleration}]
        """).profiles().get(0);
    assertThat(p.allPlugins()).doesNotContain("TaintToleration");
  }

  @Test
  void aScoreWeightSetAtTheScorePointWinsAndComesFirst() {
    SchedulerConfiguration.Profile p = parse("""
        profiles:
        - plugins:
            score:
              enabled: [{name: NodeResourcesBalancedAllocation, weight: 5}]
        """).profiles().get(0);
    assertThat(p.plugins(ExtensionPoint.SCORE)).first().isEqualTo("NodeResourcesBalancedAllocation");
    assertThat(p.scoreWeights()).containsEntry("NodeResourcesBalancedAllocation", 5);
  }

  @Test
  void aMultiPointWeightChangesTheDefault() {
    SchedulerConfiguration.Profile p = parse("""
        profiles:
        - plugins:
            multiPoint:
              enabled: [{name: ImageLocality, weight: 4}]
        """).profiles().get(0);
    assertThat(p.scoreWeights()).containsEntry("ImageLocality", 4);
    assertThat(p.plugins(ExtensionPoint.SCORE)).last().isEqualTo("ImageLocality");
  }

  @Test
  void disablingAllScorePluginsKeepsTheFilters() {
    SchedulerConfiguration.Profile p = parse("""
        profiles:
        - plugins:
            score:
              disabled: [{name: '*'}]
        """).profiles().get(0);
    assertThat(p.plugins(ExtensionPoint.SCORE)).isEmpty();
    assertThat(p.plugins(ExtensionPoint.FILTER)).contains("NodeResourcesFit");
  }

  @Test
  void profilesAreSelectedBySchedulerName() {
    SchedulerConfiguration c = parse("""
        percentageOfNodesToScore: 30
        profiles:
        - schedulerName: default-scheduler
        - schedulerName: bin-packer
          percentageOfNodesToScore: 100
          pluginConfig:
          - name: NodeResourcesFit
            args:
              scoringStrategy: {type: MostAllocated}
        """);
    assertThat(c.percentageOfNodesToScore()).isEqualTo(30);
    assertThat(c.profile("bin-packer").percentageOfNodesToScore()).isEqualTo(100);
    assertThat(((NodeResourcesFit.Args) c.profile("bin-packer").pluginArgs().get("NodeResourcesFit"))
        .scoringStrategy()).isEqualTo("MostAllocated");
    assertThat(((NodeResourcesFit.Args) c.profile("default-scheduler").pluginArgs().get("NodeResourcesFit"))
        .scoringStrategy()).isEqualTo("LeastAllocated");
  }

  @Test
  void readsListDefaultConstraintsOfPodTopologySpread() {
    SchedulerConfiguration c = parse("""
        profiles:
        - pluginConfig:
          - name: PodTopologySpread
            args:
              defaultingType: List
              defaultConstraints:
              - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}
        """);
    PodTopologySpread.Args args = (PodTopologySpread.Args) c.profiles().get(0).pluginArgs().get("PodTopologySpread");
    assertThat(args.defaultConstraints()).containsExactly(new PodTopologySpread.DefaultConstraint(1,
        "topology.kubernetes.io/zone", "DoNotSchedule"));
  }

  @Test
  void rejectsAnUnknownPluginNamingTheField() {
    assertThatThrownBy(() -> parse("""
        profiles:
        - plugins:
            score:
              enabled: [{name: NodeResourcesFit}, {name: Foo}]
        """)).isInstanceOf(ConfigException.class).hasMessage(
        "profiles[0].plugins.score.enabled[1].name: Invalid value: \"Foo\": plugin \"Foo\" does not exist");
  }

  @Test
  void rejectsAPluginAtAnExtensionPointItDoesNotImplement() {
    assertThatThrownBy(() -> parse("""
        profiles:
        - plugins:
            filter:
              enabled: [{name: ImageLocality}]
        """)).hasMessage("profiles[0].plugins.filter.enabled[0].name: Invalid value: \"ImageLocality\": plugin "
        + "\"ImageLocality\" does not extend FilterPlugin plugin");
  }

  @Test
  void rejectsAPercentageOutOfRange() {
    assertThatThrownBy(() -> parse("percentageOfNodesToScore: 120\n"))
        .hasMessage("percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]");
  }

  @Test
  void rejectsDuplicateSchedulerNames() {
    assertThatThrownBy(() -> parse("""
        profiles:
        - schedulerName: a
        - schedulerName: a
        """)).hasMessage("profiles[1].schedulerName: Duplicate value: \"a\"");
  }

  @Test
  void rejectsAnUnsupportedScoringStrategy() {
    assertThatThrownBy(() -> parse("""
        profiles:
        - pluginConfig:
          - name: NodeResourcesFit
            args: {scoringStrategy: {type: Random}}
        """)).hasMessage("profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: \"Random\": "
        + "supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
  }

  @Test
  void rejectsSystemDefaultingWithConstraints() {
    assertThatThrownBy(() -> parse("""
        profiles:
        - pluginConfig:
          - name: PodTopologySpread
            args:
              defaultConstraints:
              - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}
        """)).hasMessage("profiles[0].pluginConfig[0].args.defaultConstraints: Invalid value: when .defaultingType "
        + "is \"System\", .defaultConstraints must be empty");
  }

  @Test
  void rejectsUnknownFields() {
    assertThatThrownBy(() -> parse("profiles:\n- schedulerName: a\n  plugin: {}\n"))
        .hasMessage("profiles[0].plugin: unknown field \"plugin\"");
  }

  @Test
  void rejectsAnotherApiVersion() {
    assertThatThrownBy(() -> SchedulerConfiguration.parse("apiVersion: kubescheduler.config.k8s.io/v1beta3\n"
        + "kind: KubeSchedulerConfiguration\n")).hasMessageStartingWith("apiVersion: Unsupported value");
  }

  @Test
  void rejectsAMaxBackoffBelowTheInitial() {
    assertThatThrownBy(() -> parse("podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n"))
        .hasMessage("podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to "
            + "PodInitialBackoffSeconds");
  }
}
