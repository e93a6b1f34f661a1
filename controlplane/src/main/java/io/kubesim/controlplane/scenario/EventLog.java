package io.kubesim.controlplane.scenario;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.fabric8.kubernetes.api.model.Event;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches every Event of the cluster and keeps a timeline of them: each new event, and each
 * repetition counted into an earlier one, at the virtual time it was recorded.
 */
final class EventLog {

  /** One occurrence of an event. */
  record Entry(long nanos, String type, String reason, String object, String message, String source, int count) {}

  private record FromApi(Object message) {}

  private final List<Entry> entries = new ArrayList<>();

  List<Entry> entries() {
    return entries;
  }

  Behavior<Object> behavior(ComponentContext ctx) {
    return Behaviors.setup(c -> {
      ApiClient api = ApiClient.create(c, ctx.apiserver(), FromApi::new);
      api.watch(Resources.EVENTS, null, ListOptions.ALL.withResourceVersion("0"), m -> {
        if (m instanceof Api.WatchEvent e && (e.type() == Api.EventType.ADDED || e.type() == Api.EventType.MODIFIED)) {
          record(ctx.clock().nanos(), (Event) e.object());
        }
      });
      return Behaviors.receiveMessage(m -> {
        if (m instanceof FromApi f) {
          api.receive(f.message());
        }
        return Behaviors.same();
      });
    });
  }

  private void record(long nanos, Event e) {
    String object = e.getInvolvedObject() == null ? "" : e.getInvolvedObject().getKind().toLowerCase() + "/"
        + e.getInvolvedObject().getName();
    String source = e.getSource() != null && e.getSource().getComponent() != null ? e.getSource().getComponent()
        : e.getReportingComponent();
    entries.add(new Entry(nanos, e.getType(), e.getReason(), object, e.getMessage(), source,
        e.getCount() == null ? 1 : e.getCount()));
  }
}
