package dev.mirrordj.cli.agentlog;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentLogConfigTest {

  @Test
  void rustLogDirectivesMapToLoggers() {
    List<String> problems = new ArrayList<>();
    Map<String, Level> levels =
        AgentLogConfig.parse(
            " mirrord=debug, warn ,mirrord_agent::dns=trace,io.vertx=ERROR", problems);
    assertEquals(
        Map.of(
            "dev.mirrordj",
            Level.DEBUG,
            Logger.ROOT_LOGGER_NAME,
            Level.WARN,
            "dev.mirrordj.agent.dns",
            Level.TRACE,
            "io.vertx",
            Level.ERROR),
        levels);
    assertEquals(List.of(), problems);
  }

  @Test
  void badDirectivesAreReportedAndSkipped() {
    List<String> problems = new ArrayList<>();
    Map<String, Level> levels = AgentLogConfig.parse("info,mirrord=chatty,=debug", problems);
    assertEquals(Map.of(Logger.ROOT_LOGGER_NAME, Level.INFO), levels);
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("mirrord=chatty"), problems.toString());
  }

  @Test
  void jsonLineEscapesAndCarriesContext() {
    LoggerContext ctx = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            ctx.getLogger("dev.mirrordj.agent.Test"),
            Level.WARN,
            "port {} said \"no\"\nnext",
            new IllegalStateException("boom"),
            new Object[] {80});
    event.setMDCPropertyMap(Map.of("session", "s1"));
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(ctx);
    encoder.start();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(
        line.endsWith("\n") && line.indexOf('\n') == line.length() - 1,
        "exactly one line: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARN", json.getString("level"));
    assertEquals("dev.mirrordj.agent.Test", json.getString("target"));
    assertEquals("port 80 said \"no\"\nnext", json.getJsonObject("fields").getString("message"));
    assertEquals("s1", json.getJsonObject("fields").getString("session"));
    assertTrue(json.getString("error").contains("IllegalStateException: boom"), line);
  }
}
