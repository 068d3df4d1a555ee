package dev.mirrordj.agent.fs;

/** A failed operation with the Linux errno to send back to the client. */
public final class ErrnoException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public ErrnoException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
