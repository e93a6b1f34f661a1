package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.WriteOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous apiserver calls from the thread that drives a batch simulation (outside any actor):
 * each call sends the request and runs the simulation, without moving the clock, until the answer
 * is in. For the scenario runner's setup and checks.
 */
public final class DriverClient {
  private final Cluster cluster;
  private final ActorRef<Api.Response> inbox;
  private final List<Api.Response> answers = new ArrayList<>();
  private long tag;

  public DriverClient(Cluster cluster, String name) {
    this.cluster = cluster;
    this.inbox = cluster.spawn(Behaviors.<Api.Response>receiveMessage(r -> {
      answers.add(r);
      return Behaviors.same();
    }), name);
  }

  private Api.Response call(Api.Request request) {
    answers.clear();
    cluster.apiserver().tell(request);
    cluster.runtime().runUntilIdle();
    if (answers.size() != 1) {
      throw new IllegalStateException("the apiserver gave " + answers.size() + " answers to " + request);
    }
    return answers.remove(0);
  }

  public Api.Response create(HasMetadata object) {
    return call(new Api.Create(object, WriteOptions.DEFAULT, inbox, ++tag));
  }

  public Api.Response get(ResourceType type, String namespace, String name) {
    return call(new Api.Get(type, namespace, name, inbox, ++tag));
  }

  /** Lists a kind; fails loudly if the apiserver refuses (a bug in the caller's query). */
  public List<HasMetadata> list(ResourceType type, String namespace, ListOptions options) {
    Api.Response r = call(new Api.List(type, namespace, options, inbox, ++tag));
    if (r instanceof Api.Failed f) {
      throw new IllegalStateException("list " + type + " failed: " + f.message());
    }
    return ((Api.Listed) r).items();
  }
}
