package dev.mirrordj.protocol.client;

/**
 * The agent answered a request with an ERROR frame; {@link #errno()} is the Linux errno to report.
 */
public final class RemoteErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int errno;

  public RemoteErrnoException(int errno, String message) {
    super(message + " (errno " + errno + ")");
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
