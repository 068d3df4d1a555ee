package dev.mirrordj.agent.runtime;

/** The runtime answered, but it has no (running) container with the requested ID. */
public final class ContainerNotFoundException extends ContainerRuntimeException {
  private static final long serialVersionUID = 1L;

  public ContainerNotFoundException(String message) {
    super(message);
  }
}
