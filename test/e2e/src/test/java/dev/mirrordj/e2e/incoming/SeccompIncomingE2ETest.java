package dev.mirrordj.e2e.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.e2e.layer.GoBuild;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incoming traffic into a static Go HTTP server under `run` (the seccomp layer, chosen by itself):
 * its listen is reported to the proxy like the LD_PRELOAD layer's, so the pod's port is mirrored or
 * stolen (with an HTTP filter) into it. Clients are in the cluster namespace.
 */
class SeccompIncomingE2ETest {
  static final String POD_BODY = "hello from pod";
  static final AtomicInteger PODS = new AtomicInteger();

  /** Answers "local <path>", logs each path, exits after /quit. */
  static final String SERVER =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"net/http\"",
          "    \"os\"",
          "    \"time\"",
          ")",
          "",
          "func main() {",
          "    log, _ := os.OpenFile(os.Args[2], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)",
          "    http.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {",
          "        log.WriteString(r.URL.Path + \"\\n\")",
          "        fmt.Fprintf(w, \"local %s\\n\", r.URL.Path)",
          "        if r.URL.Path == \"/quit\" {",
          "            go func() { time.Sleep(200 * time.Millisecond); os.Exit(0) }()",
          "        }",
          "    })",
          "    fmt.Println(\"listening\")",
          "    if err := http.ListenAndServe(\"0.0.0.0:\" + os.Args[1], nil); err != nil {",
          "        fmt.Println(err); os.Exit(1)",
          "    }",
          "}",
          "");

  @TempDir static Path work;
  static Cluster cluster;
  static Path server;
  static Path cgoServer;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    server = GoBuild.build(work, "gosrv", SERVER, false);
    cgoServer = GoBuild.build(work, "cgosrv", SERVER, true);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  Pod pod(int port) {
    return cluster.addPod(PodSpec.named("sin" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  @Test
  void mirrorCopiesThePodsRequestsIntoTheGoServer() throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "mirror"), log = dir.resolve("requests.log");
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"mirror\"");
    try (BackgroundRun run =
        BackgroundRun.start(
            dir, cfg, List.of(server.toString(), Integer.toString(port), log.toString()))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitListening(run);
      IncomingRunE2ETest.awaitTrue(
          run,
          "the Go server sees a mirrored probe",
          () -> {
            String answer = curl(base + "/probe");
            assertTrue(answer.isEmpty() || answer.startsWith(POD_BODY), answer);
            return IncomingRunE2ETest.logged(log).contains("/probe");
          });
      for (int i = 0; i < 20; i++) assertTrue(curl(base + "/m-" + i).startsWith(POD_BODY));
      IncomingRunE2ETest.awaitTrue(
          run,
          "all 20 mirrored requests reach the Go server",
          () ->
              IncomingRunE2ETest.logged(log).stream().filter(s -> s.startsWith("/m-")).count()
                  == 20);
      curl(base + "/quit");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void stealWithAHeaderFilterSplitsRequestsBetweenTheGoServerAndThePod() throws Exception {
    stealWithAHeaderFilter(server);
  }

  @Test
  void stealWithAHeaderFilterIntoACgoGoServer() throws Exception {
    stealWithAHeaderFilter(cgoServer);
  }

  void stealWithAHeaderFilter(Path server) throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "steal"), log = dir.resolve("requests.log");
    Path cfg =
        IncomingRunE2ETest.config(
            dir,
            pod,
            "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
                + " \"ports\": ["
                + port
                + "]}}");
    try (BackgroundRun run =
        BackgroundRun.start(
            dir, cfg, List.of(server.toString(), Integer.toString(port), log.toString()))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitListening(run);
      IncomingRunE2ETest.awaitTrue(
          run,
          "matching requests reach the Go server",
          () -> curl("-H", "X-User: alice", base + "/probe").startsWith("local "));
      for (int i = 0; i < 10; i++) {
        assertEquals("local /a-" + i + "\n", curl("-H", "X-User: alice", base + "/a-" + i));
        assertTrue(curl("-H", "X-User: bob", base + "/b-" + i).startsWith(POD_BODY));
      }
      assertTrue(
          IncomingRunE2ETest.logged(log).stream().noneMatch(p -> p.startsWith("/b-")),
          "unmatched requests never reach the Go server");
      ExecResult quit =
          cluster.exec("curl", "-sS", "-m", "10", "-H", "X-User: alice", base + "/quit");
      assertEquals("local /quit\n", quit.stdout(), quit + "\n" + run.output());
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void aGoServerWhosePortIsBusyLocallyListensElsewhereAndStillGetsThePodsTraffic()
      throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "busy"), log = dir.resolve("requests.log");
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"steal\"");
    // the developer's own copy of the service already holds the port on this machine
    try (java.net.ServerSocket busy = new java.net.ServerSocket();
        BackgroundRun run = startBusy(busy, port, dir, cfg, log)) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitListening(run);
      IncomingRunE2ETest.awaitTrue(
          run,
          "stolen requests reach the Go server",
          () -> curl(base + "/probe").startsWith("local "));
      for (int i = 0; i < 10; i++) assertEquals("local /s-" + i + "\n", curl(base + "/s-" + i));
      assertEquals("local /quit\n", curl(base + "/quit"));
      assertEquals(0, run.awaitExit(60), run.output());
      assertTrue(!busy.isClosed(), "the local port stayed with its owner");
    }
  }

  static BackgroundRun startBusy(java.net.ServerSocket busy, int port, Path dir, Path cfg, Path log)
      throws Exception {
    busy.bind(new java.net.InetSocketAddress("0.0.0.0", port));
    return BackgroundRun.start(
        dir, cfg, List.of(server.toString(), Integer.toString(port), log.toString()));
  }

  /**
   * The Go server is up (run first starts a local agent for the pod, which takes long on a busy
   * machine): polled for up to 3 minutes.
   */
  static void awaitListening(BackgroundRun run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!run.output().contains("listening") && System.nanoTime() < deadline) {
      if (!run.alive()) throw new AssertionError("run ended early:\n" + run.output());
      Thread.sleep(100); // polling interval
    }
    assertTrue(run.output().contains("listening"), "the Go server never started:\n" + run.output());
  }

  /** curl in the cluster namespace; the bodies of all URLs, "" on failure (polled by callers). */
  static String curl(String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }
}
