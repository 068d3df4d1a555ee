package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.kube.AgentPortForward;
import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.KubeConfigAdapter;
import dev.mirrordj.verticles.kube.OperatorLocator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Opens the session through an operator when the configuration's {@code operator} asks for one:
 * {@code true} must use it (a clear error when there is none or it cannot be reached), unset tries
 * it and goes on without it (saying so in progress), {@code false} never does. The operator is
 * found at {@code MIRRORD_OPERATOR_ADDRESS=HOST:PORT}, else, for a Kubernetes target, through its
 * Service in the cluster (a port-forward to one of its ready pods). Without an operator, {@code
 * fallback} connects as usual.
 */
public final class OperatorConnector implements AgentConnector {
  public static final String ADDRESS_VARIABLE = "MIRRORD_OPERATOR_ADDRESS";
  public static final String USER_VARIABLE = "MIRRORD_OPERATOR_USER";
  public static final String NAMESPACE_VARIABLE = "MIRRORD_OPERATOR_NAMESPACE";

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
      if (config.target().effectivePath() instanceof TargetPath.Pid
          || config.target().effectivePath() instanceof TargetPath.Targetless) {
        return notFound(
            vertx,
            config,
            progress,
            required,
            // a local or targetless session has no cluster to look for the operator in
            ADDRESS_VARIABLE + " is not set");
      }
      return viaKubernetes(vertx, config, progress, required);
    }
    Progress opening = progress.subtask("opening a session with the operator at " + address);
    return open(vertx, config, address, null)
        .onSuccess(l -> opening.success(null))
        .recover(e -> unreachable(vertx, config, progress, required, opening, address, e));
  }

  /** No operator: an error when one is required, else on without it (and say so). */
  private Future<AgentLink> notFound(
      Vertx vertx, MirrordConfig config, Progress progress, boolean required, String why) {
    if (required) {
      return Future.failedFuture(
          new RunFailure(
              "operator is true, but no operator was found: "
                  + why
                  + "; install it (conf/operator/), set "
                  + ADDRESS_VARIABLE
                  + "=HOST:PORT, or unset operator"));
    }
    progress.info("no operator (" + why + "); going on without it");
    return fallback.connect(vertx, config, progress);
  }

  private Future<AgentLink> unreachable(
      Vertx vertx,
      MirrordConfig config,
      Progress progress,
      boolean required,
      Progress opening,
      String address,
      Throwable e) {
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
  }

  /**
   * The operator's Service through the Kubernetes API (namespace {@value
   * OperatorLocator#DEFAULT_NAMESPACE}, or {@code MIRRORD_OPERATOR_NAMESPACE}), reached through a
   * port-forward to one of its ready pods.
   */
  private Future<AgentLink> viaKubernetes(
      Vertx vertx, MirrordConfig config, Progress progress, boolean required) {
    String namespace =
        env.getOrDefault(NAMESPACE_VARIABLE, OperatorLocator.DEFAULT_NAMESPACE).trim();
    Progress looking =
        progress.subtask(
            "looking for the operator (Service " + namespace + "/" + OperatorLocator.SERVICE + ")");
    record Lookup(KubernetesClient client, OperatorLocator.Result result) {}
    return vertx
        .executeBlocking(
            () -> {
              KubernetesClient client = KubeClients.create(vertx, KubeConfigAdapter.kube(config));
              try {
                return new Lookup(client, new OperatorLocator(client).find(namespace));
              } catch (RuntimeException e) {
                client.close();
                throw e;
              }
            },
            false)
        .transform(
            ar -> {
              if (ar.failed()) {
                looking.failure(null);
                return notFound(
                    vertx,
                    config,
                    progress,
                    required,
                    "the Kubernetes API could not be asked: " + ar.cause().getMessage());
              }
              Lookup lookup = ar.result();
              if (lookup.result().found().isEmpty()) {
                lookup.client().close();
                looking.failure(null);
                return notFound(vertx, config, progress, required, lookup.result().reason());
              }
              OperatorLocator.Found found = lookup.result().found().get();
              String where = found.namespace() + "/" + found.pod() + ":" + found.port();
              looking.success(where);
              Progress opening =
                  progress.subtask("opening a session with the operator at " + where);
              return AgentPortForward.open(
                      vertx, lookup.client(), found.namespace(), found.pod(), found.port())
                  .compose(
                      forward ->
                          open(
                                  vertx,
                                  config,
                                  "127.0.0.1:" + forward.localPort(),
                                  () -> {
                                    forward.close();
                                    lookup.client().close();
                                  })
                              .onFailure(
                                  e -> {
                                    forward.close();
                                    lookup.client().close();
                                  }))
                  .onSuccess(l -> opening.success(null))
                  .recover(e -> unreachable(vertx, config, progress, required, opening, where, e));
            });
  }

  /**
   * What the operator needs besides the target's path: its namespace (absent: the operator's
   * default), copy_target and scale_down, and how long a copy may take to be ready.
   */
  static JsonObject targetOptions(MirrordConfig config) {
    JsonObject options =
        new JsonObject()
            .put("copy_target", config.feature().copyTarget().enabled())
            .put("scale_down", config.feature().copyTarget().scaleDown())
            .put("startup_timeout", config.agent().startupTimeout());
    config.target().namespace().ifPresent(ns -> options.put("namespace", ns));
    return options;
  }

  /** Fails with a {@link RunFailure} when the operator answered and refused the session. */
  private Future<AgentLink> open(
      Vertx vertx, MirrordConfig config, String address, AutoCloseable owned) {
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
            config.feature().network().incoming().onConcurrentSteal().wire(),
            targetOptions(config).encode());
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
        .<AgentLink>map(client -> new AgentClientLink(client, address, owned, session))
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
