package io.kubesim.nodeagent.kubelet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kubelet's periodic and one-shot duties (lease renewal, node status, status sync, ...) due at
 * virtual instants, so that one actor timer, set for the earliest, serves them all: duties due at
 * the same instant cost one timer and one message instead of one each.
 *
 * <p>Duties due at the same instant come out in the order separate timers would have fired: by
 * due time, then by when they were armed. A periodic duty is re-armed one period on when it comes
 * out (before it runs), as a fixed-delay timer is when the run takes no virtual time.
 */
final class Duties<D extends Enum<D>> {

  private static final long NONE = Long.MAX_VALUE;

  private final D[] all;
  private final long[] due;
  private final long[] period;
  private final long[] seq;
  private long nextSeq;

  Duties(Class<D> type) {
    this.all = type.getEnumConstants();
    this.due = new long[all.length];
    this.period = new long[all.length];
    this.seq = new long[all.length];
    Arrays.fill(due, NONE);
  }

  /** Arms {@code d} once at {@code atNanos}, replacing whatever it was armed for. */
  void once(D d, long atNanos) {
    arm(d, atNanos, 0);
  }

  /** Arms {@code d} at {@code firstNanos}, then every {@code periodNanos} after each time it comes out. */
  void every(D d, long firstNanos, long periodNanos) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("a periodic duty needs a positive period, got " + periodNanos);
    }
    arm(d, firstNanos, periodNanos);
  }

  private void arm(D d, long atNanos, long periodNanos) {
    int i = d.ordinal();
    due[i] = atNanos;
    period[i] = periodNanos;
    seq[i] = nextSeq++;
  }

  void cancel(D d) {
    due[d.ordinal()] = NONE;
  }

  /** When {@code d} is due; {@code Long.MAX_VALUE} when it is not armed. */
  long dueAt(D d) {
    return due[d.ordinal()];
  }

  /** The earliest instant a duty is due; {@code Long.MAX_VALUE} when none is armed. */
  long next() {
    long min = NONE;
    for (long t : due) {
      min = Math.min(min, t);
    }
    return min;
  }

  /** The duties due at or before {@code nowNanos}, in firing order; one-shot ones are disarmed, periodic ones re-armed. */
  List<D> takeDue(long nowNanos) {
    List<D> out = new ArrayList<>(2);
    while (true) {
      int best = -1;
      for (int i = 0; i < due.length; i++) {
        if (due[i] <= nowNanos && (best < 0 || due[i] < due[best] || (due[i] == due[best] && seq[i] < seq[best]))) {
          best = i;
        }
      }
      if (best < 0) {
        return out;
      }
      out.add(all[best]);
      if (period[best] > 0) {
        due[best] = nowNanos + period[best];
        seq[best] = nextSeq++;
      } else {
        due[best] = NONE;
      }
    }
  }
}
