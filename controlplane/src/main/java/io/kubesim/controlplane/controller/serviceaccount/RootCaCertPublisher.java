package io.kubesim.controlplane.controller.serviceaccount;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.kubesim.controlplane.controller.InformerSet;
import io.kubesim.controlplane.controller.WorkQueue;
import io.kubesim.shared.api.Api;
import io.kubesim.shared.api.Resources;
import io.kubesim.shared.client.ApiClient;
import io.kubesim.shared.client.ComponentContext;
import io.kubesim.shared.client.Informer;
import io.kubesim.shared.log.Klog;
import io.kubesim.shared.util.Receives;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
 * every namespace that is not terminating has a ConfigMap {@code kube-root-ca.crt} holding the
 * cluster's CA certificate under {@code ca.crt}, which pods use to verify the apiserver. It is
 * created with the namespace, and put back if it is deleted or changed.
 *
 * <p>The certificate is kubesim's own self-signed CA ("CN=kubernetes", as kubeadm names its CA),
 * valid from the simulation's epoch, 2026-01-01, for ten years. Nothing is signed with it: the
 * simulated containers do not speak TLS.
 */
public final class RootCaCertPublisher extends AbstractBehavior<RootCaCertPublisher.Command> {

  public static final String COMPONENT = "root-ca-certificate-publisher-controller";
  public static final String LOG_NAME = "root-ca-cert-publisher";
  public static final String CONFIGMAP = "kube-root-ca.crt";
  public static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
  public static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when "
      + "using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
      + "guaranteed across distributions of Kubernetes clusters.";
  /** The cluster CA, PEM-encoded. */
  public static final String ROOT_CA = String.join("\n",
      "-----BEGIN CERTIFICATE-----",
      "MIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDDAprdWJl",
      "cm5ldGVzMB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMDAwMDAwMFowFTETMBEGA1UE",
      "AwwKa3ViZXJuZXRlczCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMiN",
      "pvmLg0gNc+A8PWTyYuZsvbdWaFWXQV6sbedbqqa3EsKMk8b0dpMWkOeeI7sG8aMs",
      "o61Jyz3YmvgHkNRo9qyLYEBDkm97FuYZC1iDRBPnEgIrlTdyVVQAvsHhgRCcy3nD",
      "Ls50XY1TafhrepJKh+VW/frATMdhDLLgWM/6RQnT5yEu9SN2hvZk0MsozqZNZiLM",
      "sHkK2Y57AMt0XGxGhcH0gI8FBgwrxTnQuLheQSLV/kJHI8AnwJ2S+sIH4S1AjxGv",
      "vILViPdZfsHeLkQ58FGVTC9d2b5gO+7XmOgicFU+gtUzZ1QEIAhXmxkIrhH49Uav",
      "ybeDwW/Ijm0TtmsihXkCAwEAAaNZMFcwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8B",
      "Af8EBAMCAqQwHQYDVR0OBBYEFNxFSslPViCruzenToTIIHKi+gfnMBUGA1UdEQQO",
      "MAyCCmt1YmVybmV0ZXMwDQYJKoZIhvcNAQELBQADggEBAAHDJbYgj+kA/CSIFxcH",
      "IHgyVWdY+MCuvHtOz+iBuGFE02OK0Hwdk+u1g2iZGxiePaBsHxgdl4GxUa1nM3nl",
      "9FaQgcPlTY7gkqyfgD8E6Apc7DtB0QImgFrK5gEwDsAAvReRrGsrFTRuRazfsBow",
      "g2rYCpZSMd0NCYYMir5a2ui+RHMnWps4/a2tDNIcLAaZGs8Ucs/gD6JsfpbtUsl4",
      "qTx5nlSp7GgHPoASVVv1OHHRm6L6Rn1wwxN4zht/3BwXnUrbT9TkatzE1paFyVEq",
      "Y8CcxBc6SF79HhDXNMg2AL6zbqGCDCqHAlp6zqcGkaEaXENn4hBKwPsQtz6s8Mk7",
      "bz0=",
      "-----END CERTIFICATE-----") + "\n";

  public sealed interface Command {}

  private record FromApi(Object message) implements Command {}

  private enum Drain implements Command { INSTANCE }

  private record Requeue(String key) implements Command {}

  public static Behavior<Command> create(ComponentContext ctx) {
    return Behaviors.setup(c -> Behaviors.withTimers(t -> new RootCaCertPublisher(c, t, ctx)));
  }

  private final Klog log;
  private final ApiClient client;
  private final Informer<Namespace> namespaces;
  private final Informer<ConfigMap> configMaps;
  private final WorkQueue<Command> queue;

  private RootCaCertPublisher(ActorContext<Command> context, TimerScheduler<Command> timers, ComponentContext cc) {
    super(context);
    this.log = cc.log(LOG_NAME);
    this.client = ApiClient.create(context, cc.apiserver(), FromApi::new);
    this.queue = new WorkQueue<>("root_ca_cert_publisher", context.getSelf(), timers, cc.clock(), Drain.INSTANCE,
        Requeue::new, 1);
    InformerSet informers = new InformerSet(client);
    this.configMaps = informers.add(Resources.CONFIGMAPS, ConfigMap.class, new Informer.Handler<>() {
      @Override
      public void onUpdate(ConfigMap old, ConfigMap cm) {
        if (CONFIGMAP.equals(cm.getMetadata().getName())) {
          queue.add(cm.getMetadata().getNamespace());
        }
      }

      @Override
      public void onDelete(ConfigMap cm) {
        if (CONFIGMAP.equals(cm.getMetadata().getName())) {
          queue.add(cm.getMetadata().getNamespace());
        }
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
    log.info("Starting root CA cert publisher controller");
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

  private void syncNamespace(String name, WorkQueue.Done done) {
    Namespace ns = namespaces.get(null, name);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) {
      done.done(true);
      return;
    }
    ConfigMap cm = configMaps.get(name, CONFIGMAP);
    if (cm == null) {
      ConfigMap fresh = new ConfigMapBuilder().withNewMetadata().withName(CONFIGMAP).withNamespace(name)
          .withAnnotations(Map.of(DESCRIPTION_ANNOTATION, DESCRIPTION)).endMetadata()
          .withData(Map.of("ca.crt", ROOT_CA)).build();
      client.create(fresh, r -> {
        if (r instanceof Api.Ok) {
          log.v(1, "Created ConfigMap", "configMap", name + "/" + CONFIGMAP);
        }
        // AlreadyExists, or the namespace began terminating: either way there is nothing to do.
        done.done(r instanceof Api.Ok || (r instanceof Api.Failed f && (f.code() == 409 || f.code() == 403
            || f.code() == 404)));
      });
      return;
    }
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    Map<String, String> ann = cm.getMetadata().getAnnotations() == null ? Map.of() : cm.getMetadata().getAnnotations();
    if (data.size() == 1 && ROOT_CA.equals(data.get("ca.crt")) && Objects.equals(DESCRIPTION,
        ann.get(DESCRIPTION_ANNOTATION))) {
      done.done(true);
      return;
    }
    // Someone changed it: the data goes back to the CA, the description annotation back on.
    Map<String, String> annotations = new LinkedHashMap<>(ann);
    annotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
    ConfigMap fixed = new ConfigMapBuilder(cm).editMetadata().withAnnotations(annotations).endMetadata()
        .withData(Map.of("ca.crt", ROOT_CA)).build();
    client.update(fixed, r -> done.done(r instanceof Api.Ok || (r instanceof Api.Failed f && f.code() == 404)));
  }
}
