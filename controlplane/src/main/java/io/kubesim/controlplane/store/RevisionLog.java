package io.kubesim.controlplane.store;

import java.util.Arrays;

/** A growable ring buffer with indexed access: the store's change log, oldest first. */
final class RevisionLog {
  private KeyValue[] items = new KeyValue[1024];
  private int head;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void add(KeyValue kv) {
    if (size == items.length) {
      KeyValue[] bigger = new KeyValue[items.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = items[(head + i) % items.length];
      }
      items = bigger;
      head = 0;
    }
    items[(head + size) % items.length] = kv;
    size++;
  }

  KeyValue get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return items[(head + i) % items.length];
  }

  KeyValue first() {
    return get(0);
  }

  KeyValue removeFirst() {
    KeyValue kv = get(0);
    items[head] = null;
    head = (head + 1) % items.length;
    size--;
    if (size == 0) {
      head = 0;
      if (items.length > 1024) {
        items = Arrays.copyOf(items, 1024);
        Arrays.fill(items, null);
      }
    }
    return kv;
  }
}
