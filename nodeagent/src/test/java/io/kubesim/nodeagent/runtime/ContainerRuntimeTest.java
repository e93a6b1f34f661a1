package io.kubesim.nodeagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorRef;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.testing.Recorder;
import io.kubesim.shared.testing.SimTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerRuntimeTest {

  private SimTestKit kit;
  private ActorRef<ContainerRuntime.Command> runtime;
  private Recorder<ContainerRuntime.Reply> replies;
  private Recorder<ContainerRuntime.Event> events;
  private long tag;

  @BeforeEach
  void start() {
    kit = SimTestKit.start(3);
    Recorder<Api.Request> apiserver = kit.recorder();
    ComponentContext ctx = new ComponentContext(apiserver.ref(), kit.runtime(), kit.seeds(), LogSink.NONE);
    runtime = kit.spawn(ContainerRuntime.create(ctx, "w1-k8s", RuntimeSettings.DEFAULT
        .withPullDuration("nginx:1.27", Duration.ofSeconds(8)).withMissingImages(java.util.Set.of("nginx:nope"))),
        "containerd");
    replies = kit.recorder();
    events = kit.recorder();
    runtime.tell(new ContainerRuntime.Subscribe(events.ref()));
    kit.settle();
  }

  @AfterEach
  void stop() {
    kit.close();
  }

  private ContainerRuntime.Reply call(java.util.function.Function<Long, ContainerRuntime.Command> m, Duration wait) {
    runtime.tell(m.apply(++tag));
    kit.settle();
    if (!wait.isZero()) {
      kit.advance(wait);
    }
    return replies.single();
  }

  private ContainerRuntime.SandboxInfo sandbox(String pod, boolean hostNetwork) {
    var r = call(t -> new ContainerRuntime.RunPodSandbox(new ContainerRuntime.SandboxConfig("uid-" + pod, "default",
        pod, 0, pod, hostNetwork, "192.168.1.101", "172.16.1.0/24"), replies.ref(), t), Duration.ofSeconds(1));
    return ((ContainerRuntime.SandboxReady) r).sandbox();
  }

  private ContainerRuntime.ContainerInfo run(ContainerRuntime.SandboxInfo sb, List<String> command,
      ContainerBehavior behavior) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GREETING", "hi");
    var cfg = new ContainerRuntime.ContainerConfig(sb.podUid(), "default", sb.podName(), "app", 0, "busybox:1.36",
        command, List.of(), env, null, false, false, null, List.of(new ContainerRuntime.Mount("cfg", "/etc/cfg",
        Map.of("color", "blue\n"), true)), behavior);
    var created = (ContainerRuntime.ContainerCreated) call(t -> new ContainerRuntime.CreateContainer(sb.id(), cfg,
        replies.ref(), t), Duration.ZERO);
    var started = (ContainerRuntime.ContainerStarted) call(t -> new ContainerRuntime.StartContainer(
        created.container().id(), replies.ref(), t), Duration.ZERO);
    return started.container();
  }

  @Test
  void givesSandboxesIpsInOrderAndHostNetworkPodsTheNodeIp() {
    assertThat(sandbox("a", false).ip()).isEqualTo("172.16.1.2");
    assertThat(sandbox("b", false).ip()).isEqualTo("172.16.1.3");
    assertThat(sandbox("c", true).ip()).isEqualTo("192.168.1.101");
  }

  @Test
  void pullsAnImageInItsConfiguredTime() {
    runtime.tell(new ContainerRuntime.PullImage("nginx:1.27", null, replies.ref(), 1));
    kit.settle();
    kit.advance(Duration.ofSeconds(7));
    assertThat(replies.messages()).isEmpty();
    kit.advance(Duration.ofSeconds(1));
    var pulled = (ContainerRuntime.ImagePulled) replies.single();
    assertThat(pulled.image().name()).isEqualTo("docker.io/library/nginx:1.27");
    assertThat(pulled.pullDuration()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void failsToPullAnImageTheRegistryDoesNotHave() {
    var r = call(t -> new ContainerRuntime.PullImage("nginx:nope", null, replies.ref(), t), Duration.ofSeconds(2));
    assertThat(((ContainerRuntime.ImagePullFailed) r).error()).isEqualTo("rpc error: code = NotFound desc = failed to "
        + "pull and unpack image \"docker.io/library/nginx:nope\": failed to resolve reference "
        + "\"docker.io/library/nginx:nope\": docker.io/library/nginx:nope: not found");
  }

  @Test
  void notifiesTheSubscriberWhenAContainerExits() {
    var sb = sandbox("p", false);
    call(t -> new ContainerRuntime.PullImage("busybox:1.36", null, replies.ref(), t), Duration.ofSeconds(5));
    run(sb, List.of("sh", "-c", "sleep 5; exit 4"), ContainerBehavior.DEFAULT);
    events.drain();
    kit.advance(Duration.ofSeconds(5));
    var exited = ((ContainerRuntime.ContainerChanged) events.single()).container();
    assertThat(exited.state()).isEqualTo(ContainerRuntime.State.EXITED);
    assertThat(exited.exitCode()).isEqualTo(4);
    assertThat(exited.reason()).isEqualTo("Error");
  }

  @Test
  void stopsAScriptWithSigterm() {
    var sb = sandbox("p", false);
    call(t -> new ContainerRuntime.PullImage("busybox:1.36", null, replies.ref(), t), Duration.ofSeconds(5));
    var c = run(sb, List.of("sleep", "3600"), ContainerBehavior.DEFAULT);
    var stopped = (ContainerRuntime.ContainerStopped) call(t -> new ContainerRuntime.StopContainer(c.id(),
        Duration.ofSeconds(30), replies.ref(), t), Duration.ZERO);
    assertThat(stopped.container().exitCode()).isEqualTo(143);
  }

  @Test
  void killsAProcessThatIgnoresSigtermAtTheEndOfTheGracePeriod() {
    var sb = sandbox("p", false);
    call(t -> new ContainerRuntime.PullImage("busybox:1.36", null, replies.ref(), t), Duration.ofSeconds(5));
    var ignore = new ContainerBehavior(null, null, null, null, null, null, null,
        new ContainerBehavior.Sigterm(ContainerBehavior.Sigterm.Kind.IGNORE, null), null);
    var c = run(sb, List.of("sleep", "3600"), ignore);
    Instant asked = kit.runtime().now();
    runtime.tell(new ContainerRuntime.StopContainer(c.id(), Duration.ofSeconds(30), replies.ref(), 99));
    kit.settle();
    kit.advance(Duration.ofSeconds(29));
    assertThat(replies.messages()).isEmpty();
    kit.advance(Duration.ofSeconds(1));
    var stopped = (ContainerRuntime.ContainerStopped) replies.single();
    assertThat(stopped.container().exitCode()).isEqualTo(137);
    assertThat(Duration.between(asked, stopped.container().finishedAt())).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void keepsLogLinesWithTheirVirtualTimes() {
    var sb = sandbox("p", false);
    call(t -> new ContainerRuntime.PullImage("busybox:1.36", null, replies.ref(), t), Duration.ofSeconds(5));
    run(sb, List.of("sh", "-c", "while true; do echo tick; sleep 10; done"), ContainerBehavior.DEFAULT);
    kit.advance(Duration.ofSeconds(25));
    Recorder<ContainerRuntime.LogsResult> logs = kit.recorder();
    runtime.tell(new ContainerRuntime.Logs("default", "p", "app", false, logs.ref()));
    kit.settle();
    List<ContainerRuntime.LogLine> lines = logs.single().lines();
    assertThat(lines).extracting(ContainerRuntime.LogLine::text).containsExactly("tick", "tick", "tick");
    assertThat(Duration.between(lines.get(0).time(), lines.get(2).time())).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void answersExecFromTheContainer() {
    var sb = sandbox("p", false);
    call(t -> new ContainerRuntime.PullImage("busybox:1.36", null, replies.ref(), t), Duration.ofSeconds(5));
    run(sb, List.of("sleep", "3600"), ContainerBehavior.DEFAULT);
    Recorder<ContainerRuntime.ExecResult> out = kit.recorder();
    runtime.tell(new ContainerRuntime.Exec("default", "p", "app", List.of("sh", "-c", "cat /etc/cfg/color; hostname"),
        out.ref()));
    kit.settle();
    assertThat(out.single()).isEqualTo(new ContainerRuntime.ExecResult("blue\np\n", "", 0, null));
    runtime.tell(new ContainerRuntime.Exec("default", "p", "app", List.of("nc", "-z", "localhost", "80"), out.ref()));
    kit.settle();
    var unsupported = out.single();
    assertThat(unsupported.exitCode()).isEqualTo(126);
    assertThat(unsupported.stderr()).isEqualTo(
        "command not supported in the simulated container: nc -z localhost 80\n");
  }

  @Test
  void answersLogsAndExecForAPodItDoesNotHaveWithAnError() {
    Recorder<ContainerRuntime.LogsResult> logs = kit.recorder();
    runtime.tell(new ContainerRuntime.Logs("default", "ghost", "app", false, logs.ref()));
    kit.settle();
    assertThat(logs.single().error()).isEqualTo("pods \"ghost\" not found");
  }
}
