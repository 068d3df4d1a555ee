package dev.mirrordj.agent.dns;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Minimal DNS message encoding (RFC 1035): one question out, answers (A, AAAA, CNAME, PTR) in. */
final class DnsWire {
  static final int TYPE_A = 1;
  static final int TYPE_CNAME = 5;
  static final int TYPE_PTR = 12;
  static final int TYPE_AAAA = 28;
  static final int RCODE_NXDOMAIN = 3;

  /** One answer record: its type and either address bytes (A/AAAA) or a name (CNAME/PTR). */
  record Answer(int type, byte[] address, String name) {}

  /** A parsed response. {@code truncated} is the TC bit. */
  record Response(int id, int rcode, boolean truncated, List<Answer> answers) {}

  private DnsWire() {}

  static byte[] query(int id, String name, int qtype) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.write(id >> 8);
    out.write(id);
    out.write(0x01); // RD
    out.write(0x00);
    out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.UTF_8);
      if (b.length == 0) {
        continue;
      }
      if (b.length > 63) {
        throw new IllegalArgumentException("DNS label longer than 63 bytes in " + name);
      }
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
    out.writeBytes(new byte[] {(byte) (qtype >> 8), (byte) qtype, 0, 1});
    return out.toByteArray();
  }

  /** Parses a response; throws IllegalArgumentException on anything malformed. */
  static Response parse(byte[] msg, int length) {
    try {
      ByteBuffer b = ByteBuffer.wrap(msg, 0, length);
      int id = b.getShort() & 0xffff;
      int flags = b.getShort() & 0xffff;
      int qd = b.getShort() & 0xffff;
      int an = b.getShort() & 0xffff;
      b.getShort();
      b.getShort();
      for (int i = 0; i < qd; i++) {
        readName(b, msg);
        b.getInt();
      }
      List<Answer> answers = new ArrayList<>();
      for (int i = 0; i < an; i++) {
        readName(b, msg);
        int type = b.getShort() & 0xffff;
        b.getShort();
        b.getInt();
        int rdlen = b.getShort() & 0xffff;
        int start = b.position();
        if ((type == TYPE_A && rdlen == 4) || (type == TYPE_AAAA && rdlen == 16)) {
          byte[] a = new byte[rdlen];
          b.get(a);
          answers.add(new Answer(type, a, null));
        } else if (type == TYPE_CNAME || type == TYPE_PTR) {
          answers.add(new Answer(type, null, readName(b, msg)));
        }
        b.position(start + rdlen);
      }
      return new Response(id, flags & 0xf, (flags & 0x0200) != 0, answers);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated DNS message");
    }
  }

  /** Reads a possibly compressed name; pointer chains are bounded to stop loops. */
  private static String readName(ByteBuffer b, byte[] msg) {
    StringBuilder sb = new StringBuilder();
    int pos = b.position();
    int jumps = 0;
    boolean jumped = false;
    while (true) {
      int len = msg[pos] & 0xff;
      if ((len & 0xc0) == 0xc0) {
        if (++jumps > 32) {
          throw new IllegalArgumentException("DNS name compression loop");
        }
        int ptr = ((len & 0x3f) << 8) | (msg[pos + 1] & 0xff);
        if (!jumped) {
          b.position(pos + 2);
        }
        jumped = true;
        pos = ptr;
      } else if (len == 0) {
        if (!jumped) {
          b.position(pos + 1);
        }
        return sb.toString();
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(new String(msg, pos + 1, len, StandardCharsets.UTF_8));
        pos += 1 + len;
      }
    }
  }
}
