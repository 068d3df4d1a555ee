package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A call to the Kubernetes API failed. fabric8's own message names only the operation ("Operation:
 * [list] for kind: [Deployment] … failed."); this one also says which server and why (refused
 * connection, 403 with the API's reason, TLS trouble), which is what the user can act on.
 */
public final class KubeApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private KubeApiException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Wraps {@code e}, raised while doing {@code action}, with the server and the underlying reason.
   */
  public static KubeApiException of(
      String action, KubernetesClient client, KubernetesClientException e) {
    String reason;
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      reason = "HTTP " + e.getCode() + ": " + e.getStatus().getMessage();
    } else {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      reason =
          root == e
              ? String.valueOf(e.getMessage())
              : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    return new KubeApiException(
        action
            + " failed at "
            + client.getMasterUrl()
            + " — "
            + reason
            + (e.getCode() == 401 || e.getCode() == 403
                ? " (check the credentials and RBAC of the " + "kube context)"
                : ""),
        e);
  }
}
