package dev.mirrordj.e2e.containers;

import dev.mirrordj.harness.Poll;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * What {@code kubectl port-forward} does for a pod, for a container on this machine: a listener on
 * the host's loopback whose every connection is joined to {@code 127.0.0.1:port} inside the
 * container's network namespace (socat, one {@code nsenter} per connection). The agent Job's pod is
 * reached this way, never through an address on a network.
 */
final class PortForward implements AutoCloseable {
  private final Process socat;
  private final Path script;
  private final int localPort;

  private PortForward(Process socat, Path script, int localPort) {
    this.socat = socat;
    this.script = script;
    this.localPort = localPort;
  }

  static PortForward to(long containerPid, int port) throws IOException {
    int local;
    try (ServerSocket probe = new ServerSocket(0)) {
      local = probe.getLocalPort();
    }
    Path script = Files.createTempFile("mdj-port-forward-", ".sh");
    Files.writeString(
        script,
        "#!/bin/sh\nexec nsenter --net=/proc/"
            + containerPid
            + "/ns/net socat STDIO TCP:127.0.0.1:"
            + port
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Process p =
        new ProcessBuilder(
                "socat", "TCP-LISTEN:" + local + ",bind=127.0.0.1,reuseaddr,fork", "EXEC:" + script)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    PortForward f = new PortForward(p, script, local);
    // probe with ss, not a connection: a connection would reach the agent as a client
    Poll.until(
        "port-forward listens on 127.0.0.1:" + local,
        Duration.ofSeconds(10),
        () -> !Node.run("ss", "-Hltn", "sport = :" + local).stdout().isBlank());
    return f;
  }

  int localPort() {
    return localPort;
  }

  @Override
  public void close() {
    socat.descendants().forEach(ProcessHandle::destroyForcibly);
    socat.destroyForcibly();
    try {
      Files.deleteIfExists(script);
    } catch (IOException ignored) {
      // a temp file; nothing else depends on it
    }
  }
}
