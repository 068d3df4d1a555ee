package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.incoming.Incoming;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent pod's environment ({@code MIRRORD_AGENT_*}, as kube's AgentCommandLine sets it) takes
 * effect in the real agent process (guard + worker): log level, JSON log lines, iptables backend,
 * flush of established connections.
 */
@Timeout(120)
class AgentEnvOptionsProcessTest {
  @TempDir Path tmp;

  private record Agent(Process process, BufferedReader out, Path err) {}

  private static Agent start(Path err, Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "agent"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    return new Agent(
        p,
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
        err);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Connects one client, pings, leaves; the agent (idle-ttl 0) then exits 0. Returns its stderr.
   */
  private static String serveOneClientAndExit(Agent agent, int port) throws Exception {
    try {
      assertEquals(
          "agent ready - version " + VersionProvider.version(),
          agent.out().readLine(),
          "the ready line stays plain text on stdout whatever the log format");
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
          agent.process().waitFor(30, TimeUnit.SECONDS), "agent exits once its only client left");
      assertEquals(0, agent.process().exitValue(), Files.readString(agent.err()));
      return Files.readString(agent.err());
    } finally {
      agent.process().destroyForcibly();
    }
  }

  @Test
  void jsonLogAndDebugLevelFromTheEnvironment() throws Exception {
    int port = freePort();
    Agent agent =
        start(
            tmp.resolve("err"),
            Map.of("MIRRORD_AGENT_JSON_LOG", "true", "MIRRORD_AGENT_LOG_LEVEL", "debug"),
            "--listen",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--targetless");
    String err = serveOneClientAndExit(agent, port);
    List<JsonObject> events = new ArrayList<>();
    for (String line : err.lines().filter(l -> !l.isBlank()).toList()) {
      JsonObject event =
          assertDoesNotThrow(
              () -> new JsonObject(line), "every stderr line is one JSON object: " + line);
      assertNotNull(event.getString("timestamp"), line);
      assertNotNull(event.getJsonObject("fields").getString("message"), line);
      events.add(event);
    }
    // the guard's debug line proves the level reached the guard; the worker's info lines that it
    // ran
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    "DEBUG".equals(e.getString("level"))
                        && e.getJsonObject("fields")
                            .getString("message")
                            .startsWith("agent guard started worker pid")),
        err);
    assertTrue(
        events.stream()
            .anyMatch(
                e -> e.getJsonObject("fields").getString("message").contains("last client left")),
        "the worker logs in JSON too: " + err);
  }

  @Test
  void rustLogStyleLevelSilencesInfoAndReportsBadDirectives() throws Exception {
    int port = freePort();
    Agent agent =
        start(
            tmp.resolve("err"),
            Map.of("MIRRORD_AGENT_LOG_LEVEL", "mirrord=warn,bogus=loud"),
            "--listen",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--targetless");
    String err = serveOneClientAndExit(agent, port);
    assertFalse(
        err.contains("last client left"),
        "INFO lines of dev.mirrordj are off at mirrord=warn: " + err);
    assertFalse(err.contains("exited with code"), "nor the guard's: " + err);
    assertTrue(err.contains("ignoring log level directive 'bogus=loud'"), err);
    assertFalse(err.trim().startsWith("{"), "plain text without MIRRORD_AGENT_JSON_LOG: " + err);
  }

  @Test
  void commandLineFlagsAndDnsOptionsParseAndTravelToTheWorker() throws Exception {
    int port = freePort();
    Agent agent =
        start(
            tmp.resolve("err"),
            Map.of("MIRRORD_AGENT_NETWORK_INTERFACE", "eth7"),
            "--listen",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--targetless",
            "--json-log",
            "--log-level",
            "info",
            "--dns-timeout",
            "2",
            "--dns-attempts",
            "3",
            "--flush-connections",
            "false");
    long guard = agent.process().pid();
    assertEquals("agent ready - version " + VersionProvider.version(), agent.out().readLine());
    ProcessHandle worker = agent.process().toHandle().children().findFirst().orElseThrow();
    String workerEnv =
        Files.readString(Path.of("/proc/" + worker.pid() + "/environ")).replace('\0', '\n');
    String workerCmd =
        Files.readString(Path.of("/proc/" + worker.pid() + "/cmdline")).replace('\0', ' ');
    assertTrue(
        workerEnv.contains("MIRRORD_AGENT_DNS_TIMEOUT=2\n")
            && workerEnv.contains("MIRRORD_AGENT_DNS_ATTEMPTS=3\n"),
        "DnsResolver reads these from the worker's environment (guard " + guard + ")");
    assertTrue(workerCmd.contains("-Dmirrordj.agent.flush_connections=false"), workerCmd);
    // the mirror verticle captures on this interface instead of the target's default route
    assertTrue(workerCmd.contains("-Dmirrordj.agent.network_interface=eth7"), workerCmd);
    assertTrue(
        workerCmd.contains("--json-log=true") && workerCmd.contains("--log-level info"), workerCmd);
    agent.process().destroy();
    assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS));
    assertTrue(
        Files.readString(agent.err())
            .lines()
            .filter(l -> !l.isBlank())
            .allMatch(l -> l.startsWith("{")),
        Files.readString(agent.err()));
  }

  @Test
  void badEnvironmentValueIsAUsageErrorNamingTheOption() throws Exception {
    Agent agent =
        start(
            tmp.resolve("err"),
            Map.of("MIRRORD_AGENT_DNS_TIMEOUT", "soon"),
            "--port",
            "0",
            "--targetless");
    assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS));
    assertEquals(ExitCodes.USAGE, agent.process().exitValue());
    String err = Files.readString(agent.err());
    assertTrue(err.contains("--dns-timeout") && err.contains("soon"), err);
  }

  @Test
  void nftablesFalseAndFlushFalseReachTheStealEngine() throws Exception {
    Root.requireRoot();
    try (Cluster cluster = Cluster.start()) {
      Pod pod = cluster.addPod(PodSpec.named("steal-env"));
      int port = freePort();
      // the client asks for a flush; the agent's own setting (false) wins
      String err =
          stealOnce(
              pod,
              port,
              Map.of(
                  "MIRRORD_AGENT_NFTABLES",
                  "false",
                  "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS",
                  "false"),
              true,
              () -> {
                ExecResult legacy = pod.exec("iptables-legacy-save", "-t", "nat");
                ExecResult nft = pod.exec("iptables-nft-save", "-t", "nat");
                assertTrue(
                    legacy.stdout().contains("MIRRORDJ_PREROUTING"),
                    "rules in the legacy backend: " + legacy);
                assertFalse(
                    nft.stdout().contains("MIRRORDJ"), "nothing in the nft backend: " + nft);
              });
      assertTrue(err.contains("steal engine ready (LEGACY"), err);
      assertFalse(
          err.contains("flushed"),
          "flush_connections=false: no flush although the client asked: " + err);

      // the client does not ask; the agent's setting (true) flushes
      String err2 =
          stealOnce(
              pod,
              port,
              Map.of(
                  "MIRRORD_AGENT_NFTABLES",
                  "true",
                  "MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS",
                  "true"),
              false,
              () -> {
                ExecResult nft = pod.exec("iptables-nft-save", "-t", "nat");
                assertTrue(
                    nft.stdout().contains("MIRRORDJ_PREROUTING"),
                    "rules in the nft backend: " + nft);
              });
      assertTrue(err2.contains("steal engine ready (NFT"), err2);
      assertTrue(err2.contains("established connection(s) to port " + port), err2);
    }
  }

  /**
   * Starts an agent on the pod, steals {@code port}, runs {@code check} while stolen, leaves;
   * returns stderr.
   */
  private String stealOnce(
      Pod pod, int port, Map<String, String> env, boolean clientFlush, ThrowingRunnable check)
      throws Exception {
    int agentPort = freePort();
    Agent agent =
        start(
            Files.createTempFile(tmp, "err", ".txt"),
            env,
            "--listen",
            "127.0.0.1",
            "--port",
            String.valueOf(agentPort),
            "--target-pid",
            String.valueOf(pod.pid()));
    try {
      assertTrue(
          agent.out().readLine().startsWith("agent ready - version "),
          Files.readString(agent.err()));
      Vertx vertx = Vertx.vertx();
      try {
        AgentClient c =
            AgentClient.connect(vertx, "127.0.0.1", agentPort, new AgentClientOptions()).await();
        Object reply =
            c.request(new Incoming.Subscribe(port, Incoming.MODE_STEAL, "", "", false, clientFlush))
                .await();
        assertInstanceOf(Control.Ok.class, reply, String.valueOf(reply));
        check.run();
        c.close().await();
      } finally {
        vertx.close().await();
      }
      assertTrue(
          agent.process().waitFor(30, TimeUnit.SECONDS), "agent exits once its only client left");
      assertFalse(
          pod.exec("iptables-legacy-save", "-t", "nat").stdout().contains("MIRRORDJ"),
          "rules removed");
      assertFalse(
          pod.exec("iptables-nft-save", "-t", "nat").stdout().contains("MIRRORDJ"),
          "rules removed");
      return Files.readString(agent.err());
    } finally {
      agent.process().destroyForcibly();
      agent.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
