package io.kubesim.controlplane.http;

import akka.util.ByteString;

/**
 * The few websocket frames (RFC 6455 section 5) a watch needs, written and read without
 * akka-http's message layer: a watch sends one text frame per event, built once per event and
 * shared by every watcher, and reads only the client's control frames (a close ends the watch, a
 * ping is answered). Server frames are never masked; client frames always are.
 */
final class WebSocketFrames {

  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** Status code 1000, normal closure (RFC 6455 section 7.4.1). */
  static final int NORMAL_CLOSURE = 1000;

  private WebSocketFrames() {}

  /** One unfragmented, unmasked frame: FIN, the opcode, the payload length, the payload. */
  static ByteString frame(int opcode, ByteString payload) {
    int n = payload.size();
    byte[] header;
    if (n < 126) {
      header = new byte[] {(byte) (0x80 | opcode), (byte) n};
    } else if (n < 65_536) {
      header = new byte[] {(byte) (0x80 | opcode), 126, (byte) (n >>> 8), (byte) n};
    } else {
      header = new byte[10];
      header[0] = (byte) (0x80 | opcode);
      header[1] = 127;
      for (int i = 0; i < 8; i++) {
        header[9 - i] = (byte) ((long) n >>> (8 * i));
      }
    }
    byte[] out = new byte[header.length + n];
    System.arraycopy(header, 0, out, 0, header.length);
    payload.copyToArray(out, header.length, n);
    return ByteString.fromArrayUnsafe(out);
  }

  /** A close frame with a status code (and no reason). */
  static ByteString close(int code) {
    return frame(CLOSE, ByteString.fromArrayUnsafe(new byte[] {(byte) (code >>> 8), (byte) code}));
  }

  /** One frame the client sent, its payload unmasked. */
  record Frame(int opcode, boolean fin, ByteString payload) {}

  /**
   * Reads whole frames off the start of {@code buffer}; hands each to {@code frames} and returns
   * what is left (the start of a frame not yet complete).
   */
  static ByteString read(ByteString buffer, java.util.function.Consumer<Frame> frames) {
    ByteString rest = buffer;
    while (rest.size() >= 2) {
      int b0 = rest.apply(0) & 0xff;
      int b1 = rest.apply(1) & 0xff;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7f;
      int at = 2;
      if (length == 126) {
        if (rest.size() < 4) {
          break;
        }
        length = ((rest.apply(2) & 0xff) << 8) | (rest.apply(3) & 0xff);
        at = 4;
      } else if (length == 127) {
        if (rest.size() < 10) {
          break;
        }
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | (rest.apply(2 + i) & 0xff);
        }
        at = 10;
      }
      int maskAt = at;
      if (masked) {
        at += 4;
      }
      if (length > Integer.MAX_VALUE - at) {
        throw new IllegalArgumentException("websocket frame too large: " + length + " bytes");
      }
      int end = at + (int) length;
      if (rest.size() < end) {
        break;
      }
      byte[] payload = rest.slice(at, end).toArray();
      if (masked) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= rest.apply(maskAt + (i & 3));
        }
      }
      frames.accept(new Frame(b0 & 0x0f, (b0 & 0x80) != 0, ByteString.fromArrayUnsafe(payload)));
      rest = rest.drop(end);
    }
    return rest.compact();
  }
}
