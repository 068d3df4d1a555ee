package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.awaitTrue;
import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.freeHostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * feature.network.incoming.listen_ports through `run`: the program binds the pod's port P, the
 * layer really binds the mapped local port L, the program's getsockname still says P, and the pod's
 * port P is stolen into the listener on L.
 */
class ListenPortsRunE2ETest {
  /** Serves "local <path>" on the port given, prints the port getsockname shows; /quit ends it. */
  static final String APP =
      String.join(
          "\n",
          "import http.server, sys",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    def do_GET(self):",
          "        body = ('local ' + self.path + '\\n').encode()",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "        if self.path == '/quit':",
          "            self.server.done = True",
          "    def log_message(self, *a):",
          "        pass",
          "srv = http.server.HTTPServer(('0.0.0.0', int(sys.argv[1])), H)",
          "srv.done = False",
          "print('getsockname port', srv.socket.getsockname()[1], flush=True)",
          "while not srv.done:",
          "    srv.handle_request()",
          "srv.server_close()",
          "");

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

  @Test
  void programBindingThePodPortListensOnTheMappedLocalPort() throws Exception {
    int remote = freeHostPort();
    int local = freeHostPort();
    Pod pod =
        cluster.addPod(
            PodSpec.named("lp" + ProcessHandle.current().pid() % 10000)
                .httpServer(remote, IncomingRunE2ETest.POD_BODY));
    Path dir = Files.createTempDirectory(work, "listen-ports");
    Path app = dir.resolve("app.py");
    Files.writeString(app, APP);
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"network\": {\"incoming\": "
            + "{\"mode\": \"steal\", \"listen_ports\": [["
            + remote
            + ", "
            + local
            + "]]}}}}");
    try (BackgroundRun run =
        BackgroundRun.start(
            dir, cfg, List.of("/usr/bin/python3", app.toString(), Integer.toString(remote)))) {
      String base = "http://" + pod.ip() + ":" + remote;
      awaitTrue(
          run,
          "the pod's port " + remote + " reaches the local app",
          () -> curl(base + "/probe").startsWith("local "));
      assertEquals("local /mapped\n", curl(base + "/mapped"));
      Set<Integer> listening = hostListeningPorts();
      assertTrue(
          listening.contains(local),
          "the app really listens on local port " + local + ": " + listening);
      assertFalse(
          listening.contains(remote),
          "nothing listens on the requested port " + remote + " locally");
      assertTrue(
          run.output().contains("getsockname port " + remote),
          "getsockname shows the requested port\n" + run.output());
      assertTrue(curl(base + "/quit").startsWith("local /quit"));
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void portBusyLocallyMovesTheListenerToARandomPortAndStillGetsThePodsTraffic() throws Exception {
    int remote = freeHostPort();
    Pod pod =
        cluster.addPod(
            PodSpec.named("lb" + ProcessHandle.current().pid() % 10000)
                .httpServer(remote, IncomingRunE2ETest.POD_BODY));
    Path dir = Files.createTempDirectory(work, "busy-port");
    Path app = dir.resolve("app.py");
    Files.writeString(app, APP);
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"network\": {\"incoming\": "
            + "{\"mode\": \"steal\"}}}}");
    // the developer's own copy of the service already holds the port on this machine
    try (java.net.ServerSocket occupied = new java.net.ServerSocket(remote);
        BackgroundRun run =
            BackgroundRun.start(
                dir, cfg, List.of("/usr/bin/python3", app.toString(), Integer.toString(remote)))) {
      String base = "http://" + pod.ip() + ":" + remote;
      awaitTrue(
          run,
          "the pod's port " + remote + " reaches the local app on its random port",
          () -> curl(base + "/probe").startsWith("local "));
      assertTrue(
          run.output().contains("getsockname port " + remote),
          "getsockname shows the requested port\n" + run.output());
      assertTrue(curl(base + "/quit").startsWith("local /quit"));
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  /** curl in the cluster namespace: the body, "" on failure (polled by callers). */
  static String curl(String url) {
    ExecResult r = cluster.exec("curl", "-s", "-m", "5", url);
    return r.ok() ? r.stdout() : "";
  }

  /** TCP ports in LISTEN state in this (the host's) network namespace, IPv4 and IPv6. */
  static Set<Integer> hostListeningPorts() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A"))
          ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
      }
    }
    return ports;
  }
}
