package io.kubesim.shared.util;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A shallow copy of a model object: a new instance of the same class whose fields point at the
 * same values. For changing one top-level field (a new metadata, say) of an object that others
 * share, without the cost of a deep copy.
 */
public final class ShallowCopy {

  /** The no-argument constructor and the instance fields of a class, looked up once. */
  private record Plan(Constructor<?> constructor, Field[] fields) {}

  private static final ClassValue<Plan> PLANS = new ClassValue<>() {
    @Override
    protected Plan computeValue(Class<?> type) {
      Constructor<?> constructor;
      try {
        constructor = type.getDeclaredConstructor();
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("cannot copy " + type.getName() + ": no constructor without arguments", e);
      }
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            fields.add(f);
          }
        }
      }
      return new Plan(constructor, fields.toArray(Field[]::new));
    }
  };

  private ShallowCopy() {}

  @SuppressWarnings("unchecked")
  public static <T> T of(T source) {
    try {
      Plan plan = PLANS.get(source.getClass());
      T copy = (T) plan.constructor().newInstance();
      for (Field f : plan.fields()) {
        Object v = f.get(source);
        if (v instanceof java.util.Map<?, ?> m && f.getName().equals("additionalProperties")) {
          v = new java.util.LinkedHashMap<>(m);
        }
        f.set(copy, v);
      }
      return copy;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + source.getClass().getName(), e);
    }
  }
}
