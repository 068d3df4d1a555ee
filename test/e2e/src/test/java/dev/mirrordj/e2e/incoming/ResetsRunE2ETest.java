package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.POD_BODY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
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
 * A reset travels as a reset, never as an orderly FIN, through {@code run} on a harness pod
 * (python3 under the layer, clients in the cluster namespace): on a whole-port steal and on a
 * filtered steal, a client's RST reaches the local program as ECONNRESET and the local program's
 * RST after a partial answer reaches the client as ECONNRESET after those bytes; a local program
 * that resets a matched request before answering gives the client a 502 at once. Outgoing
 * connections through the pod carry resets both ways too. After each, the pod is undisturbed.
 */
class ResetsRunE2ETest {
  private static final AtomicInteger PODS = new AtomicInteger();
  private static final int RESETTING_PORT = 7101;
  private static final int WATCHING_PORT = 7102;

  @TempDir static Path work;
  static Cluster cluster;
  static Path client;

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    client = copy(work, "reset_client.py");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void wholePortStealRelaysResetsBothWays() throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "whole");
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"steal\"");
    Path server = copy(dir, "reset_server.py");
    try (BackgroundRun run =
        BackgroundRun.start(dir, cfg, List.of("python3", server.toString(), "" + port))) {
      IncomingRunE2ETest.awaitProgramStarted(run, "listening");
      IncomingRunE2ETest.awaitTrue(
          run,
          "the pod's port reaches the local program",
          () -> client(pod, port, "probe", false).contains("local"));
      assertEquals("sent-reset", client(pod, port, "reset-me", false));
      IncomingRunE2ETest.awaitTrue(
          run, "the client's reset reaches the local program", () -> saw(run) != null);
      assertEquals("local saw reset", saw(run), run.output());
      assertEquals(
          "reset partial",
          client(pod, port, "reset-you", false),
          "the program's reset reaches the client after its bytes\n" + run.output());
      run.terminate(60);
    }
    PodInvariants.assertUndisturbed(cluster, pod, port, POD_BODY, 30);
  }

  @Test
  void filteredStealRelaysResetsAndAnswers502WhenTheProgramResetsBeforeAnswering()
      throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "filtered");
    Path cfg =
        IncomingRunE2ETest.config(
            dir,
            pod,
            "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
                + " \"ports\": ["
                + port
                + "]}}");
    Path server = copy(dir, "reset_server.py");
    try (BackgroundRun run =
        BackgroundRun.start(dir, cfg, List.of("python3", server.toString(), "" + port))) {
      IncomingRunE2ETest.awaitProgramStarted(run, "listening");
      IncomingRunE2ETest.awaitTrue(
          run,
          "matching requests reach the local program",
          () -> client(pod, port, "probe", true).contains("local"));
      assertTrue(
          PodInvariants.podAnswers(cluster, pod, port).startsWith(POD_BODY),
          "unmatched requests reach the pod's app");
      assertEquals("sent-reset", client(pod, port, "reset-me", true));
      IncomingRunE2ETest.awaitTrue(
          run, "the client's reset reaches the local program", () -> saw(run) != null);
      assertEquals("local saw reset", saw(run), run.output());
      assertEquals(
          "reset HTTP/1.1 200 OK|Content-Length: 1000||partial",
          client(pod, port, "reset-you", true),
          "a cut answer ends in a reset, not a FIN the client could take for its end\n"
              + run.output());
      long start = System.nanoTime();
      String died = client(pod, port, "die-before-answer", true);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(
          died.startsWith("done HTTP/1.1 502 Bad Gateway|"),
          "a program that resets before answering gives a 502: " + died + "\n" + run.output());
      assertTrue(millis < 5000, "the 502 comes at once, not after a timeout: " + millis + " ms");
      run.terminate(60);
    }
    PodInvariants.assertUndisturbed(cluster, pod, port, POD_BODY, 30);
  }

  @Test
  void outgoingConnectionsThroughThePodCarryResetsBothWays() throws Exception {
    Path dir = Files.createTempDirectory(work, "outgoing");
    Path log = dir.resolve("watched.log");
    Path services = copy(dir, "cluster_services.py");
    Process svc =
        cluster.start(
            List.of(
                "python3",
                services.toString(),
                cluster.echoIp(),
                "" + RESETTING_PORT,
                "" + WATCHING_PORT,
                log.toString()),
            dir.resolve("services.out").toFile());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.readString(dir.resolve("services.out")).contains("listening")) {
        assertTrue(svc.isAlive() && System.nanoTime() < deadline, "the cluster services start");
        Thread.sleep(50); // polling interval
      }
      Pod pod = pod(IncomingRunE2ETest.freeHostPort());
      Path cfg = dir.resolve("mirrord.json");
      Files.writeString(cfg, "{\"target\": \"pid/" + pod.pid() + "\"}");
      Path program = copy(dir, "outgoing_resets.py");
      try (BackgroundRun run =
          BackgroundRun.start(
              dir,
              cfg,
              List.of(
                  "python3",
                  program.toString(),
                  cluster.echoIp(),
                  "" + RESETTING_PORT,
                  "" + WATCHING_PORT))) {
        assertEquals(0, run.awaitExit(180), run.output());
        assertTrue(
            run.stdout().contains("from-service reset partial"),
            "the service's reset reaches the program after its bytes\n" + run.output());
        assertTrue(run.stdout().contains("to-service sent-reset"), run.output());
      }
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.exists(log) && System.nanoTime() < deadline) {
        Thread.sleep(50); // polling interval
      }
      assertEquals(
          List.of("reset"),
          Files.readAllLines(log),
          "the program's reset reaches the service as a reset");
    } finally {
      svc.destroyForcibly();
    }
  }

  /** How the local program saw the client's reset-me connection end, null while it has not. */
  private static String saw(BackgroundRun run) {
    String out = run.stdout();
    if (out.contains("local saw reset")) return "local saw reset";
    if (out.contains("local saw eof")) return "local saw eof";
    return null;
  }

  private static String client(Pod pod, int port, String what, boolean http) {
    ExecResult r =
        cluster.exec(
            "python3", client.toString(), pod.ip(), "" + port, what, http ? "http" : "raw");
    return r.ok() ? r.stdout().strip() : "failed: " + r.stdout() + r.stderr();
  }

  private static Pod pod(int port) {
    return cluster.addPod(PodSpec.named("rst" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  static Path copy(Path dir, String name) throws IOException {
    try (var in = ResetsRunE2ETest.class.getResourceAsStream("/resets/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource /resets/" + name);
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }
}
