package dev.mirrordj.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The container runtimes a Kubernetes node may run, named as they appear in a pod's {@code
 * containerStatuses[].containerID} prefix ({@code containerd://…}, {@code docker://…}, {@code
 * cri-o://…}) and on the agent's {@code --container-runtime} option.
 */
public enum ContainerRuntime {
  CONTAINERD("containerd"),
  DOCKER("docker"),
  CRI_O("cri-o");

  private final String wireName;

  ContainerRuntime(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the command line and in container IDs. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a runtime name (case-insensitive; {@code crio} is accepted for {@code cri-o}).
   *
   * @throws IllegalArgumentException naming the bad value and the accepted ones
   */
  public static ContainerRuntime fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("crio")) {
      return CRI_O;
    }
    for (ContainerRuntime r : values()) {
      if (r.wireName.equals(n)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown container runtime '"
            + name
            + "'; accepted: "
            + Arrays.stream(values())
                .map(ContainerRuntime::wireName)
                .collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
