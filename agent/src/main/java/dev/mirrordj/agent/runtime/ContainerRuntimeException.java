package dev.mirrordj.agent.runtime;

/** The container runtime could not be reached or gave an answer we cannot use. */
public class ContainerRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContainerRuntimeException(String message) {
    super(message);
  }

  public ContainerRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
