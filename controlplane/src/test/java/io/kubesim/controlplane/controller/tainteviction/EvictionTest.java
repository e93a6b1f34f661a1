package io.kubesim.controlplane.controller.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvictionTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

  /** "key" or "key=seconds" NoExecute tolerations; "*" tolerates everything forever. */
  private static List<Toleration> tolerations(String spec) {
    List<Toleration> out = new ArrayList<>();
    if (spec == null) {
      return out;
    }
    for (String t : spec.split(" ")) {
      TolerationBuilder b = new TolerationBuilder().withOperator("Exists");
      if (t.equals("*")) {
        out.add(b.build());
        continue;
      }
      String[] kv = t.split("=");
      b.withKey(kv[0]).withEffect("NoExecute");
      if (kv.length > 1) {
        b.withTolerationSeconds(Long.parseLong(kv[1]));
      }
      out.add(b.build());
    }
    return out;
  }

  private static List<Taint> taints(String keys) {
    List<Taint> out = new ArrayList<>();
    for (String k : keys.split(" ")) {
      out.add(new TaintBuilder().withKey(k).withEffect("NoExecute").build());
    }
    return out;
  }

  @ParameterizedTest(name = "taints {0}, tolerations {1}, scheduled at {2} -> cancel {3}, delete after {4}")
  @CsvSource(delimiter = '|', value = {
      // untolerated: cancel whatever was scheduled and delete now
      "unreachable||||true|0",
      "unreachable a|unreachable=300|||true|0",
      // tolerated for a while: delete after the shortest toleration, counted from now
      "unreachable|unreachable=300|||false|300",
      "a b|a=100 b=40|||false|40",
      "unreachable|unreachable=0|||false|0",
      "unreachable|unreachable=-5|||false|0",
      // tolerated forever: cancel
      "unreachable|unreachable|||true|",
      "a b|*|||true|",
      // already scheduled (60 s ago) with 300 s: it stands
      "unreachable|unreachable=300|60|||",
      // anything scheduled earlier stands, even when a shorter toleration now applies
      "unreachable|unreachable=100|60|||",
      // scheduled at this very instant (a second taint in the same moment): replaced
      "unreachable|unreachable=100|0||true|100",
  })
  void processPodOnNodeDecides(String taintKeys, String tolerationSpec, Long scheduledSecondsAgo, String unused,
      Boolean cancel, Long deleteAfter) {
    Instant scheduled = scheduledSecondsAgo == null ? null : NOW.minusSeconds(scheduledSecondsAgo);
    Eviction.Plan plan = Eviction.plan(taints(taintKeys), tolerations(tolerationSpec), NOW, scheduled);
    assertThat(plan.cancel()).isEqualTo(cancel != null && cancel);
    if (deleteAfter == null) {
      assertThat(plan.add()).isNull();
    } else {
      assertThat(plan.add().delay().getSeconds()).isEqualTo(deleteAfter);
    }
  }
}
