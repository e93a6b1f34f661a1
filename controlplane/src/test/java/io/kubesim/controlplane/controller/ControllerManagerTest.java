package io.kubesim.controlplane.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole controller-manager against an apiserver, with the test playing the scheduler and the kubelets. */
class ControllerManagerTest {

  private ControlPlaneHarness h;
  private Fixtures f;
  private final Set<String> alive = new LinkedHashSet<>();
  private final List<String> nodes = List.of("w1-k8s", "w2-k8s", "w3-k8s");
  private long elapsedMs;
  private int next;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
    for (String n : nodes) {
      f.registerNode(n);
      alive.add(n);
    }
    h.spawn(ControllerManager.create(h.context(), ControllerManagerSettings.DEFAULT), "kube-controller-manager");
    h.settle();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** One second of a cluster: scheduler binds round robin to live nodes; live kubelets run pods and renew leases. */
  private void second() {
    elapsedMs += 1000;
    h.advance(Duration.ofSeconds(1));
    if (elapsedMs % 10_000 == 0) {
      for (String n : alive) {
        f.renewLease(n);
      }
    }
    List<String> live = new ArrayList<>(alive);
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      String name = p.getMetadata().getName();
      String node = Pods.nodeName(p);
      if (node.isEmpty()) {
        if (p.getMetadata().getDeletionTimestamp() == null) {
          f.bind("default", name, live.get(next++ % live.size()));
        }
      } else if (alive.contains(node)) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
          f.finishDeletion("default", name);
        } else if (!Pods.isReady(p)) {
          f.markRunningReady("default", name);
        }
      }
    }
    h.settle();
  }

  private void run(Duration d) {
    for (long s = 0; s < d.getSeconds(); s++) {
      second();
    }
  }

  @Test
  void theSameScenarioGivesTheSameLogsAndEventsEveryRun() {
    List<String> first = scenarioTrace();
    h.close();
    alive.clear();
    elapsedMs = 0;
    next = 0;
    start();
    assertThat(scenarioTrace()).isEqualTo(first);
  }

  /** A rollout and a node failure; every log line of the controllers and every event, in order. */
  private List<String> scenarioTrace() {
    h.created(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(4).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build());
    run(Duration.ofSeconds(10));
    alive.remove("w2-k8s");
    run(Duration.ofSeconds(400));
    List<String> trace = new ArrayList<>();
    for (var l : h.logs.lines()) {
      if (!l.component().equals("apiserver")) {
        trace.add(l.text());
      }
    }
    for (var e : f.events()) {
      trace.add(e.getMetadata().getName() + " " + e.getReason() + " " + e.getMessage() + " " + e.getCount());
    }
    return trace;
  }

  @Test
  void runsKubeControllerManagersControllersAndTheStorageProvisioner() {
    Recorder<ControllerManager.Controllers> r = h.kit.recorder();
    var ref = h.spawn(ControllerManager.create(h.context(), ControllerManagerSettings.DEFAULT), "probe");
    ref.tell(new ControllerManager.GetControllers(r.ref()));
    h.settle();
    assertThat(r.single().byName().keySet()).containsExactly("node-lifecycle-controller",
        "taint-eviction-controller", "replicaset-controller", "deployment-controller",
        "garbage-collector-controller", "namespace-controller", "disruption-controller",
        "pod-garbage-collector-controller", "endpointslice-controller", "endpoints-controller",
        "resourcequota-controller", "serviceaccount-controller", "root-ca-certificate-publisher-controller",
        "persistentvolume-binder-controller", "persistentvolume-protection-controller",
        "persistentvolumeclaim-protection-controller", "kubesim-storage-provisioner", "daemonset-controller",
        "job-controller", "cronjob-controller", "statefulset-controller", "ttl-after-finished-controller");
  }

  @Test
  void podsOfADeadNodeAreReplacedFiveMinutesAfterItsUnreachableTaint() {
    h.created(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
        .withName("app").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build());
    run(Duration.ofSeconds(10));
    List<String> onW3 = new ArrayList<>();
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      if ("w3-k8s".equals(Pods.nodeName(p))) {
        onW3.add(p.getMetadata().getName());
      }
    }
    assertThat(onW3).hasSize(1);
    alive.remove("w3-k8s");

    run(Duration.ofSeconds(60));
    assertThat(f.taintStrings("w3-k8s")).contains("node.kubernetes.io/unreachable:NoExecute");
    assertThat(Pods.isReady(f.get("default", onW3.get(0)))).isFalse();
    Deployment d = h.ok(h.get(Resources.DEPLOYMENTS, "default", "web"), Deployment.class);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);

    run(Duration.ofSeconds(300));
    Pod evicted = f.get("default", onW3.get(0));
    assertThat(evicted.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(Pods.condition(evicted, "DisruptionTarget").getReason()).isEqualTo("DeletionByTaintManager");
    d = h.ok(h.get(Resources.DEPLOYMENTS, "default", "web"), Deployment.class);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
    int active = 0;
    for (Pod p : f.<Pod>list(Resources.PODS, "default")) {
      if (p.getMetadata().getDeletionTimestamp() == null) {
        active++;
        assertThat(Pods.nodeName(p)).isNotEqualTo("w3-k8s");
      }
    }
    assertThat(active).isEqualTo(3);
  }
}
