package io.kubesim.nodeagent.kubelet;

import akka.actor.typed.ActorRef;
import io.kubesim.nodeagent.runtime.ContainerBehavior;
import io.kubesim.nodeagent.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The kubelet's side of the CRI: calls to the node's container runtime with a continuation that
 * runs inside the kubelet actor when the answer comes, like {@code ApiClient} for the apiserver.
 */
final class RuntimeClient {

  private final ActorRef<ContainerRuntime.Command> runtime;
  private final ActorRef<ContainerRuntime.Reply> replies;
  private final Map<Long, Consumer<ContainerRuntime.Reply>> pending = new TreeMap<>();
  private long nextTag = 1;

  RuntimeClient(ActorRef<ContainerRuntime.Command> runtime, ActorRef<ContainerRuntime.Reply> replies) {
    this.runtime = runtime;
    this.replies = replies;
  }

  void receive(ContainerRuntime.Reply reply) {
    Consumer<ContainerRuntime.Reply> k = pending.remove(reply.tag());
    if (k != null) {
      k.accept(reply);
    }
  }

  private long call(Consumer<ContainerRuntime.Reply> k) {
    long tag = nextTag++;
    pending.put(tag, k);
    return tag;
  }

  void subscribe(ActorRef<ContainerRuntime.Event> events) {
    runtime.tell(new ContainerRuntime.Subscribe(events));
  }

  void relist(Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.Relist(replies, call(k)));
  }

  void listImages(Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.ListImages(replies, call(k)));
  }

  void runPodSandbox(ContainerRuntime.SandboxConfig config, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.RunPodSandbox(config, replies, call(k)));
  }

  void stopPodSandbox(String id, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.StopPodSandbox(id, replies, call(k)));
  }

  void removePodSandbox(String id, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.RemovePodSandbox(id, replies, call(k)));
  }

  void pullImage(String image, ContainerBehavior.ImagePull behavior, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.PullImage(image, behavior, replies, call(k)));
  }

  void createContainer(String sandboxId, ContainerRuntime.ContainerConfig config,
      Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.CreateContainer(sandboxId, config, replies, call(k)));
  }

  void startContainer(String id, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.StartContainer(id, replies, call(k)));
  }

  void stopContainer(String id, Duration grace, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.StopContainer(id, grace, replies, call(k)));
  }

  void removeContainer(String id, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.RemoveContainer(id, replies, call(k)));
  }

  void execSync(String id, List<String> command, Duration timeout, Consumer<ContainerRuntime.Reply> k) {
    runtime.tell(new ContainerRuntime.ExecSync(id, command, timeout, replies, call(k)));
  }
}
