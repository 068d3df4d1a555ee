package dev.mirrordj.e2e.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator end to end: operator nodes each in its own JVM on loopback, users' {@code run}s
 * opening sessions through them ({@code MIRRORD_OPERATOR_ADDRESS}) on a harness pod's port, local
 * python servers answering as each user, and curl in the cluster namespace as the pod's clients.
 */
class OperatorE2ETest {
  static final String POD_BODY = "hello from pod";
  static final AtomicInteger PODS = new AtomicInteger();

  @TempDir static Path work;
  static Cluster cluster;

  @BeforeAll
  static void start() {
    Root.requireRoot();
    cluster = Cluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  /** A local HTTP server answering {@code <name> <path>} on {@code port}. */
  static final String APP =
      String.join(
          "\n",
          "import http.server, sys",
          "port, name = int(sys.argv[1]), sys.argv[2]",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    protocol_version = 'HTTP/1.1'",
          "    def do_GET(self):",
          "        body = (name + ' ' + self.path + '\\n').encode()",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "    def log_message(self, *a):",
          "        pass",
          "srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)",
          "print('listening', port, flush=True)",
          "srv.serve_forever()",
          "");

  @Test
  void twoUsersOnTwoNodesEachGetOnlyTheirRequestsAndTheRestReachesThePod() throws Exception {
    int port = OperatorNodes.freePort();
    Pod pod = pod(port);
    String base = "http://" + pod.ip() + ":" + port;
    try (OperatorNodes nodes = OperatorNodes.start(work, 2);
        UserRun alice =
            user(nodes.node(0), "alice", pod, port, port, filtered("alice", port), null);
        UserRun bob =
            user(
                nodes.node(1),
                "bob",
                pod,
                port,
                OperatorNodes.freePort(),
                filtered("bob", port),
                null)) {
      awaitTrue(
          alice,
          nodes,
          "alice's requests reach her",
          () -> curl("-H", "X-User: alice", base + "/probe").startsWith("alice "));
      awaitTrue(
          bob,
          nodes,
          "bob's requests reach him",
          () -> curl("-H", "X-User: bob", base + "/probe").startsWith("bob "));
      for (int i = 0; i < 10; i++) {
        assertEquals("alice /a-" + i + "\n", curl("-H", "X-User: alice", base + "/a-" + i));
        assertEquals("bob /b-" + i + "\n", curl("-H", "X-User: bob", base + "/b-" + i));
        assertTrue(
            curl("-H", "X-User: carol", base + "/c-" + i).startsWith(POD_BODY), "unmatched " + i);
        assertTrue(curl(base + "/n-" + i).startsWith(POD_BODY), "no header " + i);
      }
      JsonObject status = statusJson(nodes.node(1).address());
      JsonArray sessions = status.getJsonArray("sessions");
      assertEquals(2, sessions.size(), status.encodePrettily());
      assertEquals(2, status.getJsonArray("nodes").size(), status.encodePrettily());
      for (Object o : sessions) {
        JsonObject s = (JsonObject) o;
        assertEquals(System.getProperty("user.name"), s.getString("user"), "the OS user, always");
        assertTrue(List.of("alice", "bob").contains(s.getString("display_name")), s.encode());
        assertEquals("pid/" + pod.pid(), s.getString("target"));
        assertEquals(new JsonArray().add(port), s.getJsonArray("ports"));
        assertTrue(
            s.getJsonArray("filters").encode().contains("x-user: " + s.getString("display_name")),
            s.encode());
        assertTrue(s.getString("node").startsWith("127.0.0.1:"), s.encode());
        assertTrue(s.containsKey("id") && s.containsKey("started"), s.encode());
      }
      assertTrue(
          status.getJsonArray("locks").isEmpty(),
          "filtered steals take no lock: " + status.encodePrettily());
    }
  }

  @Test
  void onConcurrentStealUnsetContinueAndOverride() throws Exception {
    int port = OperatorNodes.freePort();
    Pod pod = pod(port);
    String base = "http://" + pod.ip() + ":" + port;
    try (OperatorNodes nodes = OperatorNodes.start(work, 2);
        UserRun alice = user(nodes.node(0), "alice", pod, port, port, "\"steal\"", null)) {
      awaitTrue(
          alice,
          nodes,
          "alice steals the whole port",
          () -> curl(base + "/probe").startsWith("alice "));
      JsonObject locked = statusJson(nodes.node(0).address());
      assertEquals(1, locked.getJsonArray("locks").size(), locked.encodePrettily());
      String aliceSession = locked.getJsonArray("locks").getJsonObject(0).getString("session");

      // unset: bob's session fails, naming the port and the holder
      try (UserRun bob =
          user(nodes.node(1), "bob", pod, port, OperatorNodes.freePort(), "\"steal\"", null)) {
        assertTrue(bob.endsWithin(60_000), "bob's run ends\n" + bob.output());
        assertEquals(1, bob.exitCode(), bob.output());
        assertTrue(
            bob.stderr().contains("port " + port + " of pid/" + pod.pid() + " is locked by"),
            bob.output());
        assertTrue(
            bob.stderr().contains("(alice)") && bob.stderr().contains(aliceSession), bob.output());
      }
      assertTrue(curl(base + "/still").startsWith("alice "), "alice keeps the port");

      // continue: carol's session runs without the port and says so
      try (UserRun carol =
          user(
              nodes.node(1),
              "carol",
              pod,
              port,
              OperatorNodes.freePort(),
              "\"steal\"",
              "continue")) {
        awaitTrue(
            carol,
            nodes,
            "carol is told she runs without the port",
            () -> carol.stderr().contains("runs without that port"));
        assertTrue(carol.alive(), carol.output());
        assertTrue(curl(base + "/c").startsWith("alice "), "alice still has the port");
        assertTrue(alice.alive(), alice.output());
      }

      // override: dave takes the lock; alice's session is closed and she is told by whom
      try (UserRun dave =
          user(
              nodes.node(1),
              "dave",
              pod,
              port,
              OperatorNodes.freePort(),
              "\"steal\"",
              "override")) {
        awaitTrue(
            dave, nodes, "dave gets the port", () -> curl(base + "/probe").startsWith("dave "));
        assertTrue(alice.endsWithin(10_000), "alice's run ends\n" + alice.output());
        assertEquals(1, alice.exitCode(), alice.output());
        assertTrue(
            alice.stderr().contains("(dave)") && alice.stderr().contains("took over port " + port),
            alice.output());
        JsonObject after = statusJson(nodes.node(0).address());
        assertEquals(1, after.getJsonArray("locks").size(), after.encodePrettily());
        assertEquals(
            "dave",
            displayOf(after, after.getJsonArray("locks").getJsonObject(0).getString("session")));
        assertTrue(
            nodes.logs().contains("overrode the lock of"),
            "the override is logged with both users\n" + nodes.logs());
      }
    }
  }

  @Test
  void killingANodeEndsItsSessionsReleasesItsLocksAndSparesTheOthers() throws Exception {
    int port = OperatorNodes.freePort();
    Pod pod = pod(port);
    Pod other = pod(port);
    String base = "http://" + pod.ip() + ":" + port;
    String otherBase = "http://" + other.ip() + ":" + port;
    try (OperatorNodes nodes = OperatorNodes.start(work, 3);
        UserRun alice = user(nodes.node(0), "alice", pod, port, port, "\"steal\"", null);
        UserRun bob =
            user(
                nodes.node(1),
                "bob",
                other,
                port,
                OperatorNodes.freePort(),
                filtered("bob", port),
                null)) {
      awaitTrue(
          alice, nodes, "alice holds the port", () -> curl(base + "/probe").startsWith("alice "));
      awaitTrue(
          bob,
          nodes,
          "bob's requests reach him",
          () -> curl("-H", "X-User: bob", otherBase + "/probe").startsWith("bob "));

      nodes.killHard(0);
      long killed = System.nanoTime();
      assertTrue(
          alice.endsWithin(5_000),
          "alice's run ends within 5 s of her node's death\n" + alice.output());
      System.out.println(
          "alice's run ended "
              + (System.nanoTime() - killed) / 1_000_000
              + " ms after kill -9 of her node");
      assertEquals(1, alice.exitCode(), alice.output());
      assertTrue(alice.stderr().contains("the session ended"), alice.output());

      awaitTrue(
          bob,
          nodes,
          "the dead node's session and lock are released",
          () -> {
            JsonObject s = statusJson(nodes.node(1).address());
            return s.getJsonArray("locks").isEmpty() && s.getJsonArray("sessions").size() == 1;
          });
      JsonObject status = statusJson(nodes.node(2).address());
      assertEquals(
          1,
          status.getJsonArray("nodes").stream()
              .filter(n -> !((JsonObject) n).getBoolean("alive"))
              .count(),
          status.encodePrettily());
      assertEquals(
          "bob", status.getJsonArray("sessions").getJsonObject(0).getString("display_name"));
      for (int i = 0; i < 5; i++) {
        assertEquals(
            "bob /b-" + i + "\n",
            curl("-H", "X-User: bob", otherBase + "/b-" + i),
            "bob's session carries on");
      }
      try (UserRun carol =
          user(nodes.node(2), "carol", pod, port, OperatorNodes.freePort(), "\"steal\"", null)) {
        awaitTrue(
            carol,
            nodes,
            "a new unfiltered steal by another user succeeds",
            () -> curl(base + "/probe").startsWith("carol "));
      }
      assertTrue(bob.alive(), bob.output());
    }
  }

  @Test
  void statusAndKillFromTheCommandLine() throws Exception {
    int port = OperatorNodes.freePort();
    Pod pod = pod(port);
    String base = "http://" + pod.ip() + ":" + port;
    try (OperatorNodes nodes = OperatorNodes.start(work, 2);
        UserRun alice = user(nodes.node(0), "alice", pod, port, port, "\"steal\"", null)) {
      awaitTrue(
          alice, nodes, "alice steals the port", () -> curl(base + "/probe").startsWith("alice "));
      ExecResult text = cli("operator", "status", "--address", nodes.node(1).address());
      assertTrue(
          text.ok()
              && text.stdout().contains("(alice)")
              && text.stdout().contains("pid/" + pod.pid()),
          text.toString());
      String id =
          statusJson(nodes.node(1).address())
              .getJsonArray("sessions")
              .getJsonObject(0)
              .getString("id");
      ExecResult kill =
          cli("operator", "session", "kill", id, "--address", nodes.node(1).address());
      assertTrue(kill.ok(), kill.toString());
      assertTrue(alice.endsWithin(10_000), alice.output());
      assertTrue(alice.stderr().contains("killed"), alice.output());
      assertTrue(statusJson(nodes.node(0).address()).getJsonArray("sessions").isEmpty());
      ExecResult unknown =
          cli(
              "operator",
              "session",
              "kill",
              "no-such-session",
              "--address",
              nodes.node(0).address());
      assertEquals(1, unknown.exitCode(), unknown.toString());
      assertTrue(unknown.stderr().contains("no session no-such-session"), unknown.toString());
    }
  }

  @Test
  void operatorTrueWithoutAnOperatorIsAClearError() throws Exception {
    Pod pod = pod(OperatorNodes.freePort());
    Path cfg = config("required", pod, "{\"mode\": \"steal\"}", null, "\"operator\": true, ");
    try (UserRun run = UserRun.start(work, cfg, Map.of(), List.of("/bin/true"))) {
      assertTrue(run.endsWithin(60_000), run.output());
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(
          run.stderr().contains("operator is true, but no operator was found"), run.output());
    }
    int closed = OperatorNodes.freePort();
    try (UserRun run =
        UserRun.start(
            work,
            cfg,
            Map.of("MIRRORD_OPERATOR_ADDRESS", "127.0.0.1:" + closed),
            List.of("/bin/true"))) {
      assertTrue(run.endsWithin(60_000), run.output());
      assertEquals(1, run.exitCode(), run.output());
      assertTrue(
          run.stderr()
              .contains(
                  "operator is true, but the operator at 127.0.0.1:"
                      + closed
                      + " cannot be reached"),
          run.output());
    }
  }

  @Test
  void operatorUnsetFallsBackWithAMessage() throws Exception {
    Pod pod = pod(OperatorNodes.freePort());
    Path cfg = config("unset", pod, "{\"mode\": \"mirror\"}", null, "");
    int closed = OperatorNodes.freePort();
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "echo ran; cat /etc/hostname"));
    try (UserRun run =
        UserRun.start(
            work,
            cfg,
            Map.of(
                "MIRRORD_OPERATOR_ADDRESS",
                "127.0.0.1:" + closed,
                "MIRRORD_PROGRESS_MODE",
                "simple"),
            argv)) {
      assertTrue(run.endsWithin(60_000), run.output());
      assertEquals(0, run.exitCode(), run.output());
      assertTrue(
          run.stderr().contains("cannot be reached")
              && run.stderr().contains("going on without it"),
          run.output());
      assertTrue(run.output().contains("ran"), run.output());
    }
  }

  @Test
  void theStatusPageInAHeadlessBrowserShowsSessionsComeAndGo() throws Exception {
    int port = OperatorNodes.freePort();
    Pod pod = pod(port);
    String base = "http://" + pod.ip() + ":" + port;
    try (OperatorNodes nodes = OperatorNodes.start(work, 1)) {
      String empty = browser(nodes.node(0).statusUrl());
      assertTrue(empty.contains("no sessions") && empty.contains(nodes.node(0).address()), empty);
      assertTrue(empty.contains("http-equiv=\"refresh\""), "the page reloads itself:\n" + empty);
      String id;
      try (UserRun alice = user(nodes.node(0), "alice", pod, port, port, "\"steal\"", null)) {
        awaitTrue(
            alice,
            nodes,
            "alice steals the port",
            () -> curl(base + "/probe").startsWith("alice "));
        id =
            statusJson(nodes.node(0).address())
                .getJsonArray("sessions")
                .getJsonObject(0)
                .getString("id");
        String shown = browser(nodes.node(0).statusUrl());
        assertTrue(shown.contains("data-session=\"" + id + "\""), shown);
        assertTrue(shown.contains("root (alice)") && shown.contains("pid/" + pod.pid()), shown);
        assertTrue(shown.contains("class=\"lock\""), "her port lock is listed:\n" + shown);
      }
      // her run is gone (killed with its tree): the session disappears from the page
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String after = browser(nodes.node(0).statusUrl());
      while (after.contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(500); // polling the page
        after = browser(nodes.node(0).statusUrl());
      }
      assertFalse(after.contains(id), after);
      assertTrue(after.contains("no sessions") && after.contains("no locks"), after);
    }
  }

  /**
   * The page's DOM after Debian's chromium loaded it headless. Chromium's own background traffic
   * (updates, sync, ...) is switched off and any left goes to a dead proxy: loopback bypasses it.
   */
  static String browser(String url) throws Exception {
    Path profile = Files.createTempDirectory(work, "chromium");
    List<String> cmd =
        List.of(
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--proxy-server=127.0.0.1:9",
            "--user-data-dir=" + profile,
            "--dump-dom",
            url);
    Path out = Files.createTempFile(work, "dom", ".html");
    Path err = Files.createTempFile(work, "chromium-err", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 60 s: " + Files.readString(err));
    }
    String dom = Files.readString(out);
    if (dom.isBlank())
      throw new AssertionError(
          "chromium printed no DOM (exit " + p.exitValue() + "): " + Files.readString(err));
    return dom;
  }

  // --- helpers ---

  static Pod pod(int port) {
    return cluster.addPod(PodSpec.named("op" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  /**
   * A steal of {@code port} filtered on the user's header (http_filter.ports must name the port).
   */
  static String filtered(String user, int port) {
    return "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: "
        + user
        + "$\", \"ports\": ["
        + port
        + "]}}";
  }

  /**
   * {@code user}'s run through {@code node}; its app binds {@code localPort} for the pod's {@code
   * port}.
   */
  static UserRun user(
      OperatorNodes.Node node,
      String user,
      Pod pod,
      int port,
      int localPort,
      String incoming,
      String onConcurrentSteal)
      throws IOException {
    Path dir = Files.createTempDirectory(work, user);
    String listenPorts =
        localPort == port ? "" : ", \"listen_ports\": [[" + port + ", " + localPort + "]]";
    String inc =
        incoming.startsWith("{")
            ? incoming.substring(0, incoming.length() - 1)
            : "{\"mode\": " + incoming;
    inc +=
        listenPorts
            + (onConcurrentSteal == null
                ? ""
                : ", \"on_concurrent_steal\": \"" + onConcurrentSteal + "\"")
            + "}";
    Path cfg = config(user, pod, inc, dir, "");
    Path app = dir.resolve("app.py");
    Files.writeString(app, APP);
    return UserRun.start(
        dir,
        cfg,
        Map.of("MIRRORD_OPERATOR_ADDRESS", node.address(), "MIRRORD_OPERATOR_USER", user),
        List.of("/usr/bin/python3", app.toString(), Integer.toString(port), user));
  }

  static Path config(String name, Pod pod, String incoming, Path dir, String extra)
      throws IOException {
    Path d = dir == null ? Files.createTempDirectory(work, name) : dir;
    Path cfg = d.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{"
            + extra
            + "\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"network\": {\"incoming\": "
            + incoming
            + "}}}");
    return cfg;
  }

  static String displayOf(JsonObject status, String session) {
    return status.getJsonArray("sessions").stream()
        .map(o -> (JsonObject) o)
        .filter(s -> s.getString("id").equals(session))
        .map(s -> s.getString("display_name"))
        .findFirst()
        .orElse("(no session " + session + ")");
  }

  static JsonObject statusJson(String address) {
    ExecResult r = cli("operator", "status", "-o", "json", "--address", address);
    if (!r.ok()) throw new AssertionError("operator status failed: " + r);
    return new JsonObject(r.stdout());
  }

  static ExecResult cli(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                OperatorNodes.FAT_JAR.toString()));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(work, "cli-out", ".txt");
      Path err = Files.createTempFile(work, "cli-err", ".txt");
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
      return new ExecResult(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** curl in the cluster namespace; the body, "" on failure (polled by callers). */
  static String curl(String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  /**
   * Polls for up to 120 s (a session's start includes its agent's); fails with the run's and the
   * nodes' output if it never holds.
   */
  static void awaitTrue(UserRun run, OperatorNodes nodes, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      if (!run.alive()) break;
      Thread.sleep(200); // polling interval
    }
    assertFalse(true, what + " never happened\n" + run.output() + "\n" + nodes.logs());
  }
}
