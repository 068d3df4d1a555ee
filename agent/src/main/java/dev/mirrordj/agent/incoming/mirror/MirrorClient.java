package dev.mirrordj.agent.incoming.mirror;

import dev.mirrordj.sniffer.FlowKey;

/**
 * A mirroring client's side of the agent: receives its own copy of every connection to the ports it
 * subscribed. Called on the capture thread, in order per connection; implementations must hand off
 * to their own thread or event loop and never block. Beware: a thread created from inside these
 * callbacks inherits the target's network namespace.
 */
public interface MirrorClient {

  String id();

  /** A connection to a subscribed port started; {@code midStream} when its beginning was missed. */
  void connectionStarted(long connectionId, FlowKey flow, boolean midStream);

  /** Client-to-server bytes of the connection, in order. */
  void data(long connectionId, byte[] bytes);

  /** Bytes of the connection that were lost before reaching us (capture drop or gap). */
  void lost(long connectionId, long missingBytes);

  /** The connection ended. */
  void connectionEnded(long connectionId);
}
