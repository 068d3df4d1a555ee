import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * Half-close client: connect, optionally wait, send a known payload, shutdownOutput (FIN), read to
 * EOF. Usage: HalfClose tcp HOST PORT DELAY_MS SIZE | unix PATH DELAY_MS SIZE
 */
public class HalfClose {
  public static void main(String[] a) throws Exception {
    boolean tcp = a[0].equals("tcp");
    SocketChannel ch;
    int r;
    if (tcp) {
      ch = SocketChannel.open(new InetSocketAddress(a[1], Integer.parseInt(a[2])));
      r = 3;
    } else {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(a[1]));
      r = 2;
    }
    int delayMs = Integer.parseInt(a[r]);
    int size = Integer.parseInt(a[r + 1]);
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) payload[i] = (byte) ((i * 7 + 3) % 251);
    if (delayMs > 0) Thread.sleep(delayMs);
    ByteBuffer out = ByteBuffer.wrap(payload);
    while (out.hasRemaining()) ch.write(out);
    ch.shutdownOutput();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer in = ByteBuffer.allocate(65536);
    while (ch.read(in) >= 0) {
      got.write(in.array(), 0, in.position());
      in.clear();
    }
    ch.close();
    byte[] g = got.toByteArray();
    System.out.println(
        "sent=" + size + " got=" + g.length + " same=" + (Arrays.equals(g, payload) ? "True" : "False"));
  }
}
