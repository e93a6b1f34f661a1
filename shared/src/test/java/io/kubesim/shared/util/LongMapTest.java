package io.kubesim.shared.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMapTest {

  @Test
  void putGetAndRemoveAnswerAsAHashMapDoes() {
    LongMap<String> map = new LongMap<>(4);
    Map<Long, String> expected = new HashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      // A narrow key range so that keys collide, are removed and come back.
      long key = random.nextInt(3_000) - 100;
      switch (random.nextInt(3)) {
        case 0 -> assertThat(map.put(key, "v" + i)).isEqualTo(expected.put(key, "v" + i));
        case 1 -> assertThat(map.remove(key)).isEqualTo(expected.remove(key));
        default -> assertThat(map.get(key)).isEqualTo(expected.get(key));
      }
      assertThat(map.size()).isEqualTo(expected.size());
    }
    for (Map.Entry<Long, String> e : expected.entrySet()) {
      assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void increasingKeysRemovedOutOfOrderLeaveOnlyTheOthers() {
    LongMap<Long> map = new LongMap<>();
    for (long k = 1; k <= 1_000; k++) {
      map.put(k, k);
    }
    for (long k = 1; k <= 1_000; k += 2) {
      assertThat(map.remove(k)).isEqualTo(k);
    }
    assertThat(map.size()).isEqualTo(500);
    for (long k = 1; k <= 1_000; k++) {
      assertThat(map.get(k)).isEqualTo(k % 2 == 0 ? k : null);
    }
  }

  @Test
  void clearEmptiesTheMap() {
    LongMap<String> map = new LongMap<>();
    map.put(7, "a");
    map.clear();
    assertThat(map.isEmpty()).isTrue();
    assertThat(map.get(7)).isNull();
  }
}
