package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed layer input closes that one connection; the server keeps serving everyone else. */
class LayerServerRobustnessTest {
  @TempDir Path work;

  @Test
  void decoderRejectsBadFramesWithAReason() {
    assertThrows(
        LayerProtocolException.class, () -> LayerCodec.decode(Buffer.buffer(new byte[] {99})));
    assertThrows(
        LayerProtocolException.class,
        () -> LayerCodec.decode(Buffer.buffer(new byte[] {2, 0, 0, 0, 50, 'x'})));
    LayerProtocolException e =
        assertThrows(
            LayerProtocolException.class,
            () ->
                LayerCodec.decode(
                    Buffer.buffer(new byte[] {7, 9, 4, 0, 0, 0, 4, 1, 2, 3, 4, 0, 0, 0, 1})));
    assertEquals("unknown socket type 9, accepted 1 (stream) or 2 (datagram)", e.getMessage());
  }

  @Test
  void garbageClosesOneConnectionOnly() throws Exception {
    try (LayerHarness h = new LayerHarness(work)) {
      UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(h.server.socketPath());
      try (SocketChannel bad = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        bad.connect(addr);
        DataOutputStream out = new DataOutputStream(Channels.newOutputStream(bad));
        out.writeInt(0x7fffffff); // absurd frame length
        out.flush();
        assertEquals(
            -1, Channels.newInputStream(bad).read(), "server must close the bad connection");
      }
      try (SocketChannel early = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        early.connect(addr);
        DataOutputStream out = new DataOutputStream(Channels.newOutputStream(early));
        out.writeInt(1);
        out.writeByte(9); // Hostname before Hello
        out.flush();
        assertEquals(
            -1, Channels.newInputStream(early).read(), "requests before Hello are refused");
      }
      // a well-behaved layer is still served
      LayerHarness.Result r = h.run(List.of("/bin/cat", "/mirrord-remote/hello.txt"));
      assertEquals("hello from the pod\n", r.stdout(), r.stderr());
    }
  }

  @Test
  void libraryIsExtractedOncePerContentHash() throws Exception {
    Path a = LayerLibrary.extract(work);
    Path b = LayerLibrary.extract(work);
    assertEquals(a, b);
    assertEquals(16, a.getParent().getFileName().toString().length());
    byte[] bytes = Files.readAllBytes(a);
    assertNotEquals(0, bytes.length);
    assertEquals(0x7f, bytes[0]);
    assertEquals('E', bytes[1]);
    try (DataInputStream ignored = new DataInputStream(Files.newInputStream(a))) {
      assertEquals(1, Files.list(work).count());
    }
  }
}
