package dev.mirrordj.agent.runtime;

import dev.mirrordj.protocol.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where each runtime's API socket lives on a node, relative to the host root the agent pod mounts
 * ({@code /run} and {@code /var} of the node appear under {@code /host}). Listed in the order they
 * are tried: the first socket that exists and answers wins. Covers plain containerd, k3s, microk8s,
 * k0s and the dockershim path some older nodes expose.
 */
public final class RuntimeSockets {
  private static final List<String> CONTAINERD =
      List.of(
          "run/containerd/containerd.sock",
          "run/dockershim.sock",
          "run/k3s/containerd/containerd.sock",
          "var/snap/microk8s/common/run/containerd.sock",
          "run/k0s/containerd.sock");
  private static final List<String> DOCKER = List.of("run/docker.sock", "var/run/docker.sock");
  private static final List<String> CRIO = List.of("run/crio/crio.sock");

  private RuntimeSockets() {}

  /** Every known socket path for the runtime under {@code hostRoot}, in trial order. */
  public static List<Path> candidates(ContainerRuntime runtime, Path hostRoot) {
    List<String> relative =
        switch (runtime) {
          case CONTAINERD -> CONTAINERD;
          case DOCKER -> DOCKER;
          case CRI_O -> CRIO;
        };
    return relative.stream().map(hostRoot::resolve).toList();
  }

  /** The candidates that exist right now (a socket file, or anything we could connect to). */
  public static List<Path> present(ContainerRuntime runtime, Path hostRoot) {
    return candidates(runtime, hostRoot).stream().filter(Files::exists).toList();
  }
}
