package io.kubesim.controlplane.controller.cronjob;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.Owners;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.controller.job.JobPods;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.EventRecorder;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go): at each activation of
 * the schedule (in the CronJob's timeZone, else the controller-manager's, UTC here) it creates a
 * Job named {@code <cronjob>-<scheduled time in minutes since the epoch>}, annotated with the
 * scheduled time ({@code batch.kubernetes.io/cronjob-scheduled-timestamp}); it skips an activation
 * missed by more than startingDeadlineSeconds (MissSchedule), honours concurrencyPolicy Allow,
 * Forbid (JobAlreadyActive) and Replace, and suspend; keeps status.active, lastScheduleTime and
 * lastSuccessfulTime; and deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and
 * failedJobsHistoryLimit. It wakes itself 100 ms after the next activation, in virtual time.
 */
public final class CronJobController extends AbstractBehavior<CronJobController.Command> {

  public static final String COMPONENT = "cronjob-controller";
  public static final String LOG_NAME = "cronjob";
  /** batch.CronJobScheduledTimestampAnnotation. */
  public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

  private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
      Locale.US).withZone(ZoneOffset.UTC);

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new CronJobController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final EventRecorder recorder;
  private final Informer<CronJob> cronJobs;
  private final Informer<Job> jobs;
  private final WorkQueue<Command> queue;

  private CronJobController(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc,
      ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.recorder = new EventRecorder(client, cc.clock(), COMPONENT, null);
    this.queue = new WorkQueue<>("cronjob", context.getSelf(), timers, cc.clock(), Drain.INSTANCE, Requeue::new,
        settings.concurrentCronJobSyncs());
    InformerSet informers = new InformerSet(client);
    this.jobs = informers.add(Resources.JOBS, Job.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Job j) {
        jobChanged(null, j);
      }

      @Override
      public void onUpdate(Job old, Job j) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), j.getMetadata().getResourceVersion())) {
          jobChanged(old, j);
        }
      }

      @Override
      public void onDelete(Job j) {
        jobChanged(null, j);
      }
    });
    this.cronJobs = informers.add(Resources.CRONJOBS, CronJob.class, new Informer.Handler<>() {
      @Override
      public void onAdd(CronJob cj) {
        queue.add(Informer.key(cj));
      }

      @Override
      public void onUpdate(CronJob old, CronJob cj) {
        updateCronJob(old, cj);
      }

      @Override
      public void onDelete(CronJob cj) {
        queue.add(Informer.key(cj));
      }
    });
    log.info("Starting cronjob controller v2");
    informers.start(() -> queue.start(this::sync));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
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

  private Instant now() {
    return cc.clock().now();
  }

  // ---------------------------------------------------------------- event handlers

  private CronJob resolveControllerRef(String ns, OwnerReference ref) {
    if (ref == null || !"CronJob".equals(ref.getKind())) {
      return null;
    }
    CronJob cj = cronJobs.get(ns, ref.getName());
    return cj != null && Objects.equals(cj.getMetadata().getUid(), ref.getUid()) ? cj : null;
  }

  /** addJob, updateJob and deleteJob: wake the CronJob that controls the Job (before and after a change). */
  private void jobChanged(Job old, Job j) {
    if (old != null) {
      OwnerReference oldRef = Owners.controllerOf(old);
      if (oldRef != null && !Objects.equals(oldRef, Owners.controllerOf(j))) {
        CronJob cj = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
        if (cj != null) {
          queue.add(Informer.key(cj));
        }
      }
    }
    CronJob cj = resolveControllerRef(j.getMetadata().getNamespace(), Owners.controllerOf(j));
    if (cj != null) {
      queue.add(Informer.key(cj));
    }
  }

  /** updateCronJob: a new schedule or time zone wakes the CronJob at its next activation; other changes at once. */
  private void updateCronJob(CronJob old, CronJob cj) {
    if (!Objects.equals(old.getSpec().getSchedule(), cj.getSpec().getSchedule())
        || !Objects.equals(old.getSpec().getTimeZone(), cj.getSpec().getTimeZone())) {
      CronSchedule sched;
      try {
        sched = CronSchedule.parse(formatSchedule(cj, false));
      } catch (CronSchedule.ParseException e) {
        log.v(2, "Unparseable schedule for cronjob", "cronjob", Informer.key(cj), "schedule",
            cj.getSpec().getSchedule(), "err", e.getMessage());
        recorder.event(cj, EventRecorder.WARNING, "UnParseableCronJobSchedule",
            "unparseable schedule for cronjob: " + cj.getSpec().getSchedule());
        return;
      }
      Duration t = CronJobTimes.untilNext(cj, now(), sched);
      if (t != null) {
        queue.addAfter(Informer.key(cj), t);
      }
      return;
    }
    queue.add(Informer.key(cj));
  }

  // ---------------------------------------------------------------- sync

  private void sync(String key, WorkQueue.Done done) {
    CronJob shared = cronJobs.get(key);
    if (shared == null) {
      log.v(4, "CronJob not found, may be it is deleted", "cronjob", key);
      done.done(true);
      return;
    }
    List<Job> children = new ArrayList<>();
    for (Job j : jobs.list(shared.getMetadata().getNamespace())) {
      OwnerReference ref = Owners.controllerOf(j);
      if (ref != null && shared.getMetadata().getName().equals(ref.getName())) {
        children.add(j);
      }
    }
    CronJob copy = new CronJobBuilder(shared).build();
    if (copy.getStatus() == null) {
      copy.setStatus(new CronJobStatus());
    }
    cleanupFinishedJobs(copy, children, cleanupUpdated -> syncCronJob(copy, children, (requeueAfter, syncUpdated,
        syncError) -> {
      if (syncError != null) {
        log.v(2, "Error reconciling cronjob", "cronjob", key, "err", syncError);
      }
      Runnable finish = () -> {
        if (requeueAfter != null) {
          log.v(4, "Re-queuing cronjob", "cronjob", key, "requeueAfter", requeueAfter);
          queue.forget(key);
          queue.addAfter(key, requeueAfter);
          done.done(true);
          return;
        }
        done.done(syncError == null);
      };
      if (!cleanupUpdated && !syncUpdated) {
        finish.run();
        return;
      }
      client.updateStatus(copy, r -> {
        if (r instanceof Api.Failed f) {
          log.v(2, "Unable to update status for cronjob", "cronjob", key, "resourceVersion",
              shared.getMetadata().getResourceVersion(), "err", f.message());
          done.done(false);
          return;
        }
        finish.run();
      });
    }));
  }

  private interface SyncResult {
    void accept(Duration requeueAfter, boolean updateStatus, String error);
  }

  /** syncCronJob: the active list brought up to date, then at most one new Job. */
  private void syncCronJob(CronJob cronJob, List<Job> children, SyncResult then) {
    Instant now = now();
    boolean[] update = {false};
    CronJob[] cj = {cronJob};
    Set<String> childUids = new LinkedHashSet<>();
    List<Job> unexpected = new ArrayList<>();
    for (Job j : children) {
      childUids.add(j.getMetadata().getUid());
      boolean found = inActiveList(cj[0], j.getMetadata().getUid());
      String finished = JobPods.finishedType(j);
      if (!found && finished == null) {
        unexpected.add(j);
      } else if (found && finished != null) {
        deleteFromActiveList(cj[0], j.getMetadata().getUid());
        recorder.event(cj[0], EventRecorder.NORMAL, "SawCompletedJob", "Saw completed job: "
            + j.getMetadata().getName() + ", condition: " + finished);
        update[0] = true;
      } else if (JobPods.COMPLETE.equals(finished)) {
        // A Job need not be active to count: its completion time may be the latest success.
        String completion = j.getStatus().getCompletionTime();
        String last = cj[0].getStatus().getLastSuccessfulTime();
        if (last == null && completion != null) {
          cj[0].getStatus().setLastSuccessfulTime(completion);
          update[0] = true;
        } else if (completion != null && Times.parse(completion).isAfter(Times.parse(last))) {
          cj[0].getStatus().setLastSuccessfulTime(completion);
          update[0] = true;
        }
      }
    }
    List<ObjectReference> missing = new ArrayList<>();
    for (ObjectReference ref : cj[0].getStatus().getActive() == null ? List.<ObjectReference>of()
        : cj[0].getStatus().getActive()) {
      if (!childUids.contains(ref.getUid())) {
        missing.add(ref);
      }
    }
    // An unfinished Job not in the active list: re-read the CronJob in case its status is newer than the cache.
    Consumer<Runnable> recheckUnexpected = next -> {
      if (unexpected.isEmpty()) {
        next.run();
        return;
      }
      client.get(Resources.CRONJOBS, cronJob.getMetadata().getNamespace(), cronJob.getMetadata().getName(), r -> {
        if (!(r instanceof Api.Ok ok)) {
          then.accept(null, update[0], ((Api.Failed) r).message());
          return;
        }
        CronJob fresh = (CronJob) ok.object();
        for (Job j : unexpected) {
          if (inActiveList(fresh, j.getMetadata().getUid())) {
            // As kube-controller-manager does, the rest of the sync works on the fresh copy, while the
            // status written at the end is the first copy's.
            cj[0] = new CronJobBuilder(fresh).build();
            continue;
          }
          recorder.event(cj[0], EventRecorder.WARNING, "UnexpectedJob",
              "Saw a job that the controller did not create or forgot: " + j.getMetadata().getName());
        }
        next.run();
      });
    };
    recheckUnexpected.accept(() -> checkMissing(cj[0], missing, 0, update, err -> {
      if (err != null) {
        then.accept(null, update[0], err);
        return;
      }
      schedule(cj[0], now, update, then);
    }));
  }

  /** Active Jobs gone from the cache are looked up in the apiserver; those really gone leave the list (MissingJob). */
  private void checkMissing(CronJob cj, List<ObjectReference> missing, int i, boolean[] update, Consumer<String> then) {
    if (i >= missing.size()) {
      then.accept(null);
      return;
    }
    ObjectReference ref = missing.get(i);
    client.get(Resources.JOBS, ref.getNamespace(), ref.getName(), r -> {
      if (r instanceof Api.Failed f) {
        if (f.code() != 404) {
          then.accept(f.message());
          return;
        }
        recorder.event(cj, EventRecorder.NORMAL, "MissingJob", "Active job went missing: " + ref.getName());
        deleteFromActiveList(cj, ref.getUid());
        update[0] = true;
      }
      checkMissing(cj, missing, i + 1, update, then);
    });
  }

  private void schedule(CronJob cj, Instant now, boolean[] update, SyncResult then) {
    String key = Informer.key(cj);
    if (cj.getMetadata().getDeletionTimestamp() != null) {
      then.accept(null, update[0], null);
      return;
    }
    if (cj.getSpec().getTimeZone() != null) {
      try {
        CronSchedule.zone(cj.getSpec().getTimeZone());
      } catch (DateTimeException e) {
        log.v(4, "Not starting job because timeZone is invalid", "cronjob", key, "timeZone", cj.getSpec().getTimeZone());
        recorder.event(cj, EventRecorder.WARNING, "UnknownTimeZone", "invalid timeZone: \""
            + cj.getSpec().getTimeZone() + "\": unknown time zone " + cj.getSpec().getTimeZone());
        then.accept(null, update[0], null);
        return;
      }
    }
    if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      log.v(4, "Not starting job because the cron is suspended", "cronjob", key);
      then.accept(null, update[0], null);
      return;
    }
    CronSchedule sched;
    try {
      sched = CronSchedule.parse(formatSchedule(cj, true));
    } catch (CronSchedule.ParseException e) {
      log.v(2, "Unparseable schedule", "cronjob", key, "schedule", cj.getSpec().getSchedule(), "err", e.getMessage());
      recorder.event(cj, EventRecorder.WARNING, "UnparseableSchedule", "unparseable schedule: \""
          + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
      then.accept(null, update[0], null);
      return;
    }
    Instant scheduled;
    try {
      CronJobTimes.Recent r = CronJobTimes.mostRecent(cj, now, sched, true);
      scheduled = r.mostRecent() == null || r.mostRecent().isAfter(now) ? null : r.mostRecent();
      if (scheduled != null && r.missed() == CronJobTimes.Missed.MANY) {
        recorder.event(cj, EventRecorder.WARNING, "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        log.info("too many missed times", "cronjob", key, "missedTimes", "many");
      }
    } catch (IllegalArgumentException e) {
      log.v(2, "Invalid schedule", "cronjob", key, "schedule", cj.getSpec().getSchedule(), "err", e.getMessage());
      recorder.event(cj, EventRecorder.WARNING, "InvalidSchedule", "invalid schedule: " + cj.getSpec().getSchedule()
          + " : " + e.getMessage());
      then.accept(null, update[0], null);
      return;
    }
    Duration untilNext = CronJobTimes.untilNext(cj, now, sched);
    if (scheduled == null) {
      log.v(4, "No unmet start times", "cronjob", key);
      then.accept(untilNext, update[0], null);
      return;
    }
    Long sds = cj.getSpec().getStartingDeadlineSeconds();
    if (sds != null && scheduled.plusSeconds(sds).isBefore(now)) {
      log.v(4, "Missed starting window", "cronjob", key);
      recorder.event(cj, EventRecorder.WARNING, "MissSchedule", "Missed scheduled time to start a job: "
          + RFC1123Z.format(scheduled));
      then.accept(untilNext, update[0], null);
      return;
    }
    String jobName = jobName(cj, scheduled);
    boolean processed = inActiveListByName(cj, jobName) || Objects.equals(Times.parse(
        cj.getStatus().getLastScheduleTime()), scheduled);
    if (processed) {
      log.v(4, "Not starting job because the scheduled time is already processed", "cronjob", key, "schedule",
          Times.rfc3339(scheduled));
      then.accept(untilNext, update[0], null);
      return;
    }
    List<ObjectReference> active = cj.getStatus().getActive() == null ? List.of() : cj.getStatus().getActive();
    if ("Forbid".equals(cj.getSpec().getConcurrencyPolicy()) && !active.isEmpty()) {
      log.v(4, "Not starting job because prior execution is still running and concurrency policy is Forbid",
          "cronjob", key);
      recorder.event(cj, EventRecorder.NORMAL, "JobAlreadyActive",
          "Not starting job because prior execution is running and concurrency policy is Forbid");
      then.accept(untilNext, update[0], null);
      return;
    }
    Consumer<Runnable> replace = next -> {
      if (!"Replace".equals(cj.getSpec().getConcurrencyPolicy()) || active.isEmpty()) {
        next.run();
        return;
      }
      replaceActive(cj, new ArrayList<>(active), 0, update, err -> {
        if (err != null) {
          then.accept(null, update[0], err);
          return;
        }
        next.run();
      });
    };
    replace.accept(() -> createJob(cj, scheduled, jobName, update, untilNext, then));
  }

  private void replaceActive(CronJob cj, List<ObjectReference> refs, int i, boolean[] update, Consumer<String> then) {
    if (i >= refs.size()) {
      then.accept(null);
      return;
    }
    ObjectReference ref = refs.get(i);
    log.v(4, "Deleting job that was still running at next scheduled start time", "job", ref.getNamespace() + "/"
        + ref.getName());
    client.get(Resources.JOBS, ref.getNamespace(), ref.getName(), r -> {
      if (!(r instanceof Api.Ok ok)) {
        recorder.event(cj, EventRecorder.WARNING, "FailedGet", "Get job: " + ((Api.Failed) r).message());
        then.accept(((Api.Failed) r).message());
        return;
      }
      deleteJob(cj, (Job) ok.object(), deleted -> {
        if (!deleted) {
          then.accept("could not replace job " + ref.getNamespace() + "/" + ref.getName());
          return;
        }
        update[0] = true;
        replaceActive(cj, refs, i + 1, update, then);
      });
    });
  }

  private void createJob(CronJob cj, Instant scheduled, String jobName, boolean[] update, Duration untilNext,
      SyncResult then) {
    String key = Informer.key(cj);
    Job req = jobFromTemplate(cj, scheduled, jobName);
    client.create(req, r -> {
      if (r instanceof Api.Ok ok) {
        Job created = (Job) ok.object();
        log.v(1, "Created Job", "job", Informer.key(created), "cronjob", key);
        recorder.event(cj, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
        addToActive(cj, created, scheduled);
        update[0] = true;
        then.accept(untilNext, true, null);
        return;
      }
      Api.Failed f = (Api.Failed) r;
      if (f.message() != null && f.message().contains("because it is being terminated")) {
        then.accept(null, update[0], f.message());
        return;
      }
      if (f.code() != 409) {
        recorder.event(cj, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + f.message());
        then.accept(null, update[0], f.message());
        return;
      }
      // Created before, but the status update that should have followed was lost: take it in again.
      client.get(Resources.JOBS, cj.getMetadata().getNamespace(), jobName, g -> {
        if (!(g instanceof Api.Ok existing)) {
          then.accept(null, update[0], ((Api.Failed) g).message());
          return;
        }
        Job job = (Job) existing.object();
        OwnerReference ref = Owners.controllerOf(job);
        if (ref == null || !Objects.equals(ref.getUid(), cj.getMetadata().getUid())
            || inActiveList(cj, job.getMetadata().getUid())) {
          then.accept(null, update[0], null);
          return;
        }
        log.info("Job already exists", "cronjob", key, "job", Informer.key(job));
        addToActive(cj, job, scheduled);
        update[0] = true;
        then.accept(untilNext, true, null);
      });
    });
  }

  private static void addToActive(CronJob cj, Job job, Instant scheduled) {
    ObjectReference ref = new ObjectReference();
    ref.setApiVersion("batch/v1");
    ref.setKind("Job");
    ref.setNamespace(job.getMetadata().getNamespace());
    ref.setName(job.getMetadata().getName());
    ref.setUid(job.getMetadata().getUid());
    ref.setResourceVersion(job.getMetadata().getResourceVersion());
    List<ObjectReference> active = new ArrayList<>(cj.getStatus().getActive() == null ? List.of()
        : cj.getStatus().getActive());
    active.add(ref);
    cj.getStatus().setActive(active);
    cj.getStatus().setLastScheduleTime(Times.rfc3339(scheduled));
  }

  /** getJobName: the CronJob's name and the scheduled time in minutes since the epoch. */
  public static String jobName(CronJob cj, Instant scheduled) {
    return cj.getMetadata().getName() + "-" + (scheduled.getEpochSecond() / 60);
  }

  /**
   * getJobFromTemplate2: the template's labels, annotations and spec, the scheduled-timestamp
   * annotation (RFC 3339 in the CronJob's time zone), and a controller reference.
   */
  static Job jobFromTemplate(CronJob cj, Instant scheduled, String name) {
    var tmpl = cj.getSpec().getJobTemplate();
    ObjectMeta tm = tmpl.getMetadata() == null ? new ObjectMeta() : tmpl.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(cj.getMetadata().getNamespace());
    meta.setLabels(tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels()));
    Map<String, String> ann = tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations());
    ZoneId zone = cj.getSpec().getTimeZone() == null ? ZoneOffset.UTC : CronSchedule.zone(cj.getSpec().getTimeZone());
    ann.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(scheduled.atZone(zone)
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).replace("+00:00", "Z"));
    meta.setAnnotations(ann);
    meta.setOwnerReferences(new ArrayList<>(List.of(Owners.controllerRef(cj))));
    Job job = new Job();
    job.setApiVersion("batch/v1");
    job.setKind("Job");
    job.setMetadata(meta);
    job.setSpec(new JobSpecBuilder(tmpl.getSpec()).build());
    return job;
  }

  /** formatSchedule: "TZ=&lt;zone&gt; &lt;schedule&gt;" when the CronJob names a valid time zone. */
  private String formatSchedule(CronJob cj, boolean warn) {
    String schedule = cj.getSpec().getSchedule() == null ? "" : cj.getSpec().getSchedule();
    if (schedule.contains("TZ")) {
      if (warn) {
        recorder.event(cj, EventRecorder.WARNING, "UnsupportedSchedule", "CRON_TZ or TZ used in schedule \""
            + schedule + "\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
      }
      return schedule;
    }
    if (cj.getSpec().getTimeZone() != null) {
      try {
        CronSchedule.zone(cj.getSpec().getTimeZone());
      } catch (DateTimeException e) {
        return schedule;
      }
      return "TZ=" + cj.getSpec().getTimeZone() + " " + schedule;
    }
    return schedule;
  }

  private static boolean inActiveList(CronJob cj, String uid) {
    if (cj.getStatus() == null || cj.getStatus().getActive() == null) {
      return false;
    }
    for (ObjectReference r : cj.getStatus().getActive()) {
      if (Objects.equals(r.getUid(), uid)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inActiveListByName(CronJob cj, String name) {
    if (cj.getStatus() == null || cj.getStatus().getActive() == null) {
      return false;
    }
    for (ObjectReference r : cj.getStatus().getActive()) {
      if (Objects.equals(r.getName(), name) && Objects.equals(r.getNamespace(), cj.getMetadata().getNamespace())) {
        return true;
      }
    }
    return false;
  }

  private static void deleteFromActiveList(CronJob cj, String uid) {
    if (cj.getStatus() == null || cj.getStatus().getActive() == null) {
      return;
    }
    List<ObjectReference> kept = new ArrayList<>();
    for (ObjectReference r : cj.getStatus().getActive()) {
      if (!Objects.equals(r.getUid(), uid)) {
        kept.add(r);
      }
    }
    cj.getStatus().setActive(kept.isEmpty() ? null : kept);
  }

  // ---------------------------------------------------------------- history

  /** byJobStartTime: started Jobs by start time (then name), unstarted ones last. */
  static final Comparator<Job> BY_START_TIME = (a, b) -> {
    String sa = a.getStatus() == null ? null : a.getStatus().getStartTime();
    String sb = b.getStatus() == null ? null : b.getStatus().getStartTime();
    if (sa == null || sb == null) {
      return sa == null && sb == null ? a.getMetadata().getName().compareTo(b.getMetadata().getName())
          : sa == null ? 1 : -1;
    }
    int c = Times.parse(sa).compareTo(Times.parse(sb));
    return c != 0 ? c : a.getMetadata().getName().compareTo(b.getMetadata().getName());
  };

  /** cleanupFinishedJobs: the oldest finished Jobs beyond the history limits are deleted. */
  private void cleanupFinishedJobs(CronJob cj, List<Job> children, Consumer<Boolean> then) {
    Integer successLimit = cj.getSpec().getSuccessfulJobsHistoryLimit();
    Integer failedLimit = cj.getSpec().getFailedJobsHistoryLimit();
    if (successLimit == null && failedLimit == null) {
      then.accept(false);
      return;
    }
    List<Job> successful = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    for (Job j : children) {
      String f = JobPods.finishedType(j);
      if (JobPods.COMPLETE.equals(f)) {
        successful.add(j);
      } else if (JobPods.FAILED.equals(f)) {
        failed.add(j);
      }
    }
    List<Job> victims = new ArrayList<>();
    if (successLimit != null) {
      victims.addAll(oldest(cj, successful, successLimit));
    }
    if (failedLimit != null) {
      victims.addAll(oldest(cj, failed, failedLimit));
    }
    if (victims.isEmpty()) {
      then.accept(false);
      return;
    }
    boolean[] updated = {false};
    int[] left = {victims.size()};
    for (Job j : victims) {
      deleteJob(cj, j, ok -> {
        updated[0] |= ok;
        if (--left[0] == 0) {
          then.accept(updated[0]);
        }
      });
    }
  }

  private List<Job> oldest(CronJob cj, List<Job> js, int max) {
    int toDelete = js.size() - max;
    if (toDelete <= 0) {
      return List.of();
    }
    log.v(4, "Cleaning up jobs from CronJob list", "deletejobnum", toDelete, "jobnum", js.size(), "cronjob",
        Informer.key(cj));
    List<Job> sorted = new ArrayList<>(js);
    sorted.sort(BY_START_TIME);
    return sorted.subList(0, toDelete);
  }

  /** deleteJob: deletes the Job (background propagation: the garbage collector takes its pods) and drops it from the active list. */
  private void deleteJob(CronJob cj, Job job, Consumer<Boolean> then) {
    log.v(1, "Removing job from CronJob list", "job", job.getMetadata().getName(), "cronjob", Informer.key(cj));
    client.delete(Resources.JOBS, job.getMetadata().getNamespace(), job.getMetadata().getName(),
        new DeleteOptionsBuilder().withPropagationPolicy("Background").build(), r -> {
          if (r instanceof Api.Failed f) {
            recorder.event(cj, EventRecorder.WARNING, "FailedDelete", "Deleted job: " + f.message());
            log.error("Error deleting job from cronjob", "job", Informer.key(job), "cronjob", Informer.key(cj), "err",
                f.message());
            then.accept(false);
            return;
          }
          deleteFromActiveList(cj, job.getMetadata().getUid());
          recorder.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
          then.accept(true);
        });
  }
}
