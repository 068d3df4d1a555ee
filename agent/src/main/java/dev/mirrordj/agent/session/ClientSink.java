package dev.mirrordj.agent.session;

import dev.mirrordj.protocol.Message;

/** Where a session's replies and notices go. Thread-safe: frames from one thread stay in order. */
public interface ClientSink {
  void send(Message message, int requestId);

  /** True when the client connection is gone; producers stop. */
  boolean isClosed();

  /**
   * Blocks a worker thread (never an event loop) while the whole-file fetch of {@code requestId}
   * already has chunks waiting for their turn, so the fetch cannot fill memory when the client
   * reads slowly and never gets ahead of other connections or replies.
   */
  default void awaitFetchRoom(int requestId) throws InterruptedException {}
}
