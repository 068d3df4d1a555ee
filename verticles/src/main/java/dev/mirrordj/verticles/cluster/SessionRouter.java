package dev.mirrordj.verticles.cluster;

import dev.mirrordj.protocol.auth.AuthGate;
import dev.mirrordj.protocol.auth.SharedSecret;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts clients on the operator's session port: a {@code run} opening a session (relayed to the
 * target's shared agent by a {@link RelayedSession}) or a {@code mirrord operator} command. Each
 * connection is an {@link OperatorConnection}.
 */
public final class SessionRouter extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SessionRouter.class);

  private final OperatorSettings settings;
  private final TargetAgents agents;
  private final SessionTargetPreparation preparation;
  private NetServer server;
  private NetClient agentClient;
  private final SharedSecret secret;

  /**
   * The secret the node's users must prove comes from its environment (see {@link SharedSecret}).
   */
  public SessionRouter(
      OperatorSettings settings, TargetAgents agents, SessionTargetPreparation preparation) {
    this(
        settings,
        agents,
        preparation,
        SharedSecret.fromEnvironment(System.getenv(), SharedSecret.OPERATOR_VARIABLE).orElse(null));
  }

  /**
   * @param secret what each client must prove it holds before its first frame is read; null: none
   */
  public SessionRouter(
      OperatorSettings settings,
      TargetAgents agents,
      SessionTargetPreparation preparation,
      SharedSecret secret) {
    this.settings = settings;
    this.agents = agents;
    this.preparation = preparation;
    this.secret = secret;
  }

  @Override
  public Future<?> start() {
    agentClient =
        vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setTcpNoDelay(true));
    server.connectHandler(
        socket ->
            new OperatorConnection(
                    vertx,
                    socket,
                    agentClient,
                    agents,
                    preparation,
                    AuthGate.of(
                        secret, OperatorConnection.PROOF_CONTEXT, SharedSecret.OPERATOR_VARIABLE))
                .start());
    return server
        .listen()
        .onSuccess(
            s -> {
              log.info("operator sessions on {}:{}", settings.host(), s.actualPort());
              if (secret == null) {
                log.warn(
                    "{} is not set: anyone who reaches port {} can open sessions",
                    SharedSecret.OPERATOR_VARIABLE,
                    s.actualPort());
              }
            });
  }

  /** The bound port (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
