package dev.mirrordj.agent.net;

import io.vertx.core.buffer.Buffer;

/** The agent end of one outgoing connection; all calls happen on the connection's event loop. */
interface OutgoingConnection {
  /** Client data for the remote side. */
  void data(Buffer data);

  /** The client consumed this many bytes we sent. */
  void credit(int bytes);

  /** The client will send no more. */
  void shutdown();

  /** The client closed the connection; no notice goes back. */
  void close();

  /** The client's side was reset: abort, so the remote peer sees a reset too. */
  default void reset() {
    close();
  }
}
