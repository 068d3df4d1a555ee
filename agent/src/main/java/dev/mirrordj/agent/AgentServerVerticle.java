package dev.mirrordj.agent;

import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.session.Session;
import dev.mirrordj.agent.session.SessionVerticle;
import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client listener, in the agent's own network namespace: deploys one {@link SessionVerticle}
 * per client connection (a child deployment, so undeploying the server ends every session), and
 * tells the {@link Lifecycle} when clients come and go.
 */
public final class AgentServerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AgentServerVerticle.class);

  private final String host;
  private final int port;
  private final Lifecycle lifecycle;
  private final IncomingClients incomingClients;
  private final String version;
  private final boolean targetless;
  private final SharedSecret secret;
  private final Map<Session, SessionVerticle> sessions = new HashMap<>();
  private NetServer server;
  private long nextSessionId = 1;
  private volatile int boundPort;
  private volatile String goodbye = "stopped";

  /**
   * @param host null: all interfaces, IPv6 dual stack, else IPv4
   * @param secret what each client must prove it holds before it is served; null: nothing
   */
  public AgentServerVerticle(
      String host,
      int port,
      Lifecycle lifecycle,
      IncomingClients incomingClients,
      String version,
      boolean targetless,
      SharedSecret secret) {
    this.secret = secret;
    this.host = host;
    this.port = port;
    this.lifecycle = lifecycle;
    this.incomingClients = incomingClients;
    this.version = version;
    this.targetless = targetless;
  }

  /** The bound port, once deployed. */
  public int port() {
    return boundPort;
  }

  /** Sessions alive now (tests, diagnostics). */
  public int sessions() {
    return sessions.size();
  }

  @Override
  public Future<?> start() {
    server =
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true));
    server.connectHandler(this::accept);
    Future<NetServer> listening =
        host != null
            ? server.listen(port, host)
            : server
                .listen(port, "::")
                .recover(
                    e -> {
                      log.debug("no IPv6 listener ({}), using 0.0.0.0", e.toString());
                      return server.listen(port, "0.0.0.0");
                    });
    return listening.onSuccess(s -> boundPort = s.actualPort());
  }

  private void accept(io.vertx.core.net.NetSocket socket) {
    Context connection = context; // connections of this server are handled on its context
    SessionVerticle[] self = new SessionVerticle[1];
    Session session =
        new Session(
            nextSessionId++,
            socket,
            connection,
            vertx.eventBus(),
            incomingClients,
            version,
            targetless,
            secret,
            () -> sessionEnded(self[0]));
    SessionVerticle verticle = new SessionVerticle(session, connection, () -> goodbye);
    self[0] = verticle;
    sessions.put(session, verticle);
    lifecycle.connectionOpened();
    session.onGreeted(lifecycle::clientGreeted);
    vertx
        .deployVerticle(verticle)
        .onSuccess(
            id -> {
              if (session.isClosed()) {
                vertx.undeploy(id);
              }
            })
        .onFailure(
            e -> log.warn("[{}] session did not start: {}", session.clientId(), e.toString()));
  }

  private void sessionEnded(SessionVerticle verticle) {
    if (sessions.remove(verticle.session()) != null) {
      lifecycle.connectionClosed();
    }
    String id = verticle.deploymentIdOrNull();
    if (id != null && vertx.deploymentIDs().contains(id)) {
      vertx.undeploy(id);
    }
  }

  /** The reason every connected client is told when the agent stops. */
  public void goodbyeReason(String reason) {
    this.goodbye = reason;
  }

  @Override
  public Future<?> stop() {
    // the session verticles are children of this deployment and go with it; undeploying them here
    // as well makes the goodbyes explicit (a second undeploy of the same session is refused, fine)
    List<Future<?>> goodbyes = new ArrayList<>();
    for (SessionVerticle v : List.copyOf(sessions.values())) {
      String id = v.deploymentIdOrNull();
      if (id != null) {
        goodbyes.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
      }
    }
    return Future.join(goodbyes)
        .transform(v -> server == null ? Future.succeededFuture() : server.close());
  }
}
