package dev.mirrordj.verticles.agents;

/** A local agent could not be started; the message is worded for the user. */
public class LocalAgentException extends Exception {
  private static final long serialVersionUID = 1L;

  public LocalAgentException(String message) {
    super(message);
  }

  public LocalAgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
