package dev.mirrordj.verticles.cluster.copy;

/**
 * Hears about the ready pods of a deployment. Calls arrive one at a time on the Vert.x context that
 * started the watch; a pod is reported ready once, then gone once, and ready again if it recovers.
 */
public interface DeploymentPodListener {
  /** {@code pod} is Running and Ready: give it an agent. */
  void ready(ReadyPod pod);

  /**
   * A pod reported ready is deleted, being deleted or no longer ready.
   *
   * @param reason e.g. {@code deleted}, {@code being deleted}, {@code no longer ready (…)}
   */
  void gone(String podName, String reason);

  /** The watch broke for good (the API keeps refusing it); no more calls follow. */
  default void failed(Throwable cause) {}
}
