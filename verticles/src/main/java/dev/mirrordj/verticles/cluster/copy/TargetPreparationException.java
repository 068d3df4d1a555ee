package dev.mirrordj.verticles.cluster.copy;

/** A session's target could not be prepared or released; the message says what to change. */
public abstract class TargetPreparationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TargetPreparationException(String message, Throwable cause) {
    super(message, cause);
  }
}
