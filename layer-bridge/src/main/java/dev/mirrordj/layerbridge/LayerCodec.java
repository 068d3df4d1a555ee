package dev.mirrordj.layerbridge;

import dev.mirrordj.layerbridge.msg.DirEntry;
import dev.mirrordj.layerbridge.msg.FileMeta;
import dev.mirrordj.layerbridge.msg.LayerOp;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerReplyTag;
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
    LayerOp known = LayerOp.of(op);
    if (known == null) {
      throw new LayerProtocolException(
          "unknown request op " + op + ", accepted " + java.util.Arrays.toString(LayerOp.values()));
    }
    LayerRequest req =
        switch (known) {
          case HELLO -> new LayerRequest.Hello(r.u32(), r.u32(), r.str(), r.str());
          // getsockname of a redirected stream
          case CONNINFO -> new LayerRequest.ConnectionInfo(r.addr());
          case OPEN -> new LayerRequest.Open(r.str(), r.u32(), r.u32());
          case STAT -> new LayerRequest.Stat(r.str(), r.u8() != 0);
          case ACCESS -> new LayerRequest.Access(r.str(), r.u32());
          case PATHOP -> {
            int code = r.u8();
            LayerRequest.PathOp.Op pathOp = LayerRequest.PathOp.Op.of(code);
            if (pathOp == null)
              throw new LayerProtocolException(
                  "unknown path operation "
                      + code
                      + ", accepted "
                      + java.util.Arrays.toString(LayerRequest.PathOp.Op.values()));
            yield new LayerRequest.PathOp(pathOp, r.str(), r.str(), r.u64());
          }
          case WRITEBACK -> new LayerRequest.WriteBack(r.str(), r.bytes());
          case CONNECT -> {
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
          case DNS -> new LayerRequest.Dns(r.str(), r.str(), r.u32(), r.u32(), r.u32(), r.u32());
          case HOSTNAME -> new LayerRequest.Hostname();
          case LISTEN -> {
            SockAddr bound = r.addr();
            // optional: the port the program asked for (differs from bound under listen_ports)
            yield new LayerRequest.Listen(bound, r.pos < body.length() ? r.u32() : bound.port());
          }
          case GETENV -> new LayerRequest.GetEnv();
          case UNLISTEN -> new LayerRequest.Unlisten(r.addr()); // incoming: listener closed
          case BINDBUSY -> new LayerRequest.BindBusy(r.addr()); // incoming: port busy locally
          case STATFS -> new LayerRequest.StatFs(r.str());
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
      b.appendByte(tag(LayerReplyTag.LOCAL));
    } else if (reply instanceof LayerReply.Errno e) {
      b.appendByte(tag(LayerReplyTag.ERRNO)).appendInt(e.errno());
    } else if (reply instanceof LayerReply.Ok) {
      b.appendByte(tag(LayerReplyTag.OK));
    } else if (reply instanceof LayerReply.FileContent f) {
      b.appendByte(tag(LayerReplyTag.FILE)).appendByte((byte) (f.writable() ? 1 : 0));
      meta(b, f.meta());
      bytes(b, f.content());
    } else if (reply instanceof LayerReply.Directory d) {
      b.appendByte(tag(LayerReplyTag.DIR)).appendInt(d.entries().size());
      for (DirEntry e : d.entries()) {
        str(b, e.name());
        b.appendByte((byte) e.type());
        str(b, e.linkTarget());
      }
    } else if (reply instanceof LayerReply.Meta m) {
      b.appendByte(tag(LayerReplyTag.META));
      meta(b, m.meta());
    } else if (reply instanceof LayerReply.FsStats f) {
      dev.mirrordj.protocol.FsStat st = f.stat();
      b.appendByte(tag(LayerReplyTag.FSSTAT));
      b.appendLong(st.type()).appendLong(st.blockSize()).appendLong(st.blocks());
      b.appendLong(st.blocksFree()).appendLong(st.blocksAvailable());
      b.appendLong(st.files()).appendLong(st.filesFree()).appendLong(st.fsid());
      b.appendLong(st.nameMax()).appendLong(st.fragmentSize()).appendLong(st.flags());
    } else if (reply instanceof LayerReply.Redirect rd) {
      b.appendByte(tag(LayerReplyTag.REDIRECT));
      addr(b, rd.interceptor());
    } else if (reply instanceof LayerReply.Addresses a) {
      b.appendByte(tag(LayerReplyTag.ADDRS));
      str(b, a.canonicalName());
      b.appendInt(a.addresses().size());
      for (InetAddress ip : a.addresses()) {
        byte[] raw = ip.getAddress();
        b.appendByte((byte) (raw.length == 4 ? 4 : 6));
        bytes(b, raw);
      }
    } else if (reply instanceof LayerReply.Name n) {
      b.appendByte(tag(LayerReplyTag.NAME));
      str(b, n.name());
    } else if (reply instanceof LayerReply.Hello h) {
      b.appendByte(tag(LayerReplyTag.HELLO)).appendInt(h.flags());
      strings(b, h.localPrefixes());
      strings(b, h.localSuffixes());
      b.appendInt(h.listenPorts().size());
      h.listenPorts().forEach((requested, local) -> b.appendInt(requested).appendInt(local));
    } else if (reply instanceof LayerReply.Eai e) {
      b.appendByte(tag(LayerReplyTag.EAI)).appendInt(e.code());
    } else if (reply instanceof LayerReply.Address a) {
      b.appendByte(tag(LayerReplyTag.ADDRESS));
      addr(b, a.address());
    } else if (reply instanceof LayerReply.Environment env) {
      b.appendByte(tag(LayerReplyTag.ENV)).appendInt(env.variables().size());
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

  private static byte tag(LayerReplyTag t) {
    return (byte) t.code;
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
