package io.kubesim.controlplane.controller.nodelifecycle;

/**
 * client-go's token-bucket rate limiter (flowcontrol.NewTokenBucketRateLimiter over
 * golang.org/x/time/rate), in virtual time: it starts full, refills continuously at {@code qps}
 * up to {@code burst}, and each accepted call takes one token. A qps of zero or less is the
 * never-accepting limiter (flowcontrol.NewFakeNeverRateLimiter).
 */
public final class TokenBucket {
  private final double qps;
  private final int burst;
  private double tokens;
  private long lastNanos;
  private boolean started;

  public TokenBucket(double qps, int burst) {
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
  }

  public double qps() {
    return qps <= 0 ? 0 : qps;
  }

  /** Takes a token if there is one at {@code nowNanos}. */
  public boolean tryAccept(long nowNanos) {
    if (qps <= 0) {
      return false;
    }
    if (started) {
      long elapsed = Math.max(0, nowNanos - lastNanos);
      tokens = Math.min(burst, tokens + elapsed / 1e9 * qps);
    }
    started = true;
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
