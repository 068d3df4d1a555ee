package dev.mirrordj.verticles.cluster;

import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.Future;

/**
 * One agent per target, shared by every session on it across the cluster: the first session starts
 * it, the others reuse it, and it is removed once the target has had no session for the agent TTL.
 */
public interface TargetAgents {
  /** Where a session on {@code target} reaches its agent; starts the agent when there is none. */
  Future<AgentAddress> acquire(AgentTarget target);

  /** Stops the agents this node owns. */
  Future<Void> close();

  /**
   * An agent's control address, as this node reaches it, and the secret a connection to it proves
   * ({@code null}: none; the record is shared between nodes, so the secret stays inside the
   * operator's cluster).
   */
  record AgentAddress(String host, int port, SharedSecret secret) {
    public AgentAddress(String host, int port) {
      this(host, port, null);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
