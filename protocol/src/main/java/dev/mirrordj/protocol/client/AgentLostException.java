package dev.mirrordj.protocol.client;

/**
 * The connection to the agent is gone (closed, heartbeat timeout, protocol error, agent said
 * goodbye). Every pending and every later request of that {@link AgentClient} fails with this
 * exception.
 */
public final class AgentLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentLostException(String reason) {
    super("agent lost: " + reason);
  }
}
