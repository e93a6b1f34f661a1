package io.kubesim.shared.time;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executor of the simulation's dispatchers. It runs nothing itself: it queues each mailbox
 * run into the {@link VirtualRuntime}, whose driver thread runs them in FIFO order. Installed
 * through {@code akka.actor.default-dispatcher.executor}.
 */
public final class DrivenExecutorConfigurator extends ExecutorServiceConfigurator {

  private final VirtualRuntime runtime;

  public DrivenExecutorConfigurator(Config dispatcherConfig, DispatcherPrerequisites prerequisites) {
    super(dispatcherConfig, prerequisites);
    this.runtime = VirtualRuntime.lookup(prerequisites.settings().config().getString("kubesim.runtime-id"));
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
    // Dispatchers re-create their executor lazily after a shutdown; each one is a fresh wrapper
    // over the same queue, and shutting it down changes nothing.
    return () -> new QueueingExecutorService(runtime);
  }

  static final class QueueingExecutorService extends AbstractExecutorService {
    private final VirtualRuntime runtime;

    QueueingExecutorService(VirtualRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void execute(Runnable command) {
      runtime.execute(command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
