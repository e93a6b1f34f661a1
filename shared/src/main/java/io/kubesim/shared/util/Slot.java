package io.kubesim.shared.util;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;

/**
 * A mutable holder, for caches kept both in a hash map (point lookups and updates) and in a sorted
 * map (ordered listing): both maps hold the same slot, so an update sets the slot's value and
 * touches neither map.
 */
public final class Slot<T> {

  public T value;

  public Slot(T value) {
    this.value = value;
  }

  /** The values of {@code slots}, in its order: a read-only view. */
  public static <T> Collection<T> values(Collection<Slot<T>> slots) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<T> iterator() {
        Iterator<Slot<T>> it = slots.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public T next() {
            return it.next().value;
          }
        };
      }

      @Override
      public int size() {
        return slots.size();
      }
    };
  }
}
