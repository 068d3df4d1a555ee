package dev.mirrordj.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private PrintStream ps(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }

  private void script(Progress root) {
    Progress agent = root.subtask("creating agent pod...");
    agent.info("image ghcr.io/x");
    agent.success(null);
    agent.failure("ignored: already finished");
    root.warning("careful");
    root.success("Ready!");
  }

  @Test
  void modeFromEnvironment() {
    assertEquals(ProgressMode.STD, ProgressMode.fromEnv(Map.of(), ProgressMode.STD));
    assertEquals(
        ProgressMode.STD,
        ProgressMode.fromEnv(Map.of("MIRRORD_PROGRESS_MODE", "standard"), ProgressMode.JSON));
    assertEquals(
        ProgressMode.SIMPLE,
        ProgressMode.fromEnv(Map.of("MIRRORD_PROGRESS_MODE", "dumb"), ProgressMode.STD));
    assertEquals(
        ProgressMode.JSON,
        ProgressMode.fromEnv(Map.of("MIRRORD_PROGRESS_MODE", "JSON"), ProgressMode.STD));
    assertEquals(
        ProgressMode.OFF,
        ProgressMode.fromEnv(Map.of("MIRRORD_PROGRESS_MODE", "off"), ProgressMode.STD));
    assertEquals(
        ProgressMode.SIMPLE,
        ProgressMode.fromEnv(Map.of("MIRRORD_PROGRESS_MODE", "??"), ProgressMode.SIMPLE));
  }

  @Test
  void jsonLinesLikeMirrord() throws Exception {
    script(ProgressMode.JSON.start("mirrord preparing to launch", ps(out), ps(err)));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    ObjectMapper json = new ObjectMapper();
    assertEquals(6, lines.length, String.join("\n", lines));
    JsonNode first = json.readTree(lines[0]);
    assertEquals("NewTask", first.get("type").asText());
    assertEquals("mirrord preparing to launch", first.get("name").asText());
    assertTrue(first.get("parent").isNull());
    JsonNode sub = json.readTree(lines[1]);
    assertEquals("mirrord preparing to launch", sub.get("parent").asText());
    assertEquals("Info", json.readTree(lines[2]).get("type").asText());
    JsonNode finished = json.readTree(lines[3]);
    assertEquals("FinishedTask", finished.get("type").asText());
    assertEquals("creating agent pod...", finished.get("name").asText());
    assertTrue(finished.get("success").asBoolean());
    assertTrue(finished.get("message").isNull());
    assertEquals("careful", json.readTree(lines[4]).get("message").asText());
    JsonNode last = json.readTree(lines[5]);
    assertEquals("Ready!", last.get("message").asText());
    assertEquals(0, err.size(), "json mode writes nothing for humans");
  }

  @Test
  void simpleLinesOnStderr() {
    script(ProgressMode.SIMPLE.start("mirrord preparing to launch", ps(out), ps(err)));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, out.size());
    assertTrue(text.contains("  mirrord preparing to launch..."), text);
    assertTrue(text.contains("  ✓ creating agent pod..."), text);
    assertTrue(text.contains("  * image ghcr.io/x"), text);
    assertTrue(text.contains("! careful"), text);
    assertTrue(text.endsWith("✓ Ready!\n"), text);
    assertTrue(!text.contains("ignored"), "a task finishes once");
  }

  @Test
  void stdWithoutTerminalAndOff() {
    script(ProgressMode.STD.start("launch", ps(out), ps(err)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("✓ Ready!"));
    assertEquals(0, out.size());
    err.reset();
    script(ProgressMode.OFF.start("launch", ps(out), ps(err)));
    assertEquals(0, out.size() + err.size());
  }
}
