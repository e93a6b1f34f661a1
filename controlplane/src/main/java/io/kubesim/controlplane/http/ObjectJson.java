package io.kubesim.controlplane.http;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.json.Json;

/**
 * The JSON of recently served objects, shared by the responses and the watch events that carry
 * the same object: the apiserver hands out the immutable object it stored, so a create's response
 * and the ADDED event every watcher gets are one serialisation, not two. Direct-mapped on the
 * object's identity; a slot taken by another object only means serialising again. Slots hold
 * immutable entries, so threads may race on them without locks.
 */
final class ObjectJson {

  private static final int SLOTS = 4096;

  private record Entry(HasMetadata object, byte[] json) {}

  private static final Entry[] SLOTS_ARRAY = new Entry[SLOTS];

  private ObjectJson() {}

  /** The object's JSON; the array is shared and must not be written to. */
  static byte[] of(HasMetadata object) {
    int i = System.identityHashCode(object) & (SLOTS - 1);
    Entry e = SLOTS_ARRAY[i];
    if (e != null && e.object == object) {
      return e.json;
    }
    byte[] json = Json.writeBytes(object);
    SLOTS_ARRAY[i] = new Entry(object, json);
    return json;
  }
}
