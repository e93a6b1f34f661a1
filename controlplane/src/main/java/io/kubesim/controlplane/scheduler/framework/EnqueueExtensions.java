package io.kubesim.controlplane.scheduler.framework;

import java.util.List;

/**
 * The cluster events after which a pod this plugin turned down may fit (EnqueueExtensions), with
 * an optional hint that looks at the change and says whether it is worth another try.
 */
public interface EnqueueExtensions {
  List<ClusterEvent.WithHint> eventsToRegister();
}
