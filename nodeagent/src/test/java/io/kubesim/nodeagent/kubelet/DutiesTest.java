package io.kubesim.nodeagent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DutiesTest {

  private enum D { A, B, C }

  @Test
  void dutiesDueAtTheSameInstantComeOutInTheOrderTheyWereArmed() {
    Duties<D> duties = new Duties<>(D.class);
    duties.once(D.C, 10);
    duties.once(D.A, 10);
    duties.once(D.B, 5);

    assertThat(duties.next()).isEqualTo(5);
    assertThat(duties.takeDue(10)).containsExactly(D.B, D.C, D.A);
    assertThat(duties.next()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aDutyNotYetDueStaysArmed() {
    Duties<D> duties = new Duties<>(D.class);
    duties.once(D.A, 10);
    duties.once(D.B, 20);

    assertThat(duties.takeDue(15)).containsExactly(D.A);
    assertThat(duties.dueAt(D.B)).isEqualTo(20);
    assertThat(duties.next()).isEqualTo(20);
  }

  @Test
  void aPeriodicDutyIsReArmedOnePeriodAfterItComesOut() {
    Duties<D> duties = new Duties<>(D.class);
    duties.every(D.A, 10, 10);
    duties.every(D.B, 20, 20);

    assertThat(duties.takeDue(10)).containsExactly(D.A);
    assertThat(duties.takeDue(20)).containsExactly(D.B, D.A);
    assertThat(duties.dueAt(D.A)).isEqualTo(30);
    assertThat(duties.dueAt(D.B)).isEqualTo(40);
  }

  @Test
  void armingAgainReplacesTheEarlierInstant() {
    Duties<D> duties = new Duties<>(D.class);
    duties.once(D.A, 10);
    duties.once(D.A, 30);

    assertThat(duties.takeDue(10)).isEmpty();
    assertThat(duties.takeDue(30)).isEqualTo(List.of(D.A));
  }

  @Test
  void aCancelledDutyDoesNotComeOut() {
    Duties<D> duties = new Duties<>(D.class);
    duties.every(D.A, 10, 10);
    duties.cancel(D.A);

    assertThat(duties.takeDue(100)).isEmpty();
    assertThat(duties.next()).isEqualTo(Long.MAX_VALUE);
  }
}
