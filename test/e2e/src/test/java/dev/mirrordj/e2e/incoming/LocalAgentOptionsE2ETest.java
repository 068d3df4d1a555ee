package dev.mirrordj.e2e.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code pid/} target gets a local agent; every {@code agent.*} value that means something to a
 * local agent must reach it as it reaches an agent Job: the communication timeout on its command
 * line, the others in its environment. Checked on the real agent process {@code run} starts, while
 * the program runs.
 */
class LocalAgentOptionsE2ETest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void everyAgentValueReachesTheLocalAgent(@TempDir Path dir) throws Exception {
    Pod pod = cluster.addPod(PodSpec.named("opts").env("APP", "1"));
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"agent\": {\"log_level\": \"debug\", \"json_log\": true, \"nftables\": true,"
            + " \"flush_connections\": false, \"network_interface\": \"eth0\","
            + " \"dns\": {\"timeout\": 3, \"attempts\": 2}, \"communication_timeout\": 40},"
            + " \"feature\": {\"network\": {\"incoming\": \"off\"}}}");
    try (BackgroundRun run =
        BackgroundRun.start(
            dir,
            cfg,
            List.of("python3", "-c", "print('up', flush=True); import time; time.sleep(60)"))) {
      IncomingRunE2ETest.awaitTrue(run, "the program started", () -> run.stdout().contains("up"));
      Optional<Long> agent = localAgentOf(pod.pid());
      assertTrue(agent.isPresent(), "run started a local agent for pid/" + pod.pid());
      List<String> argv = cmdline(agent.get());
      int at = argv.indexOf("--communication-timeout");
      assertTrue(at >= 0, "the communication timeout is on its command line: " + argv);
      assertEquals("40", argv.get(at + 1));
      Map<String, String> env = environ(agent.get());
      assertEquals("debug", env.get("MIRRORD_AGENT_LOG_LEVEL"));
      assertEquals("true", env.get("MIRRORD_AGENT_JSON_LOG"));
      assertEquals("true", env.get("MIRRORD_AGENT_NFTABLES"));
      assertEquals("false", env.get("MIRRORD_AGENT_STEALER_FLUSH_CONNECTIONS"));
      assertEquals("eth0", env.get("MIRRORD_AGENT_NETWORK_INTERFACE"));
      assertEquals("3", env.get("MIRRORD_AGENT_DNS_TIMEOUT"));
      assertEquals("2", env.get("MIRRORD_AGENT_DNS_ATTEMPTS"));
    }
  }

  /** The agent process serving {@code pid}: the one whose command line names it as its target. */
  private static Optional<Long> localAgentOf(long pid) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .filter(
              p -> {
                List<String> argv = cmdline(p);
                int at = argv.indexOf("--target-pid");
                return argv.contains("agent")
                    && at >= 0
                    && argv.get(at + 1).equals(Long.toString(pid));
              })
          .min(Long::compare);
    }
  }

  private static List<String> cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Map<String, String> environ(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    Map<String, String> env = new HashMap<>();
    for (String kv : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = kv.indexOf('=');
      if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }
}
