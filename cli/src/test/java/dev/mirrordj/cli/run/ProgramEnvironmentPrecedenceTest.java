package dev.mirrordj.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.EnvConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** env_file, mapping and override on top of the pod's variables, in mirrord's order. */
class ProgramEnvironmentPrecedenceTest {
  @TempDir Path dir;

  private static EnvConfig env(
      Optional<List<String>> include,
      String envFile,
      Map<String, String> mapping,
      Map<String, String> overrides) {
    return new EnvConfig(
        include,
        Optional.empty(),
        overrides,
        List.of(),
        false,
        Optional.ofNullable(envFile),
        mapping);
  }

  @Test
  void podThenEnvFileThenMappingThenOverride() throws Exception {
    Path file = dir.resolve("local.env");
    Files.writeString(
        file,
        "# comment\n"
            + "APP_MODE=file\n"
            + "export NEW_TIMEOUT=5\n"
            + "SINGLE='$APP_MODE stays'\n"
            + "DOUBLE=\"line1\\nline2 ${APP_MODE}\"\n"
            + "MULTI=\"a\nb\"\n"
            + "INLINE=value # comment\n"
            + "HASH=a#b\n"
            + "EMPTY=\n");
    Map<String, String> pod = new LinkedHashMap<>();
    pod.put("APP_MODE", "pod");
    pod.put("DB_TIMEOUT", "500");
    pod.put("KEEP", "pod");
    pod.put("HIDDEN", "pod");
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("_TIMEOUT$", "10000");
    mapping.put("^keep$", "lowercase patterns do not match KEEP");
    Map<String, String> out =
        ProgramEnvironment.remote(
            pod,
            env(
                Optional.of(List.of("APP_MODE", "DB_TIMEOUT", "KEEP")),
                file.toString(),
                mapping,
                Map.of("NEW_TIMEOUT", "override")));
    assertEquals("file", out.get("APP_MODE"), "the file wins over the pod");
    assertEquals("10000", out.get("DB_TIMEOUT"), "mapping rewrites pod values by name");
    assertEquals("override", out.get("NEW_TIMEOUT"), "override wins over mapping and the file");
    assertEquals("pod", out.get("KEEP"), "mapping matches names case-sensitively");
    assertEquals(null, out.get("HIDDEN"), "include still filters the pod");
    assertEquals("$APP_MODE stays", out.get("SINGLE"));
    assertEquals("line1\nline2 file", out.get("DOUBLE"));
    assertEquals("a\nb", out.get("MULTI"));
    assertEquals("value", out.get("INLINE"));
    assertEquals("a#b", out.get("HASH"));
    assertEquals("", out.get("EMPTY"));
  }

  @Test
  void aMissingOrMalformedEnvFileNamesTheFieldAndTheFile() throws Exception {
    Path missing = dir.resolve("absent.env");
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                ProgramEnvironment.remote(
                    Map.of(), env(Optional.empty(), missing.toString(), Map.of(), Map.of())));
    assertTrue(e.getMessage().contains("feature.env.env_file"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path bad = dir.resolve("bad.env");
    Files.writeString(bad, "GOOD=1\nnot an assignment\n");
    e =
        assertThrows(
            RuntimeException.class,
            () ->
                ProgramEnvironment.remote(
                    Map.of(), env(Optional.empty(), bad.toString(), Map.of(), Map.of())));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
