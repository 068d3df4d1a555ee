package dev.mirrordj.agent.incoming.steal;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * One side a stolen connection's bytes are relayed to: the original destination (pass-through) or a
 * stealing client's local program. Callbacks run on the stolen connection's event loop.
 */
public interface Upstream {

  void write(Buffer data);

  boolean writeQueueFull();

  void drainHandler(Handler<Void> handler);

  /** Bytes coming back (responses). */
  void handler(Handler<Buffer> handler);

  /** The other side closed; {@link #closedByReset} tells whether abruptly. */
  void closeHandler(Handler<Void> handler);

  /**
   * True once the other side ended with a reset (TCP RST, or the stealing client vanished): what it
   * sent may be cut short, so the relay resets its own peer rather than ending it with a FIN.
   */
  boolean closedByReset();

  void pause();

  void resume();

  /** The other side finished sending (TCP FIN) but may still receive. */
  void inputShutdownHandler(Handler<Void> handler);

  /** Passes on a FIN: we will send nothing more, but keep receiving. */
  void shutdownOutput();

  /** Sends what is queued, then closes. */
  void end();

  void close();

  /** Closes abruptly: the other side sees a reset (ECONNRESET), not an orderly end. */
  void reset();
}
