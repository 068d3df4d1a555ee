package dev.mirrordj.verticles.cluster.copy;

/**
 * Part of a release failed (the API refused the scale-up or the deletion). Release is idempotent:
 * keep the record and run it again.
 */
public final class ReleaseException extends TargetPreparationException {
  private static final long serialVersionUID = 1L;

  public ReleaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
