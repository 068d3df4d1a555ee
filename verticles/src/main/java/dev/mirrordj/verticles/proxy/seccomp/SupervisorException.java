package dev.mirrordj.verticles.proxy.seccomp;

/** A supervised call that cannot be served; {@code errno} is what the program gets. */
final class SupervisorException extends Exception {
  private final int errno;

  SupervisorException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  int errno() {
    return errno;
  }
}
