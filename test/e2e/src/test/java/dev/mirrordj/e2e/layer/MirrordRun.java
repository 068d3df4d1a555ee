package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code java -jar mirrord-fat.jar run -f <config> -- <program>} as a user would, capturing
 * its output.
 */
final class MirrordRun {
  static final Path FAT_JAR =
      Path.of("..", "..", "cli", "target", "mirrord-fat.jar").toAbsolutePath().normalize();

  record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private MirrordRun() {}

  /** A run still going: its stdout so far can be polled while the test changes the pod under it. */
  record Running(Process process, Path out, Path err) {
    String outSoFar() throws java.io.IOException {
      return Files.readString(out);
    }

    Result await() throws Exception {
      try {
        assertTrue(
            process.waitFor(120, TimeUnit.SECONDS), "run timed out: " + Files.readString(err));
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
  }

  static Running start(Path work, Path cfg, String... program) throws Exception {
    return start(work, cfg, java.util.Map.of(), program);
  }

  /** extraEnv is applied last (e.g. MIRRORD_PROGRESS_MODE=simple to see run's warnings). */
  static Running start(
      Path work, Path cfg, java.util.Map<String, String> extraEnv, String... program)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                FAT_JAR.toString(),
                "run",
                "-f",
                cfg.toString(),
                "--"));
    cmd.addAll(List.of(program));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    pb.environment().putAll(extraEnv);
    Path out = Files.createTempFile(work, "out", ".txt"),
        err = Files.createTempFile(work, "err", ".txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new Running(pb.start(), out, err);
  }

  static Result run(Path work, Path cfg, String... program) throws Exception {
    return start(work, cfg, program).await();
  }
}
