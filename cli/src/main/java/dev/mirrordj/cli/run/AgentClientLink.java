package dev.mirrordj.cli.run;

import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.verticles.proxy.remote.AgentRemoteTarget;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** The session's agent connection over the agent protocol; owns a local agent process if any. */
final class AgentClientLink implements AgentLink {
  private final AgentClient client;
  private final AgentRemoteTarget target;
  private final String address;
  private final AutoCloseable owned;
  private final String operatorSession;

  AgentClientLink(AgentClient client, String address, AutoCloseable owned) {
    this(client, address, owned, null);
  }

  /**
   * @param operatorSession the operator's session id when the link is an operator session, or null
   */
  AgentClientLink(AgentClient client, String address, AutoCloseable owned, String operatorSession) {
    this.operatorSession = operatorSession;
    this.client = client;
    this.target = new AgentRemoteTarget(client);
    this.address = address;
    this.owned = owned;
  }

  @Override
  public RemoteTarget target() {
    return target;
  }

  @Override
  public Future<Map<String, String>> environment() {
    return client
        .request(new Lookups.GetEnv(List.of(), List.of()), Lookups.EnvReply.class)
        .map(Lookups.EnvReply::vars);
  }

  @Override
  public java.util.Optional<AgentClient> agentClient() {
    return java.util.Optional.of(client);
  }

  @Override
  public boolean sessionEndsWithLink() {
    return operatorSession != null;
  }

  @Override
  public String describe() {
    if (operatorSession != null) {
      return "operator at "
          + address
          + " (session "
          + operatorSession
          + ", agent version "
          + client.hello().agentVersion()
          + ")";
    }
    return "agent at " + address + " (version " + client.hello().agentVersion() + ")";
  }

  @Override
  public void close() {
    client.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception ignored) {
        // best effort: the agent process is killed with its tree
      }
    }
  }
}
