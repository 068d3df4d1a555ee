package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes and decodes the layer protocol (big-endian; strings and byte arrays carry a u32 length).
 * The exact layout is documented in layer-bridge/README.md and mirrored by src/main/c/*.c.
 */
public final class LayerCodec {

  private LayerCodec() {}

  /** Decodes one frame body (without its length prefix). */
  public static LayerRequest decode(Buffer body) {
    Reader r = new Reader(body);
    int op = r.u8();
    LayerRequest req =
        switch (op) {
          case 1 -> new LayerRequest.Hello(r.u32(), r.u32(), r.str(), r.str());
          case 13 ->
              new LayerRequest.ConnectionInfo(r.addr()); // getsockname of a redirected stream
          case 2 -> new LayerRequest.Open(r.str(), r.u32(), r.u32());
          case 3 -> new LayerRequest.Stat(r.str(), r.u8() != 0);
          case 4 -> new LayerRequest.Access(r.str(), r.u32());
          case 5 -> {
            int code = r.u8();
            LayerRequest.PathOp.Op[] ops = LayerRequest.PathOp.Op.values();
            if (code < 1 || code > ops.length)
              throw new LayerProtocolException(
                  "unknown path operation " + code + ", accepted 1.." + ops.length);
            yield new LayerRequest.PathOp(ops[code - 1], r.str(), r.str(), r.u64());
          }
          case 6 -> new LayerRequest.WriteBack(r.str(), r.bytes());
          case 7 -> {
            int type = r.u8();
            LayerRequest.SockType t =
                switch (type) {
                  case 1 -> LayerRequest.SockType.STREAM;
                  case 2 -> LayerRequest.SockType.DGRAM;
                  default ->
                      throw new LayerProtocolException(
                          "unknown socket type " + type + ", accepted 1 (stream) or 2 (datagram)");
                };
            SockAddr target = r.addr();
            yield new LayerRequest.Connect(t, target, (r.u8() & 1) != 0);
          }
          case 8 -> new LayerRequest.Dns(r.str(), r.str(), r.u32(), r.u32(), r.u32(), r.u32());
          case 9 -> new LayerRequest.Hostname();
          case 10 -> {
            SockAddr bound = r.addr();
            // optional: the port the program asked for (differs from bound under listen_ports)
            yield new LayerRequest.Listen(bound, r.pos < body.length() ? r.u32() : bound.port());
          }
          case 11 -> new LayerRequest.GetEnv();
          case 12 -> new LayerRequest.Unlisten(r.addr()); // incoming: listener closed
          case 14 -> new LayerRequest.BindBusy(r.addr()); // incoming: requested port busy locally
          default ->
              throw new LayerProtocolException("unknown request op " + op + ", accepted 1..14");
        };
    if (r.pos != body.length()) {
      throw new LayerProtocolException(
          (body.length() - r.pos) + " trailing bytes after request op " + op);
    }
    return req;
  }

  /** Encodes a reply including its frame length. */
  public static Buffer encode(LayerReply reply) {
    Buffer b = Buffer.buffer();
    b.appendInt(0);
    if (reply instanceof LayerReply.Local) {
      b.appendByte((byte) 0);
    } else if (reply instanceof LayerReply.Errno e) {
      b.appendByte((byte) 1).appendInt(e.errno());
    } else if (reply instanceof LayerReply.Ok) {
      b.appendByte((byte) 2);
    } else if (reply instanceof LayerReply.FileContent f) {
      b.appendByte((byte) 3).appendByte((byte) (f.writable() ? 1 : 0));
      meta(b, f.meta());
      bytes(b, f.content());
    } else if (reply instanceof LayerReply.Directory d) {
      b.appendByte((byte) 4).appendInt(d.entries().size());
      for (DirEntry e : d.entries()) {
        str(b, e.name());
        b.appendByte((byte) e.type());
        str(b, e.linkTarget());
      }
    } else if (reply instanceof LayerReply.Meta m) {
      b.appendByte((byte) 5);
      meta(b, m.meta());
    } else if (reply instanceof LayerReply.Redirect rd) {
      b.appendByte((byte) 6);
      addr(b, rd.interceptor());
    } else if (reply instanceof LayerReply.Addresses a) {
      b.appendByte((byte) 7);
      str(b, a.canonicalName());
      b.appendInt(a.addresses().size());
      for (InetAddress ip : a.addresses()) {
        byte[] raw = ip.getAddress();
        b.appendByte((byte) (raw.length == 4 ? 4 : 6));
        bytes(b, raw);
      }
    } else if (reply instanceof LayerReply.Name n) {
      b.appendByte((byte) 8);
      str(b, n.name());
    } else if (reply instanceof LayerReply.Hello h) {
      b.appendByte((byte) 9).appendInt(h.flags());
      strings(b, h.localPrefixes());
      strings(b, h.localSuffixes());
      b.appendInt(h.listenPorts().size());
      h.listenPorts().forEach((requested, local) -> b.appendInt(requested).appendInt(local));
    } else if (reply instanceof LayerReply.Eai e) {
      b.appendByte((byte) 10).appendInt(e.code());
    } else if (reply instanceof LayerReply.Address a) {
      b.appendByte((byte) 12);
      addr(b, a.address());
    } else if (reply instanceof LayerReply.Environment env) {
      b.appendByte((byte) 11).appendInt(env.variables().size());
      env.variables()
          .forEach(
              (k, v) -> {
                str(b, k);
                str(b, v);
              });
    }
    b.setInt(0, b.length() - 4);
    return b;
  }

  private static void meta(Buffer b, FileMeta m) {
    b.appendLong(m.dev()).appendLong(m.ino()).appendLong(m.nlink());
    b.appendInt(m.mode()).appendInt(m.uid()).appendInt(m.gid());
    b.appendLong(m.size()).appendLong(m.blksize()).appendLong(m.blocks());
    b.appendLong(m.atimeSec()).appendInt(m.atimeNsec());
    b.appendLong(m.mtimeSec()).appendInt(m.mtimeNsec());
    b.appendLong(m.ctimeSec()).appendInt(m.ctimeNsec());
  }

  private static void addr(Buffer b, SockAddr a) {
    b.appendByte((byte) a.kind().tag);
    if (a.isInet()) bytes(b, a.ip());
    else str(b, a.unixPath());
    b.appendInt(a.port());
  }

  private static void strings(Buffer b, List<String> list) {
    b.appendInt(list.size());
    list.forEach(s -> str(b, s));
  }

  private static void str(Buffer b, String s) {
    bytes(b, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(Buffer b, byte[] data) {
    b.appendInt(data.length).appendBytes(data);
  }

  /** Bounds-checked cursor over a frame body. */
  private static final class Reader {
    private final Buffer buf;
    private int pos;

    Reader(Buffer buf) {
      this.buf = buf;
    }

    private void need(int n) {
      if (n < 0 || pos + n > buf.length()) {
        throw new LayerProtocolException(
            "truncated frame: need " + n + " bytes at offset " + pos + " of " + buf.length());
      }
    }

    int u8() {
      need(1);
      return buf.getUnsignedByte(pos++);
    }

    int u32() {
      need(4);
      int v = buf.getInt(pos);
      pos += 4;
      return v;
    }

    long u64() {
      need(8);
      long v = buf.getLong(pos);
      pos += 8;
      return v;
    }

    byte[] bytes() {
      int n = u32();
      need(n);
      byte[] out = buf.getBytes(pos, pos + n);
      pos += n;
      return out;
    }

    String str() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    SockAddr addr() {
      int fam = u8();
      byte[] raw = bytes();
      int port = u32();
      return switch (fam) {
        case 1 -> SockAddr.unix(new String(raw, StandardCharsets.UTF_8));
        case 4 -> {
          if (raw.length != 4)
            throw new LayerProtocolException("IPv4 address of " + raw.length + " bytes");
          yield new SockAddr(SockAddr.Kind.INET4, raw, null, port);
        }
        case 6 -> {
          if (raw.length != 16)
            throw new LayerProtocolException("IPv6 address of " + raw.length + " bytes");
          yield new SockAddr(SockAddr.Kind.INET6, raw, null, port);
        }
        default ->
            throw new LayerProtocolException(
                "unknown address family tag " + fam + ", accepted 1, 4, 6");
      };
    }
  }
}
