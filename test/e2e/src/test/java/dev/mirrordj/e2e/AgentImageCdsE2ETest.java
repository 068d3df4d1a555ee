package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent image's class-data archive, built from the packaged fat jar the way the Dockerfile does
 * (conf/agent-image/make-cds-archive.sh), is mapped by both agent processes the image's launcher
 * starts. Lives here, not in cli's tests, because it needs the packaged jar.
 */
class AgentImageCdsE2ETest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path IMAGE = ROOT.resolve("conf/agent-image");
  @TempDir Path tmp;

  @Test
  void cdsArchiveIsBuiltAndMappedByTheWorker() throws Exception {
    Path fat = ROOT.resolve("cli/target/mirrord-fat.jar");
    assertTrue(Files.isRegularFile(fat), "the e2e module runs after cli is packaged: " + fat);
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    Path jar = Files.copy(fat, lib.resolve("mirrord-fat.jar"));
    Path jsa = lib.resolve("mirrord-agent.jsa");
    Process make =
        new ProcessBuilder(
                "sh",
                IMAGE.resolve("make-cds-archive.sh").toString(),
                jar.toString(),
                jsa.toString())
            .redirectErrorStream(true)
            .start();
    String makeOut = new String(make.getInputStream().readAllBytes());
    assertTrue(make.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, make.exitValue(), makeOut);
    assertTrue(Files.size(jsa) > 1_000_000, makeOut);
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                IMAGE.resolve("mirrord-agent").toString(),
                "--port",
                "0",
                "--targetless",
                "--communication-timeout",
                "60")
            .redirectError(tmp.resolve("err").toFile());
    pb.environment().put("MIRRORD_AGENT_JAR", jar.toString());
    Process guard = pb.start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(guard.getInputStream()));
      assertTrue(
          out.readLine().startsWith("agent ready - version "),
          Files.readString(tmp.resolve("err")));
      ProcessHandle worker = guard.toHandle().children().findFirst().orElseThrow();
      for (ProcessHandle p : List.of(guard.toHandle(), worker)) {
        assertTrue(
            Files.readString(Path.of("/proc/" + p.pid() + "/maps")).contains(jsa.toString()),
            "pid " + p.pid() + " maps the agent's CDS archive");
      }
    } finally {
      guard.destroy();
      guard.waitFor(30, TimeUnit.SECONDS);
      guard.destroyForcibly();
    }
  }
}
