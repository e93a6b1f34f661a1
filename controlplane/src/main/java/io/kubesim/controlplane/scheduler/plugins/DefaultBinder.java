package io.kubesim.controlplane.scheduler.plugins;

import io.kubesim.controlplane.scheduler.framework.BindPlugin;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.Status;
import java.util.function.Consumer;

/** Binds through the pod's binding subresource, POST pods/&lt;name&gt;/binding (plugins/defaultbinder). */
public final class DefaultBinder implements BindPlugin {

  public static final String NAME = "DefaultBinder";

  private final Handle handle;

  public DefaultBinder(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean bind(CycleState state, PodInfo pod, String nodeName, Consumer<Status> done) {
    handle.actions().bind(pod, nodeName, done);
    return true;
  }
}
