package dev.mirrordj.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.agent.env.EnvService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime env merged under /proc environ, then filtered with include/exclude and default
 * exclusions.
 */
class EnvServiceTest {
  @TempDir Path dir;

  @Test
  void environWinsOverRuntimeEnvAndFiltersApply() throws Exception {
    Path environ = dir.resolve("environ");
    Files.write(environ, "A=from-proc\0PATH=/bin\0B=b\0NOEQUALS\0C=x=y\0".getBytes());
    EnvService env =
        new EnvService(environ, List.of("A=from-runtime", "R=runtime-only", "HOME=/root"));
    assertEquals(
        Map.of("A", "from-proc", "B", "b", "C", "x=y", "R", "runtime-only"),
        env.read(List.of(), List.of()));
    assertEquals(Map.of("A", "from-proc"), env.read(List.of("?"), List.of("B", "C", "R")));
    assertEquals(Map.of("B", "b"), env.read(List.of("*"), List.of("A", "C", "R*")));
  }
}
