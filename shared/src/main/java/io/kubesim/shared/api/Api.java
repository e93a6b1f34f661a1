package io.kubesim.shared.api;

import akka.actor.typed.ActorRef;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;

/**
 * The apiserver's protocol: the typed requests every component sends it (the in-process
 * equivalent of client-go's REST calls) and the answers it gives. Objects handed over in a request
 * belong to the apiserver from then on; objects in answers and watch events are shared with other
 * readers and must not be changed (copy them with their builder first, as client-go asks of
 * informer caches).
 *
 * <p>Every request names a {@code replyTo} and a {@code tag} of the caller's choosing, which
 * comes back in the answer so that one actor can have many requests in flight.
 */
public final class Api {

  private Api() {}

  public sealed interface Request
      permits Create, Get, List, Update, Patch, Delete, Bind, Evict, Watch, StopWatch, Internal {}

  /**
   * The apiserver's own messages (answers from its store, timers) travel in the same mailbox as the
   * requests; they implement this. Nothing outside the apiserver sends them.
   */
  public non-sealed interface Internal extends Request {}

  /** POST: create an object; its namespace is taken from its metadata. */
  public record Create(HasMetadata object, WriteOptions options, ActorRef<Response> replyTo, long tag)
      implements Request {}

  public record Get(ResourceType type, String namespace, String name, ActorRef<Response> replyTo, long tag)
      implements Request {}

  /** List a kind, in one namespace or (namespace null) across all. */
  public record List(ResourceType type, String namespace, ListOptions options, ActorRef<Response> replyTo, long tag)
      implements Request {}

  /**
   * PUT: replace an object. {@code subresource} is null for the object itself or "status" for
   * its status; a {@code metadata.resourceVersion} in the object makes it conditional.
   */
  public record Update(HasMetadata object, String subresource, WriteOptions options, ActorRef<Response> replyTo,
      long tag) implements Request {}

  /** PATCH with one of the Kubernetes patch types; the body is the patch document as sent. */
  public record Patch(ResourceType type, String namespace, String name, String subresource, PatchType patchType,
      String body, WriteOptions options, ActorRef<Response> replyTo, long tag) implements Request {}

  public record Delete(ResourceType type, String namespace, String name, DeleteOptions options,
      ActorRef<Response> replyTo, long tag) implements Request {}

  /** POST pods/binding: assign a pod to a node, as the scheduler does. */
  public record Bind(Binding binding, ActorRef<Response> replyTo, long tag) implements Request {}

  /** POST pods/eviction (policy/v1 Eviction): a delete that honours PodDisruptionBudgets. */
  public record Evict(String namespace, String name, DeleteOptions options, boolean dryRun,
      ActorRef<Response> replyTo, long tag) implements Request {}

  /**
   * Opens a watch. Events arrive at {@code watcher} carrying {@code watchId}; the watch lasts until
   * {@link StopWatch}, the watcher's termination, its timeout, or an ERROR event.
   */
  public record Watch(ResourceType type, String namespace, ListOptions options, ActorRef<WatchMessage> watcher,
      long watchId) implements Request {}

  public record StopWatch(ActorRef<WatchMessage> watcher, long watchId) implements Request {}

  // ---------------------------------------------------------------- answers

  public sealed interface Response permits Ok, Listed, Failed {
    long tag();
  }

  /** The object as stored (or as it would be, for a dry run). {@code created} tells 201 from 200. */
  public record Ok(long tag, HasMetadata object, boolean created) implements Response {}

  public record Listed(long tag, ResourceType type, java.util.List<HasMetadata> items, String resourceVersion,
      String continueToken, Long remainingItemCount) implements Response {}

  /** A Kubernetes {@code Status} with reason and code, exactly as kube-apiserver would return it. */
  public record Failed(long tag, Status status) implements Response {
    public int code() {
      return status.getCode() == null ? 500 : status.getCode();
    }

    public String reason() {
      return status.getReason();
    }

    public String message() {
      return status.getMessage();
    }
  }

  // ---------------------------------------------------------------- watch

  public sealed interface WatchMessage permits WatchEvent, WatchEnded {
    long watchId();
  }

  public enum EventType { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }

  /** One watch event. ERROR events carry a Status (410 Expired when the resourceVersion is too old). */
  public record WatchEvent(long watchId, EventType type, HasMetadata object, Status error) implements WatchMessage {}

  /** The watch has ended (timeout, or the apiserver closed it); a client re-watches from its last version. */
  public record WatchEnded(long watchId) implements WatchMessage {}

  /** Annotation on the BOOKMARK that ends the initial events of a watch with sendInitialEvents. */
  public static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";
}
