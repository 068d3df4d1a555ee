package dev.mirrordj.verticles.cluster.impl;

import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.KubeSettings;
import dev.mirrordj.verticles.kube.KubeSetupException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

/**
 * The operator node's Kubernetes API client, made on first use: a node that only serves local
 * {@code pid/} targets never needs a kubeconfig. Configured the way {@code run} is by default
 * (KUBECONFIG, ~/.kube/config, or the in-cluster service account when it runs as a Deployment).
 * Blocking: call from a worker thread.
 */
public final class KubeAccess implements AutoCloseable {
  private final Vertx vertx;
  private KubernetesClient client;

  public KubeAccess(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * @throws KubeSetupException when this node has no usable Kubernetes configuration
   */
  public synchronized KubernetesClient client() {
    if (client == null) {
      try {
        client = KubeClients.create(vertx, KubeClients.config(KubeSettings.defaults()));
      } catch (RuntimeException e) {
        throw new KubeSetupException(
            "this operator node cannot reach the Kubernetes API: " + e.getMessage(), e);
      }
    }
    return client;
  }

  /** The namespace of the node's kube context (or service account): a target's default. */
  public String defaultNamespace() {
    return KubeClients.namespaceOf(client());
  }

  @Override
  public synchronized void close() {
    if (client != null) client.close();
    client = null;
  }
}
