package dev.mirrordj.e2e.operator;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One user's {@code mirrord run} in the background (the fat jar), with the environment the test
 * gives (MIRRORD_OPERATOR_ADDRESS, MIRRORD_OPERATOR_USER). {@link #close} kills what is left of it.
 */
final class UserRun implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private UserRun(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static UserRun start(Path work, Path config, Map<String, String> env, List<String> program)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                OperatorNodes.FAT_JAR.toString(),
                "run",
                "-f",
                config.toString(),
                "--"));
    cmd.addAll(program);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    pb.environment().remove("MIRRORD_OPERATOR_ADDRESS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "run-out", ".txt");
    Path err = Files.createTempFile(work, "run-err", ".txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new UserRun(pb.start(), out, err);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Whether run ended within {@code millis}. */
  boolean endsWithin(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  int exitCode() {
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(err);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  String output() {
    try {
      return "--- run stdout:\n"
          + Files.readString(out)
          + "--- run stderr:\n"
          + Files.readString(err);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
