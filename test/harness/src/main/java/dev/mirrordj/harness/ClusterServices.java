package dev.mirrordj.harness;

import static dev.mirrordj.harness.Cluster.DISCARD_PORT;
import static dev.mirrordj.harness.Cluster.ECHO_PORT;
import static dev.mirrordj.harness.Cluster.HTTP_BODY;
import static dev.mirrordj.harness.Cluster.HTTP_PORT;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The cluster's own services (TCP/UDP echo, discard, HTTP; see services.py) as one python process
 * in the cluster namespace, on the service addresses of both families. It dies with the namespace.
 */
final class ClusterServices {
  private ClusterServices() {}

  /** Copies harness resources (scripts) into the run's staging directory. */
  static void stage(Path stage, String... resources) {
    for (String name : resources) {
      try (InputStream in = ClusterServices.class.getResourceAsStream(name)) {
        Files.write(stage.resolve(name), in.readAllBytes());
      } catch (IOException e) {
        throw new HarnessException("cannot stage " + name + ": " + e.getMessage(), e);
      }
    }
  }

  /** Starts the services and returns once every listener is bound. */
  static Process start(Cluster c) {
    Path log = c.stage().resolve("services.log");
    List<String> argv =
        List.of(
            "ip",
            "netns",
            "exec",
            c.netnsName(),
            "python3",
            c.stage().resolve("services.py").toString(),
            "--tcp-echo",
            c.echoIp() + ":" + ECHO_PORT,
            "--udp-echo",
            c.echoIp() + ":" + ECHO_PORT,
            "--discard",
            c.echoIp() + ":" + DISCARD_PORT,
            "--http",
            c.httpIp() + ":" + HTTP_PORT,
            "--tcp-echo",
            "[" + c.echoIp6() + "]:" + ECHO_PORT,
            "--udp-echo",
            "[" + c.echoIp6() + "]:" + ECHO_PORT,
            "--discard",
            "[" + c.echoIp6() + "]:" + DISCARD_PORT,
            "--http",
            "[" + c.httpIp6() + "]:" + HTTP_PORT,
            "--body",
            HTTP_BODY,
            "--name",
            "cluster-http");
    Process services;
    try {
      services =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new HarnessException("cannot start cluster services: " + e.getMessage(), e);
    }
    Poll.until(
        "cluster services listening",
        Duration.ofSeconds(20),
        () -> {
          if (!services.isAlive()) {
            throw new HarnessException(
                "cluster services exited with " + services.exitValue() + ": " + readQuietly(log));
          }
          long pid = services.pid();
          return ListeningSockets.tcpListening(pid, HTTP_PORT)
              && ListeningSockets.tcpListening(pid, ECHO_PORT)
              && ListeningSockets.tcpListening(pid, DISCARD_PORT)
              && ListeningSockets.udpBound(pid, ECHO_PORT);
        });
    return services;
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable)";
    }
  }
}
