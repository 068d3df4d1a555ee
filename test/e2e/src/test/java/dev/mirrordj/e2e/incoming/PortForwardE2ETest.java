package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.POD_BODY;
import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.awaitTrue;
import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.freeHostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirrord port-forward} against a harness pod ({@code pid/<pid>} target, so the command
 * starts its own local agent): {@code -L} listeners on this machine reach services only the pod can
 * reach (by the pod's DNS name and by address), with stream ends relayed; {@code -R} delivers the
 * pod's incoming traffic to a local server, stolen or mirrored as the configuration says; and the
 * command ends on SIGTERM, giving the pod its port back.
 */
class PortForwardE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger PODS = new AtomicInteger();
  private static final int RESET_PORT = 7007;

  /** A cluster service that answers "partial" to the first bytes and then resets. */
  private static final String RESETTING_SERVER =
      String.join(
          "\n",
          "import socket, struct, sys",
          "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
          "s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8)",
          "print('listening', flush=True)",
          "while True:",
          "    c, _ = s.accept()",
          "    c.recv(100)",
          "    c.sendall(b'partial')",
          "    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))",
          "    c.close()",
          "");

  /**
   * The local client: sends N bytes, half-closes, and reads to the end while the peer still
   * answers; or sends a line and reports how the peer ended the stream.
   */
  private static final String CLIENT =
      String.join(
          "\n",
          "import hashlib, socket, sys",
          "port, what = int(sys.argv[1]), sys.argv[2]",
          "c = socket.create_connection(('127.0.0.1', port), timeout=20)",
          "if what == 'halfclose':",
          "    n = int(sys.argv[3])",
          "    data = bytes((i * 7) % 251 for i in range(n))",
          "    c.sendall(data)",
          "    c.shutdown(socket.SHUT_WR)",
          "    got = b''",
          "    while True:",
          "        b = c.recv(65536)",
          "        if not b: break",
          "        got += b",
          "    print('sent', hashlib.sha256(data).hexdigest(), 'got', hashlib.sha256(got).hexdigest(),"
              + " len(got))",
          "else:",
          "    got = b''",
          "    try:",
          "        c.sendall(b'hello\\n')",
          "        while True:",
          "            b = c.recv(65536)",
          "            if not b:",
          "                print('eof', got.decode()); break",
          "            got += b",
          "    except (ConnectionResetError, BrokenPipeError):",
          "        print('reset', got.decode())",
          "");

  @TempDir static Path work;
  static Cluster cluster;
  static Path client;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    client = work.resolve("client.py");
    Files.writeString(client, CLIENT);
    Path server = work.resolve("resetting_server.py");
    Files.writeString(server, RESETTING_SERVER);
    Process p =
        cluster.start(
            List.of("python3", server.toString(), cluster.echoIp(), String.valueOf(RESET_PORT)),
            work.resolve("resetting.log").toFile());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.readString(work.resolve("resetting.log")).contains("listening")) {
      assertTrue(p.isAlive() && System.nanoTime() < deadline, "the resetting server starts");
      Thread.sleep(50); // polling interval
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void localMappingsReachClusterOnlyServicesByPodDnsNameAndByAddressWithTheirStreamEnds()
      throws Exception {
    Pod pod = cluster.addPod(PodSpec.named("pfl" + PODS.incrementAndGet()));
    assertFalse(
        hostCurl("http://" + cluster.httpIp() + "/").ok(),
        "the cluster's HTTP service is not reachable from this machine directly");
    try (BackgroundRun pf =
        portForward(
            pod,
            "{}",
            "-L",
            "0:" + Cluster.HTTP_NAME + ":" + Cluster.HTTP_PORT,
            "-L",
            "0:" + cluster.echoIp() + ":" + Cluster.ECHO_PORT,
            "-L",
            "0:" + cluster.echoIp() + ":" + RESET_PORT,
            "-L",
            "0:" + cluster.echoIp() + ":1")) {
      List<JsonNode> live = announced(pf, 4);
      int http = listenPort(live, Cluster.HTTP_NAME + ":" + Cluster.HTTP_PORT);
      int echo = listenPort(live, cluster.echoIp() + ":" + Cluster.ECHO_PORT);
      int resetting = listenPort(live, cluster.echoIp() + ":" + RESET_PORT);
      int refused = listenPort(live, cluster.echoIp() + ":1");

      // curl through -L: the name is resolved by the pod's DNS, the connection made from the pod
      ExecResult viaPod = hostCurl("http://127.0.0.1:" + http + "/");
      assertEquals(Cluster.HTTP_BODY, viaPod.stdout(), viaPod + "\n" + pf.output());
      for (int i = 0; i < 5; i++) {
        assertEquals(Cluster.HTTP_BODY, hostCurl("http://127.0.0.1:" + http + "/" + i).stdout());
      }

      // our FIN reaches the echo service behind 1 MiB while its answer still flows back to us
      String echoed = python(client.toString(), String.valueOf(echo), "halfclose", "1048576");
      String[] w = echoed.strip().split(" ");
      assertEquals(w[1], w[3], "the echo came back byte-exact after our FIN: " + echoed);
      assertEquals("1048576", w[4], echoed);

      // the service's RST reaches us after the bytes it sent before
      assertEquals(
          "reset partial", python(client.toString(), String.valueOf(resetting), "reset").strip());
      // a destination the pod cannot connect to resets our connection and is reported
      assertEquals("reset", python(client.toString(), String.valueOf(refused), "reset").strip());
      awaitTrue(
          pf,
          "the refused destination is reported",
          () -> pf.output().contains("cannot connect to " + cluster.echoIp() + ":1 from the pod"));

      assertTrue(pf.alive(), "port-forward stays up until interrupted\n" + pf.output());
      int code = pf.terminate(30);
      assertEquals(143, code, "SIGTERM ends it like any interrupted program\n" + pf.output());
      assertFalse(hostCurl("http://127.0.0.1:" + http + "/").ok(), "the listener is gone with it");
    }
  }

  @Test
  void reverseMappingStealsThePodsPortIntoALocalServerAndGivesItBackOnInterrupt() throws Exception {
    try (ReversePod r = ReversePod.start("reverse")) {
      try (BackgroundRun pf =
          portForward(
              r.pod(),
              "{\"feature\": {\"network\": {\"incoming\": \"steal\"}}}",
              "-R",
              r.podPort() + ":" + r.localPort(),
              "-L",
              "0:" + cluster.echoIp() + ":" + Cluster.ECHO_PORT)) {
        List<JsonNode> live = announced(pf, 2);
        JsonNode reverse =
            live.stream()
                .filter(n -> n.path("direction").asText().equals("reverse"))
                .findFirst()
                .orElseThrow();
        assertEquals("steal", reverse.path("mode").asText(), live.toString());
        String base = "http://" + r.pod().ip() + ":" + r.podPort();
        awaitTrue(
            pf,
            "the pod's port reaches the local server",
            () -> clusterCurl(base + "/probe").startsWith("local /probe"));
        for (int i = 0; i < 10; i++) {
          assertEquals("local /r-" + i + "\n", clusterCurl(base + "/r-" + i));
        }
        assertTrue(
            IncomingRunE2ETest.logged(r.log()).contains("/r-9"), "the local server saw them");
        assertEquals(143, pf.terminate(30), pf.output());
        awaitTrueAfterExit(
            "the pod's own app answers again once port-forward ended",
            () -> clusterCurl(base + "/after").startsWith(POD_BODY));
      }
    }
  }

  @Test
  void reverseMappingWithAnHttpFilterStealsOnlyTheMatchingRequests() throws Exception {
    try (ReversePod r = ReversePod.start("filtered")) {
      String incoming =
          "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
              + " \"ports\": ["
              + r.podPort()
              + "]}}";
      try (BackgroundRun pf =
          portForward(
              r.pod(),
              "{\"feature\": {\"network\": {\"incoming\": " + incoming + "}}}",
              "-R",
              r.podPort() + ":" + r.localPort())) {
        JsonNode reverse = announced(pf, 1).get(0);
        assertTrue(reverse.path("filtered").asBoolean(), reverse.toString());
        String base = "http://" + r.pod().ip() + ":" + r.podPort();
        awaitTrue(
            pf,
            "matching requests reach the local server",
            () -> clusterCurl("-H", "X-User: alice", base + "/probe").startsWith("local /probe"));
        for (int i = 0; i < 5; i++) {
          assertEquals(
              "local /a-" + i + "\n", clusterCurl("-H", "X-User: alice", base + "/a-" + i));
          assertTrue(clusterCurl("-H", "X-User: bob", base + "/b-" + i).startsWith(POD_BODY));
          assertTrue(clusterCurl(base + "/n-" + i).startsWith(POD_BODY));
        }
        assertTrue(
            IncomingRunE2ETest.logged(r.log()).stream()
                .noneMatch(p -> p.startsWith("/b-") || p.startsWith("/n-")),
            "unmatched requests never reach the local server");
      }
    }
  }

  @Test
  void reverseMappingMirrorsWhileThePodKeepsAnswering() throws Exception {
    try (ReversePod r = ReversePod.start("mirror")) {
      try (BackgroundRun pf = portForward(r.pod(), "{}", "-R", r.podPort() + ":" + r.localPort())) {
        assertEquals("mirror", announced(pf, 1).get(0).path("mode").asText());
        String base = "http://" + r.pod().ip() + ":" + r.podPort();
        awaitTrue(
            pf,
            "a request to the pod is copied to the local server",
            () -> {
              assertTrue(clusterCurl(base + "/m").startsWith(POD_BODY), "the pod answers");
              return IncomingRunE2ETest.logged(r.log()).contains("/m");
            });
      }
    }
  }

  @Test
  void badMappingsAreUsageErrorsNamingTheAcceptedForm() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                BackgroundRun.FAT_JAR.toString(),
                "port-forward",
                "-t",
                "targetless",
                "-L",
                "80:host")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("usage.txt").toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(work.resolve("usage.txt"));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("'80:host': 'host' is not a port"), out);
    assertTrue(out.contains("[local_port:]remote_host:remote_port"), out);
  }

  // ---- helpers ----

  /**
   * A pod whose app answers on a port of its own, and the local server ({@link LocalApp}) a {@code
   * -R} mapping delivers that port to; the server is stopped on close.
   */
  private record ReversePod(Pod pod, int podPort, int localPort, Path log, Process local)
      implements AutoCloseable {
    static ReversePod start(String name) throws Exception {
      int podPort = freeHostPort();
      int localPort = freeHostPort();
      Pod pod =
          cluster.addPod(
              PodSpec.named("pf" + name.charAt(0) + PODS.incrementAndGet())
                  .httpServer(podPort, POD_BODY));
      Path dir = Files.createTempDirectory(work, name);
      Path log = dir.resolve("requests.log");
      Process local = new ProcessBuilder(LocalApp.python(dir, localPort, log)).start();
      return new ReversePod(pod, podPort, localPort, log, local);
    }

    @Override
    public void close() throws InterruptedException {
      local.destroyForcibly();
      local.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static BackgroundRun portForward(Pod pod, String config, String... mappings)
      throws Exception {
    Path dir = Files.createTempDirectory(work, "pf");
    Path cfg = dir.resolve("mirrord.json");
    JsonNode doc = JSON.readTree(config);
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("target", "pid/" + pod.pid());
    Files.writeString(cfg, doc.toString());
    List<String> args = new ArrayList<>(List.of("port-forward", "-f", cfg.toString()));
    args.addAll(List.of(mappings));
    return BackgroundRun.mirrord(dir, Map.of("MIRRORD_PROGRESS_MODE", "simple"), args);
  }

  /** The first {@code n} mapping announcements on stdout (waits for them). */
  private static List<JsonNode> announced(BackgroundRun pf, int n) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    awaitTrue(
        pf,
        n + " mappings announced",
        () -> {
          lines.clear();
          for (String line : pf.stdout().split("\n")) {
            if (line.isBlank()) continue;
            try {
              JsonNode node = JSON.readTree(line);
              if (node.path("type").asText().equals("PortForward")) lines.add(node);
            } catch (Exception e) {
              throw new AssertionError("stdout holds only JSON lines: " + line, e);
            }
          }
          return lines.size() >= n;
        });
    return lines;
  }

  private static int listenPort(List<JsonNode> live, String to) {
    JsonNode n =
        live.stream().filter(x -> x.path("to").asText().equals(to)).findFirst().orElseThrow();
    int port = Integer.parseInt(n.path("listen").asText().replace("127.0.0.1:", ""));
    assertNotEquals(0, port);
    return port;
  }

  private static ExecResult hostCurl(String url) {
    return dev.mirrordj.harness.Commands.run(
        List.of("curl", "-sS", "-m", "5", url), null, java.time.Duration.ofSeconds(15));
  }

  private static String clusterCurl(String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  private static String python(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("python3"));
    argv.addAll(List.of(args));
    File out = Files.createTempFile(work, "client", ".txt").toFile();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client finishes");
    return Files.readString(out.toPath());
  }

  private static void awaitTrueAfterExit(String what, java.util.function.BooleanSupplier check)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(100); // polling interval
    }
  }
}
