package dev.mirrordj.verticles.kube;

/** The target does not exist, is not running, or has no such container. The message says which. */
public final class TargetResolutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TargetResolutionException(String message) {
    super(message);
  }
}
