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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The benchmark's lean client: HTTP/1.1 requests (POSTs of bodies serialised before the clock
 * starts, and the warm-up's DELETEs), over
 * keep-alive connections with one request in flight each, all driven by one thread over
 * non-blocking sockets. Responses are framed by their {@code Content-Length} or chunked encoding
 * and only their status is read. Client and servers share the machine's cores: a load generator
 * that costs next to nothing per request leaves them to the server being measured, and it drives
 * kubesim and the mock with the same bytes.
 */
final class CreateSenders {

  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

  private final URI base;
  private final byte[][] requests;
  private final AtomicLongArray sentAt;
  private int next;
  private long succeeded;
  private long failed;
  private String firstFailure;

  /**
   * @param base the server's URL ({@code http://host:port})
   * @param requests whole requests ({@link #request}), in the order they are sent
   * @param sentAt where the wall-clock instant each request is sent is written, by index
   */
  CreateSenders(URI base, List<byte[]> requests, AtomicLongArray sentAt) {
    this.base = base;
    this.sentAt = sentAt;
    this.requests = requests.toArray(new byte[0][]);
  }

  /** POSTs of {@code bodies} to the collection at {@code path}. */
  static CreateSenders posts(URI base, String path, List<byte[]> bodies, AtomicLongArray sentAt) {
    return new CreateSenders(base, bodies.stream().map(b -> request(base, "POST", path, b)).toList(), sentAt);
  }

  /** One request, head and body, as it goes on the wire; an empty body is sent as Content-Length 0. */
  static byte[] request(URI base, String method, String path, byte[] body) {
    byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
        + (body.length > 0 ? "\r\nContent-Type: application/json" : "")
        + "\r\nAccept: application/json\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  /** Requests answered with 2xx. */
  long succeeded() {
    return succeeded;
  }

  long failed() {
    return failed;
  }

  /** The status line and start of the body of the first request that did not succeed, or null. */
  String firstFailure() {
    return firstFailure;
  }

  /**
   * Sends every request over {@code connections} connections, one in flight on each, and returns
   * when every one has been answered. A request answered with anything but 2xx counts as failed.
   */
  void run(int connections) {
    List<Connection> open = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections && next < requests.length; c++) {
        Connection conn = new Connection(connect(base));
        open.add(conn);
        conn.key = conn.channel.register(selector, SelectionKey.OP_READ, conn);
        sendNext(conn);
      }
      int inFlight = open.size();
      while (inFlight > 0) {
        selector.select();
        for (SelectionKey k : selector.selectedKeys()) {
          Connection conn = (Connection) k.attachment();
          if (k.isWritable()) {
            conn.flush();
          }
          if (k.isReadable() && conn.read()) {
            if (next < requests.length) {
              sendNext(conn);
            } else {
              inFlight--;
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException("bench client: " + e.getMessage(), e);
    } finally {
      for (Connection conn : open) {
        try {
          conn.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private void sendNext(Connection conn) throws IOException {
    int i = next++;
    sentAt.set(i, System.nanoTime());
    conn.send(requests[i]);
  }

  private static SocketChannel connect(URI base) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
    ch.socket().setTcpNoDelay(true);
    ch.configureBlocking(false);
    return ch;
  }

  /**
   * One request sent over a connection of its own, returning once it is answered: for the set-up
   * (the namespace, the marker pod). Fails with the server's answer unless it is 2xx.
   */
  static void post(URI base, String path, byte[] body) {
    CreateSenders one = posts(base, path, List.of(body), new AtomicLongArray(1));
    one.run(1);
    if (one.succeeded != 1) {
      throw new IllegalStateException("POST " + path + " was refused: " + one.firstFailure);
    }
  }

  /** A keep-alive connection: the request being written and the response being read. */
  private final class Connection {
    private final SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer out;
    private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    /** Once the head is parsed: the status, and where the body ends (-1 while chunked and unknown). */
    private int status = -1;
    private int bodyStart;
    private long bodyEnd = -1;
    private boolean chunked;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void send(byte[] request) throws IOException {
      out = ByteBuffer.wrap(request);
      flush();
    }

    void flush() throws IOException {
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Reads what has come; true once a whole response is in (it is then tallied and dropped). */
    boolean read() throws IOException {
      if (!in.hasRemaining()) {
        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
      }
      if (channel.read(in) < 0) {
        throw new IOException("the server closed a connection with a request in flight");
      }
      byte[] a = in.array();
      int length = in.position();
      if (status < 0) {
        int end = WatchReaders.indexOf(a, length, HEAD_END, 0);
        if (end < 0) {
          return false;
        }
        bodyStart = end + HEAD_END.length;
        head(new String(a, 0, end, StandardCharsets.ISO_8859_1));
      }
      int end = chunked ? chunkedEnd(a, length) : (int) Math.min(Integer.MAX_VALUE, bodyEnd);
      if (end < 0 || length < end) {
        return false;
      }
      if (status / 100 == 2) {
        succeeded++;
      } else {
        failed++;
        if (firstFailure == null) {
          firstFailure = new String(a, 0, Math.min(end, 600), StandardCharsets.UTF_8);
        }
      }
      if (length > end) {
        throw new IOException("the server sent more than one response to one request");
      }
      in.clear();
      status = -1;
      return true;
    }

    private void head(String head) throws IOException {
      String[] lines = head.split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP response: " + lines[0]);
      }
      status = Integer.parseInt(statusLine[1]);
      chunked = false;
      long contentLength = -1;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        String name = lines[i].substring(0, Math.max(0, colon)).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        if (name.equals("content-length")) {
          contentLength = Long.parseLong(value);
        } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
          chunked = true;
        } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
          throw new IOException("the server closes the connection after each response (" + lines[0] + ")");
        }
      }
      if (!chunked && contentLength < 0) {
        throw new IOException("a response with neither Content-Length nor chunked encoding: " + lines[0]);
      }
      bodyEnd = chunked ? -1 : bodyStart + contentLength;
    }

    /** Where a chunked body ends (after its last, empty chunk and final CRLF), or -1 if not all in. */
    private int chunkedEnd(byte[] a, int length) {
      int at = bodyStart;
      while (true) {
        int lineEnd = WatchReaders.indexOf(a, length, CRLF, at);
        if (lineEnd < 0) {
          return -1;
        }
        String sizeField = new String(a, at, lineEnd - at, StandardCharsets.US_ASCII);
        int semi = sizeField.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeField : sizeField.substring(0, semi)).trim(), 16);
        at = lineEnd + 2;
        if (size == 0) {
          // No trailers are expected: the last chunk is followed by the final CRLF.
          return at + 2 <= length ? at + 2 : -1;
        }
        at += size + 2;
        if (at > length) {
          return -1;
        }
      }
    }
  }
}
