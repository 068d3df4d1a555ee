package dev.mirrordj.agent.incoming.steal;

import java.net.InetSocketAddress;

/**
 * A redirected connection: who connected, where they meant to go (from SO_ORIGINAL_DST), and a
 * per-agent id for logs and the wire protocol.
 */
public record ConnectionInfo(
    long id, InetSocketAddress peer, InetSocketAddress originalDestination) {

  @Override
  public String toString() {
    return "conn#" + id + " " + peer + "->" + originalDestination;
  }
}
