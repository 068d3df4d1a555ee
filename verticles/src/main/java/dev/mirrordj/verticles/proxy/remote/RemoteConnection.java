package dev.mirrordj.verticles.proxy.remote;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A byte stream (TCP or unix stream) or datagram flow opened from inside the pod. Data handlers are
 * called on the proxy's context; a zero-length {@link #write} half-closes the stream.
 */
public interface RemoteConnection {
  Future<Void> write(Buffer data);

  /** Bytes (stream) or one datagram each call. */
  RemoteConnection handler(Handler<Buffer> handler);

  /** The remote side closed (or the agent was lost). */
  RemoteConnection endHandler(Handler<Void> handler);

  void close();

  /** The connection's local address inside the pod (what getsockname shows), or null if unknown. */
  default dev.mirrordj.layerbridge.msg.SockAddr localAddress() {
    return null;
  }
}
