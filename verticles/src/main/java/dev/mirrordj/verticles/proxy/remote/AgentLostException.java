package dev.mirrordj.verticles.proxy.remote;

/** The connection to the agent is gone; every remote operation fails with EIO from now on. */
public class AgentLostException extends RuntimeException {
  public AgentLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
