package dev.mirrordj.agent.dns;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loopback name server whose UDP answers are truncated (TC bit, one record of three, the last one
 * cut mid-record) while TCP carries the whole answer: the exchange must fall back to TCP.
 */
@Timeout(30)
class DnsExchangeTest {
  private static final byte[][] ADDRESSES = {{10, 1, 0, 1}, {10, 1, 0, 2}, {10, 1, 0, 3}};
  private final AtomicInteger tcpQuestions = new AtomicInteger();
  private DatagramSocket udp;
  private ServerSocket tcp;

  @AfterEach
  void stop() throws Exception {
    if (udp != null) udp.close();
    if (tcp != null) tcp.close();
  }

  @Test
  void truncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
    InetSocketAddress server = startServer(true);
    DnsWire.Response r = DnsExchange.ask(server, "many.example", DnsWire.TYPE_A, 10_000);
    assertFalse(r.truncated(), "the answer used is the full TCP one");
    assertEquals(1, tcpQuestions.get(), "asked once over TCP");
    List<byte[]> got = r.answers().stream().map(DnsWire.Answer::address).toList();
    assertEquals(3, got.size(), "all records of the TCP answer");
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(ADDRESSES[i], got.get(i));
    }
  }

  @Test
  void completeUdpAnswerNeedsNoTcp() throws Exception {
    InetSocketAddress server = startServer(false);
    DnsWire.Response r = DnsExchange.ask(server, "many.example", DnsWire.TYPE_A, 10_000);
    assertEquals(3, r.answers().size());
    assertEquals(0, tcpQuestions.get());
  }

  /** Binds UDP and TCP on the same free loopback port; the UDP answer is truncated when asked. */
  private InetSocketAddress startServer(boolean truncateUdp) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    while (true) {
      udp = new DatagramSocket(0, lo);
      try {
        tcp = new ServerSocket(udp.getLocalPort(), 8, lo);
        break;
      } catch (java.net.BindException taken) {
        udp.close();
      }
    }
    Thread u = new Thread(() -> serveUdp(truncateUdp), "fake-dns-udp");
    Thread t = new Thread(this::serveTcp, "fake-dns-tcp");
    u.setDaemon(true);
    t.setDaemon(true);
    u.start();
    t.start();
    return new InetSocketAddress(lo, udp.getLocalPort());
  }

  private void serveUdp(boolean truncate) {
    byte[] buf = new byte[512];
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        byte[] full = answer(buf, p.getLength(), false);
        byte[] out =
            truncate
                ? java.util.Arrays.copyOf(answer(buf, p.getLength(), true), full.length - 30)
                : full;
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      }
    } catch (Exception closed) {
      // test over
    }
  }

  private void serveTcp() {
    try {
      while (true) {
        try (Socket s = tcp.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          byte[] q = new byte[in.readUnsignedShort()];
          in.readFully(q);
          tcpQuestions.incrementAndGet();
          byte[] a = answer(q, q.length, false);
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeShort(a.length);
          out.write(a);
          out.flush();
        }
      }
    } catch (Exception closed) {
      // test over
    }
  }

  /** Three A records for the question in {@code q}; {@code tc} sets the truncation bit. */
  private static byte[] answer(byte[] q, int qlen, boolean tc) {
    ByteBuffer b = ByteBuffer.allocate(512);
    b.put(q, 0, 2);
    b.putShort((short) (0x8180 | (tc ? 0x0200 : 0)));
    b.putShort((short) 1).putShort((short) 3).putShort((short) 0).putShort((short) 0);
    b.put(q, 12, qlen - 12);
    for (byte[] a : ADDRESSES) {
      b.putShort((short) 0xc00c)
          .putShort((short) 1)
          .putShort((short) 1)
          .putInt(30)
          .putShort((short) 4)
          .put(a);
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }
}
