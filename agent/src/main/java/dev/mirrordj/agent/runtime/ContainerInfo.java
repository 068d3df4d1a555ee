package dev.mirrordj.agent.runtime;

import java.util.List;

/**
 * What the node's container runtime told us about a container.
 *
 * @param pid the container's main process as seen from the host PID namespace (the agent runs with
 *     {@code hostPID}, so this is the PID the agent targets)
 * @param env the environment from the container's configuration ({@code KEY=value} entries), empty
 *     when the runtime does not expose it (CRI-O); the agent merges it with {@code
 *     /proc/<pid>/environ}
 */
public record ContainerInfo(int pid, List<String> env) {
  public ContainerInfo {
    if (pid <= 0) {
      throw new IllegalArgumentException("container main PID must be positive, got " + pid);
    }
    env = List.copyOf(env);
  }
}
