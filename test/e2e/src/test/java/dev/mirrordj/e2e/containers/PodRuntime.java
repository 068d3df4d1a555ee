package dev.mirrordj.e2e.containers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A container runtime the {@link ContainerKubelet} runs pods with, chosen by the pod's {@code
 * runtimeClassName} as a kubelet chooses a CRI handler.
 */
interface PodRuntime {
  /** The scheme of {@code containerStatuses[].containerID}, as the agent's lookup takes it. */
  String scheme();

  /**
   * Starts the pod's one container with its own network namespace (or the host's), its name as
   * hostname and {@code resolvConf} (if not null) as its {@code /etc/resolv.conf}.
   *
   * @throws PodStartException with the waiting reason a kubelet would report
   */
  Started start(
      String name,
      Pod pod,
      Container container,
      Function<Volume, Path> volumes,
      Path resolvConf,
      boolean hostNetwork)
      throws PodStartException;

  /** Blocks until the container's main process ends; its exit code. */
  int awaitExit(Started container);

  /** The container's output so far. */
  String logs(Started container);

  /** SIGKILL to the container's main process (a crash, for tests). */
  void kill(Started container);

  /** Removes the container, running or not. */
  void remove(Started container);

  /** Ends what the runtime keeps running for the node (not the containers: see {@link #remove}). */
  default void close() {}

  /** A started container: the runtime's name for it, its ID and its main process on this host. */
  record Started(String name, String id, long pid) {}

  /** A pod the runtime cannot start; {@code reason} is the kubelet's waiting reason. */
  final class PodStartException extends Exception {
    final String reason;

    PodStartException(String reason, String message) {
      super(message);
      this.reason = reason;
    }
  }
}
