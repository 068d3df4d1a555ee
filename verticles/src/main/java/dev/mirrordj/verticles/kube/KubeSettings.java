package dev.mirrordj.verticles.kube;

import java.util.Optional;

/**
 * The root configuration fields that decide how we talk to the Kubernetes API.
 *
 * @param kubeconfig {@code kubeconfig}: a file path ({@code ~} expanded); empty means {@code
 *     KUBECONFIG}, then {@code ~/.kube/config}, then the in-cluster service account
 * @param kubeContext {@code kube_context}: a context of that file; empty means its current context
 * @param acceptInvalidCertificates {@code accept_invalid_certificates}: trust any server
 *     certificate
 * @param useProxy {@code use_proxy}: when false, {@code HTTP(S)_PROXY} from the environment are
 *     ignored
 */
public record KubeSettings(
    Optional<String> kubeconfig,
    Optional<String> kubeContext,
    boolean acceptInvalidCertificates,
    boolean useProxy) {

  /**
   * The defaults: automatic kubeconfig discovery, current context, verified TLS, proxies honoured.
   */
  public static KubeSettings defaults() {
    return new KubeSettings(Optional.empty(), Optional.empty(), false, true);
  }
}
