package dev.mirrordj.verticles.kube;

import dev.mirrordj.protocol.auth.SharedSecret;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where the running session reaches its agent: connect a TCP client (the proxy's {@code
 * AgentClient}) to {@code host:port} exactly as with {@code connect_tcp}. {@link #close()} ends the
 * port-forward and removes the agent resources this session created.
 *
 * @param namespace the agent pod's namespace
 * @param podName the agent pod (the target pod itself for an ephemeral agent)
 * @param version the version the agent printed in its ready line
 * @param secret what the client proves it holds (null: nothing)
 */
public record AgentEndpoint(
    String host,
    int port,
    String namespace,
    String podName,
    String version,
    SharedSecret secret,
    Closeable cleanup)
    implements Closeable {

  /** An agent that needs no proof. */
  public AgentEndpoint(
      String host, int port, String namespace, String podName, String version, Closeable cleanup) {
    this(host, port, namespace, podName, version, null, cleanup);
  }

  @Override
  public void close() throws IOException {
    cleanup.close();
  }
}
