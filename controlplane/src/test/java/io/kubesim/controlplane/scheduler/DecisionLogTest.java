package io.kubesim.controlplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubesim.controlplane.scheduler.framework.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decision log keeps one decision per pod and bounds the per-node details it holds. */
class DecisionLogTest {

  static DecisionLog.Entry entry(String pod, int nodes) {
    DecisionLog.Entry e = new DecisionLog.Entry();
    e.pod = pod;
    e.time = Instant.EPOCH;
    e.attempt = 1;
    e.profile = "default-scheduler";
    e.totalNodes = nodes;
    e.evaluated = new String[nodes];
    e.verdicts = new Status[nodes];
    for (int i = 0; i < nodes; i++) {
      e.evaluated[i] = "n" + i;
      e.verdicts[i] = Status.unschedulable("Insufficient cpu").withPlugin("NodeResourcesFit");
    }
    e.evaluatedCount = nodes;
    e.message = "0/" + nodes + " nodes are available";
    return e;
  }

  @Test
  void keepsOnlyTheLatestDecisionOfAPod() {
    DecisionLog log = new DecisionLog(1_000);
    log.put(entry("default/p", 10));
    DecisionLog.Entry second = entry("default/p", 10);
    second.attempt = 2;
    log.put(second);
    assertThat(log.size()).isEqualTo(1);
    assertThat(log.get("default/p").attempt()).isEqualTo(2);
    assertThat(log.cells()).isEqualTo(10);
  }

  @Test
  void dropsTheDetailsOfTheOldestDecisionsBeyondTheBudget() {
    DecisionLog log = new DecisionLog(25);
    log.put(entry("default/a", 10));
    log.put(entry("default/b", 10));
    log.put(entry("default/c", 10));
    assertThat(log.cells()).isLessThanOrEqualTo(25);
    SchedulingDecision a = log.get("default/a");
    assertThat(a.detailsDropped()).isTrue();
    assertThat(a.filter()).isEmpty();
    assertThat(a.message()).isEqualTo("0/10 nodes are available");
    assertThat(log.get("default/c").filter()).hasSize(10);
    assertThat(a.render()).contains("details dropped");
  }

  @Test
  void forgetsDeletedPods() {
    DecisionLog log = new DecisionLog(1_000);
    log.put(entry("default/a", 10));
    log.remove("default/a");
    assertThat(log.get("default/a")).isNull();
    assertThat(log.cells()).isZero();
  }
}
