package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real `agent` command as a process: guard + worker, ready line, exits with logged reasons. */
@Timeout(90)
class AgentCommandProcessTest {
  @TempDir Path tmp;

  private Process start(Path stderr, String... args) throws Exception {
    return start(stderr, java.util.Map.of(), args);
  }

  private Process start(Path stderr, java.util.Map<String, String> env, String... args)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "agent"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void printsReadyServesAClientAndExitsWhenItLeaves() throws Exception {
    int port = freePort();
    Path err = tmp.resolve("err.txt");
    Process guard =
        start(err, "--listen", "127.0.0.1", "--port", String.valueOf(port), "--targetless");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(guard.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("agent ready - version " + VersionProvider.version(), out.readLine());
      Vertx vertx = Vertx.vertx();
      try {
        AgentClient c =
            AgentClient.connect(vertx, "127.0.0.1", port, new AgentClientOptions()).await();
        assertTrue(c.ping().await() > 0);
        c.close().await();
      } finally {
        vertx.close().await();
      }
      assertTrue(
          guard.waitFor(30, TimeUnit.SECONDS),
          "agent should exit once its only client left (idle-ttl 0)");
      assertEquals(0, guard.exitValue());
      String log = Files.readString(err);
      assertTrue(log.contains("last client left"), log);
      assertTrue(log.contains("exited with code 0"), log);
    } finally {
      guard.destroyForcibly();
    }
  }

  @Test
  void firstClientTimeoutEndsTheAgentWithCode1() throws Exception {
    Path err = tmp.resolve("err.txt");
    Process guard = start(err, "--port", "0", "--targetless", "--communication-timeout", "1");
    try {
      assertTrue(guard.waitFor(30, TimeUnit.SECONDS));
      assertEquals(1, guard.exitValue());
      assertTrue(
          Files.readString(err).contains("no client connected within the communication timeout"));
    } finally {
      guard.destroyForcibly();
    }
  }

  @Test
  void sigtermToTheGuardStopsTheWorker() throws Exception {
    Path err = tmp.resolve("err.txt");
    Process guard = start(err, "--port", "0", "--targetless");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(guard.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(out.readLine().startsWith("agent ready - version "));
      List<ProcessHandle> workers = guard.toHandle().children().toList();
      assertEquals(1, workers.size(), "the guard runs exactly one worker");
      guard.destroy();
      assertTrue(guard.waitFor(30, TimeUnit.SECONDS));
      assertTrue(workers.get(0).onExit().get(30, TimeUnit.SECONDS) != null);
      assertFalse(workers.get(0).isAlive());
      String log = Files.readString(err);
      assertTrue(log.contains("received a termination signal"), log);
    } finally {
      guard.destroyForcibly();
    }
  }

  @Test
  void unknownContainerFailsWithTheRuntimeNamed() throws Exception {
    Path err = tmp.resolve("err.txt");
    Process guard =
        start(
            err,
            java.util.Map.of("MIRRORD_AGENT_HOST_ROOT", tmp.toString()),
            "--port",
            "0",
            "--container-id",
            "abc123",
            "--container-runtime",
            "docker");
    try {
      assertTrue(guard.waitFor(60, TimeUnit.SECONDS));
      assertEquals(ExitCodes.FAILURE, guard.exitValue());
      String log = Files.readString(err);
      assertTrue(log.contains("mirrord: error:") && log.toLowerCase().contains("docker"), log);
      assertTrue(guard.toHandle().children().findAny().isEmpty(), "no worker was started");
    } finally {
      guard.destroyForcibly();
    }
  }

  @Test
  void commandLineNeedsExactlyOneOfTargetPidOrTargetless() {
    CliRun both = CliRun.main("agent", "--port", "1", "--targetless", "--target-pid", "1");
    assertEquals(ExitCodes.USAGE, both.exitCode());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    CliRun none = CliRun.main("agent", "--port", "1");
    assertEquals(ExitCodes.USAGE, none.exitCode());
  }
}
