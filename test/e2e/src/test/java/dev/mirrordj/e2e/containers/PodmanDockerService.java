package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code podman system service}: the Docker Engine API on the {@link Node}'s {@code
 * run/docker.sock}, backed by the same storage as the {@code podman} command, so containers the
 * test starts with {@code podman run} are what the Docker API reports. Stopped on {@link #close}.
 */
final class PodmanDockerService implements AutoCloseable {
  private final Process process;
  private final Path log;

  private PodmanDockerService(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static PodmanDockerService start(Node node) throws IOException {
    Path log = node.root.resolve("podman-service.log");
    Process p =
        new ProcessBuilder(
                "podman", "system", "service", "--time=0", "unix://" + node.dockerSocket())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    PodmanDockerService s = new PodmanDockerService(p, log);
    try {
      Poll.until(
          "the Docker API answers on " + node.dockerSocket(),
          Duration.ofSeconds(60),
          () ->
              p.isAlive()
                  && Node.run(
                          "curl",
                          "-sf",
                          "--unix-socket",
                          node.dockerSocket().toString(),
                          "http://d/_ping")
                      .ok());
    } catch (RuntimeException e) {
      String out = s.log();
      s.close();
      throw new AssertionError(
          "podman system service did not start: " + e.getMessage() + "\n" + out);
    }
    return s;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
