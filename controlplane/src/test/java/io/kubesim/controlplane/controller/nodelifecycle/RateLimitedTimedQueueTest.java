package io.kubesim.controlplane.controller.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedTimedQueueTest {

  private static final long S = 1_000_000_000L;

  private static List<String> drain(RateLimitedTimedQueue q, long now) {
    List<String> out = new ArrayList<>();
    q.tryProcess(now, v -> {
      out.add(v.value());
      return RateLimitedTimedQueue.Result.DONE;
    });
    return out;
  }

  @Test
  void burstOneLetsOneValueThroughThenOnePerTenSecondsAtPointOne() {
    RateLimitedTimedQueue q = new RateLimitedTimedQueue(0.1);
    q.add("a", "1", 0);
    q.add("b", "2", 0);
    q.add("c", "3", 0);
    assertThat(drain(q, 0)).containsExactly("a");
    assertThat(drain(q, 9 * S)).isEmpty();
    assertThat(drain(q, 10 * S)).containsExactly("b");
    assertThat(drain(q, 15 * S)).isEmpty();
    assertThat(drain(q, 20 * S)).containsExactly("c");
  }

  @Test
  void aValueIsQueuedOnceUntilRemoved() {
    RateLimitedTimedQueue q = new RateLimitedTimedQueue(0.1);
    assertThat(q.add("a", "1", 0)).isTrue();
    assertThat(q.add("a", "1", 0)).isFalse();
    assertThat(drain(q, 0)).containsExactly("a");
    // Processed but not removed: still known, not added again.
    assertThat(q.add("a", "1", 5 * S)).isFalse();
    assertThat(q.remove("a")).isTrue();
    assertThat(q.add("a", "1", 5 * S)).isTrue();
  }

  @Test
  void aZeroRateLetsNothingThrough() {
    RateLimitedTimedQueue q = new RateLimitedTimedQueue(0);
    q.add("a", "1", 0);
    assertThat(drain(q, 1000 * S)).isEmpty();
  }

  @Test
  void swappingFromAnEmptyBucketKeepsItEmpty() {
    RateLimitedTimedQueue q = new RateLimitedTimedQueue(0.1);
    q.add("a", "1", 0);
    q.add("b", "2", 0);
    assertThat(drain(q, 0)).containsExactly("a");
    // The old bucket has no token at 1 s: the new one (0.01/s) starts without one too.
    q.swapLimiter(0.01, S);
    assertThat(drain(q, 50 * S)).isEmpty();
    assertThat(drain(q, 101 * S)).containsExactly("b");
  }

  @Test
  void aFailedValueComesBackAfterItsWait() {
    RateLimitedTimedQueue q = new RateLimitedTimedQueue(10);
    q.add("a", "1", 0);
    List<Long> attempts = new ArrayList<>();
    RateLimitedTimedQueue.Action failOnce = v -> {
      attempts.add(v.processAt());
      return attempts.size() == 1 ? RateLimitedTimedQueue.Result.retryAfter(S / 20) : RateLimitedTimedQueue.Result.DONE;
    };
    q.tryProcess(0, failOnce);
    q.tryProcess(S / 40, failOnce);
    q.tryProcess(S, failOnce);
    assertThat(attempts).containsExactly(0L, S / 20 + 1);
  }
}
