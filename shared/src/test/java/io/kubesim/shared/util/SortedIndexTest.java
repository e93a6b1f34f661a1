package io.kubesim.shared.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SortedIndexTest {

  @Test
  void putReturnsTheReplacedValueAndListsStayInKeyOrder() {
    SortedIndex<String> index = new SortedIndex<>();
    assertThat(index.put("b/2", "x")).isNull();
    assertThat(index.put("a/1", "y")).isNull();
    assertThat(index.put("b/1", "z")).isNull();
    assertThat(index.put("b/2", "w")).isEqualTo("x");
    assertThat(index.get("b/2")).isEqualTo("w");
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.values()).containsExactly("y", "z", "w");
    assertThat(index.keys()).containsExactly("a/1", "b/1", "b/2");
  }

  @Test
  void prefixViewsHoldOnlyTheirKeysAndFollowLaterUpdates() {
    SortedIndex<String> index = new SortedIndex<>();
    index.put("a/1", "a1");
    index.put("b/1", "b1");
    index.put("b/2", "b2");
    index.put("bb/1", "bb1");
    var b = index.valuesWithPrefix("b/");
    assertThat(b).containsExactly("b1", "b2");
    index.put("b/1", "b1'");
    assertThat(b).containsExactly("b1'", "b2").hasSize(2);
  }

  @Test
  void valuesFromStartAtTheKeyInclusiveAndFollowKeyOrder() {
    SortedIndex<String> index = new SortedIndex<>();
    index.put("/registry/pods/b", "b");
    index.put("/registry/pods/a", "a");
    index.put("/registry/pods/c", "c");
    index.put("/registry/services/a", "s");
    assertThat(index.valuesFrom("/registry/pods/b")).containsExactly("b", "c", "s");
    assertThat(index.valuesFrom("/registry/pods/bb")).containsExactly("c", "s");
    index.put("/registry/pods/c", "c2");
    assertThat(index.valuesFrom("/registry/pods/c")).containsExactly("c2", "s");
    assertThat(index.valuesFrom("/z")).isEmpty();
  }

  @Test
  void removeForgetsTheKeyEverywhere() {
    SortedIndex<String> index = new SortedIndex<>();
    index.put("a", "1");
    index.put("b", "2");
    assertThat(index.remove("a")).isEqualTo("1");
    assertThat(index.remove("a")).isNull();
    assertThat(index.get("a")).isNull();
    assertThat(index.values()).containsExactly("2");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void aViewTakenBeforeKeysAreAddedListsThemInOrderWhenRead() {
    SortedIndex<String> index = new SortedIndex<>();
    index.put("b/2", "b2");
    var all = index.values();
    var b = index.valuesWithPrefix("b/");
    assertThat(all).containsExactly("b2");
    index.put("b/1", "b1");
    index.put("a/1", "a1");
    assertThat(b).hasSize(2).containsExactly("b1", "b2");
    assertThat(all).containsExactly("a1", "b1", "b2");
    assertThat(index.valuesFrom("b/10")).containsExactly("b2");
  }

  @Test
  void aKeyRemovedBeforeAnyListIsNeverListedAndMayComeBack() {
    SortedIndex<String> index = new SortedIndex<>();
    index.put("a", "1");
    index.put("b", "2");
    assertThat(index.remove("b")).isEqualTo("2");
    assertThat(index.keys()).containsExactly("a");
    index.put("c", "3");
    index.remove("c");
    index.put("c", "4");
    index.remove("a");
    assertThat(index.values()).containsExactly("4");
    assertThat(index.keys()).containsExactly("c");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void keysThatComeAndGoWithoutAListLeaveOnlyTheLiveOnes() {
    SortedIndex<Integer> index = new SortedIndex<>();
    for (int i = 0; i < 10_000; i++) {
      index.put(String.format("k%05d", i), i);
      if (i % 10 != 0) {
        index.remove(String.format("k%05d", i));
      }
    }
    assertThat(index.size()).isEqualTo(1_000);
    assertThat(index.keys()).hasSize(1_000).isSorted().startsWith("k00000", "k00010").endsWith("k09990");
  }
}
