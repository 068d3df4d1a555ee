package dev.mirrordj.verticles.kube;

/** The Kubernetes client cannot be configured (missing kubeconfig, unknown context, …). */
public final class KubeSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KubeSetupException(String message) {
    super(message);
  }

  public KubeSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
