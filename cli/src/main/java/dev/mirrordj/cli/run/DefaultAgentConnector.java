package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.verticles.kube.AgentEndpoint;
import dev.mirrordj.verticles.kube.KubeAgentLauncher;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Chooses how to reach the agent: {@code connect_tcp} as given whatever the target is; otherwise a
 * local agent for a {@code pid/<pid>} target (needs root); otherwise Kubernetes.
 */
public final class DefaultAgentConnector implements AgentConnector {
  private static final long CONNECT_TIMEOUT_S = 30;

  @Override
  public AgentLink connect(Vertx vertx, MirrordConfig config, Progress progress) throws RunFailure {
    if (config.connectTcp().isPresent()) {
      return connectTcp(vertx, config.connectTcp().get(), null);
    }
    TargetPath target = config.target().effectivePath();
    if (target instanceof TargetPath.Pid pid) {
      Progress starting = progress.subtask("starting a local agent for pid " + pid.pid());
      LocalAgent agent;
      try {
        agent =
            LocalAgent.start(
                LocalAgent.selfCommand(),
                pid.pid(),
                Duration.ofSeconds(config.agent().startupTimeout()));
      } catch (RunFailure e) {
        starting.failure(null);
        throw e;
      }
      starting.success(agent.address());
      return connectTcp(vertx, agent.address(), agent);
    }
    Progress launching = progress.subtask("starting the agent in the cluster");
    AgentEndpoint endpoint;
    try {
      endpoint =
          KubeAgentLauncher.launch(config, vertx, launching::info)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
    } catch (ExecutionException e) {
      launching.failure(null);
      throw new RunFailure(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunFailure("interrupted while starting the agent");
    }
    launching.success(endpoint.namespace() + "/" + endpoint.podName());
    return connectTcp(vertx, endpoint.host() + ":" + endpoint.port(), endpoint);
  }

  /**
   * Opens the agent protocol on host:port; {@code owned} is closed with the link (a local agent, a
   * port-forward).
   */
  private AgentLink connectTcp(Vertx vertx, String address, AutoCloseable owned) throws RunFailure {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      closeQuietly(owned);
      throw new RunFailure("connect_tcp: '" + address + "' is not HOST:PORT (e.g. 127.0.0.1:7777)");
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      closeQuietly(owned);
      throw new RunFailure("connect_tcp: port in '" + address + "' is not a number");
    }
    try {
      AgentClient client =
          AgentClient.connect(
                  vertx, host, port, new AgentClientOptions().clientName("mirrordj-run"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
      return new AgentClientLink(client, address, owned);
    } catch (ExecutionException e) {
      closeQuietly(owned);
      throw new RunFailure(
          "cannot connect to the agent at " + address + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      closeQuietly(owned);
      throw new RunFailure(
          "the agent at " + address + " did not answer within " + CONNECT_TIMEOUT_S + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(owned);
      throw new RunFailure("interrupted while connecting to the agent");
    }
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
