package dev.mirrordj.verticles.kube;

import dev.mirrordj.protocol.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A target pinned to one running pod and container: everything the agent needs to find it.
 *
 * @param containerId the runtime's ID (from {@code containerStatuses[].containerID} without the
 *     {@code <runtime>://} prefix)
 */
public record ResolvedTarget(
    String namespace,
    String podName,
    String nodeName,
    Container container,
    String containerId,
    ContainerRuntime runtime,
    Pod pod) {

  public String containerName() {
    return container.getName();
  }
}
