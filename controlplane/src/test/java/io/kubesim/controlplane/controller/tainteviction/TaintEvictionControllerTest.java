package io.kubesim.controlplane.controller.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Fixtures;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.nodelifecycle.NodeLifecycleController;
import io.kubesim.controlplane.testing.ControlPlaneHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaintEvictionControllerTest {

  private ControlPlaneHarness h;
  private Fixtures f;
  private final Set<String> alive = new LinkedHashSet<>();
  private long elapsedMs;

  @BeforeEach
  void start() {
    h = new ControlPlaneHarness();
    f = new Fixtures(h);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private void runFor(Duration d) {
    long end = elapsedMs + d.toMillis();
    while (elapsedMs < end) {
      h.advance(Duration.ofMillis(100));
      elapsedMs += 100;
      if (elapsedMs % 10_000 == 0) {
        for (String n : alive) {
          f.renewLease(n);
        }
      }
    }
  }

  private void taint(String node, String key, String effect) {
    Node n = f.node(node);
    List<io.fabric8.kubernetes.api.model.Taint> taints = new ArrayList<>(f.taints(node));
    taints.add(new TaintBuilder().withKey(key).withEffect(effect).build());
    h.update(new NodeBuilder(n).editSpec().withTaints(taints).endSpec().build());
  }

  private void untaint(String node) {
    Node n = f.node(node);
    h.update(new NodeBuilder(n).editSpec().withTaints().endSpec().build());
  }

  private Pod podWith(String name, String node, Toleration... tolerations) {
    Pod p = Fixtures.pod(name, node);
    p.getSpec().setTolerations(List.of(tolerations));
    return h.created(p);
  }

  private void startTaintEviction() {
    h.spawn(TaintEvictionController.create(h.context()), "taint-eviction");
    h.settle();
  }

  @Test
  void podsAreEvictedFiveMinutesAfterUnreachableTaint() {
    for (String n : List.of("w1-k8s", "w2-k8s", "w3-k8s")) {
      f.registerNode(n);
      alive.add(n);
    }
    h.created(Fixtures.pod("web-1", "w3-k8s"));
    f.markRunningReady("default", "web-1");
    h.spawn(NodeLifecycleController.create(h.context(), ControllerManagerSettings.DEFAULT), "node-lifecycle");
    startTaintEviction();
    alive.remove("w3-k8s");

    // Unknown at 45 s, NoExecute taint at 50.1 s; the default toleration lasts 300 s from then.
    runFor(Duration.ofMillis(50_100));
    assertThat(f.taintStrings("w3-k8s")).contains("node.kubernetes.io/unreachable:NoExecute");
    runFor(Duration.ofMillis(299_900));
    assertThat(f.get("default", "web-1").getMetadata().getDeletionTimestamp()).isNull();
    runFor(Duration.ofMillis(100));
    Pod evicted = f.get("default", "web-1");
    assertThat(evicted.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:06:20Z");
    PodCondition target = Pods.condition(evicted, "DisruptionTarget");
    assertThat(target.getStatus()).isEqualTo("True");
    assertThat(target.getReason()).isEqualTo("DeletionByTaintManager");
    assertThat(target.getMessage()).isEqualTo("Taint manager: deleting due to NoExecute taint");
    assertThat(f.eventsAbout("web-1")).contains("TaintManagerEviction: Marking for deletion Pod default/web-1");
  }

  @Test
  void anUntoleratedNoExecuteTaintDeletesAtOnce() {
    f.registerNode("w1-k8s");
    podWith("p1", "w1-k8s");
    startTaintEviction();
    taint("w1-k8s", "example.com/drain", "NoExecute");
    h.settle();
    assertThat(f.get("default", "p1").getMetadata().getDeletionTimestamp()).isNotNull();
  }

  @Test
  void aToleratedTaintWithoutSecondsNeverEvicts() {
    f.registerNode("w1-k8s");
    podWith("p1", "w1-k8s", new TolerationBuilder().withKey("example.com/drain").withOperator("Exists")
        .withEffect("NoExecute").build());
    startTaintEviction();
    taint("w1-k8s", "example.com/drain", "NoExecute");
    runFor(Duration.ofHours(1));
    assertThat(f.get("default", "p1").getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void removingTheTaintCancelsTheEvictionWithAnEvent() {
    f.registerNode("w1-k8s");
    podWith("p1", "w1-k8s", new TolerationBuilder().withKey("example.com/drain").withOperator("Exists")
        .withEffect("NoExecute").withTolerationSeconds(60L).build());
    startTaintEviction();
    taint("w1-k8s", "example.com/drain", "NoExecute");
    runFor(Duration.ofSeconds(30));
    untaint("w1-k8s");
    runFor(Duration.ofSeconds(60));
    assertThat(f.get("default", "p1").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(f.eventsAbout("p1")).containsExactly("TaintManagerEviction: Cancelling deletion of Pod default/p1");
  }

  @Test
  void theShortestTolerationDecidesAndTheTimerStartsWhenTheControllerObservesTheTaint() {
    f.registerNode("w1-k8s");
    podWith("p1", "w1-k8s",
        new TolerationBuilder().withKey("a").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(100L)
            .build(),
        new TolerationBuilder().withKey("b").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(40L)
            .build());
    startTaintEviction();
    runFor(Duration.ofSeconds(10));
    taint("w1-k8s", "a", "NoExecute");
    taint("w1-k8s", "b", "NoExecute");
    // Tainted with a at 10 s (100 s), then b as well (40 s from 10 s: the earlier deadline wins).
    runFor(Duration.ofMillis(39_900));
    assertThat(f.get("default", "p1").getMetadata().getDeletionTimestamp()).isNull();
    runFor(Duration.ofMillis(100));
    assertThat(f.get("default", "p1").getMetadata().getDeletionTimestamp()).isNotNull();
  }
}
