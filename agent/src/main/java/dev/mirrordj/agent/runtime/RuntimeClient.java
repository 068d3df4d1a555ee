package dev.mirrordj.agent.runtime;

import io.vertx.core.Future;

/**
 * Asks one container runtime, over one unix socket, about a container. Implementations live in
 * {@code impl}; each speaks its runtime's real API (Docker Engine REST, CRI-O's info endpoint,
 * containerd's gRPC Tasks service).
 */
public interface RuntimeClient {

  /**
   * Looks the container up. Fails with {@link ContainerNotFoundException} when the runtime does not
   * know it, with {@link ContainerRuntimeException} for any other problem (socket, protocol,
   * answer).
   */
  Future<ContainerInfo> inspect(String containerId);
}
