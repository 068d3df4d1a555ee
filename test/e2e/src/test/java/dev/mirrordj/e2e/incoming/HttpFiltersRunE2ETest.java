package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.awaitTrue;
import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.freeHostPort;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The method, JSON body and composite HTTP filters through `run`, configured as a user writes them:
 * a harness pod and the local program run the same HTTP app (it answers who it is, the method, the
 * path, and the length and digest of the body it received), a client in the cluster namespace sends
 * matched and unmatched requests over one keep-alive connection to the pod's port. Matched requests
 * must reach the local app, every other one the pod's app, each body byte-exact; bodies past
 * agent.max_body_buffer_size or agent.max_body_buffer_timeout do not match.
 *
 * <p>The app and the client are the agent's own filter-test programs (agent test resources), so the
 * agent-level and the end-to-end tests speak about the same requests.
 */
class HttpFiltersRunE2ETest {
  private static final Path RESOURCES =
      Path.of("..", "..", "agent", "src", "test", "resources", "incoming")
          .toAbsolutePath()
          .normalize();
  private static final String TEN_MIB = String.valueOf(10 * 1024 * 1024);
  private static final AtomicInteger PODS = new AtomicInteger();

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
  void nestedAnyOfAllOfWithMethodPathHeaderAndJsonBodyRoutesEachRequestOfOneConnection()
      throws Exception {
    String filter =
        "\"any_of\": ["
            + "{\"all_of\": [{\"method\": \"delete\"}, {\"path\": \"^/items/\"}]},"
            + "{\"body\": \"json\", \"query\": \"$.user.name\", \"matches\": \"^alice$\"},"
            + "{\"header\": \"^x-route: local$\"}]";
    try (Session s = Session.start("composite", filter, 65535, 1000, "GET /probe|X-Route: local")) {
      List<String> served =
          s.send(
              "DELETE /items/1",
              "DELETE /other",
              "GET /items/2",
              "POST /orders|@json={\"user\": {\"name\": \"alice\"}}",
              "POST /orders|@json={\"user\": {\"name\": \"bob\"}}",
              "GET /x|X-Route: local",
              "POST /chunked|@chunked|@json={\"user\": {\"name\": \"alice\"}, \"n\": [1, 2, 3]}",
              "POST /big|@big=" + TEN_MIB,
              "PUT /items/3|@json={\"user\": {\"name\": \"carol\"}}");
      assertEquals(
          List.of(
              "local DELETE /items/1",
              "pod DELETE /other",
              "pod GET /items/2",
              "local POST /orders",
              "pod POST /orders",
              "local GET /x",
              "local POST /chunked",
              "pod POST /big body=" + TEN_MIB,
              "pod PUT /items/3"),
          served,
          s.run.output());
    }
  }

  @Test
  void methodFilterStealsThatMethodOnly() throws Exception {
    try (Session s =
        Session.start("method", "\"method_filter\": \"PATCH\"", 65535, 1000, "PATCH /probe")) {
      List<String> served =
          s.send("GET /a", "PATCH /b|@json={\"x\": 1}", "POST /c|@big=1000", "PATCH /d");
      assertEquals(
          List.of("pod GET /a", "local PATCH /b", "pod POST /c", "local PATCH /d"),
          served,
          s.run.output());
    }
  }

  @Test
  void bodyFilterWithinTheBufferLimitsMatchesAndPastThemPassesThroughIntact() throws Exception {
    String filter =
        "\"body_filter\": {\"body\": \"json\", \"query\": \"$.items[*].id\", \"matches\": \"^7$\"}";
    String alice = "{\"items\": [{\"id\": 3}, {\"id\": 7}]}";
    String padded = "{\"items\": [{\"id\": 7}], \"pad\": \"" + "x".repeat(2000) + "\"}";
    try (Session s = Session.start("body", filter, 1024, 400, "POST /probe|@json=" + alice)) {
      List<String> served =
          s.send(
              "POST /small|@json=" + alice,
              "POST /other|@json={\"items\": [{\"id\": 8}]}",
              "POST /notjson|@big=500",
              "POST /over-size|@json=" + padded,
              "POST /too-slow|@slow=1500|@json=" + alice,
              "POST /after|@json=" + alice);
      assertEquals(
          List.of(
              "local POST /small",
              "pod POST /other",
              "pod POST /notjson",
              "pod POST /over-size",
              "pod POST /too-slow",
              "local POST /after"),
          served,
          s.run.output());
    }
  }

  /** One `run` of the local app with a steal filter on a pod of its own. */
  private static final class Session implements AutoCloseable {
    final Pod pod;
    final int port;
    final BackgroundRun run;

    private Session(Pod pod, int port, BackgroundRun run) {
      this.pod = pod;
      this.port = port;
      this.run = run;
    }

    /**
     * @param filter the members of http_filter besides ports, as JSON text
     * @param matchingProbe a request the filter matches, sent until it reaches the local app
     */
    static Session start(
        String name, String filter, long maxBody, long bodyTimeoutMs, String matchingProbe)
        throws Exception {
      int port = freeHostPort();
      String app = Files.readString(RESOURCES.resolve("body_app.py"));
      Pod pod =
          cluster.addPod(
              PodSpec.named("hf" + PODS.incrementAndGet())
                  .file("/app/body_app.py", app)
                  .command("python3", "/app/body_app.py", "pod", "0.0.0.0", String.valueOf(port))
                  .readyWhenListening(port));
      Path dir = Files.createTempDirectory(work, name);
      Path cfg = dir.resolve("mirrord.json");
      Files.writeString(
          cfg,
          "{\"target\": \"pid/"
              + pod.pid()
              + "\", \"agent\": {\"max_body_buffer_size\": "
              + maxBody
              + ", \"max_body_buffer_timeout\": "
              + bodyTimeoutMs
              + "}, \"feature\": {\"network\": {\"incoming\": {\"mode\": \"steal\","
              + " \"http_filter\": {"
              + filter
              + ", \"ports\": ["
              + port
              + "]}}}}}");
      List<String> program =
          List.of(
              "/usr/bin/python3",
              RESOURCES.resolve("body_app.py").toString(),
              "local",
              "0.0.0.0",
              String.valueOf(port));
      BackgroundRun run = BackgroundRun.start(dir, cfg, program);
      Session s = new Session(pod, port, run);
      try {
        s.awaitStolen(matchingProbe);
      } catch (Exception | AssertionError e) {
        s.close();
        throw e;
      }
      return s;
    }

    /** Until a request the filter matches reaches the local app (the subscription is live). */
    private void awaitStolen(String probe) throws Exception {
      awaitTrue(
          run,
          "a matching request reaches the local app",
          () -> {
            List<String> answers = rawSend(probe);
            return answers.size() == 1 && answers.get(0).startsWith("local ");
          });
    }

    /**
     * Sends the requests over one connection; "who METHOD PATH" per answer (with "body=N" for a 10
     * MiB body), after checking that each body arrived byte-exact.
     */
    List<String> send(String... requests) {
      List<String> out = new ArrayList<>();
      for (String line : rawSend(requests)) {
        String sha = line.replaceAll(".* sha=([0-9a-f]+) .*", "$1");
        String sent = line.replaceAll(".* sent=([0-9a-f]+)$", "$1");
        assertEquals(sent, sha, "the body arrived byte-exact: " + line + "\n" + run.output());
        String[] w = line.split(" ");
        String who = w[0] + " " + w[1] + " " + w[2];
        out.add(w[3].equals("body=" + TEN_MIB) ? who + " " + w[3] : who);
      }
      assertEquals(requests.length, out.size(), "one answer per request: " + out);
      return out;
    }

    private List<String> rawSend(String... requests) {
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "python3",
                  RESOURCES.resolve("body_client.py").toString(),
                  pod.ip(),
                  String.valueOf(port)));
      argv.addAll(List.of(requests));
      ExecResult r = cluster.exec(argv.toArray(String[]::new));
      if (!r.ok()) return List.of();
      return List.of(r.stdout().strip().split("\n"));
    }

    @Override
    public void close() {
      run.close();
    }
  }
}
