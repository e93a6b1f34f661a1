package io.kubesim.controlplane.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalsTest {

  @ParameterizedTest(name = "\"{0}\" with completions {1} is \"{2}\", {3} indexes")
  @CsvSource(delimiter = '|', value = {
      "|5||0",
      "0|5|0|1",
      "1,3-5,7|10|1,3-5,7|5",
      "0,1|5|0,1|2",
      "0,1,2|5|0-2|3",
      "2-8|5|2-4|3",
      "x,3|5|3|1",
      "6|5||0"})
  void parsesAndWritesCompletedIndexesAsKubernetesDoes(String in, int completions, String out, int total) {
    Intervals iv = Intervals.parse(in == null ? "" : in, completions);
    assertThat(iv.toString()).isEqualTo(out == null ? "" : out);
    assertThat(iv.total()).isEqualTo(total);
  }

  @Test
  void addingIndexesMergesNeighbours() {
    Intervals iv = Intervals.parse("1,5", 10).with(List.of(2, 4, 3, 9));
    assertThat(iv.toString()).isEqualTo("1-5,9");
    assertThat(iv.has(3)).isTrue();
    assertThat(iv.has(6)).isFalse();
  }

  @Test
  void firstPendingIndexesSkipTheNonPendingOnes() {
    Intervals nonPending = Intervals.parse("0,2-3,6", 10);
    assertThat(Intervals.firstPending(nonPending, 3, 10)).containsExactly(1, 4, 5);
    assertThat(Intervals.firstPending(nonPending, 10, 8)).containsExactly(1, 4, 5, 7);
    assertThat(Intervals.firstPending(Intervals.EMPTY, 2, 5)).containsExactly(0, 1);
  }

  @Test
  void aSuccessPolicyRuleMatchesWhenItsIndexesSucceeded() {
    Intervals succeeded = Intervals.parse("0-2,5", 10);
    assertThat(Intervals.matchesRule(Intervals.parse("0-2", 10), succeeded, null)).isTrue();
    assertThat(Intervals.matchesRule(Intervals.parse("0-3", 10), succeeded, null)).isFalse();
    assertThat(Intervals.matchesRule(Intervals.parse("0-3", 10), succeeded, 3)).isTrue();
  }
}
