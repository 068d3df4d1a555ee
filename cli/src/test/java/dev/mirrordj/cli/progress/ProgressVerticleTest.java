package dev.mirrordj.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.Messages;
import dev.mirrordj.verticles.Messages.ProgressEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The progress verticle alone, fed the events its neighbours send: the same script rendered in each
 * mode, and the lines the user must read whatever the mode.
 */
@ExtendWith(VertxExtension.class)
class ProgressVerticleTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Future<String> deploy(Vertx vertx, ProgressMode mode) {
    return vertx.deployVerticle(
        new ProgressVerticle(
            mode,
            "mirrord preparing to launch",
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  /** What a session sends: a sub-task with info, finished twice, a warning, Ready. */
  private static Future<Void> script(EventBus bus) {
    Progress root = BusProgress.root(bus);
    Progress agent = root.subtask("creating agent pod...");
    agent.info("image ghcr.io/x");
    agent.success(null);
    agent.failure("ignored: already finished");
    root.warning("careful");
    root.success("Ready!");
    return flush(bus);
  }

  private static Future<Void> flush(EventBus bus) {
    return bus.request(Addresses.LOCAL_PROGRESS, new ProgressEvent.Flush()).mapEmpty();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void simpleModeRendersEveryEventInOrderOnStderr(Vertx vertx, VertxTestContext test) {
    deploy(vertx, ProgressMode.SIMPLE)
        .compose(id -> script(vertx.eventBus()))
        .onComplete(
            test.succeeding(
                v ->
                    test.verify(
                        () -> {
                          String text = err();
                          assertEquals(0, out.size());
                          assertEquals(
                              "  mirrord preparing to launch...\n"
                                  + "    creating agent pod......\n"
                                  + "  * image ghcr.io/x\n"
                                  + "  ✓ creating agent pod...\n"
                                  + "! careful\n"
                                  + "✓ Ready!\n",
                              text);
                          test.completeNow();
                        })));
  }

  @Test
  void jsonModeWritesMirrordsMessagesOnStdout(Vertx vertx, VertxTestContext test) {
    deploy(vertx, ProgressMode.JSON)
        .compose(id -> script(vertx.eventBus()))
        .onComplete(
            test.succeeding(
                v ->
                    test.verify(
                        () -> {
                          String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
                          ObjectMapper json = new ObjectMapper();
                          assertEquals(6, lines.length, String.join("\n", lines));
                          assertEquals("NewTask", json.readTree(lines[0]).get("type").asText());
                          JsonNode sub = json.readTree(lines[1]);
                          assertEquals("creating agent pod...", sub.get("name").asText());
                          assertEquals("mirrord preparing to launch", sub.get("parent").asText());
                          assertEquals("Info", json.readTree(lines[2]).get("type").asText());
                          assertEquals(
                              "FinishedTask", json.readTree(lines[3]).get("type").asText());
                          assertEquals("careful", json.readTree(lines[4]).get("message").asText());
                          assertEquals("Ready!", json.readTree(lines[5]).get("message").asText());
                          assertEquals(0, err.size(), "json mode writes nothing for humans");
                          test.completeNow();
                        })));
  }

  @Test
  void stdModeWithoutTerminalPrintsTheSameLines(Vertx vertx, VertxTestContext test) {
    deploy(vertx, ProgressMode.STD)
        .compose(id -> script(vertx.eventBus()))
        .onComplete(
            test.succeeding(
                v ->
                    test.verify(
                        () -> {
                          assertTrue(err().contains("✓ creating agent pod..."), err());
                          assertTrue(err().endsWith("✓ Ready!\n"), err());
                          assertTrue(!err().contains("ignored"), "a task finishes once");
                          assertEquals(0, out.size());
                          test.completeNow();
                        })));
  }

  @Test
  void offModeShowsNoProgressButStillTheLinesTheUserMustRead(Vertx vertx, VertxTestContext test) {
    var checkpoint = test.checkpoint();
    deploy(vertx, ProgressMode.OFF)
        .compose(id -> script(vertx.eventBus()))
        .compose(
            v -> {
              test.verify(() -> assertEquals(0, out.size() + err.size(), "off shows nothing"));
              EventBus bus = vertx.eventBus();
              bus.publish(
                  Addresses.AGENT_STATE,
                  new Messages.AgentState(Messages.AgentState.State.CONNECTED, "agent at x"));
              bus.publish(
                  Addresses.AGENT_STATE,
                  new Messages.AgentState(
                      Messages.AgentState.State.LOST, "agent lost: heartbeat timeout"));
              bus.publish(
                  Addresses.LOCAL_PROXY_IDLE,
                  new Messages.ProxyIdle("no layer connected within x (1 s)"));
              bus.send(Addresses.LOCAL_USER_NOTICE, new Messages.UserNotice("mirrord: warning: w"));
              // the notices share the verticle's event loop with the progress events
              return flush(bus);
            })
        .onComplete(
            test.succeeding(
                v ->
                    test.verify(
                        () -> {
                          String[] lines = err().split("\n");
                          assertEquals(3, lines.length, err());
                          assertEquals(
                              "mirrord: error: lost the connection to the agent (agent lost:"
                                  + " heartbeat timeout); the program's remote file, network and"
                                  + " DNS operations now fail with errors",
                              lines[0]);
                          assertTrue(
                              lines[1].startsWith(
                                  "mirrord: no layer connected within x (1 s); the proxy stopped"),
                              lines[1]);
                          assertEquals("mirrord: warning: w", lines[2]);
                          assertEquals(0, out.size());
                          checkpoint.flag();
                        })));
  }
}
