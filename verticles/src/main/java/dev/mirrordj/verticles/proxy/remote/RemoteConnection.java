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

  /**
   * True while enough written bytes wait to go out that the producer should stop reading its own
   * source until {@link #drainHandler} runs. Callable from any thread.
   */
  default boolean writeQueueFull() {
    return false;
  }

  /**
   * Runs once, on any thread, when a full write queue has room again (or at once if it has room
   * now), and when the connection is gone.
   */
  default RemoteConnection drainHandler(Handler<Void> handler) {
    handler.handle(null);
    return this;
  }

  /**
   * Stops delivering data to the {@link #handler}; the remote side is held back (its bytes wait in
   * the pod or in the agent's flow-control window) until {@link #resume()}.
   */
  default RemoteConnection pause() {
    return this;
  }

  default RemoteConnection resume() {
    return this;
  }

  /** The remote side closed (or the agent was lost). */
  RemoteConnection endHandler(Handler<Void> handler);

  /** Closes once what was written went out (an orderly end, as close(2)). */
  void close();

  /**
   * The connection is gone: 0 after an orderly end, else the errno that ended it (ECONNRESET: the
   * remote peer reset it). Runs after the {@link #endHandler end handler}.
   */
  default RemoteConnection closeHandler(Handler<Integer> handler) {
    return this;
  }

  /** Aborts the connection: queued bytes are dropped and the remote peer sees a reset. */
  default void reset() {
    close();
  }

  /** The connection's local address inside the pod (what getsockname shows), or null if unknown. */
  default dev.mirrordj.layerbridge.msg.SockAddr localAddress() {
    return null;
  }
}
