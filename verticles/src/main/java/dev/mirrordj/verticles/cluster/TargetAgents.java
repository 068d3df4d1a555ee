package dev.mirrordj.verticles.cluster;

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

  /** An agent's control address, as this node reaches it. */
  record AgentAddress(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
