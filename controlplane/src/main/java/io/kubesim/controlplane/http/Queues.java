package io.kubesim.controlplane.http;

import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;

/**
 * Feeding an HTTP stream from the driver thread. The client may go away at any moment, which
 * closes the stream's queue under the feeder; akka then refuses further use with an exception,
 * which on the driver thread would stop the actor feeding the stream. Here a closed queue just
 * takes nothing.
 */
final class Queues {

  private Queues() {}

  /** True if the element was enqueued; false when the queue is full or closed. */
  static <T> boolean offer(BoundedSourceQueue<T> queue, T element) {
    try {
      return queue.offer(element) == QueueOfferResult.enqueued();
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Ends the stream after what is queued; nothing if it has ended already. */
  static void complete(BoundedSourceQueue<?> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException e) {
      // completed, failed or cancelled already
    }
  }
}
