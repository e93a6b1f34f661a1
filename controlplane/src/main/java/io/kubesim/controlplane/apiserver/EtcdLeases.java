package io.kubesim.controlplane.apiserver;

import java.time.Duration;

/**
 * How kube-apiserver gives a key a time to live: it attaches the key to an etcd lease, and reuses
 * the previous lease when its expiry is close to what the key asks for, since granting leases is
 * expensive for etcd (k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go, the defaults of
 * {@code NewDefaultLeaseManagerConfig}). A new lease is granted with the asked TTL plus a reuse
 * margin of min(5 % of the TTL, 60 s); later keys share it while their own expiry would fall within
 * that margin before the lease's, and while it holds at most 1,000 keys. Every key on a lease goes
 * when the lease expires, so an Event (TTL 1 h) lives between 1 h and 1 h 60 s.
 *
 * <p>The store keeps a time to live per key; this class turns the asked TTL into the time left on
 * the lease the key is attached to, so that the keys of one lease expire at the same instant.
 */
final class EtcdLeases {

  static final long REUSE_DURATION_SECONDS = 60;
  static final double REUSE_DURATION_PERCENT = 0.05;
  static final long MAX_ATTACHED_OBJECTS = 1000;

  private long prevExpirationNanos = Long.MIN_VALUE;
  private long attached;

  /**
   * GetLease for a key written at {@code nowNanos} asking for {@code ttl}: the time left on the
   * lease it is attached to, either the previous one or a new one granted now.
   */
  Duration ttlFor(Duration ttl, long nowNanos) {
    long ttlSeconds = ttl.getSeconds();
    long reuse = Math.min((long) (REUSE_DURATION_PERCENT * ttlSeconds), REUSE_DURATION_SECONDS);
    long asked = nowNanos + ttlSeconds * 1_000_000_000L;
    boolean valid = asked < prevExpirationNanos;
    // Go compares with After; its clock has moved on by the next write, the virtual one may not
    // have: a key written at the instant the lease was granted shares it.
    boolean sufficient = asked + reuse * 1_000_000_000L >= prevExpirationNanos;
    // Every call counts, as GetLease counts each object it attaches, whether the write succeeds or not.
    attached++;
    if (!(valid && sufficient && attached <= MAX_ATTACHED_OBJECTS)) {
      prevExpirationNanos = nowNanos + (ttlSeconds + reuse) * 1_000_000_000L;
      attached = 1;
    }
    return Duration.ofNanos(prevExpirationNanos - nowNanos);
  }
}
