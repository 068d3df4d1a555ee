package dev.mirrordj.e2e.incoming;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F8: HTTP edge cases through a steal that matches half of the requests (header {@code x-user:
 * alice}), through {@code run} on a harness pod. The same node servers are the pod's app and the
 * local program (each names itself in {@code x-served-by}), so every case runs matched and
 * unmatched: 10 MiB bodies both ways, chunked both ways, {@code Expect: 100-continue}, pipelined
 * HTTP/1.1 mixing both targets on one connection, a WebSocket upgrade, bytes that are not HTTP on
 * the filtered port; over h2c, matched and unmatched streams on one connection with gRPC-style
 * trailers, RST_STREAM from the client and from the server, GOAWAY from the server and from the
 * client. Everything byte-exact, no unexpected reset.
 */
class HttpEdgeCasesRunE2ETest {
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
  void everyEdgeCaseIsByteExactMatchedAndUnmatched() throws Exception {
    int h1 = IncomingRunE2ETest.freeHostPort();
    int h2 = IncomingRunE2ETest.freeHostPort();
    Path dir = Files.createTempDirectory(work, "f8");
    String edge = resource("edge_server.js");
    String h2server = resource("h2_server.js");
    Pod pod =
        cluster.addPod(
            PodSpec.named("edge")
                .file("/app/edge_server.js", edge)
                .file("/app/h2_server.js", h2server)
                .command(
                    "sh",
                    "-c",
                    "node /app/h2_server.js "
                        + h2
                        + " pod & exec node /app/edge_server.js "
                        + h1
                        + " pod")
                .readyWhenListening(h1));
    Path cfg =
        IncomingRunE2ETest.config(
            dir,
            pod,
            "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
                + " \"ports\": ["
                + h1
                + ", "
                + h2
                + "]}}");
    Path localEdge = write(dir, "edge_server.js", edge);
    Path localH2 = write(dir, "h2_server.js", h2server);
    Path h1client = write(dir, "h1_client.py", resource("h1_client.py"));
    Path h2client = write(dir, "h2_client.js", resource("h2_client.js"));
    String program =
        "node " + localH2 + " " + h2 + " local & node " + localEdge + " " + h1 + " local & wait";
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, List.of("sh", "-c", program))) {
      IncomingRunE2ETest.awaitProgramStarted(run, "listening " + h1);
      IncomingRunE2ETest.awaitTrue(
          run,
          "both ports are stolen for matched requests",
          () ->
              served(pod, h1).equals("local")
                  && run.stdout().contains("listening " + h2)
                  && run.output().contains("port " + h2));
      ExecResult r1 = cluster.exec("python3", h1client.toString(), pod.ip(), "" + h1);
      String out1 = r1.stdout();
      System.out.println("F8 HTTP/1:\n" + out1 + r1.stderr());
      assertTrue(
          out1.contains("all done"), "the HTTP/1 client ran to its end\n" + r1 + run.output());
      assertTrue(
          !out1.contains("FAIL"), "every HTTP/1 edge case byte-exact:\n" + out1 + run.output());
      assertEquals(14, out1.lines().filter(l -> l.contains(" ok ")).count(), out1);

      ExecResult r2 = cluster.exec("node", h2client.toString(), pod.ip(), "" + h2);
      String out2 = r2.stdout();
      System.out.println("F8 h2c:\n" + out2 + r2.stderr());
      List<String> want =
          List.of(
              "mixed 0 local exact=true grpc-status=0 trailer-sha=true",
              "mixed 1 pod exact=true grpc-status=0 trailer-sha=true",
              "client-rst then local after-cancel",
              "server-rst alice code=8",
              "server-rst bob code=8",
              "after-server-rst pod still-open",
              "server-goaway alice local bye",
              "server-goaway bob pod bye",
              "client-goaway closed");
      assertEquals(want, out2.lines().toList(), "h2c edge cases\n" + r2.stderr() + run.output());
    }
  }

  private static String served(Pod pod, int port) {
    ExecResult r =
        cluster.exec(
            "curl",
            "-s",
            "-m",
            "5",
            "-o",
            "/dev/null",
            "-D",
            "-",
            "-H",
            "X-User: alice",
            "http://" + pod.ip() + ":" + port + "/echo");
    for (String l : r.stdout().split("\r\n")) {
      if (l.toLowerCase().startsWith("x-served-by:")) return l.substring(12).strip();
    }
    return "";
  }

  private static String resource(String name) throws IOException {
    try (var in = HttpEdgeCasesRunE2ETest.class.getResourceAsStream("/f8/" + name)) {
      if (in == null) throw new IllegalStateException("missing test resource /f8/" + name);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }
}
