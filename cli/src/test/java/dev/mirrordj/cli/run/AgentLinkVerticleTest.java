package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.cli.Main;
import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.agents.LocalAgent;
import dev.mirrordj.verticles.config.ResolvedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent-link verticle alone, against the real targetless agent in its own process: the test
 * answers the config request a config verticle would, and watches {@link Addresses#AGENT_STATE}
 * while the agent serves and when it dies.
 */
@ExtendWith(VertxExtension.class)
class AgentLinkVerticleTest {
  @TempDir Path tmp;
  private Process agent;

  @AfterEach
  void killAgent() {
    if (agent != null) {
      agent.descendants().forEach(ProcessHandle::destroyForcibly);
      agent.destroyForcibly();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The real `agent --targetless` on loopback, once it printed its ready line. */
  private int startAgent() throws Exception {
    int port = freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "agent",
                "--listen",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--targetless"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectError(tmp.resolve("agent-err.txt").toFile());
    pb.environment().put("AGENT_LINK_TEST_VAR", "from-the-agent");
    agent = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    assertTrue(ready != null && ready.startsWith(LocalAgent.READY_PREFIX), "agent said " + ready);
    return port;
  }

  /** Plays the config verticle: a configuration with connect_tcp to the agent. */
  private static void answerConfig(EventBus bus, int port) throws Exception {
    ResolvedConfig config =
        new ResolvedConfig(
            ConfigResolver.resolve(
                    new ConfigSource.Text(
                        "{\"connect_tcp\": \"127.0.0.1:" + port + "\"}", ConfigFormat.JSON, "<t>"),
                    Map.of(),
                    Map.of(),
                    false)
                .orThrow(),
            List.of());
    bus.consumer(Addresses.CONFIG_GET, m -> m.reply(config));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void publishesConnectedServesTheEnvironmentAndPublishesLostWhenTheAgentDies(
      Vertx vertx, VertxTestContext test) throws Exception {
    int port = startAgent();
    EventBus bus = vertx.eventBus();
    answerConfig(bus, port);
    Checkpoint connected = test.checkpoint();
    Checkpoint environment = test.checkpoint();
    Checkpoint lost = test.checkpoint();
    AtomicInteger states = new AtomicInteger();
    bus.<Messages.AgentState>consumer(
        Addresses.AGENT_STATE,
        m -> {
          Messages.AgentState s = m.body();
          switch (states.incrementAndGet()) {
            case 1 -> {
              test.verify(
                  () -> {
                    assertEquals(Messages.AgentState.State.CONNECTED, s.state());
                    assertTrue(s.detail().startsWith("agent at 127.0.0.1:" + port), s.detail());
                  });
              connected.flag();
            }
            case 2 -> {
              test.verify(
                  () -> {
                    assertEquals(Messages.AgentState.State.LOST, s.state(), s.detail());
                    assertTrue(s.detail().startsWith("agent lost"), s.detail());
                  });
              lost.flag();
            }
            default -> test.failNow("unexpected agent state " + s);
          }
        });
    vertx
        .deployVerticle(new AgentLinkVerticle(new DefaultAgentConnector()))
        .compose(id -> bus.<Messages.AgentHandle>request(Addresses.LOCAL_AGENT_HANDLE, null))
        .compose(
            handle -> {
              test.verify(() -> assertTrue(handle.body().incoming(), "the agent speaks incoming"));
              return bus.<Messages.PodEnvironment>request(Addresses.AGENT_ENVIRONMENT, null);
            })
        .onComplete(
            test.succeeding(
                env -> {
                  test.verify(
                      () ->
                          assertEquals(
                              "from-the-agent",
                              env.body().variables().get("AGENT_LINK_TEST_VAR"),
                              env.body().variables().toString()));
                  environment.flag();
                  // the agent dies under the session: its worker and its guard
                  agent.descendants().forEach(ProcessHandle::destroyForcibly);
                  agent.destroyForcibly();
                }));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void noAgentMeansTheDeploymentFailsWithTheReason(Vertx vertx, VertxTestContext test)
      throws Exception {
    int port = freePort(); // nobody listens there
    answerConfig(vertx.eventBus(), port);
    vertx
        .deployVerticle(new AgentLinkVerticle(new DefaultAgentConnector()))
        .onComplete(
            test.failing(
                e ->
                    test.verify(
                        () -> {
                          assertTrue(e instanceof RunFailure, e.toString());
                          assertTrue(
                              e.getMessage()
                                  .startsWith("cannot connect to the agent at 127.0.0.1:" + port),
                              e.getMessage());
                          test.completeNow();
                        })));
  }
}
