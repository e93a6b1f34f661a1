package io.kubesim.controlplane.apiserver.patch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.kubesim.shared.json.Json;
import io.kubesim.shared.util.ShallowCopy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A JSON merge patch (RFC 7386) applied to the typed object instead of its JSON form, for the
 * patches whose outcome is plain: every key names a property of a model class, no value is
 * {@code null}. Only the objects on the patched paths are new (shallow copies with the patched
 * properties replaced); everything else is shared with the current object, which is immutable once
 * stored. For a current object that is its own JSON round trip, the result reads the same as the
 * JSON route's (object to JSON, merge, JSON to object) and compares equal to it, at a fraction of
 * the cost: a kubelet's status heartbeat touches a few conditions of a Node whose images and
 * capacity stay as they were. Where the stored object holds a null that the JSON route would read
 * back as the model's default (an empty list, a nested object's default kind), the typed result
 * keeps the stored null, as kube-apiserver does (an omitted field decodes to Go's zero value).
 *
 * <p>{@link #apply} answers {@code null} for any patch it does not take (a deletion, a key outside
 * the model, a property with a serializer of its own, a value of the wrong shape); the caller then
 * takes the JSON route, which also words the errors.
 */
final class TypedMergePatch {

  private TypedMergePatch() {}

  /** A JSON property of a model class: its field and its type as Jackson reads it. */
  private record Property(Field field, JavaType type, boolean model, boolean map) {}

  /** The JSON properties of a model class by name; null for a class that is not a plain model class. */
  private static final ClassValue<Map<String, Property>> PROPERTIES = new ClassValue<>() {
    @Override
    protected Map<String, Property> computeValue(Class<?> type) {
      if (!isModel(type)) {
        return null;
      }
      Map<String, Property> out = new HashMap<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          JsonProperty p = f.getAnnotation(JsonProperty.class);
          if (p == null || Modifier.isStatic(f.getModifiers()) || f.getAnnotation(JsonDeserialize.class) != null
              || f.getAnnotation(JsonSerialize.class) != null) {
            continue;
          }
          f.setAccessible(true);
          JavaType t = Json.MAPPER.getTypeFactory().constructType(f.getGenericType());
          String name = p.value().isEmpty() ? f.getName() : p.value();
          out.putIfAbsent(name, new Property(f, t, isModel(t.getRawClass()),
              Map.class.isAssignableFrom(t.getRawClass())));
        }
      }
      return out;
    }
  };

  /** A fabric8 model class that Jackson reads and writes as a plain bean, property by property. */
  private static boolean isModel(Class<?> c) {
    if (!KubernetesResource.class.isAssignableFrom(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())
        || c.getAnnotation(JsonSerialize.class) != null) {
      return false;
    }
    JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
    return d != null && d.using() == ValueDeserializer.None.class;
  }

  /**
   * The current object with the patch merged in, or null when the patch is not one this class takes.
   * The result has its own metadata object (the apiserver stamps system fields on it).
   */
  static HasMetadata apply(HasMetadata current, JsonNode patch) {
    if (current == null || current.getMetadata() == null || !patch.isObject() || hasNull(patch)) {
      return null;
    }
    Object merged = mergeModel(current, patch);
    if (merged == null) {
      return null;
    }
    HasMetadata result = (HasMetadata) merged;
    if (result.getMetadata() == current.getMetadata()) {
      result.setMetadata(ShallowCopy.of(current.getMetadata()));
    }
    return result;
  }

  private static Object mergeModel(Object current, JsonNode patch) {
    Map<String, Property> properties = PROPERTIES.get(current.getClass());
    if (properties == null) {
      return null;
    }
    Object copy = ShallowCopy.of(current);
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      Property p = properties.get(e.getKey());
      JsonNode value = e.getValue();
      if (p == null) {
        return null;
      }
      Object old = get(p, current);
      Object merged;
      if (value.isObject() && old != null && p.model()) {
        merged = mergeModel(old, value);
      } else if (value.isObject() && old != null && p.map()) {
        merged = mergeMap((Map<?, ?>) old, value, p.type().getContentType());
      } else if (value.isObject() && old != null) {
        return null; // an object merged into a value of another shape: the JSON route's
      } else {
        merged = read(value, p.type());
      }
      if (merged == null) {
        return null;
      }
      set(p, copy, merged);
    }
    return copy;
  }

  /** A map property merged key by key; a value that is itself an object is left to the JSON route. */
  private static Object mergeMap(Map<?, ?> old, JsonNode patch, JavaType valueType) {
    Map<Object, Object> out = new LinkedHashMap<>(old);
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isObject()) {
        return null;
      }
      Object v = read(e.getValue(), valueType);
      if (v == null) {
        return null;
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  private static Object read(JsonNode value, JavaType type) {
    try {
      return Json.MAPPER.treeToValue(value, type);
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether a null appears anywhere in the value (a deletion, or a null in a list): the JSON route's. */
  private static boolean hasNull(JsonNode value) {
    if (value.isNull()) {
      return true;
    }
    if (value.isContainer()) {
      for (JsonNode child : value.values()) {
        if (hasNull(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Object get(Property p, Object o) {
    try {
      return p.field().get(o);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + p.field(), e);
    }
  }

  private static void set(Property p, Object o, Object value) {
    try {
      p.field().set(o, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot write " + p.field(), e);
    }
  }
}
