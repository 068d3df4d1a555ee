package dev.mirrordj.verticles.cluster.copy;

/**
 * The copy pod did not become Running and Ready: it failed (image pull, crash) or the timeout ran
 * out. The message names the pod and its last status. The copy is deleted before this is raised.
 */
public final class CopyNotReadyException extends TargetPreparationException {
  private static final long serialVersionUID = 1L;

  public CopyNotReadyException(String message) {
    super(message, null);
  }
}
