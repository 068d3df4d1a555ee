package dev.mirrordj.protocol;

import static dev.mirrordj.protocol.MessageTypes.*;

import io.vertx.core.buffer.Buffer;

/**
 * Outgoing streams made from the target's network namespace. The client picks the connection id.
 * Data, shutdown, close and credit frames travel in both directions with request id 0.
 *
 * <p>Flow control: each side may have at most {@link #INITIAL_WINDOW} unacknowledged bytes of
 * {@link Data} in flight per TCP/unix connection; the receiver returns {@link Credit} once it has
 * passed bytes on (written to the socket or to the program). UDP datagrams are not credited: a
 * receiver that cannot keep up drops them, as UDP would.
 */
public final class Net {
  private Net() {}

  public static final int KIND_TCP = 1;
  public static final int KIND_UDP = 2;
  public static final int KIND_UNIX = 3;

  /**
   * Bytes in flight per stream and direction. The credit round trip crosses several event loops on
   * both ends; on a loaded machine it takes milliseconds, and a stream moves at most one window per
   * round trip (256 KiB gave ~8 MB/s at a 30 ms round trip).
   */
  public static final int INITIAL_WINDOW = 2 * 1024 * 1024;

  /** Largest payload of one Data frame. */
  public static final int MAX_CHUNK = 64 * 1024;

  /**
   * {@code host} is an IP literal for TCP/UDP or an absolute path (inside the target root) for
   * unix; {@code port} is ignored for unix. Reply {@link Connected} or an error (ECONNREFUSED,
   * ...).
   */
  public record Connect(long connId, int kind, String host, int port) implements Message {
    public int type() {
      return NET_CONNECT;
    }

    public void encode(WireWriter w) {
      w.i64(connId).u8(kind).string(host).u16(port);
    }

    static Connect decode(WireReader r) {
      return new Connect(r.i64(), r.u8(), r.string(), r.u16());
    }
  }

  /** Local and peer address as the pod sees them (unix: paths, port 0). */
  public record Connected(
      long connId, String localHost, int localPort, String remoteHost, int remotePort)
      implements Message {
    public int type() {
      return NET_CONNECTED;
    }

    public void encode(WireWriter w) {
      w.i64(connId).string(localHost).u16(localPort).string(remoteHost).u16(remotePort);
    }

    static Connected decode(WireReader r) {
      return new Connected(r.i64(), r.string(), r.u16(), r.string(), r.u16());
    }
  }

  public record Data(long connId, Buffer data) implements Message {
    public int type() {
      return NET_DATA;
    }

    public void encode(WireWriter w) {
      w.i64(connId).bytes(data);
    }

    static Data decode(WireReader r) {
      return new Data(r.i64(), r.bytes());
    }
  }

  /** The sender will write no more (TCP FIN); the other direction stays open. */
  public record Shutdown(long connId) implements Message {
    public int type() {
      return NET_SHUTDOWN;
    }

    public void encode(WireWriter w) {
      w.i64(connId);
    }

    static Shutdown decode(WireReader r) {
      return new Shutdown(r.i64());
    }
  }

  /**
   * The connection is gone; {@code errno} 0 for an orderly close, else the cause (ECONNRESET, ...).
   */
  public record Close(long connId, int errno) implements Message {
    public int type() {
      return NET_CLOSE;
    }

    public void encode(WireWriter w) {
      w.i64(connId).i32(errno);
    }

    static Close decode(WireReader r) {
      return new Close(r.i64(), r.i32());
    }
  }

  /** The receiver consumed {@code bytes} more; the sender may send that much more. */
  public record Credit(long connId, int bytes) implements Message {
    public int type() {
      return NET_CREDIT;
    }

    public void encode(WireWriter w) {
      w.i64(connId).i32(bytes);
    }

    static Credit decode(WireReader r) {
      long id = r.i64();
      int n = r.i32();
      if (n <= 0) {
        throw new ProtocolException("Credit must be positive, got " + n);
      }
      return new Credit(id, n);
    }
  }
}
