package io.kubesim.controlplane.http;

import akka.actor.typed.ActorRef;
import io.kubesim.controlplane.launcher.ClusterProxy;
import io.kubesim.controlplane.scheduler.SchedulingDecision;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.time.RealtimeDriver;
import io.kubesim.shared.time.VirtualRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The HTTP side's handle on a running simulation: requests go in through the runtime's
 * {@link VirtualRuntime#submit} (the only way a foreign thread may reach an actor), answers come
 * back on the HTTP executor, never on the driver thread.
 */
public final class SimulationLink {

  private final RealtimeDriver driver;
  private final ActorRef<Gateway.Command> gateway;
  private final ActorRef<ClusterProxy.Command> proxy;
  private final LogBuffer logs;
  private final Instant epoch;
  private final Executor executor;
  private final AtomicLong watchIds = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger openWatches = new java.util.concurrent.atomic.AtomicInteger();

  public SimulationLink(RealtimeDriver driver, ActorRef<Gateway.Command> gateway, ActorRef<ClusterProxy.Command> proxy,
      LogBuffer logs, Executor executor) {
    this.driver = driver;
    this.gateway = gateway;
    this.proxy = proxy;
    this.logs = logs;
    this.epoch = driver.runtime().epoch();
    this.executor = executor;
  }

  public Executor executor() {
    return executor;
  }

  /** Sends a request to the apiserver; the future completes on the HTTP executor. */
  public CompletableFuture<Gateway.Answer> call(Gateway.RequestFactory request) {
    CompletableFuture<Gateway.Answer> answer = new CompletableFuture<>();
    driver.runtime().submit(() -> gateway.tell(new Gateway.Call(request, answer)));
    return answer.thenApplyAsync(Function.identity(), executor);
  }

  /** Opens a watch whose events go to {@code sink}; returns its id, for {@link #closeWatch}. */
  public long openWatch(ResourceType type, String namespace, ListOptions options, Gateway.WatchSink sink) {
    long id = watchIds.incrementAndGet();
    openWatches.incrementAndGet();
    driver.runtime().submit(() -> gateway.tell(new Gateway.OpenWatch(id, type, namespace, options, sink)));
    return id;
  }

  /** HTTP watches open now. */
  public int openWatches() {
    return openWatches.get();
  }

  public void closeWatch(long watchId) {
    openWatches.decrementAndGet();
    driver.runtime().submit(() -> gateway.tell(new Gateway.CloseWatch(watchId)));
  }

  /** Ends every open HTTP watch (clients re-watch). */
  public void closeAllWatches() {
    driver.runtime().submit(() -> gateway.tell(Gateway.CloseAllWatches.INSTANCE));
  }

  // ---------------------------------------------------------------- beyond the apiserver

  /** A container's log, read once, from its node's kubelet. */
  public CompletableFuture<ClusterProxy.LogsAnswer> containerLogs(String node, String namespace, String pod,
      String container, boolean previous) {
    CompletableFuture<ClusterProxy.LogsAnswer> answer = new CompletableFuture<>();
    tell(new ClusterProxy.ContainerLogs(node, namespace, pod, container, previous, answer::complete));
    return async(answer);
  }

  /**
   * Follows a container's log: {@code parts} gets the lines so far, then each new line, on the
   * driver thread (it must only hand them over). Returns the follow's id, for {@link #stopFollowing}.
   */
  public long followLogs(String node, String namespace, String pod, String container,
      Consumer<ClusterProxy.LogsAnswer> parts) {
    long id = watchIds.incrementAndGet();
    tell(new ClusterProxy.FollowLogs(id, node, namespace, pod, container, parts));
    return id;
  }

  public void stopFollowing(long id) {
    tell(new ClusterProxy.StopFollowing(id));
  }

  public CompletableFuture<ClusterProxy.ExecAnswer> exec(String node, String namespace, String pod,
      String container, List<String> command) {
    CompletableFuture<ClusterProxy.ExecAnswer> answer = new CompletableFuture<>();
    tell(new ClusterProxy.Exec(node, namespace, pod, container, command, answer::complete));
    return async(answer);
  }

  public CompletableFuture<Optional<SchedulingDecision>> explain(String namespace, String name) {
    CompletableFuture<Optional<SchedulingDecision>> answer = new CompletableFuture<>();
    tell(new ClusterProxy.Explain(namespace, name, answer::complete));
    return async(answer);
  }

  /** A node fault; completes with the result line ("node/w3-k8s down" or "error: ..."). */
  public CompletableFuture<String> fault(String fault, String node) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    tell(new ClusterProxy.Fault(fault, node, answer::complete));
    return async(answer);
  }

  /** The components' log lines (controllers, scheduler, kubelets). */
  public LogBuffer clusterLogs() {
    return logs;
  }

  private void tell(ClusterProxy.Command c) {
    driver.runtime().submit(() -> proxy.tell(c));
  }

  // ---------------------------------------------------------------- clock

  public Instant virtualNow() {
    return epoch.plusNanos(driver.status().virtualNanos());
  }

  public Instant epoch() {
    return epoch;
  }

  public CompletableFuture<RealtimeDriver.Status> clockStatus() {
    return async(driver.call(driver::status));
  }

  public CompletableFuture<RealtimeDriver.Status> pause() {
    return async(driver.pause());
  }

  public CompletableFuture<RealtimeDriver.Status> resume() {
    return async(driver.resume());
  }

  public CompletableFuture<RealtimeDriver.Status> speed(double speed) {
    return async(driver.setSpeed(speed));
  }

  public CompletableFuture<RealtimeDriver.Status> advance(Duration d) {
    return async(driver.advance(d));
  }

  private <T> CompletableFuture<T> async(CompletableFuture<T> f) {
    return f.thenApplyAsync(Function.identity(), executor);
  }
}
