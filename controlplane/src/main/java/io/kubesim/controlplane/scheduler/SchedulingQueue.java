package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.ClusterEvent;
import io.kubesim.controlplane.scheduler.framework.Framework;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo;
import io.kubesim.controlplane.scheduler.framework.QueuedPodInfo.Place;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue/scheduling_queue.go), single-threaded:
 * <ul>
 *   <li>activeQ, ordered by the QueueSort plugin (priority, then time added);
 *   <li>backoffQ, pods waiting out 1 s, 2 s, 4 s ... up to 10 s after a failed attempt, ordered by
 *       expiry; pods that failed with an error wait in a second one;
 *   <li>the unschedulable pool: pods no node fitted, parked until a cluster event that one of the
 *       plugins that turned them down registered (and whose hint agrees) may have changed that,
 *       or until they have waited 5 minutes; gated pods (PreEnqueue) wait here too.
 * </ul>
 * When activeQ is empty a pod is popped from backoffQ before its backoff ends
 * (SchedulerPopFromBackoffQ, on by default since 1.33). Time is read from the injected clock.
 */
public final class SchedulingQueue {

  /** DefaultPodMaxInUnschedulablePodsDuration (scheduling_queue.go): 5 minutes. */
  public static final Duration POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = Duration.ofMinutes(5);

  private final LongSupplier now;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final long maxInUnschedulableNanos;
  private final Function<PodInfo, Framework> frameworkFor;
  private final boolean popFromBackoffQ;

  private final Map<String, QueuedPodInfo> pods = new HashMap<>();
  private final TreeSet<QueuedPodInfo> activeQ;
  private final TreeSet<QueuedPodInfo> backoffQ;
  private final TreeSet<QueuedPodInfo> errorBackoffQ;
  private final LinkedHashMap<String, QueuedPodInfo> unschedulable = new LinkedHashMap<>();
  private long seq;

  public SchedulingQueue(LongSupplier now, Duration initialBackoff, Duration maxBackoff,
      Duration maxInUnschedulable, Function<PodInfo, Framework> frameworkFor, boolean popFromBackoffQ) {
    this.now = now;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.maxInUnschedulableNanos = maxInUnschedulable.toNanos();
    this.frameworkFor = frameworkFor;
    this.popFromBackoffQ = popFromBackoffQ;
    Comparator<QueuedPodInfo> active = (a, b) -> {
      if (a == b) {
        return 0;
      }
      Framework fw = frameworkFor.apply(a.podInfo());
      if (fw.queueSort() != null) {
        if (fw.queueSort().less(a, b)) {
          return -1;
        }
        if (fw.queueSort().less(b, a)) {
          return 1;
        }
      }
      return Long.compare(a.seq, b.seq);
    };
    this.activeQ = new TreeSet<>(active);
    Comparator<QueuedPodInfo> byExpiry = Comparator.<QueuedPodInfo>comparingLong(q -> q.backoffExpiration)
        .thenComparingLong(q -> q.seq);
    this.backoffQ = new TreeSet<>(byExpiry);
    this.errorBackoffQ = new TreeSet<>(byExpiry);
  }

  // ---------------------------------------------------------------- adding, updating, deleting

  /** A new pending pod (Add): to activeQ, or parked if a PreEnqueue plugin holds it back. */
  public void add(PodInfo pod) {
    QueuedPodInfo existing = pods.get(pod.key());
    if (existing != null) {
      update(pod);
      return;
    }
    QueuedPodInfo q = new QueuedPodInfo(pod, now.getAsLong(), seq++);
    pods.put(pod.key(), q);
    moveToActiveQ(q);
  }

  /**
   * A pending pod changed (Update). In activeQ or backoffQ it is updated in place; in the
   * unschedulable pool the change is an event for the plugins that turned it down (its
   * tolerations or labels changed, its gates were removed...).
   */
  public void update(PodInfo pod) {
    QueuedPodInfo q = pods.get(pod.key());
    if (q == null) {
      add(pod);
      return;
    }
    PodInfo old = q.podInfo();
    switch (q.place) {
      case ACTIVE -> {
        activeQ.remove(q);
        q.setPodInfo(pod);
        activeQ.add(q);
      }
      case UNSCHEDULABLE -> {
        q.setPodInfo(pod);
        for (ClusterEvent e : PodChanges.of(old.pod(), pod.pod())) {
          if (worthRequeuing(q, e, old.pod(), pod.pod())) {
            unschedulable.remove(q.key());
            requeue(q);
            break;
          }
        }
      }
      default -> q.setPodInfo(pod);
    }
  }

  /** The pod is gone, or bound by someone else. */
  public void delete(String key) {
    QueuedPodInfo q = pods.remove(key);
    if (q == null) {
      return;
    }
    removeFromPlace(q);
    q.place = Place.NONE;
  }

  private void removeFromPlace(QueuedPodInfo q) {
    switch (q.place) {
      case ACTIVE -> activeQ.remove(q);
      case BACKOFF -> backoffQ.remove(q);
      case ERROR_BACKOFF -> errorBackoffQ.remove(q);
      case UNSCHEDULABLE -> unschedulable.remove(q.key());
      default -> { }
    }
  }

  public boolean contains(String key) {
    return pods.containsKey(key);
  }

  public QueuedPodInfo get(String key) {
    return pods.get(key);
  }

  // ---------------------------------------------------------------- popping and returning

  /**
   * The next pod to schedule (Pop), or null if none is ready. The pod is in flight until
   * {@link #done}, {@link #addUnschedulable} or {@link #addAfterError}.
   */
  public QueuedPodInfo pop() {
    QueuedPodInfo q = activeQ.pollFirst();
    if (q == null && popFromBackoffQ) {
      q = backoffQ.pollFirst();
    }
    if (q == null) {
      return null;
    }
    q.place = Place.IN_FLIGHT;
    q.attempts++;
    return q;
  }

  /** The attempt succeeded (the pod is assumed and being bound): the queue forgets the pod. */
  public void done(String key) {
    QueuedPodInfo q = pods.get(key);
    if (q != null && q.place == Place.IN_FLIGHT) {
      pods.remove(key);
      q.place = Place.NONE;
    }
  }

  /**
   * The attempt found no node (AddUnschedulableIfNotPresent): park the pod in the unschedulable
   * pool, remembering which plugins turned it down.
   */
  public void addUnschedulable(QueuedPodInfo q, Set<String> unschedulablePlugins, Set<String> pendingPlugins) {
    if (pods.get(q.key()) != q) {
      return;
    }
    q.unschedulablePlugins.clear();
    q.unschedulablePlugins.addAll(unschedulablePlugins);
    q.pendingPlugins.clear();
    q.pendingPlugins.addAll(pendingPlugins);
    q.timestamp = now.getAsLong();
    if (q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty()) {
      addAfterError(q);
      return;
    }
    q.place = Place.UNSCHEDULABLE;
    unschedulable.put(q.key(), q);
  }

  /** The attempt failed with an error (or the binding failed): retry after backoff. */
  public void addAfterError(QueuedPodInfo q) {
    if (pods.get(q.key()) != q) {
      return;
    }
    q.unschedulablePlugins.clear();
    q.pendingPlugins.clear();
    q.timestamp = now.getAsLong();
    requeue(q);
  }

  /** A pod that was forgotten by the queue (e.g. its binding failed) comes back. */
  public void readd(QueuedPodInfo q) {
    pods.putIfAbsent(q.key(), q);
    addAfterError(q);
  }

  // ---------------------------------------------------------------- moving

  /**
   * A cluster event (MoveAllToActiveOrBackoffQueue): every parked pod that one of its rejecting
   * plugins says may now fit moves to backoffQ (still backing off) or activeQ.
   *
   * @return how many pods moved
   */
  public int moveAllToActiveOrBackoff(ClusterEvent event, Object oldObj, Object newObj,
      Predicate<QueuedPodInfo> filter) {
    if (unschedulable.isEmpty()) {
      return 0;
    }
    List<QueuedPodInfo> moving = new ArrayList<>();
    for (QueuedPodInfo q : unschedulable.values()) {
      if (filter != null && !filter.test(q)) {
        continue;
      }
      if (worthRequeuing(q, event, oldObj, newObj)) {
        moving.add(q);
      }
    }
    for (QueuedPodInfo q : moving) {
      unschedulable.remove(q.key());
      requeue(q);
    }
    return moving.size();
  }

  /** isPodWorthRequeuing: does a plugin that rejected the pod care about this event, and does its hint agree? */
  private boolean worthRequeuing(QueuedPodInfo q, ClusterEvent event, Object oldObj, Object newObj) {
    if (event.wildcard()) {
      return true;
    }
    if (q.gated()) {
      return worthFor(q, q.gatingPlugin, event, oldObj, newObj);
    }
    if (q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty()) {
      return true;
    }
    for (String plugin : q.unschedulablePlugins) {
      if (worthFor(q, plugin, event, oldObj, newObj)) {
        return true;
      }
    }
    for (String plugin : q.pendingPlugins) {
      if (worthFor(q, plugin, event, oldObj, newObj)) {
        return true;
      }
    }
    return false;
  }

  private boolean worthFor(QueuedPodInfo q, String plugin, ClusterEvent event, Object oldObj, Object newObj) {
    for (ClusterEvent.WithHint h : frameworkFor.apply(q.podInfo()).eventsOf(plugin)) {
      if (!h.event().covers(event)) {
        continue;
      }
      if (h.hint() == null) {
        return true;
      }
      try {
        if (h.hint().hint(q.podInfo(), oldObj, newObj) == ClusterEvent.Hint.QUEUE) {
          return true;
        }
      } catch (RuntimeException e) {
        // a failing hint means "queue" (scheduling_queue.go: errors are treated as Queue)
        return true;
      }
    }
    return false;
  }

  /** requeuePodWithQueueingStrategy (Queue after backoff). */
  private void requeue(QueuedPodInfo q) {
    if (backingOff(q)) {
      q.backoffExpiration = backoffTime(q);
      boolean error = q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty();
      q.place = error ? Place.ERROR_BACKOFF : Place.BACKOFF;
      (error ? errorBackoffQ : backoffQ).add(q);
      return;
    }
    moveToActiveQ(q);
  }

  /** Runs the PreEnqueue plugins; the pod enters activeQ or waits, gated, in the unschedulable pool. */
  private void moveToActiveQ(QueuedPodInfo q) {
    Framework fw = frameworkFor.apply(q.podInfo());
    Status s = fw.runPreEnqueue(q.podInfo());
    if (!s.success()) {
      q.gatingPlugin = s.plugin();
      q.place = Place.UNSCHEDULABLE;
      unschedulable.put(q.key(), q);
      return;
    }
    q.gatingPlugin = null;
    q.place = Place.ACTIVE;
    activeQ.add(q);
  }

  /** Whether the pod is still waiting out its backoff (isPodBackingoff). Gated pods never are. */
  public boolean backingOff(QueuedPodInfo q) {
    return !q.gated() && backoffTime(q) > now.getAsLong();
  }

  /** When the pod's backoff ends: its last add time plus 1 s doubled per attempt, at most 10 s. */
  public long backoffTime(QueuedPodInfo q) {
    return q.timestamp + backoffDuration(q.attempts);
  }

  /** calculateBackoffDuration: 0 before any attempt, then initial × 2^(attempts−1), capped. */
  public long backoffDuration(int attempts) {
    if (attempts == 0) {
      return 0;
    }
    long d = initialBackoffNanos;
    for (int i = 1; i < attempts; i++) {
      if (d > maxBackoffNanos - d) {
        return maxBackoffNanos;
      }
      d += d;
    }
    return d;
  }

  /** flushBackoffQCompleted (every second): pods whose backoff is over go to activeQ. */
  public int flushBackoffCompleted() {
    int moved = 0;
    long t = now.getAsLong();
    for (TreeSet<QueuedPodInfo> q : List.of(backoffQ, errorBackoffQ)) {
      while (!q.isEmpty() && q.first().backoffExpiration <= t) {
        QueuedPodInfo p = q.pollFirst();
        moveToActiveQ(p);
        moved++;
      }
    }
    return moved;
  }

  /** flushUnschedulablePodsLeftover (every 30 s): pods parked longer than 5 minutes are retried. */
  public int flushUnschedulableLeftover() {
    long t = now.getAsLong();
    List<QueuedPodInfo> moving = new ArrayList<>();
    for (QueuedPodInfo q : unschedulable.values()) {
      if (t - q.timestamp > maxInUnschedulableNanos) {
        moving.add(q);
      }
    }
    for (QueuedPodInfo q : moving) {
      unschedulable.remove(q.key());
      requeue(q);
    }
    return moving.size();
  }

  // ---------------------------------------------------------------- inspection

  public int activeSize() {
    return activeQ.size();
  }

  public int backoffSize() {
    return backoffQ.size() + errorBackoffQ.size();
  }

  public int unschedulableSize() {
    return unschedulable.size();
  }

  public boolean hasReady() {
    return !activeQ.isEmpty() || (popFromBackoffQ && !backoffQ.isEmpty());
  }

  /** The keys of the pods in activeQ, in pop order (for tests and diagnostics). */
  public List<String> activeKeys() {
    List<String> out = new ArrayList<>();
    for (QueuedPodInfo q : activeQ) {
      out.add(q.key());
    }
    return out;
  }

  public Place placeOf(String key) {
    QueuedPodInfo q = pods.get(key);
    return q == null ? Place.NONE : q.place;
  }
}
