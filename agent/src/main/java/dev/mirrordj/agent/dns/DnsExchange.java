package dev.mirrordj.agent.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;

/**
 * One DNS question to one server over UDP, with a random id and a deadline; answers with another id
 * (late replies to earlier questions, spoofing attempts) are ignored. The socket is created on the
 * calling thread, so that thread decides the network namespace.
 */
final class DnsExchange {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DnsExchange() {}

  static DnsWire.Response ask(InetAddress server, String name, int qtype, long timeoutMs) throws IOException {
    int id = RANDOM.nextInt(0x10000);
    try (DatagramChannel ch = DatagramChannel.open(); Selector sel = Selector.open()) {
      ch.connect(new InetSocketAddress(server, 53));
      ch.configureBlocking(false);
      ch.write(ByteBuffer.wrap(DnsWire.query(id, name, qtype)));
      ch.register(sel, SelectionKey.OP_READ);
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      ByteBuffer in = ByteBuffer.allocate(4096);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || sel.select(left) == 0 && System.nanoTime() >= deadline) {
          throw new SocketTimeoutException("no DNS answer from " + server.getHostAddress());
        }
        sel.selectedKeys().clear();
        in.clear();
        if (ch.read(in) <= 0) {
          continue;
        }
        DnsWire.Response r = DnsWire.parse(in.array(), in.position());
        if (r.id() == id) {
          return r;
        }
      }
    }
  }
}
