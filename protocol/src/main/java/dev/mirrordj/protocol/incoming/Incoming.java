package dev.mirrordj.protocol.incoming;

import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.WireReader;
import dev.mirrordj.protocol.WireWriter;
import io.vertx.core.buffer.Buffer;

/**
 * Incoming traffic (type range 0x0400-0x04FF, see protocol/README.md "Incoming traffic"): a client
 * subscribes a pod port in mirror or steal mode, optionally with an HTTP filter; the agent then
 * announces each connection it mirrors or steals and relays its bytes. Connection ids are chosen by
 * the agent. Notices travel with request id 0. Their decoders are part of {@link MessageCodec}'s
 * registry like every other message's.
 */
public final class Incoming {

  private Incoming() {}

  public static final int PORT_SUBSCRIBE = 0x0401;
  public static final int PORT_UNSUBSCRIBE = 0x0402;
  public static final int IN_CONNECTION = 0x0403;
  public static final int IN_DATA = 0x0404;
  public static final int IN_SHUTDOWN = 0x0405;
  public static final int IN_CLOSE = 0x0406;
  public static final int IN_LOSS = 0x0407;
  public static final int IN_CREDIT = 0x0408;

  /** Unacknowledged bytes allowed per direction of a stolen connection (see {@link Credit}). */
  public static final int WINDOW = 256 * 1024;

  public static final int MODE_MIRROR = 1;
  public static final int MODE_STEAL = 2;

  /**
   * Subscribe the pod's {@code port}. Filters are fancy-regex patterns; empty means unset. With
   * neither filter (and no {@code filter} tree) a steal takes the whole port. {@code matchAll}:
   * both filters must match (else either). {@code flushConnections}: reset established connections
   * (steal only). {@code filter}: a filter tree (method, JSON body, all-of / any-of), null when
   * unset; it travels in optional trailing fields together with the body buffering limits, so a
   * subscription without it is encoded exactly as before. Reply OK, or ERROR with EADDRINUSE (port
   * already stolen), EINVAL (bad filter), EPERM (rules failed).
   */
  public record Subscribe(
      int port,
      int mode,
      String headerFilter,
      String pathFilter,
      boolean matchAll,
      boolean flushConnections,
      FilterSpec filter,
      long maxBodyBytes,
      long bodyTimeoutMillis)
      implements Message {

    /** Limits used when a subscription carries none (the configuration's defaults). */
    public static final long DEFAULT_MAX_BODY_BYTES = 65535;

    public static final long DEFAULT_BODY_TIMEOUT_MILLIS = 1000;

    public Subscribe(
        int port,
        int mode,
        String headerFilter,
        String pathFilter,
        boolean matchAll,
        boolean flushConnections) {
      this(
          port,
          mode,
          headerFilter,
          pathFilter,
          matchAll,
          flushConnections,
          null,
          DEFAULT_MAX_BODY_BYTES,
          DEFAULT_BODY_TIMEOUT_MILLIS);
    }

    public int type() {
      return PORT_SUBSCRIBE;
    }

    /** Whether the subscription filters requests at all (else a steal takes the whole port). */
    public boolean filtered() {
      return filter != null || !headerFilter.isEmpty() || !pathFilter.isEmpty();
    }

    public void encode(WireWriter w) {
      w.u16(port)
          .u8(mode)
          .string(headerFilter)
          .string(pathFilter)
          .bool(matchAll)
          .bool(flushConnections);
      if (filter != null) {
        filter.encode(w);
        w.i32((int) Math.min(maxBodyBytes, 0xFFFF_FFFFL))
            .i32((int) Math.min(bodyTimeoutMillis, 0xFFFF_FFFFL));
      }
    }

    public static Subscribe decode(WireReader r) {
      int port = r.u16();
      int mode = r.u8();
      String header = r.string();
      String path = r.string();
      boolean all = r.bool();
      boolean flush = r.bool();
      if (r.atEnd()) {
        return new Subscribe(port, mode, header, path, all, flush);
      }
      FilterSpec filter = FilterSpec.decode(r);
      long maxBody = Integer.toUnsignedLong(r.i32());
      long timeout = Integer.toUnsignedLong(r.i32());
      return new Subscribe(port, mode, header, path, all, flush, filter, maxBody, timeout);
    }
  }

  /** Stop mirroring/stealing the port for this client. Reply OK. */
  public record Unsubscribe(int port) implements Message {
    public int type() {
      return PORT_UNSUBSCRIBE;
    }

    public void encode(WireWriter w) {
      w.u16(port);
    }

    public static Unsubscribe decode(WireReader r) {
      return new Unsubscribe(r.u16());
    }
  }

  /**
   * Agent → client: a connection to a subscribed port (mode tells mirror copy or stolen). For a
   * filtered steal the connection carries only the matching requests. {@code midStream}: the mirror
   * missed its beginning.
   */
  public record NewConnection(
      long connId,
      int port,
      int mode,
      String peerHost,
      int peerPort,
      String localHost,
      int localPort,
      boolean midStream)
      implements Message {
    public int type() {
      return IN_CONNECTION;
    }

    public void encode(WireWriter w) {
      w.i64(connId)
          .u16(port)
          .u8(mode)
          .string(peerHost)
          .u16(peerPort)
          .string(localHost)
          .u16(localPort)
          .bool(midStream);
    }

    public static NewConnection decode(WireReader r) {
      return new NewConnection(
          r.i64(), r.u16(), r.u8(), r.string(), r.u16(), r.string(), r.u16(), r.bool());
    }
  }

  /** Bytes of a connection: agent → client (requests), client → agent (stolen responses). */
  public record Data(long connId, Buffer data) implements Message {
    public int type() {
      return IN_DATA;
    }

    public void encode(WireWriter w) {
      w.i64(connId).bytes(data);
    }

    public static Data decode(WireReader r) {
      return new Data(r.i64(), r.bytes());
    }
  }

  /** The sender will send no more on this connection (FIN); the other direction stays open. */
  public record Shutdown(long connId) implements Message {
    public int type() {
      return IN_SHUTDOWN;
    }

    public void encode(WireWriter w) {
      w.i64(connId);
    }

    public static Shutdown decode(WireReader r) {
      return new Shutdown(r.i64());
    }
  }

  /**
   * The connection is gone (either side). {@code reset}: it ended abruptly (TCP RST, or the side
   * that held it vanished), and the receiver must end its side with a reset too, not an orderly
   * FIN, so the peer learns the data stream was cut. It travels as an optional trailing byte, so a
   * plain close is encoded exactly as before.
   */
  public record Close(long connId, boolean reset) implements Message {
    public Close(long connId) {
      this(connId, false);
    }

    public int type() {
      return IN_CLOSE;
    }

    public void encode(WireWriter w) {
      w.i64(connId);
      if (reset) {
        w.bool(true);
      }
    }

    public static Close decode(WireReader r) {
      long id = r.i64();
      return new Close(id, !r.atEnd() && r.bool());
    }
  }

  /**
   * Agent → client: {@code bytes} of a mirrored connection were lost (capture drop); tell the user.
   */
  public record Loss(long connId, long bytes) implements Message {
    public int type() {
      return IN_LOSS;
    }

    public void encode(WireWriter w) {
      w.i64(connId).i64(bytes);
    }

    public static Loss decode(WireReader r) {
      return new Loss(r.i64(), r.i64());
    }
  }

  /**
   * Flow control of stolen connections, both ways: a sender keeps at most {@link #WINDOW}
   * unacknowledged bytes of {@link Data} in flight per connection; the receiver returns credit once
   * it has passed the bytes on (written to the local program, or to the pod-side client). Mirrored
   * copies are not credited: the capture cannot wait, so a client that cannot keep up loses data,
   * which is reported.
   */
  public record Credit(long connId, int bytes) implements Message {
    public int type() {
      return IN_CREDIT;
    }

    public void encode(WireWriter w) {
      w.i64(connId).i32(bytes);
    }

    public static Credit decode(WireReader r) {
      return new Credit(r.i64(), r.i32());
    }
  }
}
