package dev.mirrordj.verticles.kube;

/**
 * The agent could not be created or did not become ready; the message names the step and reason.
 */
public final class AgentStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentStartupException(String message) {
    super(message);
  }

  public AgentStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
