package dev.mirrordj.e2e;

import dev.mirrordj.harness.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/mirrord run -f <config> -- <program>} session started the way a user starts it
 * (the shell launcher, not the jar), running in the background so a test can act while the program
 * runs (kill the agent, watch its output). Closing kills whatever is left of its process tree.
 */
final class MirrordSession implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private MirrordSession(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * {@code bin/mirrord} next to the fat jar's project (cli/target/mirrord-fat.jar →
   * ../../bin/mirrord).
   */
  static Path launcher() {
    Path jar = FatJar.require();
    return jar.getParent().getParent().getParent().resolve("bin").resolve("mirrord");
  }

  static MirrordSession start(Path work, Path config, String... program) {
    return start(work, config, Path.of("/dev/null"), program);
  }

  /** As {@link #start(Path, Path, String...)} with the program's stdin read from {@code stdin}. */
  static MirrordSession start(Path work, Path config, Path stdin, String... program) {
    List<String> argv =
        new ArrayList<>(List.of(launcher().toString(), "run", "-f", config.toString(), "--"));
    argv.addAll(List.of(program));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile());
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    pb.environment().put("MIRRORD_JAR", FatJar.require().toString());
    try {
      Path out = Files.createTempFile(work, "run-out", ".txt");
      Path err = Files.createTempFile(work, "run-err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(stdin.toFile());
      return new MirrordSession(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  List<String> lines() {
    return out().lines().toList();
  }

  Process process() {
    return process;
  }

  /**
   * Waits until the program printed {@code line} on stdout; fails with both streams if it never
   * does.
   */
  void awaitLine(String line, Duration timeout) {
    Poll.tryUntil(timeout, () -> lines().contains(line) || !process.isAlive());
    if (!lines().contains(line)) {
      throw new AssertionError(
          "no line '"
              + line
              + "' within "
              + timeout
              + (process.isAlive() ? "" : " (run exited " + process.exitValue() + ")")
              + "\nout:\n"
              + out()
              + "\nerr:\n"
              + err());
    }
  }

  /**
   * Waits for {@code run} to exit and returns its exit code; fails with both streams at the
   * deadline.
   */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "run still running after "
                + timeout
                + "\nout:\n"
                + out()
                + "\nerr:\n"
                + err()
                + "\nrun's state (to tell a lost signal from a stuck exit):\n"
                + diagnose());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The run JVM's signal masks, its children, and its threads (jcmd), for a failure message. */
  private String diagnose() {
    StringBuilder d = new StringBuilder();
    try {
      Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
          .filter(l -> l.startsWith("Sig") || l.startsWith("State"))
          .forEach(l -> d.append(l).append('\n'));
      process
          .children()
          .forEach(
              c ->
                  d.append("child ")
                      .append(c.pid())
                      .append(' ')
                      .append(c.info().commandLine().orElse("?"))
                      .append('\n'));
      Process jcmd =
          new ProcessBuilder("jcmd", Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String threads = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor(20, TimeUnit.SECONDS);
      d.append(threads, 0, Math.min(threads.length(), 12_000));
    } catch (IOException | RuntimeException e) {
      d.append("(diagnosis failed: ").append(e).append(')');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return d.toString();
  }

  /**
   * Every live process on this host that is an agent serving {@code targetPid} (guard or worker),
   * whoever started it.
   */
  static List<ProcessHandle> agentsFor(long targetPid) {
    String arg = "--target-pid " + targetPid;
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              return cmd.contains(" agent ") && (cmd.endsWith(arg) || cmd.contains(arg + " "));
            })
        .toList();
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

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
