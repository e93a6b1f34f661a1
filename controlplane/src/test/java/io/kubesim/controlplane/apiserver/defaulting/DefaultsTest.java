package io.kubesim.controlplane.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {

  private static Pod pod(String image) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
  }

  private static Pod defaulted(Pod p) {
    Defaults.apply(p);
    return p;
  }

  private static PodTemplateSpecBuilder template() {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec();
  }

  // ---------------------------------------------------------------- Pod spec

  @Test
  void podGetsRestartPolicyAlways() {
    assertThat(defaulted(pod("nginx")).getSpec().getRestartPolicy()).isEqualTo("Always");
  }

  @Test
  void podGetsTerminationGracePeriodOf30Seconds() {
    assertThat(defaulted(pod("nginx")).getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
  }

  @Test
  void podGetsDnsPolicyClusterFirst() {
    assertThat(defaulted(pod("nginx")).getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
  }

  @Test
  void podGetsDefaultScheduler() {
    assertThat(defaulted(pod("nginx")).getSpec().getSchedulerName()).isEqualTo("default-scheduler");
  }

  @Test
  void podGetsAnEmptySecurityContext() {
    assertThat(defaulted(pod("nginx")).getSpec().getSecurityContext()).isNotNull();
  }

  @Test
  void podGetsServiceLinksEnabled() {
    assertThat(defaulted(pod("nginx")).getSpec().getEnableServiceLinks()).isTrue();
  }

  @Test
  void priorityAndPreemptionPolicyAreLeftToAdmission() {
    Pod p = defaulted(pod("nginx"));
    assertThat(p.getSpec().getPriority()).isNull();
    assertThat(p.getSpec().getPreemptionPolicy()).isNull();
  }

  @Test
  void newPodStartsPendingWithItsQosClass() {
    Pod p = defaulted(pod("nginx"));
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getQosClass()).isEqualTo("BestEffort");
  }

  @Test
  void podWithEqualLimitsForCpuAndMemoryIsGuaranteed() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("128Mi")).build());
    assertThat(defaulted(p).getStatus().getQosClass()).isEqualTo("Guaranteed");
  }

  @Test
  void podWithOnlyRequestsIsBurstable() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m")).build());
    assertThat(defaulted(p).getStatus().getQosClass()).isEqualTo("Burstable");
  }

  @Test
  void storedPodIsNotGivenAPhase() {
    Pod p = pod("nginx");
    p.getMetadata().setResourceVersion("12");
    assertThat(defaulted(p).getStatus()).isNull();
  }

  // ---------------------------------------------------------------- containers

  @Test
  void imagePullPolicyIsAlwaysForLatestTag() {
    assertThat(defaulted(pod("nginx:latest")).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  void imagePullPolicyIsAlwaysWithoutTag() {
    assertThat(defaulted(pod("nginx")).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  void imagePullPolicyIsIfNotPresentForAPinnedTag() {
    assertThat(defaulted(pod("nginx:1.27")).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void imagePullPolicyIsIfNotPresentForADigest() {
    assertThat(defaulted(pod("nginx@sha256:0123456789abcdef")).getSpec().getContainers().get(0).getImagePullPolicy())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void registryPortIsNotATag() {
    assertThat(defaulted(pod("localhost:5000/nginx")).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
    assertThat(Defaults.pullPolicyFor("localhost:5000/nginx:2")).isEqualTo("IfNotPresent");
  }

  @Test
  void containerGetsTerminationMessageDefaults() {
    var c = defaulted(pod("nginx")).getSpec().getContainers().get(0);
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
  }

  @Test
  void containerPortGetsProtocolTcp() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
        .withContainerPort(80).build()));
    assertThat(defaulted(p).getSpec().getContainers().get(0).getPorts().get(0).getProtocol()).isEqualTo("TCP");
  }

  @Test
  void initContainersAreDefaultedLikeContainers() {
    Pod p = pod("nginx");
    p.getSpec().setInitContainers(List.of(new ContainerBuilder().withName("init").withImage("busybox:1.36").build()));
    var c = defaulted(p).getSpec().getInitContainers().get(0);
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
  }

  @Test
  void requestsAreCopiedFromLimitsWhenUnset() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("64Mi"))
        .addToRequests("cpu", new Quantity("250m")).build());
    var rr = defaulted(p).getSpec().getContainers().get(0).getResources();
    assertThat(rr.getRequests()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("64Mi"));
  }

  @Test
  void templatesDoNotCopyRequestsFromLimits() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
        .withTemplate(template().build()).endSpec().build();
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("cpu", new Quantity("1")).build());
    Defaults.apply(d);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests()).isNullOrEmpty();
    assertThat(d.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isNull();
  }

  @Test
  void probeGetsTimingDefaultsAndHttpScheme() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setLivenessProbe(new io.fabric8.kubernetes.api.model.ProbeBuilder()
        .withNewHttpGet().withPort(new IntOrString(8080)).endHttpGet().build());
    var probe = defaulted(p).getSpec().getContainers().get(0).getLivenessProbe();
    assertThat(probe.getTimeoutSeconds()).isEqualTo(1);
    assertThat(probe.getPeriodSeconds()).isEqualTo(10);
    assertThat(probe.getSuccessThreshold()).isEqualTo(1);
    assertThat(probe.getFailureThreshold()).isEqualTo(3);
    assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(probe.getHttpGet().getPath()).isEqualTo("/");
  }

  @Test
  void hostNetworkPodsGetHostPortsEqualToContainerPorts() {
    Pod p = pod("nginx");
    p.getSpec().setHostNetwork(true);
    p.getSpec().getContainers().get(0).setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
        .withContainerPort(8080).build()));
    assertThat(defaulted(p).getSpec().getContainers().get(0).getPorts().get(0).getHostPort()).isEqualTo(8080);
  }

  @Test
  void envFieldRefGetsApiVersionV1() {
    Pod p = pod("nginx");
    p.getSpec().getContainers().get(0).setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("NODE")
        .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().build()));
    assertThat(defaulted(p).getSpec().getContainers().get(0).getEnv().get(0).getValueFrom().getFieldRef().getApiVersion())
        .isEqualTo("v1");
  }

  // ---------------------------------------------------------------- volumes

  @Test
  void volumeWithoutSourceBecomesEmptyDir() {
    Pod p = pod("nginx");
    p.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("scratch").build()));
    assertThat(defaulted(p).getSpec().getVolumes().get(0).getEmptyDir()).isNotNull();
  }

  @Test
  void configMapAndSecretVolumesGetMode0644() {
    Pod p = pod("nginx");
    p.getSpec().setVolumes(List.of(
        new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().build(),
        new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("sec").withNewSecret().withSecretName("sec").endSecret().build()));
    var vols = defaulted(p).getSpec().getVolumes();
    assertThat(vols.get(0).getConfigMap().getDefaultMode()).isEqualTo(420);
    assertThat(vols.get(1).getSecret().getDefaultMode()).isEqualTo(420);
  }

  @Test
  void hostPathVolumeGetsEmptyType() {
    Pod p = pod("nginx");
    p.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("h").withNewHostPath()
        .withPath("/var/log").endHostPath().build()));
    assertThat(defaulted(p).getSpec().getVolumes().get(0).getHostPath().getType()).isEqualTo("");
  }

  // ---------------------------------------------------------------- apps

  @Test
  void deploymentGetsOneReplicaAndRollingUpdateOf25Percent() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
        .withTemplate(template().build()).endSpec().build();
    Defaults.apply(d);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
  }

  @Test
  void recreateDeploymentGetsNoRollingUpdate() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
        .withNewStrategy().withType("Recreate").endStrategy().endSpec().build();
    Defaults.apply(d);
    assertThat(d.getSpec().getStrategy().getRollingUpdate()).isNull();
  }

  @Test
  void explicitValuesAreKept() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec().withReplicas(0)
        .withRevisionHistoryLimit(2).withNewStrategy().withNewRollingUpdate().withMaxSurge(new IntOrString(3)).endRollingUpdate()
        .endStrategy().withTemplate(template().editSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(5L)
            .endSpec().build()).endSpec().build();
    Defaults.apply(d);
    assertThat(d.getSpec().getReplicas()).isZero();
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(3);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(5L);
  }

  @Test
  void replicaSetGetsOneReplica() {
    var rs = new ReplicaSetBuilder().withNewMetadata().withName("rs").endMetadata().withNewSpec().endSpec().build();
    Defaults.apply(rs);
    assertThat(rs.getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void daemonSetGetsRollingUpdateOfOneUnavailableAndNoSurge() {
    DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("ds").endMetadata().withNewSpec().endSpec().build();
    Defaults.apply(ds);
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    assertThat(ds.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
  }

  @Test
  void statefulSetGetsOrderedReadyRollingUpdateAndRetainPolicy() {
    StatefulSet s = new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata().withNewSpec()
        .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate().endSpec().build();
    Defaults.apply(s);
    assertThat(s.getSpec().getReplicas()).isEqualTo(1);
    assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
    assertThat(s.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
    assertThat(s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getVolumeMode()).isEqualTo("Filesystem");
  }

  // ---------------------------------------------------------------- batch

  @Test
  void jobGetsOneCompletionOneParallelismAndBackoffSix() {
    Job j = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewSpec().withTemplate(template().build()).endSpec().build();
    Defaults.apply(j);
    assertThat(j.getSpec().getCompletions()).isEqualTo(1);
    assertThat(j.getSpec().getParallelism()).isEqualTo(1);
    assertThat(j.getSpec().getBackoffLimit()).isEqualTo(6);
    assertThat(j.getSpec().getCompletionMode()).isEqualTo("NonIndexed");
    assertThat(j.getSpec().getSuspend()).isFalse();
    assertThat(j.getSpec().getManualSelector()).isFalse();
    assertThat(j.getSpec().getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");
    assertThat(j.getMetadata().getLabels()).containsEntry("app", "web");
  }

  @Test
  void jobWithParallelismOnlyKeepsCompletionsUnset() {
    Job j = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewSpec().withParallelism(3).endSpec().build();
    Defaults.apply(j);
    assertThat(j.getSpec().getCompletions()).isNull();
    assertThat(j.getSpec().getParallelism()).isEqualTo(3);
  }

  @Test
  void jobWithPodFailurePolicyReplacesOnlyFailedPods() {
    Job j = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewSpec().withNewPodFailurePolicy()
        .addNewRule().withAction("FailJob").addNewOnPodCondition().withType("DisruptionTarget").endOnPodCondition().endRule()
        .endPodFailurePolicy().endSpec().build();
    Defaults.apply(j);
    assertThat(j.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
    assertThat(j.getSpec().getPodFailurePolicy().getRules().get(0).getOnPodConditions().get(0).getStatus()).isEqualTo("True");
  }

  @Test
  void cronJobGetsAllowConcurrencyAndHistoryLimits() {
    CronJob cj = new CronJobBuilder().withNewMetadata().withName("cj").endMetadata().withNewSpec().withSchedule("*/5 * * * *")
        .endSpec().build();
    Defaults.apply(cj);
    assertThat(cj.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
    assertThat(cj.getSpec().getSuspend()).isFalse();
    assertThat(cj.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(cj.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- Service and friends

  @Test
  void serviceGetsClusterIpTypeNoAffinityAndTcpPortsTargetingThePort() {
    Service s = new ServiceBuilder().withNewMetadata().withName("svc").endMetadata().withNewSpec().addNewPort().withPort(80)
        .endPort().endSpec().build();
    Defaults.apply(s);
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(s.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
    assertThat(s.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(80);
    assertThat(s.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(s.getSpec().getExternalTrafficPolicy()).isNull();
    assertThat(s.getSpec().getIpFamilyPolicy()).isNull();
  }

  @Test
  void nodePortServiceGetsExternalTrafficPolicyCluster() {
    Service s = new ServiceBuilder().withNewMetadata().withName("svc").endMetadata().withNewSpec().withType("NodePort")
        .addNewPort().withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build();
    Defaults.apply(s);
    assertThat(s.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(s.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
  }

  @Test
  void loadBalancerServiceAllocatesNodePorts() {
    Service s = new ServiceBuilder().withNewMetadata().withName("svc").endMetadata().withNewSpec().withType("LoadBalancer")
        .endSpec().build();
    Defaults.apply(s);
    assertThat(s.getSpec().getAllocateLoadBalancerNodePorts()).isTrue();
  }

  @Test
  void clientIpAffinityGetsThreeHourTimeout() {
    Service s = new ServiceBuilder().withNewMetadata().withName("svc").endMetadata().withNewSpec().withSessionAffinity("ClientIP")
        .endSpec().build();
    Defaults.apply(s);
    assertThat(s.getSpec().getSessionAffinityConfig().getClientIP().getTimeoutSeconds()).isEqualTo(10800);
  }

  @Test
  void namespaceGetsKubernetesFinalizerActivePhaseAndNameLabel() {
    var ns = new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build();
    Defaults.apply(ns);
    assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
    assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
    assertThat(ns.getMetadata().getLabels()).containsEntry("kubernetes.io/metadata.name", "team-a");
  }

  @Test
  void secretGetsTypeOpaque() {
    var s = new SecretBuilder().withNewMetadata().withName("s").endMetadata().build();
    Defaults.apply(s);
    assertThat(s.getType()).isEqualTo("Opaque");
  }

  @Test
  void persistentVolumeGetsRetainFilesystemAndPending() {
    var pv = new PersistentVolumeBuilder().withNewMetadata().withName("pv").endMetadata().withNewSpec().withNewHostPath()
        .withPath("/data").endHostPath().endSpec().build();
    Defaults.apply(pv);
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(pv.getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void persistentVolumeClaimGetsFilesystemAndPending() {
    var pvc = new PersistentVolumeClaimBuilder().withNewMetadata().withName("c").endMetadata().withNewSpec().endSpec().build();
    Defaults.apply(pvc);
    assertThat(pvc.getSpec().getVolumeMode()).isEqualTo("Filesystem");
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void endpointsAndEndpointSlicePortsGetTcp() {
    var ep = new EndpointsBuilder().withNewMetadata().withName("e").endMetadata().addNewSubset().addNewPort().withPort(80).endPort()
        .endSubset().build();
    Defaults.apply(ep);
    assertThat(ep.getSubsets().get(0).getPorts().get(0).getProtocol()).isEqualTo("TCP");
    var es = new EndpointSliceBuilder().withNewMetadata().withName("e").endMetadata().withAddressType("IPv4").addNewPort().withPort(80)
        .endPort().build();
    Defaults.apply(es);
    assertThat(es.getPorts().get(0).getProtocol()).isEqualTo("TCP");
    assertThat(es.getPorts().get(0).getName()).isEmpty();
  }

  @Test
  void nodeAllocatableDefaultsToCapacity() {
    var node = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus().addToCapacity("cpu", new Quantity("4"))
        .endStatus().build();
    Defaults.apply(node);
    assertThat(node.getStatus().getAllocatable()).containsEntry("cpu", new Quantity("4"));
  }

  @Test
  void limitRangeContainerDefaultsComeFromMaxAndMin() {
    var lr = new LimitRangeBuilder().withNewMetadata().withName("lr").endMetadata().withNewSpec().addNewLimit().withType("Container")
        .addToMax("cpu", new Quantity("2")).addToMin("memory", new Quantity("64Mi")).endLimit().endSpec().build();
    Defaults.apply(lr);
    var item = lr.getSpec().getLimits().get(0);
    assertThat(item.getDefault()).containsEntry("cpu", new Quantity("2"));
    assertThat(item.getDefaultRequest()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("64Mi"));
  }

  @Test
  void priorityClassGetsPreemptLowerPriority() {
    var pc = new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000).build();
    Defaults.apply(pc);
    assertThat(pc.getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
  }

  @Test
  void storageClassGetsDeleteAndImmediateBinding() {
    var sc = new StorageClassBuilder().withNewMetadata().withName("standard").endMetadata().withProvisioner("x.io/y").build();
    Defaults.apply(sc);
    assertThat(sc.getReclaimPolicy()).isEqualTo("Delete");
    assertThat(sc.getVolumeBindingMode()).isEqualTo("Immediate");
  }

  @Test
  void ingressPathTypeHasNoDefault() {
    var ing = new io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder().withNewMetadata().withName("i").endMetadata()
        .withNewSpec().addNewRule().withNewHttp().addNewPath().withPath("/").endPath().endHttp().endRule().endSpec().build();
    Defaults.apply(ing);
    assertThat(ing.getSpec().getRules().get(0).getHttp().getPaths().get(0).getPathType()).isNull();
  }

  @Test
  void kindsWithoutDefaultsAreUntouched() {
    var cm = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("c").endMetadata()
        .withData(Map.of("k", "v")).build();
    var before = io.kubesim.shared.json.Json.write(cm);
    Defaults.apply(cm);
    assertThat(io.kubesim.shared.json.Json.write(cm)).isEqualTo(before);
  }
}
