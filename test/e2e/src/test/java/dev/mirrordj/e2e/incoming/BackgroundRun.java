package dev.mirrordj.e2e.incoming;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code mirrord run -f <config> -- <program>} (or another command) started in the background as a
 * user would (the fat jar; run with progress off), so a test can send traffic while it serves.
 * {@link #close} kills whatever is left of the tree (run, its local agent, the program) on every
 * exit path.
 */
final class BackgroundRun implements AutoCloseable {
  static final Path FAT_JAR =
      Path.of("..", "..", "cli", "target", "mirrord-fat.jar").toAbsolutePath().normalize();

  private final Process process;
  private final Path out;
  private final Path err;

  private BackgroundRun(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static BackgroundRun start(Path work, Path config, List<String> program) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "-f", config.toString(), "--"));
    args.addAll(program);
    return mirrord(work, Map.of("MIRRORD_PROGRESS_MODE", "off"), args);
  }

  /**
   * {@code mirrord ARGS...} (any command: port-forward, ext, ...) in the background, with {@code
   * env} added to this JVM's environment.
   */
  static BackgroundRun mirrord(Path work, Map<String, String> env, List<String> args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                FAT_JAR.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(work, "run-out", ".txt");
    Path err = Files.createTempFile(work, "run-err", ".txt");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new BackgroundRun(pb.start(), out, err);
  }

  /** What the command printed on stdout so far. */
  String stdout() {
    try {
      return Files.readString(out);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM, as a user's interrupt or an IDE's stop; the exit code once it ended. */
  int terminate(long seconds) throws InterruptedException {
    process.destroy();
    return awaitExit(seconds);
  }

  /**
   * The run process itself (a fault test kills it, or looks for its program among its children).
   */
  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for run to end by itself; the exit code, or fails the test after {@code seconds}. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("run did not exit within " + seconds + " s\n" + output());
    }
    return process.exitValue();
  }

  /** stdout and stderr so far, for failure messages. */
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
