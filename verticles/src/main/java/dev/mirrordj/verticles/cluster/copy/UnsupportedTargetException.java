package dev.mirrordj.verticles.cluster.copy;

/**
 * The request asks for something the target kind does not allow: a {@code job/} target without
 * {@code copy_target}, {@code scale_down} on anything but a deployment.
 */
public final class UnsupportedTargetException extends TargetPreparationException {
  private static final long serialVersionUID = 1L;

  public UnsupportedTargetException(String message) {
    super(message, null);
  }
}
