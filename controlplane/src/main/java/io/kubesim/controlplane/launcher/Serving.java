package io.kubesim.controlplane.launcher;

import akka.actor.typed.ActorRef;
import io.kubesim.controlplane.http.ApiHttpServer;
import io.kubesim.controlplane.http.Gateway;
import io.kubesim.controlplane.http.HttpSettings;
import io.kubesim.shared.time.RealtimeDriver;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code kubesim serve}: the cluster's simulation on a {@link RealtimeDriver} (booted on
 * the driver thread, with the HTTP gateway spawned there), and the HTTP front in front of it.
 */
public final class Serving implements AutoCloseable {

  private final RealtimeDriver driver;
  private final Cluster cluster;
  private final ApiHttpServer http;

  private Serving(RealtimeDriver driver, Cluster cluster, ApiHttpServer http) {
    this.driver = driver;
    this.cluster = cluster;
    this.http = http;
  }

  public static Serving start(ClusterDefinition definition, ClusterSettings clusterSettings, HttpSettings httpSettings,
      double speed, boolean paused) {
    Cluster[] cluster = new Cluster[1];
    @SuppressWarnings("unchecked")
    ActorRef<Gateway.Command>[] gateway = new ActorRef[1];
    RealtimeDriver driver = new RealtimeDriver(speed, paused, () -> {
      cluster[0] = Cluster.boot(definition, clusterSettings);
      gateway[0] = cluster[0].spawn(Gateway.create(cluster[0].apiserver(), cluster[0].runtime()), "http-gateway")
          .narrow();
      return cluster[0].runtime();
    });
    ApiHttpServer http;
    try {
      http = ApiHttpServer.start(httpSettings, driver, gateway[0], cluster[0].proxy(), cluster[0].logs());
    } catch (RuntimeException e) {
      shutdown(driver, cluster[0]);
      throw e;
    }
    return new Serving(driver, cluster[0], http);
  }

  public RealtimeDriver driver() {
    return driver;
  }

  public Cluster cluster() {
    return cluster;
  }

  public ApiHttpServer http() {
    return http;
  }

  public int port() {
    return http.port();
  }

  /** The URL a client reaches the API at, e.g. https://127.0.0.1:6443. */
  public String url() {
    String host = http.address().contains(":") ? "[" + http.address() + "]" : http.address();
    return http.scheme() + "://" + host + ":" + http.port();
  }

  /** The serving certificate (PEM) clients must trust, or null over plain HTTP. */
  public String certificatePem() {
    return http.certificatePem();
  }

  @Override
  public void close() {
    http.close();
    shutdown(driver, cluster);
  }

  private static void shutdown(RealtimeDriver driver, Cluster cluster) {
    try {
      driver.call(() -> {
        cluster.close();
        return null;
      }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The process is going away; a cluster that does not shut down cleanly is not worth waiting for.
    }
    driver.stop();
  }
}
