package dev.mirrordj.agent.incoming.steal;

import io.vertx.core.Future;

/**
 * A stealing client: opens a byte channel to its local program for a stolen connection (whole
 * connection for an unfiltered steal; the matched requests of one connection for a filtered one).
 * The session wiring implements this over the agent protocol; tests connect to a real local server.
 */
public interface StealTarget {

  /** Called on the stolen connection's event loop. */
  Future<Upstream> open(ConnectionInfo connection);

  /** For logs: which client this is. */
  String describe();
}
