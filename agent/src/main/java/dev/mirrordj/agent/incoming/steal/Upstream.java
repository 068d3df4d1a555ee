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

  /** The other side closed. */
  void closeHandler(Handler<Void> handler);

  void pause();

  void resume();

  /** The other side finished sending (TCP FIN) but may still receive. */
  void inputShutdownHandler(Handler<Void> handler);

  /** Passes on a FIN: we will send nothing more, but keep receiving. */
  void shutdownOutput();

  /** Sends what is queued, then closes. */
  void end();

  void close();
}
