package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.protocol.auth.SharedSecret;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.verticles.agents.LocalAgent;
import dev.mirrordj.verticles.agents.LocalAgentException;
import dev.mirrordj.verticles.kube.AgentCommandLine;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import dev.mirrordj.verticles.kube.KubeConfigAdapter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Chooses how to reach the agent: {@code connect_tcp} as given whatever the target is; otherwise a
 * local agent for a {@code pid/<pid>} target (needs root); otherwise Kubernetes.
 */
public final class DefaultAgentConnector implements AgentConnector {
  private static final long CONNECT_TIMEOUT_S = 30;

  @Override
  public Future<AgentLink> connect(Vertx vertx, MirrordConfig config, Progress progress) {
    if (config.connectTcp().isPresent()) {
      // an agent someone started by hand: its secret, if it has one, is in our environment too
      SharedSecret secret;
      try {
        secret =
            SharedSecret.fromEnvironment(System.getenv(), SharedSecret.AGENT_VARIABLE).orElse(null);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new RunFailure(e.getMessage(), e));
      }
      return connectTcp(vertx, config.connectTcp().get(), secret, null);
    }
    TargetPath target = config.target().effectivePath();
    if (target instanceof TargetPath.Pid pid) {
      Progress starting = progress.subtask("starting a local agent for pid " + pid.pid());
      // starting a process and waiting for its ready line blocks: a worker thread does it
      return vertx
          .executeBlocking(
              () -> {
                try {
                  // every agent.* value that means something to a local agent reaches it, as it
                  // reaches an agent Job: the communication timeout as a flag, the rest in its
                  // environment
                  AgentSettings settings = KubeConfigAdapter.agent(config.agent());
                  return LocalAgent.start(
                      dev.mirrordj.cli.SelfCommand.argv(),
                      pid.pid(),
                      Duration.ofSeconds(config.agent().startupTimeout()),
                      AgentCommandLine.local(settings),
                      AgentCommandLine.environmentMap(settings));
                } catch (LocalAgentException e) {
                  throw new RunFailure(e.getMessage(), e);
                }
              },
              false)
          .onFailure(e -> starting.failure(null))
          .compose(
              agent -> {
                starting.success(agent.address());
                return connectTcp(vertx, agent.address(), agent.secret(), agent);
              });
    }
    Progress launching = progress.subtask("starting the agent in the cluster");
    return KubeAgentLauncher.launch(config, vertx, launching::info)
        .recover(
            e -> {
              launching.failure(null);
              return Future.failedFuture(new RunFailure(e.getMessage(), e));
            })
        .compose(
            endpoint -> {
              launching.success(endpoint.namespace() + "/" + endpoint.podName());
              return connectTcp(
                  vertx, endpoint.host() + ":" + endpoint.port(), endpoint.secret(), endpoint);
            });
  }

  /**
   * Opens the agent protocol on host:port; {@code owned} is closed with the link (a local agent, a
   * port-forward).
   */
  private Future<AgentLink> connectTcp(
      Vertx vertx, String address, SharedSecret secret, AutoCloseable owned) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      closeQuietly(owned);
      return Future.failedFuture(
          new RunFailure("connect_tcp: '" + address + "' is not HOST:PORT (e.g. 127.0.0.1:7777)"));
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      closeQuietly(owned);
      return Future.failedFuture(
          new RunFailure("connect_tcp: port in '" + address + "' is not a number"));
    }
    return AgentClient.connect(
            vertx, host, port, new AgentClientOptions().clientName("mirrordj-run").secret(secret))
        .timeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
        .<AgentLink>map(client -> new AgentClientLink(client, address, owned))
        .recover(
            e -> {
              closeQuietly(owned);
              if (e instanceof TimeoutException) {
                return Future.failedFuture(
                    new RunFailure(
                        "the agent at "
                            + address
                            + " did not answer within "
                            + CONNECT_TIMEOUT_S
                            + " s"));
              }
              return Future.failedFuture(
                  new RunFailure(
                      "cannot connect to the agent at " + address + ": " + e.getMessage(), e));
            });
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort on the failure path
    }
  }
}
