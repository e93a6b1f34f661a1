package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo.Place;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scheduling queue: order, backoff, requeueing on cluster events, the five-minute flush, gates. */
class SchedulingQueueTest {

  static final long S = 1_000_000_000L;

  long now;
  SchedulingQueue queue;
  Framework fw;

  @BeforeEach
  void setUp() {
    fw = new ClusterFixture().framework();
    queue = new SchedulingQueue(() -> now, Duration.ofSeconds(1), Duration.ofSeconds(10),
        SchedulingQueue.POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION, p -> fw, true);
  }

  static PodInfo pod(String name, int priority) {
    return PodInfo.of(Fixtures.pod(name).editSpec().withPriority(priority).endSpec().build());
  }

  static PodInfo selecting(String name, String label) {
    return PodInfo.of(Fixtures.pod(name).editSpec().addToNodeSelector(label, "true").endSpec().build());
  }

  /** Pops the pod and records a failed attempt turned down by the plugin. */
  QueuedPodInfo failOnce(String key, String plugin) {
    QueuedPodInfo q = queue.pop();
    assertThat(q.key()).isEqualTo(key);
    queue.addUnschedulable(q, Set.of(plugin), Set.of());
    return q;
  }

  @Test
  void popsHigherPriorityFirstThenInArrivalOrder() {
    queue.add(pod("low-1", 0));
    now = 1;
    queue.add(pod("high", 100));
    now = 2;
    queue.add(pod("low-2", 0));
    assertThat(queue.activeKeys()).containsExactly("default/high", "default/low-1", "default/low-2");
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    assertThat(queue.backoffDuration(0)).isZero();
    assertThat(queue.backoffDuration(1)).isEqualTo(S);
    assertThat(queue.backoffDuration(2)).isEqualTo(2 * S);
    assertThat(queue.backoffDuration(3)).isEqualTo(4 * S);
    assertThat(queue.backoffDuration(4)).isEqualTo(8 * S);
    assertThat(queue.backoffDuration(5)).isEqualTo(10 * S);
    assertThat(queue.backoffDuration(20)).isEqualTo(10 * S);
  }

  @Test
  void aPodNoNodeFitsWaitsInTheUnschedulablePool() {
    queue.add(selecting("p", "gpu"));
    failOnce("default/p", "NodeAffinity");
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
    assertThat(queue.pop()).isNull();
  }

  @Test
  void anEventTheRejectingPluginCaresAboutMovesThePodToBackoff() {
    queue.add(selecting("p", "gpu"));
    failOnce("default/p", "NodeAffinity");
    Node gpu = Fixtures.node("n", "4", "8Gi").editMetadata().addToLabels("gpu", "true").endMetadata().build();
    queue.moveAllToActiveOrBackoff(ClusterEvent.NODE_ADD, null, gpu, null);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.BACKOFF);
  }

  static Stream<Arguments> nodeChanges() {
    Node plain = Fixtures.node("n", "4", "8Gi").build();
    Node labelled = Fixtures.node("n", "4", "8Gi").editMetadata().addToLabels("gpu", "true").endMetadata().build();
    Node tainted = Fixtures.node("n", "4", "8Gi").editSpec()
        .addToTaints(new Taint("NoSchedule", "dedicated", null, "gpu")).endSpec().build();
    Node cordoned = Fixtures.node("n", "4", "8Gi").editSpec().withUnschedulable(true)
        .addToTaints(new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null)).endSpec().build();
    return Stream.of(
        Arguments.of("a node labelled to match", selecting("p", "gpu"), "NodeAffinity", plain, labelled),
        Arguments.of("a node untainted", pod("p", 0), "TaintToleration", tainted, plain),
        Arguments.of("a node uncordoned", pod("p", 0), "NodeUnschedulable", cordoned, plain));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeChanges")
  void aNodeChangeThatCouldMakeThePodFitMovesItToBackoff(String change, PodInfo pod, String plugin, Node old,
      Node updated) {
    queue.add(pod);
    failOnce("default/p", plugin);
    for (ClusterEvent e : PodChanges.of(old, updated)) {
      queue.moveAllToActiveOrBackoff(e, old, updated, null);
    }
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.BACKOFF);
  }

  @Test
  void aDeletedPodMovesAPodThatLackedResourcesToBackoff() {
    queue.add(PodInfo.of(Fixtures.pod("p", "3", "1Gi").build()));
    failOnce("default/p", "NodeResourcesFit");
    Pod gone = Fixtures.pod("gone", "2", "1Gi").editSpec().withNodeName("n").endSpec().build();
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, gone, null, null);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.BACKOFF);
  }

  @Test
  void theHintKeepsThePodParkedWhenTheNewNodeStillDoesNotMatch() {
    queue.add(selecting("p", "gpu"));
    failOnce("default/p", "NodeAffinity");
    queue.moveAllToActiveOrBackoff(ClusterEvent.NODE_ADD, null, Fixtures.node("n", "4", "8Gi").build(), null);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
  }

  @Test
  void eventsNoRejectingPluginRegisteredLeaveThePodParked() {
    queue.add(selecting("p", "gpu"));
    failOnce("default/p", "NodeAffinity");
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, Fixtures.pod("gone").build(), null, null);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
  }

  @Test
  void aPodWhoseBackoffIsOverGoesStraightToActive() {
    queue.add(pod("p", 0));
    failOnce("default/p", "NodeResourcesFit");
    now += 2 * S;
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, Fixtures.pod("gone").build(), null, null);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ACTIVE);
  }

  @Test
  void completedBackoffsAreFlushedToActive() {
    queue.add(pod("p", 0));
    failOnce("default/p", "NodeResourcesFit");
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, Fixtures.pod("gone").build(), null, null);
    now += S / 2;
    queue.flushBackoffCompleted();
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.BACKOFF);
    now += S / 2;
    queue.flushBackoffCompleted();
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ACTIVE);
  }

  @Test
  void withNothingActiveABackingOffPodIsPoppedEarly() {
    queue.add(pod("p", 0));
    failOnce("default/p", "NodeResourcesFit");
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, Fixtures.pod("gone").build(), null, null);
    assertThat(queue.pop().key()).isEqualTo("default/p");
  }

  @Test
  void activePodsGoBeforeBackingOffOnes() {
    queue.add(pod("p", 0));
    failOnce("default/p", "NodeResourcesFit");
    queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE, Fixtures.pod("gone").build(), null, null);
    queue.add(pod("q", 0));
    assertThat(queue.pop().key()).isEqualTo("default/q");
  }

  @Test
  void unschedulablePodsAreRetriedAfterFiveMinutes() {
    queue.add(selecting("p", "gpu"));
    failOnce("default/p", "NodeAffinity");
    now += Duration.ofMinutes(5).toNanos();
    queue.flushUnschedulableLeftover();
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
    now += 1;
    queue.flushUnschedulableLeftover();
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ACTIVE);
  }

  @Test
  void errorsGoToBackoffNotToThePool() {
    queue.add(pod("p", 0));
    QueuedPodInfo q = queue.pop();
    queue.addAfterError(q);
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ERROR_BACKOFF);
    // errors are not popped early
    assertThat(queue.pop()).isNull();
  }

  @Test
  void gatedPodsWaitUntilTheirGatesAreRemoved() {
    Pod gated = Fixtures.pod("p").editSpec().addNewSchedulingGate("example.com/wait").endSpec().build();
    queue.add(PodInfo.of(gated));
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
    assertThat(queue.get("default/p").gatingPlugin).isEqualTo("SchedulingGates");
    now += Duration.ofMinutes(10).toNanos();
    queue.flushUnschedulableLeftover();
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.UNSCHEDULABLE);
    queue.update(PodInfo.of(new PodBuilder(gated).editSpec().withSchedulingGates().endSpec().build()));
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ACTIVE);
  }

  @Test
  void aTolerationAddedToAParkedPodRequeuesIt() {
    Pod p = Fixtures.pod("p").build();
    queue.add(PodInfo.of(p));
    failOnce("default/p", "TaintToleration");
    now += 20 * S;
    queue.update(PodInfo.of(new PodBuilder(p).editSpec().addNewToleration().withKey("k").withOperator("Exists")
        .endToleration().endSpec().build()));
    assertThat(queue.placeOf("default/p")).isEqualTo(Place.ACTIVE);
  }

  @Test
  void deletedPodsLeaveTheQueue() {
    queue.add(pod("p", 0));
    queue.delete("default/p");
    assertThat(queue.pop()).isNull();
    assertThat(queue.contains("default/p")).isFalse();
  }
}
