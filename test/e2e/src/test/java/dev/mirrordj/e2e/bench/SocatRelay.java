package dev.mirrordj.e2e.bench;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * R1, the naive-relay anchor (what a plain two-hop relay costs): the agent's topology built from
 * two socat hops instead — a socat on the host's loopback, a unix socket, and a socat inside the
 * pod that connects to the server. Any real tunnel should beat it.
 */
final class SocatRelay implements AutoCloseable {
  private final Process inPod;
  private final Process onHost;
  private final int port;

  SocatRelay(Pod pod, String serverIp, int serverPort) throws IOException {
    String sock = "/tmp/relay-" + serverPort + ".sock";
    File log = File.createTempFile("socat-relay", ".log");
    log.deleteOnExit();
    inPod =
        pod.start(
            List.of(
                "socat",
                "-b",
                "262144",
                "UNIX-LISTEN:" + sock + ",fork",
                "TCP:" + serverIp + ":" + serverPort + ",nodelay"),
            log);
    java.nio.file.Path hostView = pod.root().resolve(sock.substring(1));
    Poll.until(
        "socat unix listener in the pod", Duration.ofSeconds(10), () -> Files.exists(hostView));
    port = AgentProcess.freePort();
    onHost =
        new ProcessBuilder(
                "socat",
                "-b",
                "262144",
                "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr,nodelay",
                "UNIX-CONNECT:" + hostView)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    Poll.until(
        "socat listening on 127.0.0.1:" + port,
        Duration.ofSeconds(10),
        () -> {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    onHost.descendants().forEach(ProcessHandle::destroyForcibly);
    onHost.destroyForcibly();
    inPod.descendants().forEach(ProcessHandle::destroyForcibly);
    inPod.destroyForcibly();
  }
}
