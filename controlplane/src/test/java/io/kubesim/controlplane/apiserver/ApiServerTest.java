package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {

  private ControlPlaneHarness h;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
        .endSpec().build();
  }

  static Pod podOn(String name, String node) {
    Pod p = pod(name);
    p.getSpec().setNodeName(node);
    return p;
  }

  static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build();
  }

  private List<Api.WatchEvent> events(Recorder<Api.WatchMessage> w) {
    List<Api.WatchEvent> out = new ArrayList<>();
    for (Api.WatchMessage m : w.drain()) {
      out.add((Api.WatchEvent) m);
    }
    return out;
  }

  // ---------------------------------------------------------------- bootstrap and metadata

  @Test
  void startsWithTheFourSystemNamespaces() {
    Api.Listed l = h.list(Resources.NAMESPACES, null, ListOptions.ALL);
    assertThat(l.items()).extracting(o -> o.getMetadata().getName())
        .containsExactly("default", "kube-node-lease", "kube-public", "kube-system");
    assertThat(((Namespace) l.items().get(0)).getStatus().getPhase()).isEqualTo("Active");
  }

  @Test
  void createFillsInUidTimestampResourceVersionAndGeneration() {
    h.advance(Duration.ofSeconds(40));
    Pod p = h.created(pod("p1"));
    assertThat(p.getMetadata().getUid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(p.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-01T00:00:40Z");
    assertThat(Long.parseLong(p.getMetadata().getResourceVersion())).isPositive();
    assertThat(p.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(p.getApiVersion()).isEqualTo("v1");
    assertThat(p.getKind()).isEqualTo("Pod");
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getQosClass()).isEqualTo("BestEffort");
  }

  @Test
  void generateNameAddsFiveCharactersFromTheConsonantAlphabet() {
    Pod p = pod(null);
    p.getMetadata().setGenerateName("web-");
    Pod created = h.created(p);
    assertThat(created.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void sameSeedGivesTheSameUidsAndGeneratedNames() {
    List<String> first = namesAndUids();
    h.close();
    h = new ControlPlaneHarness();
    assertThat(namesAndUids()).isEqualTo(first);
  }

  private List<String> namesAndUids() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Pod p = pod(null);
      p.getMetadata().setGenerateName("web-");
      Pod c = h.created(p);
      out.add(c.getMetadata().getName() + " " + c.getMetadata().getUid());
    }
    return out;
  }

  // ---------------------------------------------------------------- errors

  @Test
  void creatingAnExistingNameIsAlreadyExists() {
    h.created(pod("p1"));
    Api.Failed f = h.failed(h.create(pod("p1")));
    assertThat(f.code()).isEqualTo(409);
    assertThat(f.reason()).isEqualTo("AlreadyExists");
    assertThat(f.message()).isEqualTo("pods \"p1\" already exists");
  }

  @Test
  void creatingInAMissingNamespaceIsNotFound() {
    Pod p = pod("p1");
    p.getMetadata().setNamespace("nope");
    Api.Failed f = h.failed(h.create(p));
    assertThat(f.code()).isEqualTo(404);
    assertThat(f.message()).isEqualTo("namespaces \"nope\" not found");
  }

  @Test
  void gettingAMissingObjectIsNotFoundNamedByGroupResource() {
    Api.Failed pods = h.failed(h.get(Resources.PODS, "default", "nope"));
    assertThat(pods.code()).isEqualTo(404);
    assertThat(pods.reason()).isEqualTo("NotFound");
    assertThat(pods.message()).isEqualTo("pods \"nope\" not found");
    Api.Failed deploys = h.failed(h.get(Resources.DEPLOYMENTS, "default", "nope"));
    assertThat(deploys.message()).isEqualTo("deployments.apps \"nope\" not found");
  }

  @Test
  void updateWithAStaleResourceVersionIsAConflict() {
    Pod p = h.created(pod("p1"));
    Pod first = new PodBuilder(p).editMetadata().addToLabels("v", "1").endMetadata().build();
    h.ok(h.update(first), Pod.class);
    Pod stale = new PodBuilder(p).editMetadata().addToLabels("v", "2").endMetadata().build();

    Api.Failed f = h.failed(h.update(stale));

    assertThat(f.code()).isEqualTo(409);
    assertThat(f.reason()).isEqualTo("Conflict");
    assertThat(f.message()).isEqualTo("Operation cannot be fulfilled on pods \"p1\": the object has been modified; "
        + "please apply your changes to the latest version and try again");
    assertThat(h.ok(h.get(Resources.PODS, "default", "p1"), Pod.class).getMetadata().getLabels()).containsEntry("v",
        "1");
  }

  @Test
  void interleavedReadModifyWriteClientsLoseNoUpdate() {
    h.created(new ConfigMapBuilder().withNewMetadata().withName("counter").withNamespace("default").endMetadata()
        .addToData("n", "0").build());
    int clients = 8;
    int perClient = 25;
    int[] done = new int[clients];
    int conflicts = 0;
    while (true) {
      // Every client reads, then every client writes what it read plus one: all but one conflict.
      List<ConfigMap> reads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        reads.add(h.ok(h.get(Resources.CONFIGMAPS, "default", "counter"), ConfigMap.class));
      }
      boolean any = false;
      for (int c = 0; c < clients; c++) {
        if (done[c] == perClient) {
          continue;
        }
        any = true;
        ConfigMap read = reads.get(c);
        int n = Integer.parseInt(read.getData().get("n"));
        ConfigMap next = new ConfigMapBuilder(read).addToData("n", Integer.toString(n + 1)).build();
        Api.Response r = h.update(next);
        if (r instanceof Api.Ok) {
          done[c]++;
        } else {
          assertThat(h.failed(r).reason()).isEqualTo("Conflict");
          conflicts++;
        }
      }
      if (!any) {
        break;
      }
    }
    ConfigMap end = h.ok(h.get(Resources.CONFIGMAPS, "default", "counter"), ConfigMap.class);
    assertThat(end.getData().get("n")).isEqualTo(Integer.toString(clients * perClient));
    assertThat(conflicts).isPositive();
  }

  @Test
  void aPodWithoutContainersIsInvalidWithAFieldCause() {
    Pod p = new PodBuilder().withNewMetadata().withName("bad").withNamespace("default").endMetadata().withNewSpec()
        .endSpec().build();
    Api.Failed f = h.failed(h.create(p));
    assertThat(f.code()).isEqualTo(422);
    assertThat(f.reason()).isEqualTo("Invalid");
    assertThat(f.message()).isEqualTo("Pod \"bad\" is invalid: spec.containers: Required value");
    assertThat(f.status().getDetails().getCauses()).singleElement().satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("FieldValueRequired");
      assertThat(c.getField()).isEqualTo("spec.containers");
    });
  }

  @Test
  void aNameThatIsNotADns1123SubdomainIsInvalid() {
    Api.Failed f = h.failed(h.create(pod("Bad_Name")));
    assertThat(f.code()).isEqualTo(422);
    assertThat(f.message()).startsWith("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
        + "a lowercase RFC 1123 subdomain must consist of");
  }

  @Test
  void anUnparsableQuantityIsInvalid() {
    Pod p = pod("q");
    p.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
        .addToLimits("memory", new Quantity("12XY")).build());
    Api.Failed f = h.failed(h.create(p));
    assertThat(f.code()).isEqualTo(422);
    assertThat(f.message()).contains("spec.containers[0].resources.limits[memory]: Invalid value: \"12XY\"");
  }

  @Test
  void anUnsupportedFieldSelectorIsABadRequest() {
    Api.Response r = h.call(x -> new Api.List(Resources.PODS, "default", ListOptions.fields("spec.foo=bar"), x, 0));
    Api.Failed f = h.failed(r);
    assertThat(f.code()).isEqualTo(400);
    assertThat(f.message()).isEqualTo("field label not supported: spec.foo");
  }

  // ---------------------------------------------------------------- defaulting and admission

  @Test
  void podDefaultsAreThoseOfARealCluster() {
    // With every default admission plugin on, the ServiceAccount plugin among them, and the
    // namespace's "default" account in place as its controller would have made it.
    h.close();
    h = new ControlPlaneHarness(StoreSettings.DEFAULT, ApiServerSettings.DEFAULT);
    h.created(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName("default")
        .withNamespace("default").endMetadata().build());
    Pod p = h.created(pod("p1"));
    assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(p.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(p.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
    assertThat(p.getSpec().getPriority()).isZero();
    assertThat(p.getSpec().getEnableServiceLinks()).isTrue();
    assertThat(p.getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(p.getSpec().getContainers().get(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
  }

  @Test
  void imagePullPolicyIsAlwaysForLatestOrUntaggedImages() {
    Pod untagged = pod("a");
    untagged.getSpec().getContainers().get(0).setImage("nginx");
    Pod latest = pod("b");
    latest.getSpec().getContainers().get(0).setImage("nginx:latest");
    assertThat(h.created(untagged).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
    assertThat(h.created(latest).getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  void everyPodGetsTheTwoDefaultNoExecuteTolerationsOf300Seconds() {
    Pod p = h.created(pod("p1"));
    assertThat(p.getSpec().getTolerations()).containsExactly(
        new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 300L, null),
        new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 300L, null));
  }

  @Test
  void aPodThatAlreadyToleratesNotReadyGetsOnlyTheUnreachableToleration() {
    Pod p = pod("p1");
    p.getSpec().setTolerations(List.of(new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 10L,
        null)));
    assertThat(h.created(p).getSpec().getTolerations()).containsExactly(
        new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 10L, null),
        new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 300L, null));
  }

  @Test
  void priorityClassNameResolvesToItsValue() {
    Pod p = pod("critical");
    p.getSpec().setPriorityClassName("system-node-critical");
    assertThat(h.created(p).getSpec().getPriority()).isEqualTo(2_000_001_000);
    Pod unknown = pod("x");
    unknown.getSpec().setPriorityClassName("nope");
    Api.Failed f = h.failed(h.create(unknown));
    assertThat(f.code()).isEqualTo(403);
    assertThat(f.message()).isEqualTo("pods \"x\" is forbidden: no PriorityClass with name nope was found");
  }

  @Test
  void deploymentDefaultsAreThoseOfAppsV1() {
    Deployment d = deployment("web", 3);
    d.getSpec().setReplicas(null);
    Deployment c = h.created(d);
    assertThat(c.getSpec().getReplicas()).isEqualTo(1);
    assertThat(c.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(c.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(c.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(c.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(c.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
  }

  // ---------------------------------------------------------------- spec, status, generation

  @Test
  void statusSentOnCreateOrSpecUpdateIsIgnoredAndSpecSentOnStatusUpdateIsIgnored() {
    Deployment d = deployment("web", 2);
    d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(9).build());
    Deployment c = h.created(d);
    assertThat(c.getStatus()).isNull();

    Deployment withStatus = new DeploymentBuilder(c).withNewStatus().withReplicas(2).endStatus().editSpec()
        .withReplicas(5).endSpec().build();
    Deployment afterStatus = h.ok(h.updateStatus(withStatus), Deployment.class);
    assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(2);
    assertThat(afterStatus.getSpec().getReplicas()).isEqualTo(2);

    Deployment specUpdate = new DeploymentBuilder(afterStatus).editSpec().withReplicas(4).endSpec().editStatus()
        .withReplicas(7).endStatus().build();
    Deployment afterSpec = h.ok(h.update(specUpdate), Deployment.class);
    assertThat(afterSpec.getSpec().getReplicas()).isEqualTo(4);
    assertThat(afterSpec.getStatus().getReplicas()).isEqualTo(2);
  }

  @Test
  void generationMovesOnSpecChangesOnly() {
    Deployment c = h.created(deployment("web", 2));
    Deployment relabeled = h.ok(h.update(new DeploymentBuilder(c).editMetadata().addToLabels("a", "b").endMetadata()
        .build()), Deployment.class);
    assertThat(relabeled.getMetadata().getGeneration()).isEqualTo(1L);
    Deployment scaled = h.ok(h.update(new DeploymentBuilder(relabeled).editSpec().withReplicas(3).endSpec().build()),
        Deployment.class);
    assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    Pod p = h.created(pod("p1"));
    Pod again = h.ok(h.update(new PodBuilder(p).build()), Pod.class);
    assertThat(again.getMetadata().getResourceVersion()).isEqualTo(p.getMetadata().getResourceVersion());
  }

  // ---------------------------------------------------------------- deletion

  @Test
  void deletingAPodOnANodeIsGracefulAndWaitsForTheKubelet() {
    h.advance(Duration.ofSeconds(10));
    h.created(podOn("p1", "w1"));
    Pod marked = h.ok(h.delete(Resources.PODS, "default", "p1", null), Pod.class);
    assertThat(marked.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:40Z");
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(h.get(Resources.PODS, "default", "p1")).isInstanceOf(Api.Ok.class);

    // The kubelet, once the containers have stopped, deletes with grace 0.
    h.ok(h.delete(Resources.PODS, "default", "p1", new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()),
        Pod.class);
    assertThat(h.failed(h.get(Resources.PODS, "default", "p1")).code()).isEqualTo(404);
  }

  @Test
  void deletingAnUnscheduledPodIsImmediate() {
    h.created(pod("p1"));
    h.ok(h.delete(Resources.PODS, "default", "p1", null), Pod.class);
    assertThat(h.failed(h.get(Resources.PODS, "default", "p1")).code()).isEqualTo(404);
  }

  @Test
  void anObjectWithFinalizersStaysUntilTheLastOneIsRemoved() {
    h.created(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("default")
        .withFinalizers("example.com/hold").endMetadata().build());
    ConfigMap marked = h.ok(h.delete(Resources.CONFIGMAPS, "default", "c", null), ConfigMap.class);
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isZero();

    ConfigMap released = new ConfigMapBuilder(marked).editMetadata().withFinalizers().endMetadata().build();
    h.ok(h.update(released), ConfigMap.class);
    assertThat(h.failed(h.get(Resources.CONFIGMAPS, "default", "c")).code()).isEqualTo(404);
  }

  @Test
  void foregroundAndOrphanPropagationAddTheirFinalizers() {
    h.created(deployment("fg", 1));
    h.created(deployment("or", 1));
    Deployment fg = h.ok(h.delete(Resources.DEPLOYMENTS, "default", "fg",
        new DeleteOptionsBuilder().withPropagationPolicy("Foreground").build()), Deployment.class);
    Deployment or = h.ok(h.delete(Resources.DEPLOYMENTS, "default", "or",
        new DeleteOptionsBuilder().withPropagationPolicy("Orphan").build()), Deployment.class);
    assertThat(fg.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
    assertThat(or.getMetadata().getFinalizers()).containsExactly("orphan");
    assertThat(fg.getMetadata().getDeletionTimestamp()).isNotNull();
  }

  @Test
  void deleteWithAStaleUidPreconditionIsAConflict() {
    h.created(pod("p1"));
    DeleteOptions o = new DeleteOptionsBuilder().withNewPreconditions().withUid("other").endPreconditions().build();
    Api.Failed f = h.failed(h.delete(Resources.PODS, "default", "p1", o));
    assertThat(f.code()).isEqualTo(409);
    assertThat(f.message()).contains("Precondition failed: UID in precondition: other");
  }

  // ---------------------------------------------------------------- selectors and paging

  @Test
  void listsFilterByLabelAndFieldSelectors() {
    h.created(podOn("a", "w1"));
    Pod b = podOn("b", "w2");
    b.getMetadata().setLabels(Map.of("app", "db", "tier", "back"));
    h.created(b);
    h.created(pod("c"));

    assertThat(names(h.list(Resources.PODS, "default", ListOptions.labels("app=web")))).containsExactly("a", "c");
    assertThat(names(h.list(Resources.PODS, "default", ListOptions.labels("app in (db,cache),tier")))).containsExactly(
        "b");
    assertThat(names(h.list(Resources.PODS, "default", ListOptions.labels("app!=web")))).containsExactly("b");
    assertThat(names(h.list(Resources.PODS, null, ListOptions.fields("spec.nodeName=w2")))).containsExactly("b");
    assertThat(names(h.list(Resources.PODS, "default", ListOptions.fields("spec.nodeName=")))).containsExactly("c");
    assertThat(names(h.list(Resources.PODS, "default",
        ListOptions.fields("status.phase!=Succeeded,status.phase!=Failed,metadata.name=a")))).containsExactly("a");
  }

  @Test
  void aNamespaceFieldSelectorPicksOneNamespaceOfAListAcrossAll() {
    h.created(pod("a"));
    Pod b = pod("b");
    b.getMetadata().setNamespace("kube-system");
    h.created(b);

    assertThat(names(h.list(Resources.PODS, null, ListOptions.fields("metadata.namespace=kube-system"))))
        .containsExactly("b");
    assertThat(names(h.list(Resources.PODS, null, ListOptions.fields("metadata.namespace!=kube-system"))))
        .containsExactly("a");
  }

  private static List<String> names(Api.Listed l) {
    return l.items().stream().map(o -> o.getMetadata().getName()).toList();
  }

  @Test
  void pagedListsAreOneConsistentSnapshot() {
    for (String n : List.of("a", "b", "c", "d", "e")) {
      h.created(pod(n));
    }
    Api.Listed first = h.list(Resources.PODS, "default", ListOptions.ALL.withLimit(2, null));
    assertThat(names(first)).containsExactly("a", "b");
    assertThat(first.continueToken()).isNotNull();

    h.created(pod("bb"));
    h.ok(h.delete(Resources.PODS, "default", "d", null), Pod.class);

    Api.Listed second = h.list(Resources.PODS, "default", ListOptions.ALL.withLimit(2, first.continueToken()));
    Api.Listed third = h.list(Resources.PODS, "default", ListOptions.ALL.withLimit(2, second.continueToken()));
    assertThat(names(second)).containsExactly("c", "d");
    assertThat(names(third)).containsExactly("e");
    assertThat(third.continueToken()).isNull();
    assertThat(second.resourceVersion()).isEqualTo(first.resourceVersion());
  }

  @Test
  void aContinueTokenOlderThanTheCompactedHistoryIsGone() {
    for (String n : List.of("a", "b", "c")) {
      h.created(pod(n));
    }
    Api.Listed first = h.list(Resources.PODS, "default", ListOptions.ALL.withLimit(1, null));
    h.created(pod("x"));
    h.created(pod("y"));
    h.store.tell(new Store.Compact(Long.parseLong(first.resourceVersion()) + 2));
    h.kit.settle();
    Api.Response r = h.call(x -> new Api.List(Resources.PODS, "default", ListOptions.ALL.withLimit(1,
        first.continueToken()), x, 0));
    Api.Failed f = h.failed(r);
    assertThat(f.code()).isEqualTo(410);
    assertThat(f.reason()).isEqualTo("Expired");
    assertThat(f.message()).startsWith("The provided continue parameter is too old");
  }

  // ---------------------------------------------------------------- watch

  @Test
  void watchStartsWithTheCurrentStateThenDeliversChangesInOrder() {
    h.created(pod("a"));
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL, 1);
    Pod b = h.created(pod("b"));
    h.ok(h.update(new PodBuilder(b).editMetadata().addToLabels("x", "y").endMetadata().build()), Pod.class);
    Pod deleted = h.ok(h.delete(Resources.PODS, "default", "b", null), Pod.class);

    List<Api.WatchEvent> ev = events(w);
    assertThat(ev).extracting(Api.WatchEvent::type).containsExactly(Api.EventType.ADDED, Api.EventType.ADDED,
        Api.EventType.MODIFIED, Api.EventType.DELETED);
    assertThat(ev).extracting(e -> e.object().getMetadata().getName()).containsExactly("a", "b", "b", "b");
    List<Long> rvs = ev.stream().map(e -> Long.parseLong(e.object().getMetadata().getResourceVersion())).toList();
    assertThat(rvs).isSorted();
    assertThat(ev.get(3).object().getMetadata().getResourceVersion())
        .isEqualTo(deleted.getMetadata().getResourceVersion());
  }

  @Test
  void aWatchResumedFromAResourceVersionLosesAndRepeatsNothing() {
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL.withResourceVersion(
        h.list(Resources.PODS, "default", ListOptions.ALL).resourceVersion()), 1);
    for (int i = 0; i < 10; i++) {
      h.created(pod("p" + i));
    }
    List<Api.WatchEvent> seen = events(w);
    String resumeFrom = seen.get(3).object().getMetadata().getResourceVersion();
    h.api.tell(new Api.StopWatch(w.ref(), 1));
    h.created(pod("p10"));

    Recorder<Api.WatchMessage> resumed = h.watch(Resources.PODS, "default",
        ListOptions.ALL.withResourceVersion(resumeFrom), 2);
    h.created(pod("p11"));

    List<String> names = events(resumed).stream().map(e -> e.object().getMetadata().getName()).toList();
    assertThat(names).containsExactly("p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11");
  }

  @Test
  void aWatchFromAResourceVersionOlderThanTheWatchCacheGets410Gone() {
    h.close();
    h = new ControlPlaneHarness(StoreSettings.DEFAULT, ControlPlaneHarness.HARNESS_DEFAULT.withWatchCacheCapacity(5));
    String rv = h.created(pod("first")).getMetadata().getResourceVersion();
    for (int i = 0; i < 10; i++) {
      h.created(pod("p" + i));
    }
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL.withResourceVersion(rv), 1);
    List<Api.WatchMessage> msgs = w.drain();
    Api.WatchEvent error = (Api.WatchEvent) msgs.get(0);
    assertThat(error.type()).isEqualTo(Api.EventType.ERROR);
    assertThat(error.error().getCode()).isEqualTo(410);
    assertThat(error.error().getReason()).isEqualTo("Expired");
    assertThat(error.error().getMessage()).startsWith("too old resource version: " + rv + " (");
    assertThat(msgs.get(1)).isInstanceOf(Api.WatchEnded.class);
  }

  @Test
  void aSelectingWatchSeesObjectsEnterAndLeaveTheSelection() {
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.labels("app=web"), 1);
    Pod p = h.created(pod("a"));
    Pod other = h.ok(h.update(new PodBuilder(p).editMetadata().addToLabels("app", "db").endMetadata().build()),
        Pod.class);
    h.ok(h.update(new PodBuilder(other).editMetadata().addToLabels("app", "web").endMetadata().build()), Pod.class);

    assertThat(events(w)).extracting(Api.WatchEvent::type).containsExactly(Api.EventType.ADDED,
        Api.EventType.DELETED, Api.EventType.ADDED);
  }

  @Test
  void aKubeletsPodWatchSeesOnlyThePodsOfItsNode() {
    Recorder<Api.WatchMessage> w1 = h.watch(Resources.PODS, null, ListOptions.fields("spec.nodeName=w1"), 1);
    h.created(podOn("a", "w1"));
    h.created(podOn("b", "w2"));
    h.created(pod("c"));
    h.call(r -> new Api.Bind(new BindingBuilder().withNewMetadata().withName("c").withNamespace("default")
        .endMetadata().withNewTarget().withKind("Node").withName("w1").endTarget().build(), r, 0));

    assertThat(events(w1)).extracting(e -> e.type() + " " + e.object().getMetadata().getName())
        .containsExactly("ADDED a", "ADDED c");
  }

  @Test
  void bookmarksComeAtTheIntervalToWatchersThatAskForThem() {
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL.withBookmarks(true)
        .withResourceVersion(h.list(Resources.PODS, "default", ListOptions.ALL).resourceVersion()), 1);
    Recorder<Api.WatchMessage> plain = h.watch(Resources.PODS, "default", ListOptions.ALL
        .withResourceVersion(h.list(Resources.PODS, "default", ListOptions.ALL).resourceVersion()), 2);
    h.created(pod("a"));
    h.advance(Duration.ofMinutes(1));
    List<Api.WatchEvent> ev = events(w);
    assertThat(ev).extracting(Api.WatchEvent::type).containsExactly(Api.EventType.ADDED, Api.EventType.BOOKMARK);
    assertThat(ev.get(1).object().getMetadata().getResourceVersion())
        .isEqualTo(ev.get(0).object().getMetadata().getResourceVersion());
    assertThat(events(plain)).extracting(Api.WatchEvent::type).containsExactly(Api.EventType.ADDED);
  }

  @Test
  void aStreamingListEndsItsInitialEventsWithAnAnnotatedBookmark() {
    h.created(pod("a"));
    h.created(pod("b"));
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL.withSendInitialEvents(true)
        .withBookmarks(true), 1);
    List<Api.WatchEvent> ev = events(w);
    assertThat(ev).extracting(Api.WatchEvent::type).containsExactly(Api.EventType.ADDED, Api.EventType.ADDED,
        Api.EventType.BOOKMARK);
    assertThat(ev.get(2).object().getMetadata().getAnnotations()).containsEntry(Api.INITIAL_EVENTS_END, "true");
  }

  @Test
  void aWatchEndsAfterItsTimeout() {
    Recorder<Api.WatchMessage> w = h.watch(Resources.PODS, "default", ListOptions.ALL.withTimeoutSeconds(300L), 1);
    h.advance(Duration.ofSeconds(299));
    assertThat(w.messages()).isEmpty();
    h.advance(Duration.ofSeconds(1));
    assertThat(w.single()).isEqualTo(new Api.WatchEnded(1));
  }

  // ---------------------------------------------------------------- binding, events, patches

  @Test
  void bindingAssignsTheNodeAndMarksThePodScheduled() {
    h.created(pod("p1"));
    Api.Response r = h.call(x -> new Api.Bind(new BindingBuilder().withNewMetadata().withName("p1")
        .withNamespace("default").endMetadata().withNewTarget().withKind("Node").withName("w1").endTarget().build(),
        x, 0));
    Pod bound = h.ok(r, Pod.class);
    assertThat(bound.getSpec().getNodeName()).isEqualTo("w1");
    assertThat(bound.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("PodScheduled");
      assertThat(c.getStatus()).isEqualTo("True");
    });

    Api.Failed again = h.failed(h.call(x -> new Api.Bind(new BindingBuilder().withNewMetadata().withName("p1")
        .withNamespace("default").endMetadata().withNewTarget().withKind("Node").withName("w2").endTarget().build(),
        x, 0)));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.message()).isEqualTo("Operation cannot be fulfilled on pods/binding \"p1\": pod p1 is already "
        + "assigned to node \"w1\"");
  }

  @Test
  void eventsExpireAnHourAfterTheirLastUpdate() {
    h.created(new EventBuilder().withNewMetadata().withName("e1").withNamespace("default").endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName("p").withNamespace("default").endInvolvedObject()
        .withReason("Test").withType("Normal").build());
    h.advance(Duration.ofMinutes(59));
    assertThat(h.get(Resources.EVENTS, "default", "e1")).isInstanceOf(Api.Ok.class);
    h.advance(Duration.ofMinutes(2));
    assertThat(h.failed(h.get(Resources.EVENTS, "default", "e1")).code()).isEqualTo(404);
  }

  @Test
  void eventsWrittenWithinAMinuteShareAnEtcdLeaseAndExpireTogether() {
    event("e1");
    h.advance(Duration.ofSeconds(30));
    event("e2");
    h.advance(Duration.ofSeconds(31));
    // 61 s after the first lease was granted for 3,660 s: e3's hour would outlive it, a new lease.
    event("e3");
    h.advance(Duration.ofSeconds(3659 - 61));
    assertThat(h.get(Resources.EVENTS, "default", "e1")).isInstanceOf(Api.Ok.class);
    assertThat(h.get(Resources.EVENTS, "default", "e2")).isInstanceOf(Api.Ok.class);
    h.advance(Duration.ofSeconds(2));
    assertThat(h.failed(h.get(Resources.EVENTS, "default", "e1")).code()).isEqualTo(404);
    assertThat(h.failed(h.get(Resources.EVENTS, "default", "e2")).code()).isEqualTo(404);
    assertThat(h.get(Resources.EVENTS, "default", "e3")).isInstanceOf(Api.Ok.class);
    h.advance(Duration.ofSeconds(3720 - 3661));
    assertThat(h.get(Resources.EVENTS, "default", "e3")).isInstanceOf(Api.Ok.class);
    h.advance(Duration.ofSeconds(2));
    assertThat(h.failed(h.get(Resources.EVENTS, "default", "e3")).code()).isEqualTo(404);
  }

  private void event(String name) {
    h.created(new EventBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName("p").withNamespace("default").endInvolvedObject()
        .withReason("Test").withType("Normal").build());
  }

  @Test
  void mergePatchAddsAndRemovesLabels() {
    h.created(new NodeBuilder().withNewMetadata().withName("w1").endMetadata().build());
    Node n = h.ok(h.patch(Resources.NODES, null, "w1", PatchType.MERGE_PATCH,
        "{\"metadata\":{\"labels\":{\"disk\":\"ssd\"}}}"), Node.class);
    assertThat(n.getMetadata().getLabels()).containsEntry("disk", "ssd");
    Node removed = h.ok(h.patch(Resources.NODES, null, "w1", PatchType.MERGE_PATCH,
        "{\"metadata\":{\"labels\":{\"disk\":null}}}"), Node.class);
    assertThat(removed.getMetadata().getLabels()).doesNotContainKey("disk");
  }

  @Test
  void aPatchCarryingAStaleResourceVersionIsAConflict() {
    h.created(new NodeBuilder().withNewMetadata().withName("w1").endMetadata().build());
    Api.Failed f = h.failed(h.patch(Resources.NODES, null, "w1", PatchType.MERGE_PATCH,
        "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"disk\":\"ssd\"}}}"));
    assertThat(f.code()).isEqualTo(409);
  }

  @Test
  void strategicMergePatchCordonsAndUncordons() {
    h.created(new NodeBuilder().withNewMetadata().withName("w1").endMetadata().build());
    Node cordoned = h.ok(h.patch(Resources.NODES, null, "w1", PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"unschedulable\":true}}"), Node.class);
    assertThat(cordoned.getSpec().getUnschedulable()).isTrue();
    Node uncordoned = h.ok(h.patch(Resources.NODES, null, "w1", PatchType.STRATEGIC_MERGE_PATCH,
        "{\"spec\":{\"unschedulable\":null}}"), Node.class);
    assertThat(uncordoned.getSpec().getUnschedulable()).isNull();
  }

  @Test
  void jsonPatchReplacesAField() {
    h.created(deployment("web", 1));
    Deployment d = h.ok(h.patch(Resources.DEPLOYMENTS, "default", "web", PatchType.JSON_PATCH,
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]"), Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void aMalformedPatchIsABadRequestAndChangesNothing() {
    HasMetadata before = h.created(deployment("web", 1));
    Api.Failed f = h.failed(h.patch(Resources.DEPLOYMENTS, "default", "web", PatchType.MERGE_PATCH, "{not json"));
    assertThat(f.code()).isEqualTo(400);
    Deployment after = h.ok(h.get(Resources.DEPLOYMENTS, "default", "web"), Deployment.class);
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void creatingInATerminatingNamespaceIsForbidden() {
    h.created(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
    Namespace ns = h.ok(h.delete(Resources.NAMESPACES, null, "team", null), Namespace.class);
    assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull();
    Pod p = pod("p");
    p.getMetadata().setNamespace("team");
    Api.Failed f = h.failed(h.create(p));
    assertThat(f.code()).isEqualTo(403);
    assertThat(f.message()).isEqualTo("pods \"p\" is forbidden: unable to create new content in namespace team "
        + "because it is being terminated");
  }
}
