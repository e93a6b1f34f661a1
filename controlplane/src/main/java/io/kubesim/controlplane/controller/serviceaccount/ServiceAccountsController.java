package io.kubesim.controlplane.controller.serviceaccount;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.List;

/**
 * The service account controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has a ServiceAccount named "default". It is created when the namespace
 * appears, and again if someone deletes it. Namespaces being deleted get none.
 */
public final class ServiceAccountsController extends AbstractBehavior<ServiceAccountsController.Command> {

  public static final String COMPONENT = "serviceaccount-controller";
  public static final String LOG_NAME = "serviceaccount";
  /** serviceaccountcontroller.DefaultServiceAccountsControllerOptions: the accounts every namespace gets. */
  static final List<String> ACCOUNTS = List.of("default");

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new ServiceAccountsController(c, t, ctx)));
  }

  private final Klog log;
  private final ApiClient client;
  private final Informer<Namespace> namespaces;
  private final Informer<ServiceAccount> accounts;
  private final WorkQueue<Command> queue;

  private ServiceAccountsController(ActorContext<Command> context, TimerScheduler<Command> timers,
      ComponentContext cc) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    // kube-controller-manager runs this controller with one worker.
    this.queue = new WorkQueue<>("serviceaccount", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.accounts = informers.add(Resources.SERVICEACCOUNTS, ServiceAccount.class, new Informer.Handler<>() {
      @Override
      public void onDelete(ServiceAccount sa) {
        // serviceAccountDeleted: look at its namespace again
        queue.add(sa.getMetadata().getNamespace());
      }
    });
    this.namespaces = informers.add(Resources.NAMESPACES, Namespace.class, new Informer.Handler<>() {
      @Override
      public void onAdd(Namespace ns) {
        queue.add(ns.getMetadata().getName());
      }

      @Override
      public void onUpdate(Namespace old, Namespace ns) {
        queue.add(ns.getMetadata().getName());
      }
    });
    log.info("Starting service account controller");
    informers.start(() -> queue.start(this::syncNamespace));
  }

  @Override
  public Receive<Command> createReceive() {
    return Receives.builder(this)
        .onMessage(FromApi.class, this::onFromApi)
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(Requeue.class, this::onRequeue)
        .build();
  }

  private Behavior<Command> onFromApi(FromApi m) {
    client.receive(m.message());
    return this;
  }

  private Behavior<Command> onDrain() {
    queue.drain();
    return this;
  }

  private Behavior<Command> onRequeue(Requeue m) {
    queue.onDelayed(m.key());
    return this;
  }

  /** syncNamespace: create the accounts an active namespace lacks. */
  private void syncNamespace(String name, WorkQueue.Done done) {
    Namespace ns = namespaces.get(null, name);
    if (ns == null || (ns.getStatus() != null && !"Active".equals(ns.getStatus().getPhase()))) {
      // Gone, or terminating: nothing is created in it.
      done.done(true);
      return;
    }
    List<String> missing = ACCOUNTS.stream().filter(a -> accounts.get(name, a) == null).toList();
    var all = WorkQueue.all(missing.size(), done);
    for (String account : missing) {
      ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName(account).withNamespace(name)
          .endMetadata().build();
      client.create(sa, r -> {
        if (r instanceof Api.Ok) {
          log.v(1, "Created service account", "serviceAccount", name + "/" + account);
          all.accept(true);
        } else if (r instanceof Api.Failed f) {
          // AlreadyExists: someone was first; Forbidden: the namespace began terminating meanwhile.
          boolean fine = f.code() == 409 || f.code() == 403 || f.code() == 404;
          if (!fine) {
            log.error("Failed to create service account", "serviceAccount", name + "/" + account, "err",
                f.message());
          }
          all.accept(fine);
        }
      });
    }
  }
}
