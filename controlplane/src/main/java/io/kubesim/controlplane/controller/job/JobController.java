package io.kubesim.controlplane.controller.job;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.kubesim.controlplane.controller.CacheIndex;
import io.kubesim.controlplane.controller.Claims;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.Expectations;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.Pods;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Job controller (pkg/controller/job/job_controller.go), as in Kubernetes 1.34 with
 * JobManagedBy, JobPodReplacementPolicy, JobBackoffLimitPerIndex, JobSuccessPolicy and PodIndexLabel
 * on. It runs up to {@code parallelism} pods until {@code completions} have succeeded, counting each
 * finished pod exactly once through the {@code batch.kubernetes.io/job-tracking} finalizer and
 * {@code status.uncountedTerminatedPods}; replaces failed pods after a back-off of 10 s doubling to
 * 10 min; fails the Job (FailureTarget, then Failed once no pod is terminating) with
 * BackoffLimitExceeded, DeadlineExceeded or PodFailurePolicy; completes it (SuccessCriteriaMet,
 * then Complete, reason CompletionsReached); runs Indexed Jobs with one pod per completion index;
 * honours suspend, the pod failure policy, podReplacementPolicy, backoffLimitPerIndex and the
 * success policy.
 */
public final class JobController extends AbstractBehavior<JobController.Command> {

  public static final String COMPONENT = "job-controller";
  public static final String LOG_NAME = "job";

  /** syncJobBatchPeriod: pod events and status updates sync a Job a second later, batched. */
  static final Duration SYNC_JOB_BATCH_PERIOD = Duration.ofSeconds(1);
  /**
   * DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (job_controller.go: 10 s and 10 min; the
   * Jobs documentation still says the delay is capped at six minutes).
   */
  static final Duration POD_FAILURE_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_POD_FAILURE_BACKOFF = Duration.ofMinutes(10);
  /** MaxUncountedPods: how many UIDs status.uncountedTerminatedPods takes in one sync. */
  static final int MAX_UNCOUNTED_PODS = 500;
  /** MaxPodCreateDeletePerSync. */
  static final int MAX_POD_CREATE_DELETE_PER_SYNC = 500;

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  private enum OrphanDrain implements Command { INSTANCE }

  private record OrphanRequeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new JobController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<Job> jobs;
  private final Informer<Pod> pods;
  private final CacheIndex<Pod> podsByOwner = CacheIndex.single(p -> {
    OwnerReference ref = Owners.controllerOf(p);
    return ref != null ? ref.getUid() : "orphan/" + p.getMetadata().getNamespace();
  });
  private final WorkQueue<Command> queue;
  private final WorkQueue<Command> orphanQueue;
  private final Expectations expectations;
  /** finalizerExpectations: pod UIDs whose finalizer removal is still to be seen, by Job key. */
  private final Map<String, Set<String>> finalizerExpectations = new HashMap<>();
  /** podBackoffStore: each Job's failures since its last success. */
  private final Map<String, JobBackoff.Record> backoffStore = new HashMap<>();

  private JobController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.expectations = new Expectations(cc.clock());
    this.queue = new WorkQueue<>("job", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentJobSyncs());
    this.orphanQueue = new WorkQueue<>("job_orphan_pod", context.getSelf(), timers, cc.clock(), OrphanDrain.INSTANCE,
        OrphanRequeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.jobs = informers.add(Resources.JOBS, Job.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Job j) {
        enqueueImmediately(j);
      }

      @Override
      public void onUpdate(Job old, Job j) {
        updateJob(old, j);
      }

      @Override
      public void onDelete(Job j) {
        enqueueImmediately(j);
        cleanupPodFinalizers(j);
      }
    });
    this.pods = informers.add(Resources.PODS, Pod.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Pod p) {
        podsByOwner.add(p);
        addPod(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        podsByOwner.update(old, p);
        updatePod(old, p);
      }

      @Override
      public void onDelete(Pod p) {
        podsByOwner.remove(p);
        deletePod(p, true);
      }
    });
    log.info("Starting job controller");
    informers.start(() -> {
      queue.start(this::syncJob);
      orphanQueue.start(this::syncOrphanPod);
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
        .onMessageEquals(OrphanDrain.INSTANCE, this::onOrphanDrain)
        .onMessage(OrphanRequeue.class, this::onOrphanRequeue)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onDrain() {
    queue.drain();
    return this;
  }

  private Behavior<Command> onRequeue(Requeue m) {
    queue.onDelayed(m.key());
    return this;
  }

  private Behavior<Command> onOrphanDrain() {
    orphanQueue.drain();
    return this;
  }

  private Behavior<Command> onOrphanRequeue(OrphanRequeue m) {
    orphanQueue.onDelayed(m.key());
    return this;
  }

  private Instant now() {
    return cc.clock().now();
  }

  // ---------------------------------------------------------------- event handlers

  private void enqueueImmediately(Job j) {
    log.v(4, "enqueueing job", "key", Informer.key(j), "delay", "0s");
    queue.add(Informer.key(j));
  }

  private void enqueueBatched(Job j) {
    queue.addAfter(Informer.key(j), SYNC_JOB_BATCH_PERIOD);
  }

  private Job resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !"Job".equals(ref.getKind())) {
      return null;
    }
    Job j = jobs.get(ns, ref.getName());
    return j != null && Objects.equals(j.getMetadata().getUid(), ref.getUid()) ? j : null;
  }

  private List<Job> jobsSelecting(Pod p) {
    List<Job> out = new ArrayList<>();
    for (Job j : jobs.list(p.getMetadata().getNamespace())) {
      LabelSelector sel = selector(j);
      if (sel != null && !sel.isEmpty() && sel.matches(p.getMetadata().getLabels())) {
        out.add(j);
      }
    }
    return out;
  }

  private static LabelSelector selector(Job j) {
    try {
      return LabelSelector.from(j.getSpec().getSelector());
    } catch (SelectorParseException e) {
      return null;
    }
  }

  private void updateJob(Job old, Job cur) {
    if (Objects.equals(cur.getMetadata().getGeneration(), old.getMetadata().getGeneration())) {
      // A status update, typically after pod events: batched.
      enqueueBatched(cur);
    } else {
      enqueueImmediately(cur);
    }
    if (JobPods.isFinished(cur)) {
      cleanupPodFinalizers(cur);
    }
    String start = cur.getStatus() == null ? null : cur.getStatus().getStartTime();
    Long ads = cur.getSpec().getActiveDeadlineSeconds();
    if (start != null && ads != null && !Objects.equals(ads, old.getSpec().getActiveDeadlineSeconds())) {
      Duration left = Duration.ofSeconds(ads).minus(Duration.between(Times.parse(start), now()));
      queue.addAfter(Informer.key(cur), left);
      log.v(4, "job's ActiveDeadlineSeconds updated, will rsync", "key", Informer.key(cur), "interval", left);
    }
  }

  private void addPod(Pod p) {
    if (Pods.terminating(p)) {
      deletePod(p, false);
      return;
    }
    OwnerReference ref = Owners.controllerOf(p);
    if (ref != null) {
      Job j = resolveControllerRef(p.getMetadata().getNamespace(), ref);
      if (j == null) {
        return;
      }
      expectations.creationObserved(Informer.key(j));
      enqueueBatched(j);
      return;
    }
    if (JobPods.hasTrackingFinalizer(p)) {
      orphanQueue.add(Informer.key(p));
    }
    for (Job j : jobsSelecting(p)) {
      enqueueBatched(j);
    }
  }

  private void updatePod(Pod old, Pod cur) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
      return;
    }
    if (Pods.terminating(cur)) {
      deletePod(cur, false);
      return;
    }
    boolean finalizerRemoved = !JobPods.hasTrackingFinalizer(cur);
    OwnerReference curRef = Owners.controllerOf(cur);
    OwnerReference oldRef = Owners.controllerOf(old);
    boolean refChanged = !Objects.equals(curRef, oldRef);
    if (refChanged && oldRef != null) {
      Job j = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
      if (j != null) {
        if (finalizerRemoved) {
          finalizerRemovalObserved(Informer.key(j), cur.getMetadata().getUid());
        }
        enqueueBatched(j);
      }
    }
    if (curRef != null) {
      Job j = resolveControllerRef(cur.getMetadata().getNamespace(), curRef);
      if (j == null) {
        return;
      }
      if (finalizerRemoved) {
        finalizerRemovalObserved(Informer.key(j), cur.getMetadata().getUid());
      }
      enqueueBatched(j);
      return;
    }
    if (JobPods.hasTrackingFinalizer(cur)) {
      orphanQueue.add(Informer.key(cur));
    }
    boolean labelChanged = !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
    if (labelChanged || refChanged) {
      for (Job j : jobsSelecting(cur)) {
        enqueueBatched(j);
      }
    }
  }

  private void deletePod(Pod p, boolean last) {
    OwnerReference ref = Owners.controllerOf(p);
    boolean hasFinalizer = JobPods.hasTrackingFinalizer(p);
    if (ref == null) {
      if (hasFinalizer) {
        orphanQueue.add(Informer.key(p));
      }
      return;
    }
    Job j = resolveControllerRef(p.getMetadata().getNamespace(), ref);
    if (j == null || JobPods.isFinished(j)) {
      if (hasFinalizer) {
        orphanQueue.add(Informer.key(p));
      }
      return;
    }
    String key = Informer.key(j);
    expectations.deletionObserved(key, Informer.key(p));
    if (last || !hasFinalizer) {
      finalizerRemovalObserved(key, p.getMetadata().getUid());
    }
    enqueueBatched(j);
  }

  private void finalizerRemovalObserved(String jobKey, String uid) {
    Set<String> s = finalizerExpectations.get(jobKey);
    if (s != null) {
      s.remove(uid);
    }
  }

  /** cleanupPodFinalizers: the pods of a finished or deleted Job still holding the finalizer go to the orphan queue. */
  private void cleanupPodFinalizers(Job j) {
    for (Pod p : podsByOwner.list(j.getMetadata().getUid(), pods)) {
      if (JobPods.hasTrackingFinalizer(p)) {
        orphanQueue.add(Informer.key(p));
      }
    }
  }

  // ---------------------------------------------------------------- orphan pods

  /** syncOrphanPod: removes the tracking finalizer from a pod no unfinished Job owns. */
  private void syncOrphanPod(String key, WorkQueue.Done done) {
    Pod p = pods.get(key);
    if (p == null) {
      done.done(true);
      return;
    }
    OwnerReference ref = Owners.controllerOf(p);
    if (ref != null) {
      if (!"Job".equals(ref.getKind()) || !"batch/v1".equals(ref.getApiVersion())) {
        done.done(true);
        return;
      }
      Job j = resolveControllerRef(p.getMetadata().getNamespace(), ref);
      if (j != null && !JobPods.isFinished(j)) {
        done.done(true);
        return;
      }
    }
    if (!JobPods.hasTrackingFinalizer(p)) {
      done.done(true);
      return;
    }
    client.patch(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
        PatchType.STRATEGIC_MERGE_PATCH, removeFinalizerPatch(), r ->
            done.done(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
  }

  private static String removeFinalizerPatch() {
    return "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"" + JobPods.TRACKING_FINALIZER + "\"]}}";
  }

  // ---------------------------------------------------------------- sync

  /** syncJobCtx: what one sync works out about a Job and its pods. */
  private static final class Ctx {
    Job job;
    String key;
    List<Pod> pods;
    List<Pod> activePods;
    int ready;
    int terminating;
    Set<String> uncountedSucceeded;
    Set<String> uncountedFailed;
    Set<String> expectedRmFinalizers;
    int succeeded;
    int failed;
    Intervals prevSucceededIndexes = Intervals.EMPTY;
    Intervals succeededIndexes = Intervals.EMPTY;
    Intervals failedIndexes;
    JobBackoff.Record newBackoffRecord;
    JobCondition finishedCondition;
    Map<Integer, Pod> podsWithDelayedDeletionPerIndex = new TreeMap<>();
  }

  private void syncJob(String key, WorkQueue.Done done) {
    Job shared = jobs.get(key);
    if (shared == null) {
      log.v(4, "Job has been deleted", "key", key);
      expectations.delete(key);
      finalizerExpectations.remove(key);
      backoffStore.remove(key);
      done.done(true);
      return;
    }
    String managedBy = shared.getSpec().getManagedBy();
    if (managedBy != null && !managedBy.equals(JobPods.JOB_CONTROLLER_NAME)) {
      log.v(2, "Skip syncing the job as it is managed by an external controller", "key", key, "uid",
          shared.getMetadata().getUid(), "controllerName", managedBy);
      done.done(true);
      return;
    }
    if (JobPods.isFinished(shared)) {
      backoffStore.remove(key);
      done.done(true);
      return;
    }
    String mode = shared.getSpec().getCompletionMode();
    if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
      recorder.event(shared, EventRecorder.WARNING, "UnknownCompletionMode",
          "Skipped Job sync because completion mode is unknown");
      done.done(true);
      return;
    }
    Job job = new JobBuilder(shared).build();
    if (job.getStatus() == null) {
      job.setStatus(new JobStatus());
    }
    if (job.getStatus().getUncountedTerminatedPods() == null) {
      job.getStatus().setUncountedTerminatedPods(new UncountedTerminatedPods());
    }
    boolean satisfied = expectations.satisfied(key);
    LabelSelector sel = selector(job);
    if (sel == null) {
      log.error("couldn't convert Job selector", "job", key);
      done.done(true);
      return;
    }
    List<Pod> candidates = new ArrayList<>(podsByOwner.list(job.getMetadata().getUid(), pods));
    candidates.addAll(podsByOwner.list("orphan/" + job.getMetadata().getNamespace(), pods));
    Claims.claim(client, log, shared, Resources.JOBS, sel, Resources.PODS, candidates, (claimed, claimError) -> {
      if (claimError) {
        done.done(false);
        return;
      }
      // Adopted pods count as tracked in this sync, as the adoption adds the finalizer.
      List<Pod> podList = new ArrayList<>();
      for (Pod p : claimed) {
        if (!JobPods.hasTrackingFinalizer(p) && isAdopted(p, job)) {
          Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(p).build();
          List<String> fin = new ArrayList<>(copy.getMetadata().getFinalizers() == null ? List.of()
              : copy.getMetadata().getFinalizers());
          fin.add(JobPods.TRACKING_FINALIZER);
          copy.getMetadata().setFinalizers(fin);
          podList.add(copy);
        } else {
          podList.add(p);
        }
      }
      syncWithPods(key, job, satisfied, podList, done);
    });
  }

  private static boolean isAdopted(Pod p, Job job) {
    if (p.getMetadata().getOwnerReferences() == null) {
      return true;
    }
    for (OwnerReference r : p.getMetadata().getOwnerReferences()) {
      if (Objects.equals(r.getUid(), job.getMetadata().getUid())) {
        return false;
      }
    }
    return true;
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }

  private void syncWithPods(String key, Job job, boolean satisfied, List<Pod> podList, WorkQueue.Done done) {
    Ctx c = new Ctx();
    c.job = job;
    c.key = key;
    c.pods = podList;
    c.activePods = new ArrayList<>();
    for (Pod p : podList) {
      if (Pods.isActive(p)) {
        c.activePods.add(p);
      }
    }
    for (Pod p : c.activePods) {
      if (Pods.isReady(p)) {
        c.ready++;
      }
    }
    UncountedTerminatedPods u = job.getStatus().getUncountedTerminatedPods();
    c.uncountedSucceeded = new LinkedHashSet<>(u.getSucceeded() == null ? List.of() : u.getSucceeded());
    c.uncountedFailed = new LinkedHashSet<>(u.getFailed() == null ? List.of() : u.getFailed());
    c.expectedRmFinalizers = new LinkedHashSet<>(finalizerExpectations.getOrDefault(key, Set.of()));
    c.terminating = JobPods.countTerminating(podList);
    int active = c.activePods.size();
    List<Pod> newSucceeded = validPods(c, c.uncountedSucceeded, p -> "Succeeded".equals(Pods.phase(p)));
    List<Pod> newFailed = validPods(c, c.uncountedFailed, p -> JobPods.isPodFailed(p, job));
    c.succeeded = n(job.getStatus().getSucceeded()) + newSucceeded.size() + c.uncountedSucceeded.size();
    c.failed = n(job.getStatus().getFailed()) + nonIgnoredFailed(job, newFailed) + c.uncountedFailed.size();
    if (job.getStatus().getStartTime() == null && !JobPods.suspended(job)) {
      job.getStatus().setStartTime(Times.rfc3339(now()));
    }
    c.newBackoffRecord = JobBackoff.next(backoffStore.get(key), newSucceeded, newFailed);
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    boolean exceedsBackoffLimit = c.failed > backoffLimit;
    JobCondition scm = JobPods.condition(job, JobPods.SUCCESS_CRITERIA_MET);
    c.finishedCondition = scm != null && "True".equals(scm.getStatus()) ? scm : null;
    if (c.finishedCondition == null) {
      JobCondition ft = JobPods.condition(job, JobPods.FAILURE_TARGET);
      if (ft != null && "True".equals(ft.getStatus())) {
        c.finishedCondition = JobPods.newCondition(JobPods.FAILED, "True", ft.getReason(), ft.getMessage(), now());
      } else {
        String failJob = failJobMessage(job, podList);
        if (failJob != null) {
          c.finishedCondition = JobPods.newCondition(JobPods.FAILURE_TARGET, "True", "PodFailurePolicy", failJob, now());
        }
      }
    }
    if (c.finishedCondition == null) {
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, podList)) {
        c.finishedCondition = JobPods.newCondition(JobPods.FAILURE_TARGET, "True", "BackoffLimitExceeded",
            "Job has reached the specified backoff limit", now());
      } else if (pastActiveDeadline(job)) {
        c.finishedCondition = JobPods.newCondition(JobPods.FAILURE_TARGET, "True", "DeadlineExceeded",
            "Job was active longer than specified deadline", now());
      } else if (job.getSpec().getActiveDeadlineSeconds() != null && !JobPods.suspended(job)) {
        Duration next = Duration.ofSeconds(job.getSpec().getActiveDeadlineSeconds())
            .minus(Duration.between(Times.parse(job.getStatus().getStartTime()), now()));
        log.v(2, "Job has activeDeadlineSeconds configuration. Will sync this job again", "key", key, "nextSyncIn",
            next);
        queue.addAfter(key, next);
      }
    }
    if (JobPods.isIndexed(job)) {
      int completions = n(job.getSpec().getCompletions());
      c.prevSucceededIndexes = Intervals.parse(job.getStatus().getCompletedIndexes(), completions);
      List<Integer> newIx = new ArrayList<>();
      for (Pod p : podList) {
        int ix = JobPods.completionIndex(p);
        if ("Succeeded".equals(Pods.phase(p)) && ix >= 0 && ix < completions && JobPods.hasTrackingFinalizer(p)) {
          newIx.add(ix);
        }
      }
      c.succeededIndexes = c.prevSucceededIndexes.with(newIx);
      c.succeeded = c.succeededIndexes.total();
      if (job.getSpec().getBackoffLimitPerIndex() != null) {
        c.failedIndexes = failedIndexes(job, podList);
        if (c.finishedCondition == null) {
          Integer maxFailed = job.getSpec().getMaxFailedIndexes();
          if (maxFailed != null && c.failedIndexes.total() > maxFailed) {
            c.finishedCondition = JobPods.newCondition(JobPods.FAILURE_TARGET, "True", "MaxFailedIndexesExceeded",
                "Job has exceeded the specified maximal number of failed indexes", now());
          } else if (c.failedIndexes.total() > 0 && c.failedIndexes.total() + c.succeededIndexes.total() >= completions) {
            c.finishedCondition = JobPods.newCondition(JobPods.FAILURE_TARGET, "True", "FailedIndexes",
                "Job has failed indexes", now());
          }
        }
        c.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletionPerIndex(c);
      }
      if (c.finishedCondition == null) {
        String msg = matchSuccessPolicy(job, completions, c.succeededIndexes);
        if (msg != null) {
          c.finishedCondition = JobPods.newCondition(JobPods.SUCCESS_CRITERIA_MET, "True", "SuccessPolicy", msg,
              now());
        }
      }
    }
    if (c.finishedCondition != null) {
      deleteActivePods(job, c.activePods, (deletedReady, deleted, err) -> {
        if (deleted != active || !satisfied) {
          // Pods still to see go, or pods not yet in the cache: not finished yet.
          c.finishedCondition = null;
        }
        c.terminating += deleted;
        c.ready -= deletedReady;
        finishSync(c, active - deleted, false, err, done);
      });
      return;
    }
    if (satisfied && job.getMetadata().getDeletionTimestamp() == null) {
      manageJob(c, (newActive, err) -> {
        boolean suspendChanged = afterManage(c, newActive, true);
        finishSync(c, newActive, suspendChanged, err, done);
      });
      return;
    }
    boolean suspendChanged = afterManage(c, active, false);
    finishSync(c, active, suspendChanged, null, done);
  }

  /** After manageJob: the success condition, or the Suspended condition when manageJob ran. */
  private boolean afterManage(Ctx c, int active, boolean manageJobCalled) {
    Job job = c.job;
    boolean complete = job.getSpec().getCompletions() == null ? c.succeeded > 0 && active == 0
        : c.succeeded >= job.getSpec().getCompletions() && active == 0;
    if (complete) {
      c.finishedCondition = JobPods.newCondition(JobPods.SUCCESS_CRITERIA_MET, "True", "CompletionsReached",
          "Reached expected number of succeeded pods", now());
      return false;
    }
    if (!manageJobCalled) {
      return false;
    }
    List<JobCondition> conds = new ArrayList<>(job.getStatus().getConditions() == null ? List.of()
        : job.getStatus().getConditions());
    boolean changed;
    if (JobPods.suspended(job)) {
      changed = JobPods.ensureCondition(conds, JobPods.SUSPENDED, "True", "JobSuspended", "Job suspended", now());
      if (changed) {
        recorder.event(job, EventRecorder.NORMAL, "Suspended", "Job suspended");
      }
    } else {
      changed = JobPods.ensureCondition(conds, JobPods.SUSPENDED, "False", "JobResumed", "Job resumed", now());
      if (changed) {
        recorder.event(job, EventRecorder.NORMAL, "Resumed", "Job resumed");
        // ActiveDeadlineSeconds counts the time a Job is continuously active: a resumed Job starts afresh.
        job.getStatus().setStartTime(Times.rfc3339(now()));
      }
    }
    job.getStatus().setConditions(conds.isEmpty() ? null : conds);
    return changed;
  }

  private void finishSync(Ctx c, int active, boolean suspendChanged, String manageError, WorkQueue.Done done) {
    JobStatus st = c.job.getStatus();
    boolean needsStatusUpdate = suspendChanged || active != n(st.getActive())
        || !Objects.equals(c.ready, st.getReady()) || !Objects.equals(c.terminating, st.getTerminating());
    st.setActive(active == 0 ? null : active);
    st.setReady(c.ready);
    st.setTerminating(c.terminating);
    trackJobStatusAndRemoveFinalizers(c, needsStatusUpdate, err -> {
      if (err != null) {
        log.v(2, "Error syncing job", "key", c.key, "err", err);
      }
      done.done(err == null && manageError == null);
    });
  }

  /** getValidPodsWithFilter: tracked pods not yet counted (and, for Indexed Jobs, with a valid index). */
  private static List<Pod> validPods(Ctx c, Set<String> uncounted, java.util.function.Predicate<Pod> filter) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : c.pods) {
      String uid = p.getMetadata().getUid();
      if (!JobPods.hasTrackingFinalizer(p) || uncounted.contains(uid) || c.expectedRmFinalizers.contains(uid)) {
        continue;
      }
      if (JobPods.isIndexed(c.job)) {
        int ix = JobPods.completionIndex(p);
        if (ix < 0 || ix >= n(c.job.getSpec().getCompletions())) {
          continue;
        }
      }
      if (filter.test(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static int nonIgnoredFailed(Job job, List<Pod> failed) {
    int n = failed.size();
    if (job.getSpec().getPodFailurePolicy() != null) {
      for (Pod p : failed) {
        if (!PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p).countFailed()) {
          n--;
        }
      }
    }
    return n;
  }

  private static String failJobMessage(Job job, List<Pod> podList) {
    if (job.getSpec().getPodFailurePolicy() == null) {
      return null;
    }
    for (Pod p : podList) {
      if (JobPods.isPodFailed(p, job)) {
        String msg = PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p).failJobMessage();
        if (msg != null) {
          return msg;
        }
      }
    }
    return null;
  }

  /** pastBackoffLimitOnFailure: with restartPolicy OnFailure, the restarts of live pods reach backoffLimit. */
  private static boolean pastBackoffLimitOnFailure(Job job, List<Pod> podList) {
    if (!"OnFailure".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy())) {
      return false;
    }
    int result = 0;
    for (Pod p : podList) {
      String phase = Pods.phase(p);
      if (!"Running".equals(phase) && !"Pending".equals(phase)) {
        continue;
      }
      if (p.getStatus().getInitContainerStatuses() != null) {
        for (var cs : p.getStatus().getInitContainerStatuses()) {
          result += n(cs.getRestartCount());
        }
      }
      if (p.getStatus().getContainerStatuses() != null) {
        for (var cs : p.getStatus().getContainerStatuses()) {
          result += n(cs.getRestartCount());
        }
      }
    }
    int limit = n(job.getSpec().getBackoffLimit());
    return limit == 0 ? result > 0 : result >= limit;
  }

  private boolean pastActiveDeadline(Job job) {
    if (job.getSpec().getActiveDeadlineSeconds() == null || job.getStatus().getStartTime() == null
        || JobPods.suspended(job)) {
      return false;
    }
    Duration ran = Duration.between(Times.parse(job.getStatus().getStartTime()), now());
    return ran.compareTo(Duration.ofSeconds(job.getSpec().getActiveDeadlineSeconds())) >= 0;
  }

  private Intervals failedIndexes(Job job, List<Pod> podList) {
    int completions = n(job.getSpec().getCompletions());
    Intervals prev = job.getStatus().getFailedIndexes() == null ? Intervals.EMPTY
        : Intervals.parse(job.getStatus().getFailedIndexes(), completions);
    List<Integer> newFailed = new ArrayList<>();
    for (Pod p : podList) {
      int ix = JobPods.completionIndex(p);
      if (ix >= 0 && ix < completions && JobPods.hasTrackingFinalizer(p) && isIndexFailed(job, p)) {
        newFailed.add(ix);
      }
    }
    return prev.with(newFailed);
  }

  private static boolean isIndexFailed(Job job, Pod p) {
    boolean counted = false;
    if (JobPods.isPodFailed(p, job)) {
      if (job.getSpec().getPodFailurePolicy() != null) {
        PodFailurePolicies.Match m = PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p);
        if ("FailIndex".equals(m.action())) {
          return true;
        }
        counted = m.countFailed();
      } else {
        counted = true;
      }
    }
    return counted && JobPods.annotationInt(p, JobPods.INDEX_FAILURE_COUNT) >= job.getSpec().getBackoffLimitPerIndex();
  }

  /**
   * getPodsWithDelayedDeletionPerIndex: the last failed pod of each index that has no active,
   * succeeded or failed pod yet, kept until its replacement exists to carry the failure count.
   */
  private Map<Integer, Pod> podsWithDelayedDeletionPerIndex(Ctx c) {
    Set<Integer> activeIndexes = new java.util.TreeSet<>();
    for (Pod p : c.activePods) {
      int ix = JobPods.completionIndex(p);
      if (ix >= 0) {
        activeIndexes.add(ix);
      }
    }
    Map<Integer, Pod> out = new TreeMap<>();
    int completions = n(c.job.getSpec().getCompletions());
    for (Pod p : validPods(c, Set.of(), pp -> JobPods.isPodFailed(pp, c.job))) {
      int ix = JobPods.completionIndex(p);
      if (ix < 0 || ix >= completions || c.succeededIndexes.has(ix)
          || (c.failedIndexes != null && c.failedIndexes.has(ix)) || activeIndexes.contains(ix)) {
        continue;
      }
      Pod last = out.get(ix);
      if (last == null || (absoluteFailureCount(last) <= absoluteFailureCount(p)
          && !JobBackoff.finishedTime(p).isBefore(JobBackoff.finishedTime(last)))) {
        out.put(ix, p);
      }
    }
    return out;
  }

  private static int absoluteFailureCount(Pod p) {
    return JobPods.annotationInt(p, JobPods.INDEX_FAILURE_COUNT)
        + JobPods.annotationInt(p, JobPods.INDEX_IGNORED_FAILURE_COUNT);
  }

  /** matchSuccessPolicy: the first rule the succeeded indexes satisfy, as "Matched rules at index N". */
  static String matchSuccessPolicy(Job job, int completions, Intervals succeeded) {
    if (job.getSpec().getSuccessPolicy() == null || succeeded.isEmpty()
        || job.getSpec().getSuccessPolicy().getRules() == null) {
      return null;
    }
    List<SuccessPolicyRule> rules = job.getSpec().getSuccessPolicy().getRules();
    for (int i = 0; i < rules.size(); i++) {
      SuccessPolicyRule r = rules.get(i);
      if (r.getSucceededIndexes() != null) {
        Intervals required = Intervals.parse(r.getSucceededIndexes(), completions);
        if (required.isEmpty()) {
          continue;
        }
        if (Intervals.matchesRule(required, succeeded, r.getSucceededCount())) {
          return "Matched rules at index " + i;
        }
      } else if (r.getSucceededCount() != null && succeeded.total() >= r.getSucceededCount()) {
        return "Matched rules at index " + i;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- manageJob

  private interface ActiveAndError {
    void accept(int active, String error);
  }

  private interface Deleted {
    void accept(int deletedReady, int deleted, String error);
  }

  /**
   * manageJob: deletes every active pod of a suspended Job; otherwise deletes the pods beyond what
   * should be active (min(parallelism, completions - succeeded)), or creates the missing ones once
   * the failure back-off has passed.
   */
  private void manageJob(Ctx c, ActiveAndError then) {
    Job job = c.job;
    String key = c.key;
    int active = c.activePods.size();
    int parallelism = n(job.getSpec().getParallelism());
    if (JobPods.suspended(job)) {
      log.v(4, "Deleting all active pods in suspended job", "job", key, "active", active);
      List<Pod> toDelete = JobPods.activePodsForRemoval(job, c.activePods, active);
      expectDeletions(key, toDelete);
      deleteJobPods(job, key, toDelete, (removedReady, removed, err) -> {
        c.terminating += removed;
        c.ready -= removedReady;
        then.accept(active - removed, err);
      });
      return;
    }
    int wantActive;
    if (job.getSpec().getCompletions() == null) {
      wantActive = c.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(job.getSpec().getCompletions() - c.succeeded, parallelism));
    }
    int rmAtLeast = Math.max(0, active - wantActive);
    List<Pod> toDelete = JobPods.activePodsForRemoval(job, c.activePods, rmAtLeast);
    if (toDelete.size() > MAX_POD_CREATE_DELETE_PER_SYNC) {
      toDelete = toDelete.subList(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    }
    if (!toDelete.isEmpty()) {
      expectDeletions(key, toDelete);
      log.v(4, "Too many pods running for job", "job", key, "deleted", toDelete.size(), "target", wantActive);
      deleteJobPods(job, key, toDelete, (removedReady, removed, err) -> {
        c.terminating += removed;
        c.ready -= removedReady;
        then.accept(active - removed, err);
      });
      return;
    }
    int terminating = JobPods.onlyReplaceFailedPods(job) ? c.terminating : 0;
    int diff = wantActive - terminating - active;
    if (diff <= 0) {
      then.accept(active, null);
      return;
    }
    Duration remaining = Duration.ZERO;
    if (job.getSpec().getBackoffLimitPerIndex() == null) {
      remaining = JobBackoff.remaining(c.newBackoffRecord, now(), POD_FAILURE_BACKOFF, MAX_POD_FAILURE_BACKOFF);
    }
    if (remaining.compareTo(Duration.ZERO) > 0) {
      queue.addAfter(key, remaining.compareTo(SYNC_JOB_BATCH_PERIOD) < 0 ? SYNC_JOB_BATCH_PERIOD : remaining);
      // As kube-controller-manager does, the sync reports no active pods while it waits.
      then.accept(0, null);
      return;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    List<Integer> indexesToAdd = null;
    if (JobPods.isIndexed(job)) {
      int completions = n(job.getSpec().getCompletions());
      Intervals nonPending = c.succeededIndexes.with(indexesOf(c.activePods));
      if (JobPods.onlyReplaceFailedPods(job)) {
        List<Pod> terminatingPods = new ArrayList<>();
        for (Pod p : c.pods) {
          String phase = Pods.phase(p);
          if (Pods.terminating(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            terminatingPods.add(p);
          }
        }
        nonPending = nonPending.with(indexesOf(terminatingPods));
      }
      if (c.failedIndexes != null) {
        nonPending = nonPending.merge(c.failedIndexes);
      }
      indexesToAdd = Intervals.firstPending(nonPending, diff, completions);
      if (job.getSpec().getBackoffLimitPerIndex() != null) {
        List<Integer> now = new ArrayList<>();
        Duration minRemaining = null;
        for (int ix : indexesToAdd) {
          Duration r = perIndexRemaining(c.podsWithDelayedDeletionPerIndex.get(ix));
          if (r.isZero()) {
            now.add(ix);
          } else if (minRemaining == null || r.compareTo(minRemaining) < 0) {
            minRemaining = r;
          }
        }
        if (now.isEmpty() && minRemaining != null) {
          queue.addAfter(key, minRemaining.compareTo(SYNC_JOB_BATCH_PERIOD) < 0 ? SYNC_JOB_BATCH_PERIOD
              : minRemaining);
          then.accept(0, null);
          return;
        }
        indexesToAdd = now;
      }
      diff = indexesToAdd.size();
    }
    expectations.expectCreations(key, diff);
    log.v(4, "Too few pods running", "key", key, "need", wantActive, "creating", diff);
    PodTemplateSpec template = new PodTemplateSpecBuilder(job.getSpec().getTemplate()).build();
    if (JobPods.isIndexed(job)) {
      addCompletionIndexEnv(template);
    }
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    List<String> fin = new ArrayList<>(tm.getFinalizers() == null ? List.of() : tm.getFinalizers());
    if (!fin.contains(JobPods.TRACKING_FINALIZER)) {
      fin.add(JobPods.TRACKING_FINALIZER);
    }
    tm.setFinalizers(fin);
    template.setMetadata(tm);
    int created = diff;
    List<Integer> indexes = indexesToAdd;
    createBatches(c, template, indexes, created, 0, Math.min(created, 1), active + created, then);
  }

  private static List<Integer> indexesOf(List<Pod> list) {
    List<Integer> out = new ArrayList<>();
    for (Pod p : list) {
      int ix = JobPods.completionIndex(p);
      if (ix >= 0) {
        out.add(ix);
      }
    }
    return out;
  }

  private Duration perIndexRemaining(Pod lastFailed) {
    if (lastFailed == null) {
      return Duration.ZERO;
    }
    int failures = absoluteFailureCount(lastFailed) + 1;
    return JobBackoff.remaining(new JobBackoff.Record(failures, JobBackoff.finishedTime(lastFailed)), now(),
        POD_FAILURE_BACKOFF, MAX_POD_FAILURE_BACKOFF);
  }

  /** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the pod's completion-index label. */
  private static void addCompletionIndexEnv(PodTemplateSpec t) {
    List<Container> all = new ArrayList<>();
    if (t.getSpec().getInitContainers() != null) {
      all.addAll(t.getSpec().getInitContainers());
    }
    all.addAll(t.getSpec().getContainers());
    for (Container c : all) {
      List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
      if (env.stream().anyMatch(e -> JobPods.COMPLETION_INDEX_ENV.equals(e.getName()))) {
        continue;
      }
      env.add(new EnvVarBuilder().withName(JobPods.COMPLETION_INDEX_ENV).withNewValueFrom().withNewFieldRef()
          .withFieldPath("metadata.labels['" + JobPods.COMPLETION_INDEX + "']").endFieldRef().endValueFrom().build());
      c.setEnv(env);
    }
  }

  private void createBatches(Ctx c, PodTemplateSpec template, List<Integer> indexes, int total, int pos,
      int batchSize, int active, ActiveAndError then) {
    String key = c.key;
    if (batchSize <= 0 || pos >= total) {
      then.accept(active, null);
      return;
    }
    int[] activeNow = {active};
    String[] error = {null};
    int[] left = {batchSize};
    for (int i = pos; i < pos + batchSize; i++) {
      int index = indexes == null ? -1 : indexes.get(i);
      createPod(c, template, index, err -> {
        if (err != null) {
          log.v(2, "Failed creation, decrementing expectations", "job", key);
          expectations.creationObserved(key);
          activeNow[0]--;
          if (error[0] == null) {
            error[0] = err;
          }
        }
        if (--left[0] == 0) {
          int next = pos + batchSize;
          int skipped = total - next;
          if (error[0] != null && skipped > 0) {
            log.v(2, "Slow-start failure. Skipping creating pods, decrementing expectations", "skippedCount", skipped,
                "job", key);
            for (int s = 0; s < skipped; s++) {
              expectations.creationObserved(key);
            }
            then.accept(activeNow[0] - skipped, error[0]);
            return;
          }
          if (next >= total) {
            then.accept(activeNow[0], error[0]);
            return;
          }
          createBatches(c, template, indexes, total, next, Math.min(2 * batchSize, total - next), activeNow[0], then);
        }
      });
    }
  }

  /** CreatePodsWithGenerateName: "&lt;job&gt;-" names, or "&lt;job&gt;-&lt;index&gt;-" with the index annotation, label and hostname. */
  private void createPod(Ctx c, PodTemplateSpec template, int index, Consumer<String> then) {
    Job job = c.job;
    ObjectMeta tm = template.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels()));
    meta.setAnnotations(tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations()));
    meta.setFinalizers(new ArrayList<>(tm.getFinalizers()));
    meta.setNamespace(job.getMetadata().getNamespace());
    meta.setOwnerReferences(new ArrayList<>(List.of(Owners.controllerRef(job))));
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    pod.setMetadata(meta);
    pod.setSpec(new PodSpecBuilder(template.getSpec()).build());
    String prefix = job.getMetadata().getName() + "-";
    if (index >= 0) {
      meta.getAnnotations().put(JobPods.COMPLETION_INDEX, Integer.toString(index));
      meta.getLabels().put(JobPods.COMPLETION_INDEX, Integer.toString(index));
      pod.getSpec().setHostname(job.getMetadata().getName() + "-" + index);
      prefix = podGenerateNameWithIndex(job.getMetadata().getName(), index);
      if (job.getSpec().getBackoffLimitPerIndex() != null) {
        Pod replaced = c.podsWithDelayedDeletionPerIndex.get(index);
        int failures = 0;
        int ignored = 0;
        if (replaced != null) {
          failures = JobPods.annotationInt(replaced, JobPods.INDEX_FAILURE_COUNT);
          ignored = JobPods.annotationInt(replaced, JobPods.INDEX_IGNORED_FAILURE_COUNT);
          boolean counts = job.getSpec().getPodFailurePolicy() == null
              || PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), replaced).countFailed();
          if (counts) {
            failures++;
          } else {
            ignored++;
          }
        }
        meta.getAnnotations().put(JobPods.INDEX_FAILURE_COUNT, Integer.toString(failures));
        if (ignored > 0) {
          meta.getAnnotations().put(JobPods.INDEX_IGNORED_FAILURE_COUNT, Integer.toString(ignored));
        }
      }
    }
    meta.setGenerateName(prefix);
    client.create(pod, r -> {
      if (r instanceof Api.Ok ok) {
        recorder.event(job, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + ok.object().getMetadata().getName());
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.message() != null && f.message().contains("because it is being terminated")) {
        then.accept(null);
        return;
      }
      recorder.event(job, EventRecorder.WARNING, "FailedCreate", "Error creating: " + f.message());
      then.accept(f.message());
    });
  }

  /** podGenerateNameWithIndex: "&lt;job&gt;-&lt;index&gt;-", the job name cut so the prefix stays within 58 characters. */
  static String podGenerateNameWithIndex(String jobName, int index) {
    String append = "-" + index + "-";
    String prefix = jobName + append;
    int max = 63 - 5;
    if (prefix.length() > max) {
      prefix = prefix.substring(0, max - append.length()) + append;
    }
    return prefix;
  }

  private void expectDeletions(String key, List<Pod> toDelete) {
    List<String> keys = new ArrayList<>();
    for (Pod p : toDelete) {
      keys.add(Informer.key(p));
    }
    expectations.expectDeletions(key, keys);
  }

  /** deleteJobPods: removes the tracking finalizer (the pod is not counted), then deletes the pod. */
  private void deleteJobPods(Job job, String key, List<Pod> toDelete, Deleted then) {
    if (toDelete.isEmpty()) {
      then.accept(0, 0, null);
      return;
    }
    int[] ready = {0};
    int[] ok = {toDelete.size()};
    String[] error = {null};
    int[] left = {toDelete.size()};
    for (Pod p : toDelete) {
      Consumer<String> fail = err -> {
        expectations.deletionObserved(key, Informer.key(p));
        if (err != null && !err.isEmpty()) {
          log.v(2, "Failed to delete Pod", "job", key, "pod", Informer.key(p), "err", err);
          ok[0]--;
          if (error[0] == null) {
            error[0] = err;
          }
        }
      };
      Runnable one = () -> {
        if (--left[0] == 0) {
          then.accept(ready[0], ok[0], error[0]);
        }
      };
      Runnable delete = () -> deletePodOf(job, p, err -> {
        if (err != null) {
          fail.accept(err);
        }
        if (Pods.isReady(p)) {
          ready[0]++;
        }
        one.run();
      });
      if (JobPods.hasTrackingFinalizer(p)) {
        client.patch(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
            PatchType.STRATEGIC_MERGE_PATCH, removeFinalizerPatch(), r -> {
              if (r instanceof Api.Failed f) {
                fail.accept(f.code() == 404 ? "" : "removing completion finalizer: " + f.message());
                one.run();
                return;
              }
              delete.run();
            });
      } else {
        delete.run();
      }
    }
  }

  /** deleteActivePods: graceful deletes that keep the finalizers, for a Job that is finishing. */
  private void deleteActivePods(Job job, List<Pod> active, Deleted then) {
    if (active.isEmpty()) {
      then.accept(0, 0, null);
      return;
    }
    int[] ready = {0};
    int[] ok = {active.size()};
    String[] error = {null};
    int[] left = {active.size()};
    for (Pod p : active) {
      deletePodOf(job, p, err -> {
        if (err != null && !err.isEmpty()) {
          ok[0]--;
          if (error[0] == null) {
            error[0] = err;
          }
        }
        if (Pods.isReady(p)) {
          ready[0]++;
        }
        if (--left[0] == 0) {
          then.accept(ready[0], ok[0], error[0]);
        }
      });
    }
  }

  /** DeletePod: null on success, "" for a pod already gone, else the error. */
  private void deletePodOf(Job job, Pod p, Consumer<String> then) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    client.delete(Resources.PODS, ns, name, null, r -> {
      if (r instanceof Api.Ok) {
        recorder.event(job, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name);
        then.accept(null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.code() == 404) {
        then.accept("");
        return;
      }
      recorder.event(job, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + f.message());
      then.accept(f.message());
    });
  }

  // ---------------------------------------------------------------- status and finalizers

  /**
   * trackJobStatusAndRemoveFinalizers: finished pods go into status.uncountedTerminatedPods (written
   * first), their finalizers come off, and only then do they move into the succeeded and failed
   * counters, so that each is counted once whatever fails in between. The interim FailureTarget or
   * SuccessCriteriaMet condition is written with the first flush; Failed or Complete once nothing is
   * uncounted and no pod is terminating.
   */
  private void trackJobStatusAndRemoveFinalizers(Ctx c, boolean needsFlush, Consumer<String> then) {
    Job job = c.job;
    boolean indexed = JobPods.isIndexed(job);
    List<Pod> podList = new ArrayList<>(c.pods);
    if (indexed) {
      podList.sort(JobPods.BY_COMPLETION_INDEX);
    }
    Set<String> uidsWithFinalizer = new LinkedHashSet<>();
    for (Pod p : podList) {
      if (JobPods.hasTrackingFinalizer(p) && !c.expectedRmFinalizers.contains(p.getMetadata().getUid())) {
        uidsWithFinalizer.add(p.getMetadata().getUid());
      }
    }
    JobStatus st = job.getStatus();
    int[] old = {n(st.getSucceeded()), n(st.getFailed())};
    boolean flush = needsFlush;
    if (cleanUncounted(st, uidsWithFinalizer)) {
      flush = true;
    }
    List<Pod> toRemoveFinalizer = new ArrayList<>();
    List<Integer> newSucceededIndexes = new ArrayList<>();
    List<String> uSucceeded = new ArrayList<>(st.getUncountedTerminatedPods().getSucceeded() == null ? List.of()
        : st.getUncountedTerminatedPods().getSucceeded());
    List<String> uFailed = new ArrayList<>(st.getUncountedTerminatedPods().getFailed() == null ? List.of()
        : st.getUncountedTerminatedPods().getFailed());
    boolean reachedMax = false;
    int completions = n(job.getSpec().getCompletions());
    boolean finishedNotSuccess = c.finishedCondition != null
        && !JobPods.SUCCESS_CRITERIA_MET.equals(c.finishedCondition.getType());
    for (Pod p : podList) {
      String uid = p.getMetadata().getUid();
      if (!JobPods.hasTrackingFinalizer(p) || c.expectedRmFinalizers.contains(uid)) {
        continue;
      }
      boolean considerFailed = JobPods.isPodFailed(p, job);
      if (!canRemoveFinalizer(c, p, considerFailed)) {
        continue;
      }
      toRemoveFinalizer.add(p);
      if ("Succeeded".equals(Pods.phase(p)) && !c.uncountedFailed.contains(uid)) {
        if (indexed) {
          int ix = JobPods.completionIndex(p);
          if (ix >= 0 && ix < completions && !c.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.add(ix);
            flush = true;
          }
        } else if (!c.uncountedSucceeded.contains(uid)) {
          flush = true;
          uSucceeded.add(uid);
        }
      } else if (considerFailed || finishedNotSuccess) {
        // A finishing Job counts every pod that did not succeed as failed.
        int ix = JobPods.completionIndex(p);
        if (!c.uncountedFailed.contains(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (job.getSpec().getPodFailurePolicy() != null) {
            if (PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p).countFailed()) {
              flush = true;
              uFailed.add(uid);
            }
          } else {
            flush = true;
            uFailed.add(uid);
          }
        }
      }
      if (newSucceededIndexes.size() + uSucceeded.size() + uFailed.size() >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    st.getUncountedTerminatedPods().setSucceeded(uSucceeded.isEmpty() ? null : uSucceeded);
    st.getUncountedTerminatedPods().setFailed(uFailed.isEmpty() ? null : uFailed);
    if (indexed) {
      c.succeededIndexes = c.succeededIndexes.with(newSucceededIndexes);
      String s = c.succeededIndexes.toString();
      if (!s.equals(st.getCompletedIndexes() == null ? "" : st.getCompletedIndexes())) {
        flush = true;
      }
      st.setSucceeded(omit(c.succeededIndexes.total()));
      st.setCompletedIndexes(s);
      String failedStr = c.failedIndexes == null ? null : c.failedIndexes.toString();
      if (!Objects.equals(st.getFailedIndexes(), failedStr)) {
        st.setFailedIndexes(failedStr);
        flush = true;
      }
    }
    List<JobCondition> conds = new ArrayList<>(st.getConditions() == null ? List.of() : st.getConditions());
    if (c.finishedCondition != null && JobPods.FAILURE_TARGET.equals(c.finishedCondition.getType())) {
      conds.add(c.finishedCondition);
      st.setConditions(conds);
      flush = true;
      c.finishedCondition = JobPods.newCondition(JobPods.FAILED, "True", c.finishedCondition.getReason(),
          c.finishedCondition.getMessage(), now());
    }
    if (c.finishedCondition != null && JobPods.SUCCESS_CRITERIA_MET.equals(c.finishedCondition.getType())
        && "True".equals(c.finishedCondition.getStatus())) {
      if (!JobPods.conditionTrue(job, JobPods.SUCCESS_CRITERIA_MET)) {
        conds.add(c.finishedCondition);
        st.setConditions(conds);
        flush = true;
      }
      c.finishedCondition = JobPods.newCondition(JobPods.COMPLETE, "True", c.finishedCondition.getReason(),
          c.finishedCondition.getMessage(), now());
    }
    boolean finalReachedMax = reachedMax;
    flushUncountedAndRemoveFinalizers(c, toRemoveFinalizer, uidsWithFinalizer, flush, (stillToFlush, err) -> {
      if (err != null) {
        then.accept(err);
        return;
      }
      boolean jobFinished = !finalReachedMax && enactJobFinished(c);
      boolean mustFlush = stillToFlush || jobFinished;
      if (!mustFlush) {
        then.accept(null);
        return;
      }
      updateStatus(c, updated -> {
        if (updated == null) {
          then.accept("removing uncounted pods from status: conflict or error");
          return;
        }
        if (jobFinished) {
          recordJobFinished(c.job, c.finishedCondition);
        }
        then.accept(null);
      });
    });
  }

  private static Integer omit(int v) {
    return v == 0 ? null : v;
  }

  /** canRemoveFinalizer: the Job is going or finishing, the pod succeeded, or it failed (and its index need not wait). */
  private static boolean canRemoveFinalizer(Ctx c, Pod p, boolean considerFailed) {
    if (c.job.getMetadata().getDeletionTimestamp() != null || c.finishedCondition != null
        || "Succeeded".equals(Pods.phase(p))) {
      return true;
    }
    if (!considerFailed) {
      return false;
    }
    if (c.job.getSpec().getBackoffLimitPerIndex() != null) {
      int ix = JobPods.completionIndex(p);
      Pod delayed = ix >= 0 ? c.podsWithDelayedDeletionPerIndex.get(ix) : null;
      if (delayed != null && Objects.equals(delayed.getMetadata().getUid(), p.getMetadata().getUid())) {
        return false;
      }
    }
    return true;
  }

  /** cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone move into the counters. */
  private static boolean cleanUncounted(JobStatus st, Set<String> uidsWithFinalizer) {
    boolean updated = false;
    UncountedTerminatedPods u = st.getUncountedTerminatedPods();
    List<String> succ = u.getSucceeded() == null ? List.of() : u.getSucceeded();
    List<String> keep = new ArrayList<>();
    for (String uid : succ) {
      if (uidsWithFinalizer.contains(uid)) {
        keep.add(uid);
      }
    }
    if (keep.size() != succ.size()) {
      updated = true;
      st.setSucceeded(omit(n(st.getSucceeded()) + succ.size() - keep.size()));
      u.setSucceeded(keep.isEmpty() ? null : keep);
    }
    List<String> fail = u.getFailed() == null ? List.of() : u.getFailed();
    keep = new ArrayList<>();
    for (String uid : fail) {
      if (uidsWithFinalizer.contains(uid)) {
        keep.add(uid);
      }
    }
    if (keep.size() != fail.size()) {
      updated = true;
      st.setFailed(omit(n(st.getFailed()) + fail.size() - keep.size()));
      u.setFailed(keep.isEmpty() ? null : keep);
    }
    return updated;
  }

  private interface FlushResult {
    void accept(boolean needsFlush, String error);
  }

  /**
   * flushUncountedAndRemoveFinalizers: writes the status with the new uncounted pods, removes their
   * finalizers, moves the ones whose finalizer is gone into the counters, and writes the status
   * again only if some removal failed.
   */
  private void flushUncountedAndRemoveFinalizers(Ctx c, List<Pod> toRemove, Set<String> uidsWithFinalizer,
      boolean needsFlush, FlushResult then) {
    Runnable removeFinalizers = () -> removeTrackingFinalizers(c.key, toRemove, (succeededUids, rmErr) -> {
      uidsWithFinalizer.removeAll(succeededUids);
      boolean flush = cleanUncounted(c.job.getStatus(), uidsWithFinalizer);
      if (rmErr != null && flush) {
        updateStatus(c, updated -> then.accept(true, rmErr));
        return;
      }
      then.accept(flush, rmErr);
    });
    if (!needsFlush) {
      removeFinalizers.run();
      return;
    }
    updateStatus(c, updated -> {
      if (updated == null) {
        then.accept(true, "adding uncounted pods to status: conflict or error");
        return;
      }
      backoffStore.put(c.key, c.newBackoffRecord);
      removeFinalizers.run();
    });
  }

  private interface Removed {
    void accept(Set<String> succeededUids, String error);
  }

  private void removeTrackingFinalizers(String jobKey, List<Pod> toRemove, Removed then) {
    if (toRemove.isEmpty()) {
      then.accept(Set.of(), null);
      return;
    }
    Set<String> expected = finalizerExpectations.computeIfAbsent(jobKey, k -> new LinkedHashSet<>());
    for (Pod p : toRemove) {
      expected.add(p.getMetadata().getUid());
    }
    Set<String> succeeded = new LinkedHashSet<>();
    String[] error = {null};
    int[] left = {toRemove.size()};
    for (Pod p : toRemove) {
      client.patch(Resources.PODS, p.getMetadata().getNamespace(), p.getMetadata().getName(),
          PatchType.STRATEGIC_MERGE_PATCH, removeFinalizerPatch(), r -> {
            if (r instanceof Api.Ok) {
              succeeded.add(p.getMetadata().getUid());
            } else {
              Api.Failed f = (Api.Failed) r;
              finalizerRemovalObserved(jobKey, p.getMetadata().getUid());
              if (f.code() == 404) {
                succeeded.add(p.getMetadata().getUid());
              } else if (error[0] == null) {
                error[0] = "removing tracking finalizer: " + f.message();
              }
            }
            if (--left[0] == 0) {
              then.accept(succeeded, error[0]);
            }
          });
    }
  }

  /**
   * enactJobFinished: the final Failed or Complete condition (with completionTime), once nothing is
   * left uncounted and no pod is terminating.
   */
  private boolean enactJobFinished(Ctx c) {
    if (c.finishedCondition == null) {
      return false;
    }
    UncountedTerminatedPods u = c.job.getStatus().getUncountedTerminatedPods();
    int uncounted = (u.getSucceeded() == null ? 0 : u.getSucceeded().size())
        + (u.getFailed() == null ? 0 : u.getFailed().size());
    if (uncounted > 0) {
      log.v(4, "Delaying marking the Job as finished, because there are still uncounted pod(s)", "job", c.key,
          "condition", c.finishedCondition.getType(), "count", uncounted);
      return false;
    }
    if (c.terminating > 0) {
      log.v(4, "Delaying marking the Job as finished, because there are still terminating pod(s)", "job", c.key,
          "condition", c.finishedCondition.getType(), "count", c.terminating);
      return false;
    }
    JobCondition f = c.finishedCondition;
    List<JobCondition> conds = new ArrayList<>(c.job.getStatus().getConditions() == null ? List.of()
        : c.job.getStatus().getConditions());
    JobPods.ensureCondition(conds, f.getType(), f.getStatus(), f.getReason(), f.getMessage(), now());
    c.job.getStatus().setConditions(conds);
    if (JobPods.COMPLETE.equals(f.getType())) {
      c.job.getStatus().setCompletionTime(f.getLastTransitionTime());
    }
    return true;
  }

  /** recordJobFinished: Completed "Job completed", or a Warning with the failure's reason and message. */
  private void recordJobFinished(Job job, JobCondition finished) {
    if (JobPods.COMPLETE.equals(finished.getType())) {
      Integer completions = job.getSpec().getCompletions();
      if (completions != null && n(job.getStatus().getSucceeded()) > completions) {
        recorder.event(job, EventRecorder.WARNING, "TooManySucceededPods",
            "Too many succeeded pods running after completion count reached");
      }
      log.v(2, "Job completed", "job", Informer.key(job));
      recorder.event(job, EventRecorder.NORMAL, "Completed", "Job completed");
    } else {
      log.v(2, "Job failed", "job", Informer.key(job), "reason", finished.getReason());
      recorder.event(job, EventRecorder.WARNING, finished.getReason(), finished.getMessage());
    }
  }

  /** UpdateStatus with the Job as this sync has it; on success the sync goes on with the stored object. */
  private void updateStatus(Ctx c, Consumer<Job> then) {
    client.updateStatus(c.job, r -> {
      if (r instanceof Api.Ok ok) {
        Job stored = (Job) ok.object();
        Job copy = new JobBuilder(stored).build();
        if (copy.getStatus().getUncountedTerminatedPods() == null) {
          copy.getStatus().setUncountedTerminatedPods(new UncountedTerminatedPods());
        }
        c.job = copy;
        then.accept(stored);
        return;
      }
      log.v(2, "Failed to update job status", "job", c.key, "err", ((Api.Failed) r).message());
      then.accept(null);
    });
  }
}
