package io.kubesim.shared.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.time.Times;
import io.kubesim.shared.time.VirtualClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records Events about objects, as client-go's EventRecorder does for every Kubernetes component:
 * named "{@code <object>.<hex nanoseconds>}", with the component (and node) as source, counted
 * up when the same event repeats, combined when many similar ones come, and rate-limited.
 */
public final class EventRecorder {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private final ApiClient client;
  private final VirtualClock clock;
  private final String component;
  private final String host;
  private final EventCorrelator correlator = new EventCorrelator();
  private long lastNanos = Long.MIN_VALUE;

  /**
   * @param component the reporting component ("kubelet", "default-scheduler", "node-controller", ...)
   * @param host the node a kubelet runs on, or null
   */
  public EventRecorder(ApiClient client, VirtualClock clock, String component, String host) {
    this.client = client;
    this.clock = clock;
    this.component = component;
    this.host = host;
  }

  public static ObjectReference reference(HasMetadata o) {
    ObjectReference ref = new ObjectReference();
    ref.setKind(o.getKind());
    ref.setApiVersion(o.getApiVersion());
    ref.setNamespace(o.getMetadata().getNamespace());
    ref.setName(o.getMetadata().getName());
    ref.setUid(o.getMetadata().getUid());
    ref.setResourceVersion(o.getMetadata().getResourceVersion());
    return ref;
  }

  public void event(HasMetadata object, String type, String reason, String message) {
    event(reference(object), type, reason, message);
  }

  /** An event about a part of an object, e.g. {@code spec.containers{app}} of a pod. */
  public void event(HasMetadata object, String fieldPath, String type, String reason, String message) {
    ObjectReference ref = reference(object);
    ref.setFieldPath(fieldPath);
    event(ref, type, reason, message);
  }

  /**
   * Writes a new Event. Two components recording about one object at the same virtual instant
   * would pick the same name (real clocks never agree to the nanosecond); the later one takes the
   * next free nanosecond.
   */
  private void create(Event e, int attempt) {
    client.create(e, r -> {
      if (r instanceof Api.Failed f && f.code() == 409 && attempt < 8) {
        String old = e.getMetadata().getName();
        String base = old.substring(0, old.lastIndexOf('.'));
        long stamp = Long.parseLong(old.substring(old.lastIndexOf('.') + 1), 16) + 1;
        lastNanos = Math.max(lastNanos, stamp);
        e.getMetadata().setName(base + "." + Long.toHexString(stamp));
        correlator.rename(old, e.getMetadata().getNamespace(), e.getMetadata().getName());
        create(e, attempt + 1);
      }
    });
  }

  public void event(ObjectReference ref, String type, String reason, String message) {
    long nanos = clock.nanos();
    Instant now = clock.now();
    // Unique names even for several events at one virtual instant.
    long stamp = Math.max(clock.epoch().getEpochSecond() * 1_000_000_000L + nanos, lastNanos + 1);
    lastNanos = stamp;
    Event e = new Event();
    e.setApiVersion("v1");
    e.setKind("Event");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(ref.getName() + "." + Long.toHexString(stamp));
    // Events about cluster-scoped objects (nodes) live in "default", as client-go puts them.
    meta.setNamespace(ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace());
    e.setMetadata(meta);
    e.setInvolvedObject(ref);
    e.setReason(reason);
    e.setMessage(message);
    e.setType(type);
    EventSource src = new EventSource();
    src.setComponent(component);
    src.setHost(host);
    e.setSource(src);
    String ts = Times.rfc3339(now);
    e.setFirstTimestamp(ts);
    e.setLastTimestamp(ts);
    e.setCount(1);
    e.setReportingComponent(component);
    e.setReportingInstance(host != null ? host : component);

    EventCorrelator.Decision d = correlator.observe(e, nanos);
    if (d instanceof EventCorrelator.Create c) {
      create(c.event(), 0);
    } else if (d instanceof EventCorrelator.Repeat rep) {
      Map<String, Object> patch = new LinkedHashMap<>();
      patch.put("count", rep.count());
      patch.put("lastTimestamp", rep.lastTimestamp());
      patch.put("message", rep.message());
      client.patch(Resources.EVENTS, rep.namespace(), rep.name(), PatchType.MERGE_PATCH, Json.write(patch), r -> {
        if (r instanceof Api.Failed f && f.code() == 404) {
          // The earlier event expired (1 h TTL): start afresh.
          correlator.forget(rep.name(), rep.namespace());
          event(ref, type, reason, message);
        }
      });
    }
  }
}
