package dev.mirrordj.agent;

import dev.mirrordj.agent.session.AgentContext;
import dev.mirrordj.agent.session.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control listener, in the agent's own network namespace: one {@link Session} per client. Runs
 * on the control (un-namespaced) Vert.x.
 */
public final class AgentServer {
  private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

  private final Vertx vertx;
  private final AgentContext agent;
  private final Lifecycle lifecycle;
  private final Set<Session> sessions = new HashSet<>();
  private NetServer server;
  private long nextSessionId = 1;

  public AgentServer(Vertx vertx, AgentContext agent, Lifecycle lifecycle) {
    this.vertx = vertx;
    this.agent = agent;
    this.lifecycle = lifecycle;
  }

  /**
   * Listens on {@code host} (null: all interfaces, IPv6 dual stack, else IPv4); completes with the
   * port.
   */
  public Future<Integer> listen(String host, int port) {
    server =
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true));
    server.connectHandler(
        socket -> {
          Session[] self = new Session[1];
          Session s =
              new Session(
                  agent,
                  socket,
                  nextSessionId++,
                  () -> {
                    sessions.remove(self[0]);
                    lifecycle.clientLeft();
                  });
          self[0] = s;
          sessions.add(s);
          lifecycle.clientConnected();
          s.start();
        });
    if (host != null) {
      return server.listen(port, host).map(NetServer::actualPort);
    }
    return server
        .listen(port, "::")
        .recover(
            e -> {
              log.debug("no IPv6 listener ({}), using 0.0.0.0", e.toString());
              return server.listen(port, "0.0.0.0");
            })
        .map(NetServer::actualPort);
  }

  /** Says goodbye to every client and stops listening. */
  public Future<Void> close(String reason) {
    for (Session s : Set.copyOf(sessions)) {
      s.fail("agent shutting down: " + reason);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
