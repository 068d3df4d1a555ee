package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Opens the session through an operator when the configuration's {@code operator} asks for one:
 * {@code true} must use it (a clear error when there is none or it cannot be reached), unset tries
 * it and goes on without it (saying so in progress), {@code false} never does. The operator is
 * found at {@code MIRRORD_OPERATOR_ADDRESS=HOST:PORT}. Without an operator, {@code fallback}
 * connects as usual.
 */
public final class OperatorConnector implements AgentConnector {
  public static final String ADDRESS_VARIABLE = "MIRRORD_OPERATOR_ADDRESS";
  public static final String USER_VARIABLE = "MIRRORD_OPERATOR_USER";

  private final Map<String, String> env;
  private final AgentConnector fallback;

  public OperatorConnector(Map<String, String> env, AgentConnector fallback) {
    this.env = env;
    this.fallback = fallback;
  }

  @Override
  public Future<AgentLink> connect(Vertx vertx, MirrordConfig config, Progress progress) {
    Optional<Boolean> wanted = config.operator();
    boolean required = wanted.orElse(false);
    if (wanted.equals(Optional.of(false)) || (!required && config.connectTcp().isPresent())) {
      return fallback.connect(vertx, config, progress);
    }
    String address = env.getOrDefault(ADDRESS_VARIABLE, "").trim();
    if (address.isEmpty()) {
      if (required) {
        return Future.failedFuture(
            new RunFailure(
                "operator is true, but no operator was found: set "
                    + ADDRESS_VARIABLE
                    + "=HOST:PORT to the operator's session port (finding the operator's Service"
                    + " through the Kubernetes API is not supported yet), or unset operator"));
      }
      progress.info("no operator (" + ADDRESS_VARIABLE + " is not set); going on without it");
      return fallback.connect(vertx, config, progress);
    }
    Progress opening = progress.subtask("opening a session with the operator at " + address);
    return open(vertx, config, address)
        .onSuccess(l -> opening.success(null))
        .recover(
            e -> {
              opening.failure(null);
              if (e instanceof RunFailure refused) return Future.failedFuture(refused);
              if (required) {
                return Future.failedFuture(
                    new RunFailure(
                        "operator is true, but the operator at "
                            + address
                            + " cannot be reached: "
                            + e.getMessage(),
                        e));
              }
              progress.warning(
                  "the operator at "
                      + address
                      + " cannot be reached ("
                      + e.getMessage()
                      + "); going on without it");
              return fallback.connect(vertx, config, progress);
            });
  }

  /** Fails with a {@link RunFailure} when the operator answered and refused the session. */
  private Future<AgentLink> open(Vertx vertx, MirrordConfig config, String address) {
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new RunFailure(ADDRESS_VARIABLE + "='" + address + "' is not HOST:PORT"));
    }
    if (colon <= 0) {
      return Future.failedFuture(
          new RunFailure(ADDRESS_VARIABLE + "='" + address + "' is not HOST:PORT"));
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    String session = UUID.randomUUID().toString().substring(0, 8);
    Control.OperatorHello hello =
        new Control.OperatorHello(
            config.target().effectivePath().render(),
            System.getProperty("user.name"),
            env.getOrDefault(USER_VARIABLE, ""),
            session,
            config.feature().network().incoming().onConcurrentSteal().wire());
    SharedSecret secret;
    try {
      secret = SharedSecret.fromEnvironment(env, SharedSecret.OPERATOR_VARIABLE).orElse(null);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RunFailure(e.getMessage(), e));
    }
    AgentClientOptions options =
        new AgentClientOptions()
            .clientName("mirrordj-run")
            .secret(secret)
            .connectTimeout(Duration.ofSeconds(5))
            .preamble(hello)
            .noticeHandler(
                line ->
                    vertx
                        .eventBus()
                        .send(Addresses.LOCAL_USER_NOTICE, new Messages.UserNotice(line)));
    return AgentClient.connect(vertx, host, port, options)
        .<AgentLink>map(client -> new AgentClientLink(client, address, null, session))
        .recover(
            e ->
                e instanceof RemoteErrnoException
                    ? Future.failedFuture(
                        new RunFailure(
                            "the operator at "
                                + address
                                + " refused the session: "
                                + e.getMessage(),
                            e))
                    : Future.failedFuture(e));
  }
}
