package io.kubesim.controlplane.apiserver.patch;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link PatchSchema} built as a tree of struct types, the way the Go types nest: a field has its
 * {@link FieldStrategy} and, when its value (or its list elements) is a struct with tagged fields
 * further down, that struct's type. Types may be shared (every PodSpec is the same type) and may
 * refer to themselves.
 *
 * <p>Built with the fluent methods, then {@link #freeze() frozen}; a frozen type and every type it
 * reaches reject further changes.
 */
public final class StructSchema implements PatchSchema {

  private record Field(FieldStrategy strategy, StructSchema type) {}

  private final Map<String, Field> fields = new LinkedHashMap<>();
  private boolean frozen;

  public static StructSchema struct() {
    return new StructSchema();
  }

  /** A field with no strategy whose value is (or whose list elements are) of {@code type}. */
  public StructSchema field(String name, StructSchema type) {
    return field(name, FieldStrategy.NONE, type);
  }

  /** A field whose value is not a struct with tagged fields. */
  public StructSchema field(String name, FieldStrategy strategy) {
    return field(name, strategy, null);
  }

  /** A field with its strategy; {@code type} describes the value or the list elements, or is null. */
  public StructSchema field(String name, FieldStrategy strategy, StructSchema type) {
    if (frozen) {
      throw new IllegalStateException("schema is frozen");
    }
    fields.put(Objects.requireNonNull(name, "name"),
        new Field(Objects.requireNonNull(strategy, "strategy"), type));
    return this;
  }

  /** Makes this type and all types reachable from it immutable. */
  public StructSchema freeze() {
    Set<StructSchema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    freeze(seen);
    return this;
  }

  private void freeze(Set<StructSchema> seen) {
    if (!seen.add(this)) {
      return;
    }
    frozen = true;
    for (Field f : fields.values()) {
      if (f.type() != null) {
        f.type().freeze(seen);
      }
    }
  }

  /** The type of a field's value or list elements, or null when it has no tagged fields. */
  public StructSchema type(String name) {
    Field f = fields.get(name);
    return f == null ? null : f.type();
  }

  @Override
  public FieldStrategy lookup(List<String> path) {
    StructSchema type = this;
    Field field = null;
    for (String name : path) {
      if (type == null) {
        return FieldStrategy.NONE;
      }
      field = type.fields.get(name);
      if (field == null) {
        return FieldStrategy.NONE;
      }
      type = field.type();
    }
    return field == null ? FieldStrategy.NONE : field.strategy();
  }
}
