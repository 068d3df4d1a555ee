package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent image run by podman as its Job says ({@link JobOnPodman}), attached so its stdout (the
 * {@code agent ready} line) and stderr are captured like a pod's log.
 */
final class AgentContainer implements AutoCloseable {
  static final String READY = "agent ready";

  final String name;
  private final Process process;
  private final Path out;
  private final Path err;
  private final PodmanContainers podman;

  private AgentContainer(
      String name, Process process, Path out, Path err, PodmanContainers podman) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
    this.podman = podman;
  }

  static AgentContainer start(
      PodmanContainers podman, String name, List<String> jobArguments, Duration ready)
      throws IOException {
    List<String> argv = new ArrayList<>(List.of("podman", "run"));
    argv.addAll(podman.baseOptions(name));
    argv.addAll(jobArguments);
    Path out = Files.createTempFile("mdj-agent-container-", ".out");
    Path err = Files.createTempFile("mdj-agent-container-", ".err");
    Process p =
        new ProcessBuilder(argv)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    AgentContainer agent = new AgentContainer(name, p, out, err, podman);
    try {
      Poll.until(
          "the agent container prints '" + READY + "'",
          ready,
          () -> agent.stdout().contains(READY) || !p.isAlive());
      if (!agent.stdout().contains(READY)) {
        throw new AssertionError("the agent container exited before it was ready");
      }
    } catch (RuntimeException | AssertionError e) {
      String log = agent.log();
      agent.close();
      throw new AssertionError(e.getMessage() + "\n" + argv + "\n" + log, e);
    }
    return agent;
  }

  /** The agent's guard process on this host (the container's main process). */
  long pid() {
    return PodmanContainers.pid(name);
  }

  String stdout() {
    try {
      return Files.readString(out);
    } catch (IOException e) {
      return "";
    }
  }

  String log() {
    try {
      return "--- agent container stdout:\n"
          + Files.readString(out)
          + "--- agent container stderr:\n"
          + Files.readString(err);
    } catch (IOException e) {
      return "(agent log unreadable: " + e + ")";
    }
  }

  /** Waits for the container to end by itself; its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "the agent container is still running after " + timeout + "\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    podman.remove(name);
    process.destroyForcibly();
    try {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    } catch (IOException ignored) {
      // temp files
    }
  }
}
