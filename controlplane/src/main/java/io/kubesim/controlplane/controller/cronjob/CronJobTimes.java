package io.kubesim.controlplane.controller.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.kubesim.shared.time.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** pkg/controller/cronjob/utils.go: when a CronJob should have started a Job, and when to look again. */
public final class CronJobTimes {

  /** nextScheduleDelta: the controller wakes 100 ms after an activation, to be sure it has passed. */
  public static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

  /** More missed activations than this make the controller warn (TooManyMissedTimes). */
  static final long MANY_MISSED = 100;

  private CronJobTimes() {}

  public enum Missed { NONE, FEW, MANY }

  /** mostRecentScheduleTime's answer: the earliest time considered, the latest activation not after now (or null), how many were missed. */
  public record Recent(Instant earliest, Instant mostRecent, Missed missed) {}

  /**
   * mostRecentScheduleTime: from the last schedule time (or the creation time, or now less
   * startingDeadlineSeconds if later), the latest activation not after {@code now}, found by
   * estimating how many activations fit since the first one and stepping from just before.
   *
   * @throws IllegalArgumentException when two activations are less than a second apart ("59 23 31 2 *")
   */
  public static Recent mostRecent(CronJob cj, Instant now, CronSchedule schedule, boolean includeStartingDeadline) {
    Instant earliest = Times.parse(cj.getMetadata().getCreationTimestamp());
    if (cj.getStatus() != null && cj.getStatus().getLastScheduleTime() != null) {
      earliest = Times.parse(cj.getStatus().getLastScheduleTime());
    }
    if (includeStartingDeadline && cj.getSpec().getStartingDeadlineSeconds() != null) {
      Instant deadline = now.minusSeconds(cj.getSpec().getStartingDeadlineSeconds());
      if (deadline.isAfter(earliest)) {
        earliest = deadline;
      }
    }
    Instant t1 = next(schedule, earliest);
    if (t1 == null || now.isBefore(t1)) {
      return new Recent(earliest, null, Missed.NONE);
    }
    Instant t2 = next(schedule, t1);
    if (t2 == null || now.isBefore(t2)) {
      return new Recent(earliest, t1, Missed.NONE);
    }
    long between = Math.round(Duration.between(t1, t2).toMillis() / 1000.0);
    if (between < 1) {
      throw new IllegalArgumentException("time difference between two schedules is less than 1 second");
    }
    long elapsed = Duration.between(t1, now).getSeconds();
    long missed = elapsed / between + 1;
    Instant mostRecent = null;
    Instant potentialEarliest = t1.plusSeconds((missed - 1 - 1) * between);
    for (Instant t = next(schedule, potentialEarliest); t != null && !t.isAfter(now); t = next(schedule, t)) {
      mostRecent = t;
    }
    Missed m = missed > MANY_MISSED ? Missed.MANY : missed > 0 ? Missed.FEW : Missed.NONE;
    return new Recent(earliest, mostRecent, m);
  }

  static Instant next(CronSchedule schedule, Instant t) {
    ZonedDateTime z = schedule.next(t.atZone(ZoneOffset.UTC));
    return z == null ? null : z.toInstant();
  }

  /**
   * nextScheduleTimeDuration: how long until just after the activation that follows the most
   * recent one (or the earliest time, if none has passed).
   */
  public static Duration untilNext(CronJob cj, Instant now, CronSchedule schedule) {
    Instant base;
    try {
      Recent r = mostRecent(cj, now, schedule, false);
      base = r.mostRecent() != null ? r.mostRecent() : r.earliest();
    } catch (IllegalArgumentException e) {
      base = now;
    }
    Instant next = next(schedule, base);
    if (next == null) {
      return null;
    }
    return Duration.between(now, next.plus(NEXT_SCHEDULE_DELTA));
  }
}
