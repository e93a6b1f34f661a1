package io.kubesim.controlplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtcdLeasesTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private static long seconds(long s) {
    return s * 1_000_000_000L;
  }

  @Test
  void theFirstKeyGetsANewLeaseWithTheReuseMarginOfSixtySeconds() {
    EtcdLeases leases = new EtcdLeases();
    assertThat(leases.ttlFor(HOUR, seconds(100))).isEqualTo(Duration.ofSeconds(3660));
  }

  @Test
  void keysWrittenWithinTheMarginShareTheLeaseAndItsExpiry() {
    EtcdLeases leases = new EtcdLeases();
    leases.ttlFor(HOUR, 0);
    assertThat(leases.ttlFor(HOUR, seconds(30))).isEqualTo(Duration.ofSeconds(3630));
    assertThat(leases.ttlFor(HOUR, seconds(59))).isEqualTo(Duration.ofSeconds(3601));
    // At 60 s the key's own expiry is no longer strictly before the lease's: a new lease.
    assertThat(leases.ttlFor(HOUR, seconds(60))).isEqualTo(Duration.ofSeconds(3660));
  }

  @Test
  void theMarginIsFivePercentOfAShortTtl() {
    EtcdLeases leases = new EtcdLeases();
    assertThat(leases.ttlFor(Duration.ofSeconds(100), 0)).isEqualTo(Duration.ofSeconds(105));
    assertThat(leases.ttlFor(Duration.ofSeconds(100), seconds(4))).isEqualTo(Duration.ofSeconds(101));
    assertThat(leases.ttlFor(Duration.ofSeconds(100), seconds(5))).isEqualTo(Duration.ofSeconds(105));
  }

  @Test
  void aLeaseHoldsAtMostAThousandKeys() {
    EtcdLeases leases = new EtcdLeases();
    for (int i = 0; i < 1000; i++) {
      assertThat(leases.ttlFor(HOUR, seconds(1))).isEqualTo(Duration.ofSeconds(3660));
    }
    assertThat(leases.ttlFor(HOUR, seconds(2))).isEqualTo(Duration.ofSeconds(3660));
    assertThat(leases.ttlFor(HOUR, seconds(3))).isEqualTo(Duration.ofSeconds(3659));
  }
}
