package io.kubesim.controlplane.http.printers;

import java.util.List;

/**
 * One Table row's cells, and its conditions (pods that completed or failed carry a
 * {@code Completed} condition, as metav1.TableRowCondition).
 */
public record Row(List<Object> cells, List<Condition> conditions) {

  public record Condition(String type, String status, String reason, String message) {}

  static Row of(Object... cells) {
    return new Row(java.util.Arrays.asList(cells), List.of());
  }
}
