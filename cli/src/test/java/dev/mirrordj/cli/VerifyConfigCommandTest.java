package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.config.ConfigCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyConfigCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String COMPLETE =
      """
      {"target": {"path": "pod/bear-pod", "namespace": "default"},
       "agent": {"image_pull_secrets": [{"secret-key": "secret"}]},
       "feature": {"env": {"include": "A", "exclude": "B"}, "network": {"incoming": {"mode": "steal",
         "http_filter": {"header_filter": "host: api\\\\..+"}}}, "copy_target": {"scale_down": false}},
       "operator": true, "sip_binaries": "bash"}
      """;

  /** stdout must hold exactly one JSON document. */
  private static JsonNode single(String out) throws IOException {
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(out)) {
      List<JsonNode> docs = it.readAll();
      assertEquals(1, docs.size(), "exactly one JSON document on stdout: " + out);
      return docs.get(0);
    }
  }

  private static CliRun verify(Map<String, String> env, String stdin, String... args) {
    return CliRun.of(
        new CommandLine(
            new VerifyConfigCommand(
                env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))),
        args);
  }

  @Test
  void successPrintsTheResolvedConfigurationAndWarnings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mirrord.json");
    Files.writeString(file, COMPLETE);
    CliRun run = CliRun.main("verify-config", file.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode doc = single(run.out());
    assertEquals("Success", doc.get("type").asText());
    assertEquals("pod/bear-pod", doc.at("/config/target/path").asText());
    assertEquals("steal", doc.at("/config/feature/network/incoming/mode").asText());
    assertTrue(doc.at("/config/feature/copy_target/enabled").asBoolean());
    assertEquals(
        doc.get("config"),
        JSON.readTree(ConfigCodec.toJson(ConfigCodec.fromJson(doc.get("config").toString()))),
        "config is the codec's full form and reads back identically");
    assertEquals(3, doc.get("warnings").size(), doc.get("warnings").toString());
    assertTrue(run.err().contains("configuration is valid (3 warnings)"), run.err());
  }

  @Test
  void failurePrintsAllErrorsAndExitsOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"target\": \"bear\", \"agent\": {\"ttl\": -1}, \"extra\": true}");
    CliRun run = CliRun.main("verify-config", file.toString());
    assertEquals(1, run.exitCode());
    JsonNode doc = single(run.out());
    assertEquals("Fail", doc.get("type").asText());
    assertEquals(3, doc.get("errors").size(), doc.toString());
    List<String> errors = new java.util.ArrayList<>();
    doc.get("errors").forEach(e -> errors.add(e.asText()));
    assertTrue(
        errors.stream().anyMatch(e -> e.startsWith("target.path: invalid target provided")),
        errors.toString());
    assertTrue(
        errors.stream().anyMatch(e -> e.startsWith("agent.ttl: out of range")), errors.toString());
    assertTrue(
        errors.stream().anyMatch(e -> e.startsWith("extra: unknown field `extra`")),
        errors.toString());
    assertFalse(run.err().contains("Exception"), "no stack trace for a user error: " + run.err());
  }

  @Test
  void ideAllowsAMissingTarget() throws Exception {
    String steal = "{\"feature\": {\"network\": {\"incoming\": \"steal\"}}}";
    assertEquals(1, verify(Map.of(), steal, "-").exitCode());
    CliRun ide = verify(Map.of(), steal, "--ide", "-");
    assertEquals(0, ide.exitCode(), ide.out());
    assertTrue(single(ide.out()).at("/config/target/path").isNull());
  }

  @Test
  void stdinAndEnvironmentApply() throws Exception {
    CliRun run =
        verify(
            Map.of("MIRRORD_AGENT_TTL", "42", "T", "pod/templated"),
            "{\"target\": \"{{ get_env(name='T') }}\"}",
            "-");
    assertEquals(0, run.exitCode(), run.out());
    JsonNode doc = single(run.out());
    assertEquals("pod/templated", doc.at("/config/target/path").asText());
    assertEquals(42, doc.at("/config/agent/ttl").asInt());
  }

  @Test
  void missingFileIsAFailDocument() throws Exception {
    CliRun run = CliRun.main("verify-config", "/nonexistent/mirrord.json");
    assertEquals(1, run.exitCode());
    assertTrue(
        single(run.out()).at("/errors/0").asText().contains("cannot read the configuration file"));
  }

  @Test
  void missingArgumentIsAUsageError() {
    CliRun run = CliRun.main("verify-config");
    assertEquals(2, run.exitCode());
    assertEquals("", run.out());
    assertTrue(run.err().contains("Missing required parameter"), run.err());
  }

  static {
    JSON.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
  }

  @Test
  void progressModeOffSilencesTheStderrSummaryButNotTheDocument() throws Exception {
    CliRun off = verify(Map.of("MIRRORD_PROGRESS_MODE", "off"), "{\"target\": \"pod/p\"}", "-");
    assertEquals(0, off.exitCode());
    assertEquals("", off.err(), "off: nothing on stderr");
    assertEquals("Success", single(off.out()).get("type").asText());
    CliRun json = verify(Map.of("MIRRORD_PROGRESS_MODE", "json"), "{\"target\": 5}", "-");
    assertEquals(1, json.exitCode());
    assertEquals("", json.err(), "json: machine readers get only the document");
    assertEquals("Fail", single(json.out()).get("type").asText());
    CliRun simple = verify(Map.of("MIRRORD_PROGRESS_MODE", "simple"), "{}", "-");
    assertTrue(simple.err().contains("configuration is valid"), simple.err());
  }
}
