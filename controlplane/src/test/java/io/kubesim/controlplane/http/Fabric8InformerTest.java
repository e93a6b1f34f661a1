package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubesim.controlplane.apiserver.ApiServerSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * fabric8's SharedInformer against kubesim: list, then watch; when the watch ends and its
 * resourceVersion has meanwhile fallen out of the (deliberately tiny) watch cache, the re-watch
 * gets 410 Gone, the informer re-lists, and its handlers still see every object exactly once.
 */
class Fabric8InformerTest {

  @Test
  void informerResyncsAfterA410WithoutMissingOrRepeatingEvents() throws Exception {
    try (ServeFixture serve = ServeFixture.start(true, null, ApiServerSettings.DEFAULT.withWatchCacheCapacity(10))) {
      Config config = new ConfigBuilder().withMasterUrl(serve.url()).withNamespace("default")
          .withRequestTimeout(30_000).build();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        for (int i = 0; i < 5; i++) {
          create(client, "before-" + i);
        }
        Map<String, AtomicInteger> adds = new ConcurrentHashMap<>();
        AtomicInteger deletes = new AtomicInteger();
        // Only this test's ConfigMaps: the namespace also holds kube-root-ca.crt from its controller.
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default")
            .withLabel("test", "informer").inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(ConfigMap cm) {
                adds.computeIfAbsent(cm.getMetadata().getName(), k -> new AtomicInteger()).incrementAndGet();
              }

              @Override
              public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {}

              @Override
              public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                deletes.incrementAndGet();
              }
            }, 0);
        await(() -> adds.size() == 5);

        for (int i = 0; i < 5; i++) {
          create(client, "watched-" + i);
        }
        await(() -> adds.size() == 10);
        String lastSeen = informer.lastSyncResourceVersion();

        // The watch ends; while the informer reconnects, more changes than the watch cache keeps.
        serve.serving.http().link().closeAllWatches();
        for (int i = 0; i < 30; i++) {
          create(client, "missed-" + i);
        }
        ServeFixture.Reply rewatch = serve.send("GET", "/api/v1/namespaces/default/configmaps?watch=true"
            + "&timeoutSeconds=1&resourceVersion=" + lastSeen, null, null);
        assertThat(rewatch.body()).as("a watch from the informer's last version is now too old")
            .contains("\"type\":\"ERROR\"").contains("\"code\":410");

        await(() -> adds.size() == 40);
        assertThat(informer.getStore().list()).hasSize(40);
        assertThat(adds.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(deletes.get()).isZero();
        informer.close();
      }
    }
  }

  private static void create(KubernetesClient client, String name) {
    client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .addToLabels("test", "informer").endMetadata().addToData("k", "v").build()).create();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in time");
      }
      Thread.sleep(20);
    }
  }
}
