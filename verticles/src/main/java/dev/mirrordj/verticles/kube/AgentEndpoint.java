package dev.mirrordj.verticles.kube;

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
 */
public record AgentEndpoint(
    String host, int port, String namespace, String podName, String version, Closeable cleanup)
    implements Closeable {

  @Override
  public void close() throws IOException {
    cleanup.close();
  }
}
