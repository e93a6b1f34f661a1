package io.kubesim.controlplane.controller.ttlafterfinished;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kubesim.controlplane.controller.ControllerManagerSettings;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.controlplane.controller.job.JobPods;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.util.Receives;
import java.time.Duration;
import java.time.Instant;

/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
 * {@code spec.ttlSecondsAfterFinished} is deleted (foreground, so its pods go first) that many
 * seconds after its Complete or Failed condition turned True, after an uncached read confirms it
 * is still finished and its TTL unchanged.
 */
public final class TtlAfterFinishedController extends AbstractBehavior<TtlAfterFinishedController.Command> {

  public static final String LOG_NAME = "ttl-after-finished";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx, ControllerManagerSettings settings) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new TtlAfterFinishedController(c, t, ctx, settings)));
  }

  private final ComponentContext cc;
  private final Klog log;
  private final ApiClient client;
  private final Informer<Job> jobs;
  private final WorkQueue<Command> queue;

  private TtlAfterFinishedController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc, ControllerManagerSettings settings) {
    super(context);
    this.cc = cc;
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("ttl_jobs_to_delete", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, settings.concurrentTtlAfterFinishedSyncs());
    InformerSet informers = new InformerSet(client);
    this.jobs = informers.add(Resources.JOBS, Job.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Job j) {
        maybeEnqueue(j);
      }

      @Override
      public void onUpdate(Job old, Job j) {
        maybeEnqueue(j);
      }
    });
    log.info("Starting TTL after finished controller");
    informers.start(() -> queue.start(this::processJob));
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

  private void maybeEnqueue(Job j) {
    if (j.getMetadata().getDeletionTimestamp() == null && needsCleanup(j)) {
      log.v(4, "Adding job", "job", Informer.key(j));
      queue.add(Informer.key(j));
    }
  }

  static boolean needsCleanup(Job j) {
    return j.getSpec().getTtlSecondsAfterFinished() != null && JobPods.isFinished(j);
  }

  /** jobFinishTime: when the Complete or Failed condition turned True. */
  static Instant finishTime(Job j) {
    for (JobCondition c : j.getStatus().getConditions()) {
      if ((JobPods.COMPLETE.equals(c.getType()) || JobPods.FAILED.equals(c.getType())) && "True".equals(c.getStatus())) {
        return Times.parse(c.getLastTransitionTime());
      }
    }
    return null;
  }

  /** timeLeft: the finish time plus the TTL, less now; null when it cannot be told. */
  static Duration timeLeft(Job j, Instant now) {
    Instant finished = finishTime(j);
    if (finished == null) {
      return null;
    }
    return Duration.between(now, finished.plusSeconds(j.getSpec().getTtlSecondsAfterFinished()));
  }

  private void processJob(String key, WorkQueue.Done done) {
    Job j = jobs.get(key);
    if (j == null || j.getMetadata().getDeletionTimestamp() != null || !needsCleanup(j)) {
      done.done(true);
      return;
    }
    log.v(4, "Checking if Job is ready for cleanup", "job", key);
    Duration left = timeLeft(j, cc.clock().now());
    if (left == null) {
      done.done(true);
      return;
    }
    if (left.compareTo(Duration.ZERO) > 0) {
      queue.addAfter(key, left);
      done.done(true);
      return;
    }
    // The cache may be stale: read the Job again and check that it still expired.
    client.get(Resources.JOBS, j.getMetadata().getNamespace(), j.getMetadata().getName(), r -> {
      if (!(r instanceof Api.Ok ok)) {
        done.done(r instanceof Api.Failed f && f.code() == 404);
        return;
      }
      Job fresh = (Job) ok.object();
      Duration freshLeft = needsCleanup(fresh) ? timeLeft(fresh, cc.clock().now()) : null;
      if (freshLeft == null || freshLeft.compareTo(Duration.ZERO) > 0) {
        if (freshLeft != null) {
          queue.addAfter(key, freshLeft);
        }
        done.done(true);
        return;
      }
      log.v(4, "Cleaning up Job", "job", key);
      client.delete(Resources.JOBS, fresh.getMetadata().getNamespace(), fresh.getMetadata().getName(),
          new DeleteOptionsBuilder().withPropagationPolicy("Foreground").withNewPreconditions()
              .withResourceVersion(fresh.getMetadata().getResourceVersion()).endPreconditions().build(),
          d -> done.done(d instanceof Api.Ok || (d instanceof Api.Failed f && f.code() == 404)));
    });
  }
}
