package dev.mirrordj.agent.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;

/**
 * One DNS question to one server over UDP, with a random id and a deadline; answers with another id
 * (late replies to earlier questions, spoofing attempts) are ignored. A truncated answer (TC bit)
 * is asked again over TCP, as libc does, so large record sets are not lost. Sockets are created on
 * the calling thread, so that thread decides the network namespace.
 */
final class DnsExchange {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TC_BIT = 0x02; // in the third header byte

  private DnsExchange() {}

  static DnsWire.Response ask(InetSocketAddress server, String name, int qtype, long timeoutMs)
      throws IOException {
    int id = RANDOM.nextInt(0x10000);
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    try (DatagramChannel ch = DatagramChannel.open();
        Selector sel = Selector.open()) {
      ch.connect(server);
      ch.configureBlocking(false);
      ch.write(ByteBuffer.wrap(DnsWire.query(id, name, qtype)));
      ch.register(sel, SelectionKey.OP_READ);
      ByteBuffer in = ByteBuffer.allocate(4096);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || sel.select(left) == 0 && System.nanoTime() >= deadline) {
          throw new SocketTimeoutException("no DNS answer from " + show(server));
        }
        sel.selectedKeys().clear();
        in.clear();
        if (ch.read(in) < 4) {
          continue;
        }
        byte[] msg = in.array();
        if (((msg[0] & 0xff) << 8 | (msg[1] & 0xff)) != id) {
          continue;
        }
        // a truncated answer may end mid-record: look at the TC bit before parsing anything else
        if ((msg[2] & TC_BIT) != 0) {
          return overTcp(server, name, qtype, deadline);
        }
        return DnsWire.parse(msg, in.position());
      }
    }
  }

  /**
   * The same question over TCP (RFC 1035 4.2.2: two-byte length prefix), within what is left of the
   * deadline.
   */
  static DnsWire.Response overTcp(InetSocketAddress server, String name, int qtype, long deadline)
      throws IOException {
    int id = RANDOM.nextInt(0x10000);
    int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    try (Socket s = new Socket()) {
      s.connect(server, left);
      s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      byte[] q = DnsWire.query(id, name, qtype);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] msg = new byte[in.readUnsignedShort()];
      in.readFully(msg);
      DnsWire.Response r = DnsWire.parse(msg, msg.length);
      if (r.id() != id) {
        throw new IllegalArgumentException(
            "DNS answer over TCP from " + show(server) + " has the wrong id");
      }
      return r;
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException(
          "DNS server " + show(server) + " closed the TCP connection mid-answer");
    }
  }

  private static String show(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }
}
