package io.kubesim.controlplane.http;

/**
 * How the HTTP front of {@code kubesim serve} listens and what it accepts.
 *
 * @param address the interface to bind; loopback by default, as the cluster has no authorization
 * @param port 6443, kube-apiserver's secure port, so that a kubeconfig reads as usual
 * @param token when set, every request must carry {@code Authorization: Bearer <token>}
 * @param tls serve HTTPS with a self-signed certificate made at start-up; always on with a token,
 *     since kubectl does not send a bearer token over plain HTTP
 * @param maxRequestBodyBytes 3 MiB, kube-apiserver's {@code --max-request-body-bytes} default
 *     (k8s.io/apiserver/pkg/server/config.go: MaxRequestBodyBytes = 3 * 1024 * 1024)
 * @param watchQueueEvents events buffered per watch before a slow client's watch is terminated,
 *     as the watch cache terminates watchers whose buffer is full
 */
public record HttpSettings(String address, int port, String token, boolean tls, long maxRequestBodyBytes,
    int watchQueueEvents) {

  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 3L * 1024 * 1024;

  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 6443, null, false, DEFAULT_MAX_REQUEST_BODY_BYTES, 10_000);
  }

  public HttpSettings withAddress(String a) {
    return new HttpSettings(a, port, token, tls, maxRequestBodyBytes, watchQueueEvents);
  }

  public HttpSettings withPort(int p) {
    return new HttpSettings(address, p, token, tls, maxRequestBodyBytes, watchQueueEvents);
  }

  /** A token turns TLS on. */
  public HttpSettings withToken(String t) {
    boolean set = t != null && !t.isEmpty();
    return new HttpSettings(address, port, set ? t : null, tls || set, maxRequestBodyBytes, watchQueueEvents);
  }

  public HttpSettings withTls(boolean on) {
    return new HttpSettings(address, port, token, on || token != null, maxRequestBodyBytes, watchQueueEvents);
  }
}
