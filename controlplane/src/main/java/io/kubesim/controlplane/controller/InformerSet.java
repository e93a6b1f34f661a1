package io.kubesim.controlplane.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.Informer;
import java.util.ArrayList;
import java.util.List;

/**
 * A controller's informers, started together; {@code onAllSynced} runs once, when every one has
 * its initial list (cache.WaitForNamedCacheSync).
 */
public final class InformerSet {

  private final ApiClient client;
  private final List<Informer<?>> informers = new ArrayList<>();
  private Runnable onAllSynced;
  private boolean synced;

  public InformerSet(ApiClient client) {
    this.client = client;
  }

  public <T extends HasMetadata> Informer<T> add(ResourceType type, Class<T> cls, Informer.Handler<T> handler) {
    return add(type, cls, null, handler);
  }

  public <T extends HasMetadata> Informer<T> add(ResourceType type, Class<T> cls, String namespace,
      Informer.Handler<T> handler) {
    Informer<T> informer = new Informer<>(client, type, cls, namespace, ListOptions.ALL, new Informer.Handler<T>() {
      @Override
      public void onAdd(T object) {
        handler.onAdd(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        handler.onUpdate(old, object);
      }

      @Override
      public void onDelete(T last) {
        handler.onDelete(last);
      }

      @Override
      public void onSynced() {
        handler.onSynced();
        checkSynced();
      }
    });
    informers.add(informer);
    return informer;
  }

  public void start(Runnable onAllSynced) {
    this.onAllSynced = onAllSynced;
    for (Informer<?> i : informers) {
      i.start();
    }
  }

  public boolean synced() {
    return synced;
  }

  private void checkSynced() {
    if (synced) {
      return;
    }
    for (Informer<?> i : informers) {
      if (!i.synced()) {
        return;
      }
    }
    synced = true;
    if (onAllSynced != null) {
      onAllSynced.run();
    }
  }
}
