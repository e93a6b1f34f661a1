package io.kubesim.controlplane.testing;

import io.kubesim.controlplane.apiserver.ApiServer;
import io.kubesim.controlplane.apiserver.ApiServerSettings;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubesim.controlplane.store.Store;
import io.kubesim.controlplane.store.StoreSettings;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.ListOptions;
import io.kubesim.shared.api.PatchType;
import io.kubesim.shared.api.ResourceType;
import io.kubesim.shared.api.WriteOptions;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.log.LogBuffer;
import io.kubesim.shared.testing.Recorder;
import io.kubesim.shared.testing.SimTestKit;
import java.time.Duration;
import java.util.function.Function;

/**
 * A store and an apiserver in virtual time, called synchronously from a test: the test thread is
 * the driver, each call runs the simulation until the answer is in. Components under test are
 * spawned with {@link #spawn} and given {@link #context()}.
 */
public final class ControlPlaneHarness implements AutoCloseable {
  public final SimTestKit kit;
  public final ActorRef<Store.Command> store;
  public final ActorRef<Api.Request> api;
  public final Recorder<Api.Response> replies;
  public final LogBuffer logs = new LogBuffer(4, 100_000);

  /**
   * An apiserver with kube-apiserver's admission plugins, except ServiceAccount: no serviceaccount
   * controller runs here to create the "default" accounts pods would need.
   */
  public ControlPlaneHarness() {
    this(StoreSettings.DEFAULT, HARNESS_DEFAULT);
  }

  public static final ApiServerSettings HARNESS_DEFAULT =
      ApiServerSettings.DEFAULT.withDisabledAdmissionPlugins(ApiServerSettings.SERVICE_ACCOUNT);

  public ControlPlaneHarness(StoreSettings storeSettings, ApiServerSettings settings) {
    kit = SimTestKit.start(7);
    store = kit.spawn(Store.create(storeSettings, ApiServer.VERSIONER), "store");
    api = kit.spawn(ApiServer.create(store, kit.runtime(), kit.seeds().forComponent("apiserver"), settings,
        new Klog("apiserver", kit.runtime(), logs)), "apiserver");
    replies = kit.recorder();
  }

  public Api.Response call(Function<ActorRef<Api.Response>, Api.Request> request) {
    api.tell(request.apply(replies.ref()));
    kit.settle();
    return replies.single();
  }

  public <T extends HasMetadata> T ok(Api.Response r, Class<T> type) {
    if (!(r instanceof Api.Ok ok)) {
      throw new AssertionError("expected success, got " + r);
    }
    return type.cast(ok.object());
  }

  public Api.Failed failed(Api.Response r) {
    if (!(r instanceof Api.Failed f)) {
      throw new AssertionError("expected a failure, got " + r);
    }
    return f;
  }

  public Api.Response create(HasMetadata o) {
    return call(r -> new Api.Create(o, WriteOptions.DEFAULT, r, 0));
  }

  public <T extends HasMetadata> T created(T o) {
    @SuppressWarnings("unchecked")
    T t = (T) ok(create(o), o.getClass());
    return t;
  }

  public Api.Response get(ResourceType type, String ns, String name) {
    return call(r -> new Api.Get(type, ns, name, r, 0));
  }

  public Api.Listed list(ResourceType type, String ns, ListOptions options) {
    Api.Response resp = call(r -> new Api.List(type, ns, options, r, 0));
    if (!(resp instanceof Api.Listed l)) {
      throw new AssertionError("expected a list, got " + resp);
    }
    return l;
  }

  public Api.Response update(HasMetadata o) {
    return call(r -> new Api.Update(o, null, WriteOptions.DEFAULT, r, 0));
  }

  public Api.Response updateStatus(HasMetadata o) {
    return call(r -> new Api.Update(o, "status", WriteOptions.DEFAULT, r, 0));
  }

  public Api.Response patch(ResourceType type, String ns, String name, PatchType pt, String body) {
    return call(r -> new Api.Patch(type, ns, name, null, pt, body, WriteOptions.DEFAULT, r, 0));
  }

  public Api.Response delete(ResourceType type, String ns, String name, DeleteOptions o) {
    return call(r -> new Api.Delete(type, ns, name, o, r, 0));
  }

  public Recorder<Api.WatchMessage> watch(ResourceType type, String ns, ListOptions options, long id) {
    Recorder<Api.WatchMessage> w = kit.recorder();
    api.tell(new Api.Watch(type, ns, options, w.ref(), id));
    kit.settle();
    return w;
  }

  public void advance(Duration d) {
    kit.advance(d);
  }

  /** Runs what is runnable without moving the clock. */
  public void settle() {
    kit.settle();
  }

  /** What a component under test is created with: this apiserver, the virtual clock, the seeds, the log. */
  public ComponentContext context() {
    return new ComponentContext(api, kit.runtime(), kit.seeds(), logs);
  }

  public <T> ActorRef<T> spawn(akka.actor.typed.Behavior<T> behavior, String name) {
    return kit.spawn(behavior, name);
  }

  @Override
  public void close() {
    kit.close();
  }
}
