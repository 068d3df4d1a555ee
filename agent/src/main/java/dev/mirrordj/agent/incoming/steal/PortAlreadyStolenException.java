package dev.mirrordj.agent.incoming.steal;

/** A steal subscription conflicts with an existing one on the same port. */
public class PortAlreadyStolenException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int port;

  public PortAlreadyStolenException(int port, String message) {
    super(message);
    this.port = port;
  }

  public int port() {
    return port;
  }
}
