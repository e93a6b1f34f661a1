package io.kubesim.controlplane.apiserver.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AllocatorsTest {

  @Test
  void kubeadmServiceCidrHasTheKubernetesServiceAddressFirst() {
    ServiceCidr cidr = ServiceCidr.parse("10.96.0.0/12");
    assertThat(cidr.address(0)).isEqualTo("10.96.0.1");
    assertThat(cidr.hosts()).isEqualTo((1 << 20) - 2);
    assertThat(cidr.address(cidr.hosts() - 1)).isEqualTo("10.111.255.254");
    assertThat(cidr.indexOf("10.96.0.10")).isEqualTo(9);
    assertThat(cidr.indexOf("10.96.0.0")).isEqualTo(-1);
    assertThat(cidr.indexOf("10.111.255.255")).isEqualTo(-1);
    assertThat(cidr.indexOf("10.112.0.1")).isEqualTo(-1);
    assertThat(cidr.contains("10.100.1.2")).isTrue();
    assertThat(cidr.toString()).isEqualTo("10.96.0.0/12");
  }

  @Test
  void cidrHostBitsAreMaskedAndBadInputRefused() {
    assertThat(ServiceCidr.parse("10.96.7.9/16").toString()).isEqualTo("10.96.0.0/16");
    assertThatThrownBy(() -> ServiceCidr.parse("10.96.0.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceCidr.parse("10.300.0.0/16")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceCidr.parse("10.0.0.0/8")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ServiceCidr.parseIp("1.2.3")).isEqualTo(-1);
  }

  @Test
  void rangeOffsetsAreKubeApiserverOnes() {
    // ipallocator: min(max(16, size/16), 256); portallocator: min(max(16, size/32), 128).
    assertThat(RangeAllocator.rangeOffset(1 << 20, 16, 16, 256)).isEqualTo(256);
    assertThat(RangeAllocator.rangeOffset(256, 16, 16, 256)).isEqualTo(16);
    assertThat(RangeAllocator.rangeOffset(16, 16, 16, 256)).isZero();
    assertThat(RangeAllocator.rangeOffset(2768, 16, 32, 128)).isEqualTo(86);
  }

  @Test
  void dynamicAllocationsComeFromTheUpperPartUntilItIsFull() {
    RangeAllocator a = new RangeAllocator(40, 8, new SplittableRandom(1));
    Set<Integer> got = new HashSet<>();
    for (int i = 0; i < 32; i++) {
      int at = a.allocateNext();
      assertThat(at).isBetween(8, 39);
      assertThat(got.add(at)).isTrue();
    }
    for (int i = 0; i < 8; i++) {
      assertThat(a.allocateNext()).isBetween(0, 7);
    }
    assertThat(a.allocateNext()).isEqualTo(-1);
    assertThat(a.used()).isEqualTo(40);
  }

  @Test
  void aTakenOffsetCannotBeAllocatedTwiceUntilReleased() {
    RangeAllocator a = new RangeAllocator(10, 0, new SplittableRandom(1));
    assertThat(a.allocate(3)).isTrue();
    assertThat(a.allocate(3)).isFalse();
    a.release(3);
    assertThat(a.has(3)).isFalse();
    assertThat(a.allocate(3)).isTrue();
  }

  @Test
  void sameSeedGivesSameAllocations() {
    RangeAllocator a = new RangeAllocator(1000, 64, new SplittableRandom(7));
    RangeAllocator b = new RangeAllocator(1000, 64, new SplittableRandom(7));
    for (int i = 0; i < 50; i++) {
      assertThat(a.allocateNext()).isEqualTo(b.allocateNext());
    }
  }

  @Test
  void portRangesParseAsTheFlagDoes() {
    PortRange r = PortRange.parse("30000-32767");
    assertThat(r.size()).isEqualTo(2768);
    assertThat(r.contains(32767)).isTrue();
    assertThat(r.contains(29999)).isFalse();
    assertThat(PortRange.parse("30000+10").toString()).isEqualTo("30000-30010");
    assertThatThrownBy(() -> PortRange.parse("32767-30000")).isInstanceOf(IllegalArgumentException.class);
  }
}
