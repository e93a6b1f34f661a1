package io.kubesim.shared.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The one clock of a simulated cluster. Every timestamp a component writes (creationTimestamp,
 * lease renewTime, condition transitions, event times, log lines) comes from here, never from the
 * wall clock, so that a run replays byte for byte.
 */
public interface VirtualClock {

  /** Virtual nanoseconds since {@link #epoch()}. */
  long nanos();

  /** The instant at which virtual time zero sits. */
  Instant epoch();

  default Instant now() {
    return epoch().plusNanos(nanos());
  }

  default Duration elapsed() {
    return Duration.ofNanos(nanos());
  }
}
