package io.kubesim.controlplane.scheduler;

import io.kubesim.controlplane.scheduler.framework.BindPlugin;
import io.kubesim.controlplane.scheduler.framework.FilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PermitPlugin;
import io.kubesim.controlplane.scheduler.framework.Plugin;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreBindPlugin;
import io.kubesim.controlplane.scheduler.framework.PreEnqueuePlugin;
import io.kubesim.controlplane.scheduler.framework.PreFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.PreScorePlugin;
import io.kubesim.controlplane.scheduler.framework.QueueSortPlugin;
import io.kubesim.controlplane.scheduler.framework.ReservePlugin;
import io.kubesim.controlplane.scheduler.framework.ScorePlugin;

/** The extension points of a profile's plugins section, by their field names, in framework order. */
public enum ExtensionPoint {
  PRE_ENQUEUE("preEnqueue", PreEnqueuePlugin.class),
  QUEUE_SORT("queueSort", QueueSortPlugin.class),
  PRE_FILTER("preFilter", PreFilterPlugin.class),
  FILTER("filter", FilterPlugin.class),
  POST_FILTER("postFilter", PostFilterPlugin.class),
  PRE_SCORE("preScore", PreScorePlugin.class),
  SCORE("score", ScorePlugin.class),
  RESERVE("reserve", ReservePlugin.class),
  PERMIT("permit", PermitPlugin.class),
  PRE_BIND("preBind", PreBindPlugin.class),
  BIND("bind", BindPlugin.class);

  private final String field;
  private final Class<? extends Plugin> type;

  ExtensionPoint(String field, Class<? extends Plugin> type) {
    this.field = field;
    this.type = type;
  }

  public String field() {
    return field;
  }

  public Class<? extends Plugin> type() {
    return type;
  }

  /** The name of the Go interface, for messages: "FilterPlugin". */
  public String typeName() {
    return type.getSimpleName();
  }
}
