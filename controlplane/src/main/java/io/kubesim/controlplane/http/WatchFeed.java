package io.kubesim.controlplane.http;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The outgoing side of one HTTP watch, as a single stream stage: the driver thread offers
 * events into a lock-free queue (never blocking), and the stage, on the connection's own
 * thread, encodes what has queued and sends it as one element, so that a burst of events goes
 * out in one write. The stage is woken at most once per burst (one Akka message, not one per
 * event), by a thread of the HTTP front's, not by the driver.
 *
 * <p>Over a websocket the stage is the whole protocol after the handshake: its inlet reads the
 * client's frames (a close is answered and ends the watch, a ping gets its pong, data is
 * ignored, as kube-apiserver ignores what a watch client sends), its outlet writes one text frame
 * per event. For a chunked response its inlet is never fed and each element is one chunk of
 * JSON lines.
 *
 * @param <T> what the driver offers (an event and its virtual instant)
 */
final class WatchFeed<T> {

  /** The end of the watch, after whatever was queued before it. */
  private static final Object END = new Object();

  private final int capacity;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean wakeup = new AtomicBoolean();
  private volatile AsyncCallback<Boolean> wake;
  private volatile boolean closed;

  WatchFeed(int capacity) {
    this.capacity = capacity;
  }

  /** Queues one item; false when the feed is full (a consumer too slow) or its stream is gone. */
  boolean offer(T item) {
    if (closed) {
      return false;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      return false;
    }
    queue.add(item);
    signal();
    return true;
  }

  /** Ends the stream after what is queued; nothing if it has ended already. */
  void end() {
    queue.add(END);
    signal();
  }

  private void signal() {
    if (wake != null && wakeup.compareAndSet(false, true)) {
      FLUSHER.add(this);
    }
  }

  /**
   * How long a watch holds its first new event for others to join it. kube-apiserver writes
   * each event as it comes; here four milliseconds' worth of events goes out in one write per
   * watch. A write to a loopback socket costs about as much as the kernel's whole TCP path, on
   * both ends: with 100 watchers at 2,000 creates a second, one event per write was a third of the
   * HTTP front's CPU and most of the watchers'. Against a linger of one millisecond, four gave
   * 20-30 % more creates per second with 100 watchers (docs/BENCHMARKS.md, HTTP); ten and twenty
   * gave no more, for more latency.
   */
  static final long LINGER_NANOS = 4_000_000;

  private static final Flusher FLUSHER = new Flusher();

  /**
   * Wakes the feeds that have new items, {@link #LINGER_NANOS} after the first of a burst: one
   * thread for every watch, so that the driver only queues and never hands work to a dispatcher.
   */
  private static final class Flusher implements Runnable {
    private final ConcurrentLinkedQueue<WatchFeed<?>> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Thread thread;

    Flusher() {
      thread = new Thread(this, "kubesim-http-watch-flusher");
      thread.setDaemon(true);
      thread.start();
    }

    void add(WatchFeed<?> feed) {
      dirty.add(feed);
      if (scheduled.compareAndSet(false, true)) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      while (true) {
        while (!scheduled.get()) {
          LockSupport.park(this);
        }
        LockSupport.parkNanos(LINGER_NANOS);
        scheduled.set(false);
        WatchFeed<?> feed;
        while ((feed = dirty.poll()) != null) {
          feed.wake.invoke(Boolean.TRUE);
        }
      }
    }
  }

  /**
   * The stage that sends this feed's items, each turned into bytes by {@code encode}.
   *
   * @param webSocket whether the stage speaks websocket frames with its peer (else a chunked body)
   * @param timeout the watch's timeoutSeconds, or null: the stream ends when it has passed
   * @param stopped run once when the stream ends, however it ends
   */
  GraphStage<FlowShape<ByteString, ByteString>> stage(Function<T, ByteString> encode, boolean webSocket,
      Duration timeout, Runnable stopped) {
    return new Stage(encode, webSocket, timeout, stopped);
  }

  private final class Stage extends GraphStage<FlowShape<ByteString, ByteString>> {
    private final Inlet<ByteString> in = Inlet.create("WatchFeed.in");
    private final Outlet<ByteString> out = Outlet.create("WatchFeed.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    private final Function<T, ByteString> encode;
    private final boolean webSocket;
    private final Duration timeout;
    private final Runnable stopped;

    Stage(Function<T, ByteString> encode, boolean webSocket, Duration timeout, Runnable stopped) {
      this.encode = encode;
      this.webSocket = webSocket;
      this.timeout = timeout;
      this.stopped = stopped;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new Logic();
    }

    private final class Logic extends TimerGraphStageLogic {
      /** Frames this side owes its peer (a pong, a close), sent before any further event. */
      private ByteString control = ByteString.emptyByteString();
      /** Client bytes not yet a whole frame. */
      private ByteString incoming = ByteString.emptyByteString();
      /** The watch ended: send what is left, then the close, then stop. */
      private boolean ending;
      /** The client closed the websocket; its close is answered already. */
      private boolean closedByPeer;

      Logic() {
        super(shape);
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            onClientBytes(grab(in));
          }

          @Override
          public void onUpstreamFinish() {
            completeStage();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            flush();
          }
        });
      }

      @Override
      public void preStart() {
        wake = createAsyncCallback(b -> {
          wakeup.set(false);
          flush();
        });
        pull(in);
        if (timeout != null) {
          scheduleOnce("timeout", timeout);
        }
        // Items offered before the callback existed woke nobody: the first pull sends them.
      }

      @Override
      public void onTimer(Object key) {
        ending = true;
        flush();
      }

      @Override
      public void postStop() {
        closed = true;
        queue.clear();
        stopped.run();
      }

      private void onClientBytes(ByteString bytes) {
        if (webSocket) {
          incoming = WebSocketFrames.read(incoming.concat(bytes), this::onClientFrame);
          flush();
        }
        if (!isClosed(in)) {
          pull(in);
        }
      }

      private void onClientFrame(WebSocketFrames.Frame f) {
        switch (f.opcode()) {
          case WebSocketFrames.PING -> control = control.concat(WebSocketFrames.frame(WebSocketFrames.PONG,
              f.payload()));
          case WebSocketFrames.CLOSE -> {
            // Echo the client's status code, as a close handshake does (RFC 6455 section 5.5.1).
            int code = f.payload().size() >= 2
                ? ((f.payload().apply(0) & 0xff) << 8) | (f.payload().apply(1) & 0xff)
                : WebSocketFrames.NORMAL_CLOSURE;
            control = control.concat(WebSocketFrames.close(code));
            closedByPeer = true;
            ending = true;
          }
          default -> {
            // A watch reads nothing from its client.
          }
        }
      }

      /** Sends whatever is owed, if the connection can take it. */
      private void flush() {
        if (!isAvailable(out)) {
          return;
        }
        ByteStringBuilder batch = ByteString.createBuilder();
        batch.append(control);
        control = ByteString.emptyByteString();
        int taken = 0;
        Object item;
        while (!ending && (item = queue.poll()) != null) {
          if (item == END) {
            ending = true;
          } else {
            taken++;
            @SuppressWarnings("unchecked")
            T t = (T) item;
            batch.append(encode.apply(t));
          }
        }
        if (taken > 0) {
          queued.addAndGet(-taken);
        }
        if (ending && webSocket && !closedByPeer) {
          batch.append(WebSocketFrames.close(WebSocketFrames.NORMAL_CLOSURE));
        }
        if (batch.length() > 0) {
          push(out, batch.result());
        }
        if (ending) {
          completeStage();
        }
      }
    }
  }
}
