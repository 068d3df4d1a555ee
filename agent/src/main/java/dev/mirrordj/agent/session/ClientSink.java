package dev.mirrordj.agent.session;

import dev.mirrordj.protocol.Message;

/** Where a session's replies and notices go. Thread-safe: frames from one thread stay in order. */
public interface ClientSink {
  void send(Message message, int requestId);

  /** True when the client connection is gone; producers stop. */
  boolean isClosed();

  /**
   * Blocks a worker thread (never an event loop) while the client's write queue is full, so a bulk
   * producer (whole-file fetch) cannot fill memory when the client reads slowly.
   */
  default void awaitWritable() throws InterruptedException {}
}
