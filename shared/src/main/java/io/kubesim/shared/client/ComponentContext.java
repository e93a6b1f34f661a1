package io.kubesim.shared.client;

import akka.actor.typed.ActorRef;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogSink;
import io.kubesim.shared.time.Seeds;
import io.kubesim.shared.time.VirtualClock;
import java.util.SplittableRandom;

/**
 * What every simulated component is given when it is created: the apiserver it talks to, the
 * virtual clock, the run's seeds and the log. Time and randomness come only from here.
 */
public record ComponentContext(ActorRef<Api.Request> apiserver, VirtualClock clock, Seeds seeds, LogSink logs) {

  public Klog log(String component) {
    return new Klog(component, clock, logs);
  }

  public SplittableRandom random(String component) {
    return seeds.forComponent(component);
  }
}
