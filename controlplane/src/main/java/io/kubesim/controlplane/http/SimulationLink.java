package io.kubesim.controlplane.http;

import akka.actor.typed.ActorRef;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.time.RealtimeDriver;
import io.kubesim.shared.time.VirtualRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The HTTP side's handle on a running simulation: requests go in through the runtime's
 * {@link VirtualRuntime#submit} (the only way a foreign thread may reach an actor), answers come
 * back on the HTTP executor, never on the driver thread.
 */
public final class SimulationLink {

  private final RealtimeDriver driver;
  private final ActorRef<Gateway.Command> gateway;
  private final Instant epoch;
  private final Executor executor;
  private final AtomicLong watchIds = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger openWatches = new java.util.concurrent.atomic.AtomicInteger();

  public SimulationLink(RealtimeDriver driver, ActorRef<Gateway.Command> gateway, Executor executor) {
    this.driver = driver;
    this.gateway = gateway;
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
