package dev.mirrordj.agent.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * The agent command line's {@code --container-id ID --container-runtime NAME} turned into the target
 * PID, so the command only needs {@code targetPid = ContainerTarget.pid(id, runtime, System.getenv())}.
 * The runtime sockets are looked for under {@code /host} (or {@code MIRRORD_AGENT_HOST_ROOT}).
 */
public final class ContainerTarget {
  /** How long the runtime may take to answer at agent startup. */
  public static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(20);

  private ContainerTarget() {}

  /**
   * The container's main PID.
   *
   * @throws IllegalArgumentException for an unknown runtime name or a malformed ID
   * @throws ContainerRuntimeException when the runtime cannot be asked or does not know the container
   */
  public static long pid(String containerId, String runtimeName, Map<String, String> env) {
    ContainerRuntime runtime = ContainerRuntime.fromName(runtimeName == null ? "containerd" : runtimeName);
    return ContainerRuntimeResolver.resolveBlocking(runtime, containerId,
        ContainerRuntimeResolver.hostRoot(env), LOOKUP_TIMEOUT).pid();
  }
}
