package dev.mirrordj.verticles.proxy.remote;

/** A remote operation failed with this errno in the pod (ENOENT, EACCES, ECONNREFUSED ...). */
public class RemoteErrno extends RuntimeException {
  private final int errno;

  public RemoteErrno(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
