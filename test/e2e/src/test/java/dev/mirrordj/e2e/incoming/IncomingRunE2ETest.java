package dev.mirrordj.e2e.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incoming traffic through `run` end to end: a python or node HTTP server under the layer, the
 * target a harness pod (`pid/<pid>`, so run starts its own local agent), clients in the cluster
 * namespace sending to the pod's port. Each test has its own pod (its own network namespace, so the
 * steal rules of one test never meet another's agent).
 */
class IncomingRunE2ETest {
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

  @Test
  void mirrorDeliversEveryRequestWhileThePodAnswers() throws Exception {
    int port = freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "mirror"), log = dir.resolve("requests.log");
    Path cfg = config(dir, pod, "\"mirror\"");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.python(dir, port, log))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitTrue(
          run,
          "the local app sees a mirrored probe",
          () -> {
            curl(base + "/probe");
            return logged(log).contains("/probe");
          });
      int n = 1000;
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < n; i++) urls.add(base + "/m-" + i);
      // keep-alive connections of 250 requests each, sent as fast as the pod answers
      StringBuilder answers = new StringBuilder();
      for (int from = 0; from < n; from += 250) {
        answers.append(curl(urls.subList(from, from + 250).toArray(String[]::new)));
      }
      assertEquals(
          n,
          answers.toString().split(POD_BODY, -1).length - 1,
          "the pod's own app answers every mirrored request");
      // complete, or every missing request explained by a loss reported to the user (never
      // silent): a gap of n bytes hides at most n / (shortest request) requests plus the two it
      // cuts into
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (missing(log, n) > 0 && System.nanoTime() < deadline && run.alive()) {
        Thread.sleep(100); // polling interval, not a wait standing in for the condition
      }
      long missing = missing(log, n);
      Matcher loss = Pattern.compile("lost (\\d+) bytes").matcher(run.output());
      long lostBytes = 0, gaps = 0;
      while (loss.find()) {
        lostBytes += Long.parseLong(loss.group(1));
        gaps++;
      }
      System.out.println(
          "mirror: the local app saw "
              + (n - missing)
              + " of "
              + n
              + " requests; reported loss: "
              + lostBytes
              + " bytes in "
              + gaps
              + " gaps");
      assertTrue(
          missing <= lostBytes / SHORTEST_REQUEST + 2 * gaps,
          missing
              + " mirrored requests missing, reported loss "
              + lostBytes
              + " bytes in "
              + gaps
              + " gaps\n"
              + run.output());
      assertTrue(
          !run.output().contains("BrokenPipeError")
              && !run.output().contains("ConnectionResetError"),
          "mirrored connections stay open until the local app answered:\n" + run.output());
      assertTrue(curl(base + "/quit").startsWith(POD_BODY), "mirror: the pod answers /quit too");
      awaitTrue(run, "the app closed its listener", () -> run.output().contains("listener closed"));
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void stealWholePortThenTheListenerCloseReleasesIt() throws Exception {
    int port = freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "steal"), log = dir.resolve("requests.log");
    Path cfg = config(dir, pod, "\"steal\"");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.python(dir, port, log))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitTrue(
          run,
          "requests to the pod reach the local app",
          () -> curl(base + "/probe").startsWith("local "));
      for (int i = 0; i < 20; i++) {
        assertEquals("local /s-" + i + "\n", curl(base + "/s-" + i), "stolen request " + i);
      }
      assertTrue(curl(base + "/quit").startsWith("local /quit"));
      // the process lives on with its listener closed: layer op 12 releases the port at the agent
      awaitTrue(
          run,
          "the pod's own app answers again after the listener closed",
          () -> curl(base + "/after").startsWith(POD_BODY));
      assertTrue(
          run.alive(), "the program still runs: the release came from the close, not the exit");
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void theListeningProcessEndingReleasesThePortWhileRunGoesOn() throws Exception {
    int port = freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "exit"), log = dir.resolve("requests.log");
    Path cfg = config(dir, pod, "\"steal\"");
    List<String> app = new ArrayList<>(LocalApp.python(dir, port, log));
    app.add("exit");
    // the shell (also under the layer) outlives the python child, so run keeps going
    String script =
        String.join(" ", app) + "; while [ ! -f " + log + ".release ]; do sleep 0.1; done";
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, List.of("/bin/sh", "-c", script))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitTrue(
          run,
          "requests to the pod reach the local app",
          () -> curl(base + "/probe").startsWith("local "));
      assertTrue(curl(base + "/quit").startsWith("local /quit"));
      awaitTrue(run, "the app exited", () -> run.output().contains("exiting without closing"));
      awaitTrue(
          run,
          "the pod's own app answers again after the listening process ended",
          () -> curl(base + "/after").startsWith(POD_BODY));
      assertTrue(run.alive(), "run still serves the shell");
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void stealWithHeaderFilterSplitsRequestsBetweenLocalAndPod() throws Exception {
    int port = freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "filter"), log = dir.resolve("requests.log");
    Path cfg =
        config(
            dir,
            pod,
            "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
                + " \"ports\": ["
                + port
                + "]}}");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.python(dir, port, log))) {
      String base = "http://" + pod.ip() + ":" + port;
      awaitTrue(
          run,
          "matching requests reach the local app",
          () -> curl("-H", "X-User: alice", base + "/probe").startsWith("local "));
      for (int i = 0; i < 10; i++) {
        assertEquals(
            "local /a-" + i + "\n", curl("-H", "X-User: alice", base + "/a-" + i), "matching " + i);
        assertTrue(
            curl("-H", "X-User: bob", base + "/b-" + i).startsWith(POD_BODY), "other user " + i);
        assertTrue(curl(base + "/n-" + i).startsWith(POD_BODY), "no header " + i);
      }
      List<String> seen = logged(log);
      assertTrue(
          seen.stream().noneMatch(p -> p.startsWith("/b-") || p.startsWith("/n-")),
          "unmatched requests never reach the local app: " + seen);
      ExecResult quit =
          cluster.exec("curl", "-sS", "-m", "10", "-H", "X-User: alice", base + "/quit");
      assertEquals("local /quit\n", quit.stdout(), quit + "\n" + run.output());
      awaitTrue(run, "the app closed its listener", () -> run.output().contains("listener closed"));
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  @Test
  void portMappingStealsTheRemotePortIntoAnotherLocalPort() throws Exception {
    int remote = freeHostPort();
    int local = freeHostPort();
    Pod pod = pod(remote);
    Path dir = Files.createTempDirectory(work, "mapping"), log = dir.resolve("requests.log");
    Path cfg =
        config(
            dir, pod, "{\"mode\": \"steal\", \"port_mapping\": [[" + local + ", " + remote + "]]}");
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, LocalApp.node(dir, local, log))) {
      String base = "http://" + pod.ip() + ":" + remote;
      awaitTrue(
          run,
          "the pod's port reaches the node app on the mapped local port",
          () -> curl(base + "/probe").startsWith("local "));
      assertEquals("local /mapped\n", curl(base + "/mapped"));
      assertTrue(curl(base + "/quit").startsWith("local /quit"));
      awaitTrue(run, "the app closed its listener", () -> run.output().contains("listener closed"));
      Files.writeString(Path.of(log + ".release"), "");
      assertEquals(0, run.awaitExit(60), run.output());
    }
  }

  // ---- helpers ----

  /** Fewer bytes than curl's shortest mirrored request ("GET /m-0 HTTP/1.1", Host, UA, Accept). */
  static final long SHORTEST_REQUEST = 60;

  /** How many of /m-0 .. /m-(n-1) the local app has not logged yet. */
  static long missing(Path log, int n) {
    java.util.Set<String> seen = new java.util.HashSet<>(logged(log));
    long missing = 0;
    for (int i = 0; i < n; i++) if (!seen.contains("/m-" + i)) missing++;
    return missing;
  }

  static Pod pod(int port) {
    return cluster.addPod(PodSpec.named("in" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  static Path config(Path dir, Pod pod, String incoming) throws IOException {
    Path cfg = dir.resolve("mirrord.json");
    Files.writeString(
        cfg,
        "{\"target\": \"pid/"
            + pod.pid()
            + "\", \"feature\": {\"network\": {\"incoming\": "
            + incoming
            + "}}}");
    return cfg;
  }

  /** curl in the cluster namespace; the bodies of all URLs, "" on failure (polled by callers). */
  static String curl(String... args) {
    List<String> argv = new ArrayList<>(List.of("curl", "-s", "-m", "5"));
    argv.addAll(List.of(args));
    ExecResult r = cluster.exec(argv.toArray(String[]::new));
    return r.ok() ? r.stdout() : "";
  }

  static List<String> logged(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Polls {@code condition} for up to 60 s; fails with the run's output if it never holds or run
   * died.
   */
  static void awaitTrue(BackgroundRun run, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return;
      if (!run.alive()) throw new AssertionError("run ended before: " + what + "\n" + run.output());
      Thread.sleep(100); // polling interval, not a wait standing in for the condition
    }
    throw new AssertionError("timed out waiting until " + what + "\n" + run.output());
  }

  /**
   * Waits up to 180 s for the program under run to print {@code text}: run starts its own local
   * agent first, which on a busy machine alone can take longer than later steps get.
   */
  static void awaitProgramStarted(BackgroundRun run, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!run.stdout().contains(text) && run.alive() && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling interval, not a wait standing in for the condition
    }
    if (!run.stdout().contains(text)) {
      throw new AssertionError("the program under run did not start\n" + run.output());
    }
  }

  /** A port nothing on the host listens on now (the local app binds it on the host). */
  static int freeHostPort() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = ThreadLocalRandom.current().nextInt(20000, 30000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("0.0.0.0", p));
        return p;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no free host port found in 20000-29999");
  }
}
