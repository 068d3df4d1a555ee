package dev.mirrordj.verticles.cluster;

/**
 * What an agent serves: a local process ({@code pid/<pid>}, no namespace) or a Kubernetes target
 * ({@code pod/…}, {@code deployment/…}, …) in a namespace. One agent per {@link #key()} is shared
 * by every session on it.
 *
 * @param path the target path as the configuration writes it
 * @param namespace the Kubernetes namespace, "" for a local target (or while still unresolved)
 */
public record AgentTarget(String path, String namespace) {

  public AgentTarget {
    namespace = namespace == null ? "" : namespace;
  }

  /** A local process on the operator's machine. */
  public boolean local() {
    return path.startsWith("pid/");
  }

  /** Identifies the agent, and the port locks on it, across the cluster. */
  public String key() {
    return namespace.isEmpty() ? path : namespace + "/" + path;
  }

  @Override
  public String toString() {
    return key();
  }
}
