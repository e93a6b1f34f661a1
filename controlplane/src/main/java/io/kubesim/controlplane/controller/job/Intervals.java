package io.kubesim.controlplane.controller.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * pkg/controller/job/indexed_job_utils.go orderedIntervals: a set of completion indexes as sorted,
 * disjoint intervals, written as in status.completedIndexes ("1,3-5,7": two neighbours are listed,
 * three or more become a range).
 */
public final class Intervals {

  public record Interval(int first, int last) {}

  private final List<Interval> list;

  private Intervals(List<Interval> list) {
    this.list = list;
  }

  public static final Intervals EMPTY = new Intervals(List.of());

  public List<Interval> list() {
    return list;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** parseIndexesFromString: indexes at or above {@code completions} are dropped; corrupt parts are skipped. */
  public static Intervals parse(String s, int completions) {
    if (s == null || s.isEmpty()) {
      return EMPTY;
    }
    List<Interval> out = new ArrayList<>();
    for (String part : s.split(",", -1)) {
      String[] limits = part.split("-", -1);
      int first;
      int last;
      try {
        first = Integer.parseInt(limits[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (first >= completions) {
        break;
      }
      if (limits.length > 1) {
        try {
          last = Integer.parseInt(limits[1]);
        } catch (NumberFormatException e) {
          continue;
        }
        if (last >= completions) {
          last = completions - 1;
        }
      } else {
        last = first;
      }
      if (!out.isEmpty() && out.get(out.size() - 1).last() == first - 1) {
        Interval prev = out.remove(out.size() - 1);
        out.add(new Interval(prev.first(), last));
      } else {
        out.add(new Interval(first, last));
      }
    }
    return new Intervals(out);
  }

  /** withOrderedIndexes: these intervals plus the indexes (in any order). */
  public Intervals with(Collection<Integer> indexes) {
    List<Interval> add = new ArrayList<>();
    for (int i : new TreeSet<>(indexes)) {
      add.add(new Interval(i, i));
    }
    return merge(new Intervals(add));
  }

  public Intervals merge(Intervals other) {
    List<Interval> result = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < list.size() && j < other.list.size()) {
      if (list.get(i).first() < other.list.get(j).first()) {
        appendOrMerge(result, list.get(i++));
      } else {
        appendOrMerge(result, other.list.get(j++));
      }
    }
    while (i < list.size()) {
      appendOrMerge(result, list.get(i++));
    }
    while (j < other.list.size()) {
      appendOrMerge(result, other.list.get(j++));
    }
    return new Intervals(result);
  }

  private static void appendOrMerge(List<Interval> result, Interval iv) {
    if (result.isEmpty() || iv.first() > result.get(result.size() - 1).last() + 1) {
      result.add(iv);
      return;
    }
    Interval last = result.get(result.size() - 1);
    if (last.last() < iv.last()) {
      result.set(result.size() - 1, new Interval(last.first(), iv.last()));
    }
  }

  public int total() {
    int n = 0;
    for (Interval iv : list) {
      n += iv.last() - iv.first() + 1;
    }
    return n;
  }

  public boolean has(int ix) {
    for (Interval iv : list) {
      if (iv.first() <= ix && ix <= iv.last()) {
        return true;
      }
      if (iv.first() > ix) {
        return false;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Interval v : list) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(v.first());
      if (v.last() > v.first()) {
        sb.append(v.last() == v.first() + 1 ? ',' : '-').append(v.last());
      }
    }
    return sb.toString();
  }

  /**
   * firstPendingIndexes: the lowest {@code count} indexes below {@code completions} not in
   * {@code nonPending}.
   */
  public static List<Integer> firstPending(Intervals nonPending, int count, int completions) {
    List<Integer> result = new ArrayList<>();
    if (count == 0) {
      return result;
    }
    int candidate = 0;
    for (Interval iv : nonPending.list) {
      for (; candidate < completions && result.size() < count && candidate < iv.first(); candidate++) {
        result.add(candidate);
      }
      if (candidate < iv.last() + 1) {
        candidate = iv.last() + 1;
      }
    }
    for (; candidate < completions && result.size() < count; candidate++) {
      result.add(candidate);
    }
    return result;
  }

  /** matchSucceededIndexesRule: the succeeded indexes cover the rule's, or at least {@code succeededCount} of them. */
  public static boolean matchesRule(Intervals rule, Intervals succeeded, Integer succeededCount) {
    int contains = 0;
    int sp = 0;
    int rp = 0;
    while (rp < rule.list.size() && sp < succeeded.list.size()) {
      Interval r = rule.list.get(rp);
      Interval s = succeeded.list.get(sp);
      int overlap = Math.min(r.last(), s.last()) - Math.max(r.first(), s.first()) + 1;
      if (overlap > 0) {
        contains += overlap;
      }
      if (s.last() < r.last()) {
        sp++;
      } else if (s.last() > r.last()) {
        rp++;
      } else {
        sp++;
        rp++;
      }
    }
    return contains == rule.total() || (succeededCount != null && contains >= succeededCount);
  }
}
