package io.kubesim.nodeagent.runtime;

import java.time.Duration;

/**
 * How a simulated container behaves beyond what its command says, from the pod's
 * {@code kubesim.io/<field>.<container>} annotations (see docs/CONTAINERS.md). Every field is
 * optional; null means "as the command and image say".
 *
 * @param exitAfter the process exits this long after it started
 * @param exitCode the code the process exits with when it ends on its own (not by a signal)
 * @param startDelay how long StartContainer takes before the process runs
 * @param memoryUsageBytes the memory the process holds once started; above the container's memory
 *     limit the kernel OOM-kills it (exit 137, reason OOMKilled)
 * @param readiness the outcome of the container's readinessProbe
 * @param liveness the outcome of its livenessProbe
 * @param startup the outcome of its startupProbe
 * @param sigterm what the process does on SIGTERM
 * @param imagePull how pulling the container's image goes
 */
public record ContainerBehavior(
    Duration exitAfter,
    Integer exitCode,
    Duration startDelay,
    Long memoryUsageBytes,
    ProbeOutcome readiness,
    ProbeOutcome liveness,
    ProbeOutcome startup,
    Sigterm sigterm,
    ImagePull imagePull) {

  public static final ContainerBehavior DEFAULT = new ContainerBehavior(null, null, null, null, null, null, null,
      null, null);

  /** A probe's simulated result, as a function of the time since the container started. */
  public record ProbeOutcome(Kind kind, Duration after) {
    public enum Kind { PASS, FAIL, FAIL_AFTER, PASS_AFTER }

    public boolean passes(Duration sinceStart) {
      return switch (kind) {
        case PASS -> true;
        case FAIL -> false;
        case FAIL_AFTER -> sinceStart.compareTo(after) < 0;
        case PASS_AFTER -> sinceStart.compareTo(after) >= 0;
      };
    }
  }

  /** What the process does on SIGTERM: die of it (143), ignore it (SIGKILL at the deadline: 137), or shut down cleanly after a while (0). */
  public record Sigterm(Kind kind, Duration after) {
    public enum Kind { EXIT, IGNORE, EXIT_AFTER }
  }

  /** The image pull fails (ErrImagePull), or takes this long. */
  public record ImagePull(boolean fail, Duration duration) {}
}
