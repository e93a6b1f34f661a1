package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.kubesim.controlplane.scheduler.Scheduler;
import io.kubesim.controlplane.scheduler.SchedulingDecision;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import io.kubesim.shared.util.Receives;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the HTTP front reaches beyond the apiserver, as kube-apiserver reaches the kubelets: a
 * container's log (read once, or followed), exec in a container, the scheduler's explanation of
 * a pod's placement, and kubesim's own fault injection. It knows which nodes are up and whether
 * their kubelet can be dialled, so that a request to a node that is down fails as the
 * apiserver's dial to that kubelet would.
 *
 * <p>Requests come from the HTTP side through the runtime's submit, so they arrive on the driver
 * thread; answers go to plain callbacks, called on the driver thread, which must only hand the
 * answer over (complete a future, offer to a queue). Each request gets a short-lived child to
 * take the component's reply.
 */
public final class ClusterProxy extends AbstractBehavior<ClusterProxy.Command> {

  public sealed interface Command {}

  /** A line a container wrote: its virtual time, "stdout" or "stderr", and the text without its newline. */
  public record LogLine(Instant time, String stream, String text) {}

  /**
   * Part of a container's log: lines, or the kubelet's error (a 400 from the kubelet), or
   * {@code unreachable} (the dial error when the kubelet cannot be reached); {@code ended} when no
   * more lines will come.
   */
  public record LogsAnswer(List<LogLine> lines, String error, String unreachable, boolean ended) {
    static LogsAnswer unreachable(String dialError) {
      return new LogsAnswer(List.of(), null, dialError, true);
    }
  }

  /** The container's log once (kubectl logs). */
  public record ContainerLogs(String node, String namespace, String pod, String container, boolean previous,
      Consumer<LogsAnswer> answer) implements Command {}

  /** The container's log so far, then its new lines until it stops (kubectl logs -f); {@code id} names the follow. */
  public record FollowLogs(long id, String node, String namespace, String pod, String container,
      Consumer<LogsAnswer> parts) implements Command {}

  /** The follower's client went away. */
  public record StopFollowing(long id) implements Command {}

  /** The outcome of an exec: output and exit code, or why it could not run. */
  public record ExecAnswer(String stdout, String stderr, int exitCode, String error, String unreachable) {}

  public record Exec(String node, String namespace, String pod, String container, List<String> command,
      Consumer<ExecAnswer> answer) implements Command {}

  /** The scheduler's latest decision for a pod, if it has tried it. */
  public record Explain(String namespace, String name, Consumer<Optional<SchedulingDecision>> answer)
      implements Command {}

  /** A node fault (node-down, node-up, kubelet-stop, kubelet-start, partition, heal); answered with the result line. */
  public record Fault(String fault, String node, Consumer<String> answer) implements Command {}

  private record FollowEnded(long id) implements Command {}

  // Dial errors, worded as Go's net package words them (the apiserver reports them as is).
  static final String NO_ROUTE = "connect: no route to host";
  static final String REFUSED = "connect: connection refused";
  static final String TIMEOUT = "i/o timeout";

  static Behavior<Command> create(ClusterGuardian.Wiring wiring, Set<String> nodes,
      ActorRef<ClusterGuardian.Command> guardian) {
    // A failure while serving one request must not stop logs, exec and faults for every later one.
    return Behaviors.supervise(Behaviors.<Command>setup(ctx -> new ClusterProxy(ctx, wiring, nodes, guardian)))
        .onFailure(akka.actor.typed.SupervisorStrategy.resume());
  }

  private final ClusterGuardian.Wiring wiring;
  private final Set<String> nodes;
  private final ActorRef<ClusterGuardian.Command> guardian;
  private final Map<Long, ActorRef<Object>> follows = new TreeMap<>();

  private ClusterProxy(ActorContext<Command> ctx, ClusterGuardian.Wiring wiring, Set<String> nodes,
      ActorRef<ClusterGuardian.Command> guardian) {
    super(ctx);
    this.wiring = wiring;
    this.nodes = nodes;
    this.guardian = guardian;
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(ContainerLogs.class, this::onContainerLogs)
        .onMessage(FollowLogs.class, this::onFollowLogs)
        .onMessage(StopFollowing.class, this::onStopFollowing)
        .onMessage(FollowEnded.class, this::onFollowEnded)
        .onMessage(Exec.class, this::onExec)
        .onMessage(Explain.class, this::onExplain)
        .onMessage(Fault.class, this::onFault)
        .build();
  }

  /**
   * Why the apiserver could not dial the node's kubelet, or null if it can: a node that is down
   * has no route, a stopped kubelet (or a node kubesim runs no kubelet for) refuses the
   * connection, a partitioned node does not answer.
   */
  String unreachable(String node) {
    if (!nodes.contains(node)) {
      return REFUSED;
    }
    if (wiring.runtimes.get(node) == null) {
      return NO_ROUTE;
    }
    if (wiring.kubelets.get(node) == null) {
      return REFUSED;
    }
    if (wiring.partitioned.getOrDefault(node, false)) {
      return TIMEOUT;
    }
    return null;
  }

  private Behavior<Command> onContainerLogs(ContainerLogs m) {
    String dial = unreachable(m.node());
    if (dial != null) {
      m.answer().accept(LogsAnswer.unreachable(dial));
      return this;
    }
    ActorRef<ContainerRuntime.Command> runtime = wiring.runtimes.get(m.node());
    ActorRef<Object> reply = getContext().spawnAnonymous(oneReply(runtime, r -> {
      ContainerRuntime.LogsResult result = (ContainerRuntime.LogsResult) r;
      m.answer().accept(new LogsAnswer(lines(result.lines()), result.error(), null, true));
    }, () -> m.answer().accept(LogsAnswer.unreachable(NO_ROUTE))));
    runtime.tell(new ContainerRuntime.Logs(m.namespace(), m.pod(), m.container(), m.previous(), reply.narrow()));
    return this;
  }

  private Behavior<Command> onFollowLogs(FollowLogs m) {
    String dial = unreachable(m.node());
    if (dial != null) {
      m.parts().accept(LogsAnswer.unreachable(dial));
      return this;
    }
    ActorRef<ContainerRuntime.Command> runtime = wiring.runtimes.get(m.node());
    ActorRef<Command> self = getContext().getSelf();
    ActorRef<Object> follower = getContext().spawnAnonymous(Behaviors.setup(ctx -> {
      ctx.watch(runtime);
      return Behaviors.receive(Object.class)
          .onMessage(ContainerRuntime.LogsFollowed.class, f -> {
            m.parts().accept(new LogsAnswer(lines(f.lines()), f.error(), null, f.ended()));
            if (f.ended()) {
              self.tell(new FollowEnded(m.id()));
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .onMessage(StopFollowing.class, s -> {
            runtime.tell(new ContainerRuntime.StopFollowing(ctx.getSelf().narrow()));
            return Behaviors.stopped();
          })
          .onSignal(Terminated.class, t -> {
            // The node crashed while its log was followed: the connection to its kubelet is gone.
            m.parts().accept(new LogsAnswer(List.of(), null, null, true));
            self.tell(new FollowEnded(m.id()));
            return Behaviors.stopped();
          })
          .build();
    }));
    follows.put(m.id(), follower);
    runtime.tell(new ContainerRuntime.FollowLogs(m.namespace(), m.pod(), m.container(), follower.narrow()));
    return this;
  }

  private Behavior<Command> onStopFollowing(StopFollowing m) {
    ActorRef<Object> follower = follows.remove(m.id());
    if (follower != null) {
      follower.tell(m);
    }
    return this;
  }

  private Behavior<Command> onFollowEnded(FollowEnded m) {
    follows.remove(m.id());
    return this;
  }

  private Behavior<Command> onExec(Exec m) {
    String dial = unreachable(m.node());
    if (dial != null) {
      m.answer().accept(new ExecAnswer("", "", -1, null, dial));
      return this;
    }
    ActorRef<ContainerRuntime.Command> runtime = wiring.runtimes.get(m.node());
    ActorRef<Object> reply = getContext().spawnAnonymous(oneReply(runtime, r -> {
      ContainerRuntime.ExecResult e = (ContainerRuntime.ExecResult) r;
      m.answer().accept(new ExecAnswer(e.stdout(), e.stderr(), e.exitCode(), e.error(), null));
    }, () -> m.answer().accept(new ExecAnswer("", "", -1, null, NO_ROUTE))));
    runtime.tell(new ContainerRuntime.Exec(m.namespace(), m.pod(), m.container(), m.command(), reply.narrow()));
    return this;
  }

  private Behavior<Command> onExplain(Explain m) {
    ActorRef<Scheduler.Command> scheduler = wiring.scheduler;
    ActorRef<Object> reply = getContext().spawnAnonymous(oneReply(scheduler, r -> {
      @SuppressWarnings("unchecked")
      Optional<SchedulingDecision> d = (Optional<SchedulingDecision>) r;
      m.answer().accept(d);
    }, () -> m.answer().accept(Optional.empty())));
    scheduler.tell(new Scheduler.Explain(m.namespace(), m.name(), reply.narrow()));
    return this;
  }

  private Behavior<Command> onFault(Fault m) {
    ActorRef<Object> reply = getContext().spawnAnonymous(Behaviors.receive(Object.class)
        .onMessage(String.class, line -> {
          m.answer().accept(line);
          return Behaviors.stopped();
        })
        .build());
    guardian.tell(new ClusterGuardian.NodeFault(m.fault(), m.node(), reply.narrow()));
    return this;
  }

  /** A child that takes one reply from {@code from}, or learns that it stopped before answering. */
  private static Behavior<Object> oneReply(ActorRef<?> from, Consumer<Object> onReply, Runnable onGone) {
    return Behaviors.setup(ctx -> {
      ctx.watch(from);
      return Behaviors.receive(Object.class)
          .onSignal(Terminated.class, t -> {
            onGone.run();
            return Behaviors.stopped();
          })
          .onAnyMessage(r -> {
            onReply.accept(r);
            return Behaviors.stopped();
          })
          .build();
    });
  }

  private static List<LogLine> lines(List<ContainerRuntime.LogLine> in) {
    List<LogLine> out = new ArrayList<>(in.size());
    for (ContainerRuntime.LogLine l : in) {
      out.add(new LogLine(l.time(), l.stream(), l.text()));
    }
    return out;
  }
}
