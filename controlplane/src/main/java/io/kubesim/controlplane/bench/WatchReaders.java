package io.kubesim.controlplane.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The benchmark's watchers: websocket watches read by a few threads over non-blocking sockets, with
 * the websocket framing (RFC 6455) done by hand. Each whole text message is one event; it is a
 * sample if it is the first ADDED of one of the bench's pods, found by its name in the bytes (the
 * markers are ASCII, so nothing is decoded). A client library's reader (the JDK's websocket
 * client decodes every message into characters, on a thread per connection's worth of tasks)
 * cost the process several times what this does, and client and server share its cores.
 */
final class WatchReaders implements AutoCloseable {

  private static final byte[] TYPE = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADDED = "ADDED\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NAME = "\"name\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] POD = "web-".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MARKER = "marker\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * Reading threads: a few, not one, because on a busy machine a single thread's share of the
   * cores could not keep up with a hundred watches, and the backlog would be the reader's.
   */
  static final int THREADS = 4;

  private final List<Selector> selectors = new ArrayList<>();
  private final List<Reader> readers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /** Opens {@code count} websocket watches of {@code uri} (an http URL) and starts reading them. */
  WatchReaders(URI uri, int count, AtomicLongArray sentAt) {
    try {
      for (int t = 0; t < Math.min(THREADS, count); t++) {
        selectors.add(Selector.open());
      }
      for (int i = 0; i < count; i++) {
        Reader r = new Reader(sentAt);
        r.channel = handshake(uri);
        r.channel.configureBlocking(false);
        r.channel.register(selectors.get(i % selectors.size()), SelectionKey.OP_READ, r);
        readers.add(r);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the watches: " + e.getMessage(), e);
    }
    for (Selector selector : selectors) {
      Thread thread = new Thread(() -> loop(selector), "bench-http-watch-reader-" + threads.size());
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  List<Reader> readers() {
    return readers;
  }

  /** The upgrade request, sent and answered over a blocking socket; what follows the answer is kept. */
  private static SocketChannel handshake(URI uri) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
    ch.socket().setTcpNoDelay(true);
    byte[] key = new byte[16];
    new java.util.Random().nextBytes(key);
    String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    // Read the response head a byte at a time, so nothing after it is consumed here.
    StringBuilder head = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!head.toString().endsWith("\r\n\r\n")) {
      one.clear();
      if (ch.read(one) < 0) {
        throw new IOException("the server closed the connection during the websocket handshake: " + head);
      }
      head.append((char) one.get(0));
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("the server refused the websocket: " + head.toString().lines().findFirst().orElse(""));
    }
    return ch;
  }

  private void loop(Selector selector) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    try {
      while (running) {
        selector.select(100);
        for (SelectionKey k : selector.selectedKeys()) {
          Reader r = (Reader) k.attachment();
          buffer.clear();
          int n;
          try {
            n = r.channel.read(buffer);
          } catch (IOException e) {
            n = -1;
          }
          if (n < 0) {
            k.cancel();
            continue;
          }
          buffer.flip();
          r.bytes(buffer, System.nanoTime());
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      if (running) {
        throw new IllegalStateException("watch reader failed", e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Reader r : readers) {
      try {
        r.channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Selector selector : selectors) {
      try {
        selector.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** One watch: the frame being read, the message being gathered, and each pod's latency. */
  static final class Reader {
    private final AtomicLongArray sentAt;
    private final long[] latency;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private volatile boolean markerSeen;
    private SocketChannel channel;
    /** The frame header read so far (at most 14 bytes). */
    private final byte[] header = new byte[14];
    private int headerBytes;
    /** Payload bytes of the current frame still to come; -1 while reading a header. */
    private long remaining = -1;
    private boolean fin;
    private boolean control;
    /** The message so far (text frames and their continuations). */
    private byte[] message = new byte[4096];
    private int messageBytes;

    Reader(AtomicLongArray sentAt) {
      this.sentAt = sentAt;
      this.latency = new long[sentAt.length()];
    }

    int count() {
      return count.get();
    }

    /** Whole messages received, of every kind. */
    int messages() {
      return messages.get();
    }

    boolean markerSeen() {
      return markerSeen;
    }

    synchronized long[] latencies() {
      return Arrays.stream(latency).filter(l -> l > 0).toArray();
    }

    private void bytes(ByteBuffer in, long now) {
      while (in.hasRemaining()) {
        if (remaining < 0) {
          header[headerBytes++] = in.get();
          int need = headerLength();
          if (headerBytes < need) {
            continue;
          }
          startFrame();
          if (remaining == 0) {
            endFrame(now);
          }
          continue;
        }
        int n = (int) Math.min(remaining, in.remaining());
        if (control) {
          in.position(in.position() + n);
        } else {
          if (messageBytes + n > message.length) {
            message = Arrays.copyOf(message, Math.max(message.length * 2, messageBytes + n));
          }
          in.get(message, messageBytes, n);
          messageBytes += n;
        }
        remaining -= n;
        if (remaining == 0) {
          endFrame(now);
        }
      }
    }

    /** The header's length once its first two bytes are in (server frames are not masked). */
    private int headerLength() {
      if (headerBytes < 2) {
        return 2;
      }
      int len = header[1] & 0x7f;
      return len == 126 ? 4 : len == 127 ? 10 : 2;
    }

    private void startFrame() {
      int opcode = header[0] & 0x0f;
      fin = (header[0] & 0x80) != 0;
      control = opcode >= 0x8;
      long len = header[1] & 0x7f;
      if (len == 126) {
        len = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      } else if (len == 127) {
        len = 0;
        for (int i = 2; i < 10; i++) {
          len = (len << 8) | (header[i] & 0xff);
        }
      }
      remaining = len;
      headerBytes = 0;
    }

    private void endFrame(long now) {
      remaining = -1;
      if (control || !fin) {
        return;
      }
      received(now);
      messageBytes = 0;
    }

    /**
     * One whole event: an ADDED of one of the bench's pods is a sample, the first time only. The
     * bench's pods have no field named {@code type} and put their metadata before their spec, so
     * the event's type is the first {@code "type":"} (kubesim writes it first, the mock after the
     * object) and the pod's name the first {@code "name":"}: each search stops there, and the rest
     * of the event is not read.
     */
    private void received(long now) {
      messages.incrementAndGet();
      int type = indexOf(message, messageBytes, TYPE, 0);
      if (type < 0 || !startsWith(message, messageBytes, type + TYPE.length, ADDED)) {
        return;
      }
      int name = indexOf(message, messageBytes, NAME, 0);
      if (name < 0) {
        return;
      }
      name += NAME.length;
      if (!startsWith(message, messageBytes, name, POD)) {
        if (startsWith(message, messageBytes, name, MARKER)) {
          markerSeen = true;
        }
        return;
      }
      int i = 0;
      for (int k = name + POD.length; k < messageBytes && message[k] >= '0' && message[k] <= '9'; k++) {
        i = i * 10 + (message[k] - '0');
      }
      synchronized (this) {
        if (i < latency.length && latency[i] == 0) {
          latency[i] = Math.max(1, now - sentAt.get(i));
          count.incrementAndGet();
        }
      }
    }
  }

  /** Whether {@code hay}'s first {@code length} bytes hold {@code prefix} at {@code at}. */
  static boolean startsWith(byte[] hay, int length, int at, byte[] prefix) {
    return at + prefix.length <= length && Arrays.equals(hay, at, at + prefix.length, prefix, 0, prefix.length);
  }

  /** Where {@code needle} first occurs in {@code hay}'s first {@code length} bytes at or after {@code from}, or -1. */
  static int indexOf(byte[] hay, int length, byte[] needle, int from) {
    byte first = needle[0];
    outer:
    for (int i = from; i <= length - needle.length; i++) {
      if (hay[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
