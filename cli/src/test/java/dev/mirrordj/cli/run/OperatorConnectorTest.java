package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The configuration's {@code operator} field decides: true must use the operator, unset tries it
 * and falls back saying so, false never asks. The fallback here is a connector that only records
 * that it was used.
 */
class OperatorConnectorTest {
  private Vertx vertx;
  private final List<String> said = new ArrayList<>();
  private int fallbacks;

  private final AgentConnector fallback =
      (v, c, p) -> {
        fallbacks++;
        return Future.failedFuture(new RunFailure("the fallback was used"));
      };

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void trueWithoutAnAddressIsAClearError() throws Exception {
    Throwable e = failure(connect("true", Map.of()));
    assertInstanceOf(RunFailure.class, e);
    assertTrue(
        e.getMessage().startsWith("operator is true, but no operator was found"), e.getMessage());
    assertEquals(0, fallbacks);
  }

  @Test
  void trueWithAnUnreachableOperatorIsAClearError() throws Exception {
    String address = "127.0.0.1:" + closedPort();
    Throwable e = failure(connect("true", Map.of(OperatorConnector.ADDRESS_VARIABLE, address)));
    assertInstanceOf(RunFailure.class, e);
    assertTrue(
        e.getMessage()
            .startsWith("operator is true, but the operator at " + address + " cannot be reached"),
        e.getMessage());
    assertEquals(0, fallbacks);
  }

  @Test
  void unsetFallsBackAndSaysSo() throws Exception {
    String address = "127.0.0.1:" + closedPort();
    assertEquals(
        "the fallback was used",
        failure(connect(null, Map.of(OperatorConnector.ADDRESS_VARIABLE, address))).getMessage());
    assertEquals(1, fallbacks);
    assertTrue(
        said.stream()
            .anyMatch(
                l ->
                    l.startsWith("warning: the operator at " + address + " cannot be reached")
                        && l.endsWith("going on without it")),
        said.toString());

    said.clear();
    failure(connect(null, Map.of()));
    assertEquals(2, fallbacks);
    assertTrue(
        said.contains(
            "info: no operator (MIRRORD_OPERATOR_ADDRESS is not set); going on without it"),
        said.toString());
  }

  @Test
  void falseNeverAsksTheOperator() throws Exception {
    failure(
        connect("false", Map.of(OperatorConnector.ADDRESS_VARIABLE, "127.0.0.1:" + closedPort())));
    assertEquals(1, fallbacks);
    assertTrue(said.isEmpty(), said.toString());
  }

  @Test
  void anOperatorThatRefusesTheSessionIsAnErrorEvenWhenUnset() throws Exception {
    // answers the first frame (OperatorHello, request id 1) with an error, as a node does
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                s ->
                    s.handler(
                        b -> {
                          s.write(
                              new Control.ErrorReply(Errno.EIO, "target pod/x: not served here")
                                  .toWire(1));
                          s.end();
                        }));
    int port =
        server
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    Throwable e =
        failure(connect(null, Map.of(OperatorConnector.ADDRESS_VARIABLE, "127.0.0.1:" + port)));
    assertInstanceOf(RunFailure.class, e);
    assertTrue(
        e.getMessage().contains("refused the session")
            && e.getMessage().contains("not served here"),
        e.getMessage());
    assertEquals(0, fallbacks);
  }

  private Future<AgentLink> connect(String operator, Map<String, String> env) throws Exception {
    String json =
        "{\"target\": \"pid/1\"" + (operator == null ? "" : ", \"operator\": " + operator) + "}";
    MirrordConfig config =
        ConfigResolver.resolve(
                new ConfigSource.Text(json, ConfigFormat.JSON, "<t>"), Map.of(), Map.of(), false)
            .orThrow();
    return new OperatorConnector(env, fallback).connect(vertx, config, new RecordingProgress(said));
  }

  private static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
