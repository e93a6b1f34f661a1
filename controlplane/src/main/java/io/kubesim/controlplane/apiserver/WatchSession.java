package io.kubesim.controlplane.apiserver;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.selector.FieldSelector;
import io.kubesim.shared.api.selector.LabelSelector;

/** One open watch: who receives it and which objects it selects. */
final class WatchSession {
  final ActorRef<Api.WatchMessage> watcher;
  final long watchId;
  final ResourceType type;
  final String namespace;
  final LabelSelector labels;
  final FieldSelector fields;
  final boolean bookmarks;
  /**
   * For pod watches selecting spec.nodeName=X (every kubelet's): X; for watches of other kinds
   * selecting metadata.name=X (every kubelet's watch of its Node): X. Dispatch indexes by it.
   */
  final String nodeName;
  /** The last resourceVersion sent, so a bookmark never goes backwards. */
  long lastSent;

  WatchSession(ActorRef<Api.WatchMessage> watcher, long watchId, ResourceType type, String namespace,
      LabelSelector labels, FieldSelector fields, boolean bookmarks, String nodeName) {
    this.watcher = watcher;
    this.watchId = watchId;
    this.type = type;
    this.namespace = namespace;
    this.labels = labels;
    this.fields = fields;
    this.bookmarks = bookmarks;
    this.nodeName = nodeName;
  }

  boolean matches(HasMetadata o) {
    if (o == null) {
      return false;
    }
    if (namespace != null && !namespace.equals(o.getMetadata().getNamespace())) {
      return false;
    }
    if (!labels.isEmpty() && !labels.matches(o.getMetadata().getLabels())) {
      return false;
    }
    return fields.isEmpty() || fields.matches(f -> FieldAttributes.get(o, f));
  }

  void send(Api.EventType type, HasMetadata object, long revision) {
    lastSent = Math.max(lastSent, revision);
    watcher.tell(new Api.WatchEvent(watchId, type, object, null));
  }

  boolean is(ActorRef<Api.WatchMessage> ref, long id) {
    return watchId == id && watcher.equals(ref);
  }
}
