package io.kubesim.controlplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.util.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

  @ParameterizedTest(name = "a {0}-byte payload has a {1}-byte header")
  @CsvSource({"0, 2", "125, 2", "126, 4", "65535, 4", "65536, 10"})
  void aServerFrameIsUnmaskedWithTheShortestLengthEncoding(int length, int headerBytes) {
    ByteString f = WebSocketFrames.frame(WebSocketFrames.TEXT, ByteString.fromArray(new byte[length]));

    assertThat(f.size()).isEqualTo(headerBytes + length);
    assertThat(f.apply(0) & 0xff).as("FIN and text").isEqualTo(0x81);
    assertThat(f.apply(1) & 0x80).as("not masked").isZero();
    List<WebSocketFrames.Frame> read = new ArrayList<>();
    assertThat(WebSocketFrames.read(f, read::add).isEmpty()).isTrue();
    assertThat(read).singleElement().satisfies(r -> assertThat(r.payload().size()).isEqualTo(length));
  }

  @Test
  void aMaskedClientFrameIsReadUnmasked() {
    ByteString ping = clientFrame(WebSocketFrames.PING, "hi");
    List<WebSocketFrames.Frame> read = new ArrayList<>();

    WebSocketFrames.read(ping, read::add);

    assertThat(read).singleElement().satisfies(f -> {
      assertThat(f.opcode()).isEqualTo(WebSocketFrames.PING);
      assertThat(f.fin()).isTrue();
      assertThat(f.payload().utf8String()).isEqualTo("hi");
    });
  }

  @Test
  void anIncompleteFrameIsLeftForTheNextBytes() {
    ByteString two = clientFrame(WebSocketFrames.TEXT, "one").concat(clientFrame(WebSocketFrames.TEXT, "two"));
    List<WebSocketFrames.Frame> read = new ArrayList<>();

    ByteString rest = WebSocketFrames.read(two.take(two.size() - 1), read::add);
    assertThat(read).extracting(f -> f.payload().utf8String()).containsExactly("one");

    WebSocketFrames.read(rest.concat(two.drop(two.size() - 1)), read::add);
    assertThat(read).extracting(f -> f.payload().utf8String()).containsExactly("one", "two");
  }

  @Test
  void aCloseFrameCarriesItsStatusCode() {
    List<WebSocketFrames.Frame> read = new ArrayList<>();

    WebSocketFrames.read(WebSocketFrames.close(WebSocketFrames.NORMAL_CLOSURE), read::add);

    assertThat(read).singleElement().satisfies(f -> {
      assertThat(f.opcode()).isEqualTo(WebSocketFrames.CLOSE);
      assertThat(((f.payload().apply(0) & 0xff) << 8) | (f.payload().apply(1) & 0xff)).isEqualTo(1000);
    });
  }

  private static ByteString clientFrame(int opcode, String text) {
    byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    byte[] out = new byte[6 + payload.length];
    out[0] = (byte) (0x80 | opcode);
    out[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, out, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      out[6 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return ByteString.fromArray(out);
  }
}
