package dev.mirrordj.verticles.proxy.seccomp;

/** A listener with no supervised process left, or one that failed: its loop ends. */
final class ListenerGoneException extends Exception {
  ListenerGoneException(String message) {
    super(message);
  }
}
